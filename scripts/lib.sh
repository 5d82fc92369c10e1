# Shared by the scripts in this folder: install what threadtrace needs when it is missing.
# Sourced, not run.

say() { printf '%s\n' "$*" >&2; }

# ensure_packages DEB... : install the Debian packages that are not installed yet, or fail with one clear line.
ensure_packages() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      say "threadtrace: missing packages: ${missing[*]}; run as root or install them: apt-get install -y ${missing[*]}"
      exit 1
    fi
  fi
  say "threadtrace: installing ${missing[*]} ..."
  if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    say "threadtrace: could not install ${missing[*]} with apt-get; install them by hand and run this again"
    exit 1
  fi
}

ensure_swift() {
  command -v swift >/dev/null 2>&1 && return 0
  [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH" && return 0
  say "threadtrace: no Swift toolchain on PATH (Swift 6 is needed: https://www.swift.org/install/linux/)"
  exit 1
}
