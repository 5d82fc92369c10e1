#if canImport(Glibc)
  import Glibc
#endif

/// Why the engine could not start or go on: what it was doing, the request, and the errno.
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Code: String, Hashable, Sendable {
    /// fork or the spawn pipes failed.
    case spawnFailed
    /// PTRACE_SEIZE (or PTRACE_ATTACH) was refused.
    case attachFailed
    /// A ptrace request failed with something other than ESRCH.
    case ptraceRequestFailed
    /// libseccomp could not build or export the filter.
    case filterFailed
  }

  public var code: Code
  /// The request or call that failed (`PTRACE_SEIZE`, `seccomp_export_bpf`).
  public var request: String
  public var errno: Int32

  public init(_ code: Code, request: String, errno: Int32) {
    self.code = code
    self.request = request
    self.errno = errno
  }

  public var description: String { "\(request): \(String(cString: strerror(errno)))" }

  /// ptrace itself is refused (a seccomp profile, a container, Yama scope 3), not just this tracee.
  public var ptraceNotPermitted: Bool { code == .attachFailed && (errno == EPERM || errno == ENOSYS) }
}
