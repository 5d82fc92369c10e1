import CSeccomp
import Glibc
import TraceModel

/// libseccomp's syscall tables: what the seccomp filter is built from, so the engine's filter and our literal
/// tables in `SyscallDecoding` must agree (tests check they do).
public enum SeccompSyscalls {
  /// The syscall number of `name` in `architecture`, or nil when libseccomp does not know it there.
  public static func number(of name: String, in architecture: Architecture) -> Int32? {
    let number = seccomp_syscall_resolve_name_arch(scmpArch(architecture), name)
    return number >= 0 ? number : nil
  }

  /// The name of syscall `number` in `architecture`.
  public static func name(of number: Int32, in architecture: Architecture) -> String? {
    guard let name = seccomp_syscall_resolve_num_arch(scmpArch(architecture), number) else { return nil }
    defer { free(name) }
    return String(cString: name)
  }

  static func scmpArch(_ architecture: Architecture) -> UInt32 {
    switch architecture {
    case .x86_64: return cseccomp_arch_x86_64()
    case .i386: return cseccomp_arch_x86()
    }
  }
}
