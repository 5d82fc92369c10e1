import Glibc

/// Why `trace -p PID` will not attach, said before any ptrace request is made (hard-cases §1.13, §1.15).
public struct AttachRefusal: Error, Hashable, Sendable, CustomStringConvertible {
  public var description: String
}

/// The checks and diagnoses around attaching to a running process.
public enum AttachCheck {
  /// Refuses targets that cannot or must not be traced: gone, threadtrace itself, a process in threadtrace's
  /// own tracer chain (mutual tracing leaves both in an unkillable `t` state: strace issue #178), or a process
  /// someone already traces.
  public static func check(_ pid: Int32) throws(AttachRefusal) {
    guard pid > 0, let tgid = ProcFiles.statusField("Tgid", of: pid) else {
      throw AttachRefusal(description: "no process \(pid)")
    }
    if tgid == Int64(getpid()) {
      throw AttachRefusal(description: "process \(pid) is threadtrace itself: a tracer cannot trace itself")
    }
    var tracer = ProcFiles.statusField("TracerPid", of: getpid()) ?? 0
    var seen = Set<Int64>()
    while tracer > 0, seen.insert(tracer).inserted {
      if tracer == tgid {
        throw AttachRefusal(
          description: "process \(pid) traces threadtrace (directly or through its tracers): tracing it back would "
            + "leave both stopped for good")
      }
      tracer = ProcFiles.statusField("TracerPid", of: Int32(truncatingIfNeeded: tracer)) ?? 0
    }
    if let other = ProcFiles.statusField("TracerPid", of: pid), other != 0 {
      let name = command(of: Int32(truncatingIfNeeded: other)).map { " (\($0))" } ?? ""
      throw AttachRefusal(
        description: "process \(pid) is already traced by pid \(other)\(name): a task has one tracer at a time")
    }
  }

  /// The likely reason PTRACE_SEIZE of `pid` gave EPERM, in one sentence (strace's `diagnose_attach_eperm`).
  public static func permissionDenied(_ pid: Int32) -> String {
    let prefix = "not permitted to trace process \(pid)"
    if let other = ProcFiles.statusField("TracerPid", of: pid), other != 0 {
      return "\(prefix): it is already traced by pid \(other)"
    }
    let hasCapability = hasSysPtrace()
    if let scope = ProcFiles.read("/proc/sys/kernel/yama/ptrace_scope").flatMap({ Int($0.filter(\.isNumber)) }) {
      switch scope {
      case 3: return "\(prefix): kernel.yama.ptrace_scope is 3, which forbids attaching until reboot"
      case 2 where !hasCapability:
        return "\(prefix): kernel.yama.ptrace_scope is 2 (only CAP_SYS_PTRACE may attach) and threadtrace lacks it"
      case 1 where !hasCapability:
        return "\(prefix): kernel.yama.ptrace_scope is 1 (only descendants may be traced); run as root, with "
          + "CAP_SYS_PTRACE, or set the sysctl to 0"
      default: break
      }
    }
    if !hasCapability {
      if let owner = ProcFiles.statusField("Uid", of: pid), owner != Int64(getuid()) {
        return "\(prefix): it belongs to uid \(owner) and threadtrace lacks CAP_SYS_PTRACE"
      }
      return "\(prefix): threadtrace lacks CAP_SYS_PTRACE, and the process has capabilities threadtrace does not, "
        + "or is not dumpable (PR_SET_DUMPABLE 0, setuid)"
    }
    return "\(prefix): a seccomp profile, an LSM (AppArmor, SELinux) or a container policy forbids ptrace"
  }

  /// The process's command line, spaces between the arguments, or nil.
  public static func command(of pid: Int32) -> String? {
    guard let text = ProcFiles.read("/proc/\(pid)/cmdline"), !text.isEmpty else { return nil }
    return String(text.split(separator: "\0").joined(separator: " "))
  }

  /// The thread ids of process `pid` now (they come and go while we look: callers rescan).
  static func tasks(of pid: Int32) -> [Int32] {
    guard let directory = opendir("/proc/\(pid)/task") else { return [] }
    defer { closedir(directory) }
    var tids: [Int32] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if let tid = Int32(name) { tids.append(tid) }
    }
    return tids.sorted()
  }

  /// CAP_SYS_PTRACE (bit 19) in our effective set.
  public static func hasSysPtrace() -> Bool { hasCapability(19) }

  /// Capability number `bit` (linux/capability.h: 19 CAP_SYS_PTRACE, 21 CAP_SYS_ADMIN) in our effective set.
  public static func hasCapability(_ bit: Int) -> Bool {
    guard let text = ProcFiles.read("/proc/self/status") else { return false }
    // Lines of UTF-8 bytes, not of Characters: breaking the whole file into graphemes cost more than the rest of
    // a launch's start-up checks together.
    for line in text.utf8.split(separator: UInt8(ascii: "\n")) where line.starts(with: "CapEff:".utf8) {
      let hex = line.dropFirst("CapEff:".utf8.count).filter { $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: " ") }
      return (UInt64(String(decoding: hex, as: UTF8.self), radix: 16) ?? 0) & (1 << UInt64(bit)) != 0
    }
    return false
  }
}
