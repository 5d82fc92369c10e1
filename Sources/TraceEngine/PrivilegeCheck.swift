import CPtraceShim
import Glibc

/// What tracing does to a program that gains privileges at exec (hard-cases §1.12): the kernel runs a
/// set-user-ID, set-group-ID or file-capability program traced by a tracer without CAP_SYS_PTRACE *without*
/// those privileges, and says nothing. threadtrace says it, before the program starts.
public enum PrivilegeCheck {
  /// A warning for `command`, or nil when it gains nothing at exec or keeps its privileges traced: threadtrace
  /// has CAP_SYS_PTRACE (else ptrace drops them) and, in fast mode, CAP_SYS_ADMIN (else the filter needs
  /// NO_NEW_PRIVS, which drops them too).
  public static func warning(
    for command: String, fastPath: Bool, hasSysPtrace: Bool = AttachCheck.hasSysPtrace(),
    hasSysAdmin: Bool = AttachCheck.hasCapability(21)
  ) -> String? {
    let noNewPrivs = fastPath && !hasSysAdmin
    guard !hasSysPtrace || noNewPrivs, let path = resolve(command) else { return nil }
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    var gains: [String] = []
    if info.st_mode & S_ISUID != 0 { gains.append("set-user-ID (runs as uid \(info.st_uid))") }
    if info.st_mode & S_ISGID != 0 { gains.append("set-group-ID (runs as gid \(info.st_gid))") }
    if cpt_has_file_capabilities(path) == 1 { gains.append("given file capabilities") }
    guard !gains.isEmpty else { return nil }
    let what = "\(path) is \(gains.joined(separator: " and ")): "
    guard hasSysPtrace else {
      return what + "traced by threadtrace without CAP_SYS_PTRACE it runs without those privileges (the kernel drops "
        + "them at exec under ptrace), so it may fail or behave differently"
    }
    return what + "the fast path's seccomp filter needs NO_NEW_PRIVS without CAP_SYS_ADMIN, under which it runs "
      + "without those privileges, so it may fail or behave differently; --all-syscalls runs it with them"
  }

  /// Where `execvp` would find `command`: as given when it has a slash, else the first executable in PATH.
  static func resolve(_ command: String) -> String? {
    if command.contains("/") { return command }
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
      let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + command
      var info = stat()
      if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}
