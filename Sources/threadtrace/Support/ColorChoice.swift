import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// `--color auto|always|never`; `auto` colours only a terminal, and never when `NO_COLOR` is set (no-color.org)
/// or `TERM=dumb`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never

  func enabled(for fd: Int32) -> Bool {
    switch self {
    case .always: return true
    case .never: return false
    case .auto:
      if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
      if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
      return isatty(fd) == 1
    }
  }
}
