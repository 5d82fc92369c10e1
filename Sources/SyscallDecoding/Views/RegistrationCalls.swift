import TraceModel

/// What a new task tells the kernel about itself: the calls glibc's `start_thread` and other runtimes make first.
public enum RegistrationCall: Hashable, Sendable {
  /// `rseq(addr, len, flags, sig)`: registers (or with `RSEQ_FLAG_UNREGISTER` removes) the restartable
  /// sequences area the kernel keeps `cpu_id` in.
  case rseq(address: UInt64, length: UInt64, unregister: Bool, signature: UInt64)
  /// `set_robust_list(head, len)`: the list of robust futexes the kernel walks when the thread dies.
  case robustList(head: UInt64, length: UInt64)
  /// `set_tid_address(addr)`: the `clear_child_tid` word; returns the caller's tid.
  case tidAddress(UInt64)
  /// `arch_prctl(ARCH_SET_FS, base)`: the thread pointer (TLS) of an x86_64 thread.
  case threadPointer(UInt64)
  /// `sched_setaffinity(pid, len, mask)`: the CPUs the task may run on (pid 0 = the caller).
  case affinity(target: Int32, cpus: String?)
  /// `sigaltstack(ss, old)`: the alternate signal stack (`disable` = `SS_DISABLE`).
  case signalStack(base: UInt64?, size: UInt64?, disable: Bool)

  public init?(_ event: borrowing SyscallEvent) {
    switch event.name {
    case "rseq":
      // Read in place (`withArguments`): a copy of each value costs reference counting.
      let call: RegistrationCall? = event.withArguments { arguments in
        guard let address = arguments.unsigned(at: 0) else { return nil }
        let flags = arguments.unsigned(at: 2) ?? 0
        return .rseq(
          address: address, length: arguments.unsigned(at: 1) ?? 0, unregister: flags & 1 != 0,
          signature: arguments.unsigned(at: 3) ?? 0)
      }
      guard let call else { return nil }
      self = call
    case "set_robust_list":
      let call: RegistrationCall? = event.withArguments { arguments in
        guard let head = arguments.unsigned(at: 0) else { return nil }
        return .robustList(head: head, length: arguments.unsigned(at: 1) ?? 0)
      }
      guard let call else { return nil }
      self = call
    case "set_tid_address":
      guard let address = event.withArguments({ $0.unsigned(at: 0) }) else { return nil }
      self = .tidAddress(address)
    case "arch_prctl":
      // ARCH_SET_FS = 0x1002 (arch/x86/include/uapi/asm/prctl.h)
      let base: UInt64? = event.withArguments { arguments in
        arguments.unsigned(at: 0) == 0x1002 ? arguments.unsigned(at: 1) : nil
      }
      guard let base else { return nil }
      self = .threadPointer(base)
    case "sched_setaffinity":
      let target = Int32(truncatingIfNeeded: event.argument(at: 0)?.signedValue ?? 0)
      var cpus: String?
      if case .array(let values, _)? = event.argument(at: 2) {
        cpus = values.map { value in
          if case .integer(let n) = value { return String(n) }
          if case .text(let text) = value { return text }
          return "?"
        }.joined(separator: " ")
      }
      self = .affinity(target: target, cpus: cpus)
    case "sigaltstack":
      guard let stack = event.argument(at: 0), stack.unsignedValue != 0 else { return nil }
      let flags = stack.field("ss_flags")
      let disable = flags?.unsignedValue.map { $0 & 2 != 0 } ?? symbolicContains(flags, "SS_DISABLE")
      self = .signalStack(
        base: stack.field("ss_sp")?.unsignedValue, size: stack.field("ss_size")?.unsignedValue, disable: disable)
    default:
      return nil
    }
  }
}

/// How a task's name is set: `prctl(PR_SET_NAME)` on itself, or a write to a `comm` file in /proc.
public enum NamingCall: Hashable, Sendable {
  /// `prctl(PR_SET_NAME, name)`: names the calling thread.
  case setOwnName(String)
  /// `open`/`openat` of a `comm` file; `fd` is the returned descriptor.
  case openComm(target: CommTarget, fd: Int32)
  /// A `write` of `name` to `fd` (with strace `-y`, the path is shown too).
  case write(fd: Int32, path: String?, bytes: [UInt8])
  case close(fd: Int32)

  public init?(_ event: borrowing SyscallEvent) {
    switch event.name {
    case "prctl":
      // PR_SET_NAME = 15 (include/uapi/linux/prctl.h)
      guard event.argument(at: 0)?.unsignedValue == 15, let name = event.argument(at: 1)?.stringValue else {
        return nil
      }
      self = .setOwnName(Self.commText(name.bytes))
    case "open", "openat":
      let pathIndex = event.name == "open" ? 0 : 1
      guard let path = event.argument(at: pathIndex)?.stringValue?.lossyText, let target = CommTarget(path: path),
        let fd = event.result?.value
      else { return nil }
      self = .openComm(target: target, fd: Int32(truncatingIfNeeded: fd))
    case "write", "pwrite64":
      guard let fdValue = event.argument(at: 0), let fd = fdValue.signedValue,
        let bytes = event.argument(at: 1)?.stringValue?.bytes, event.result?.isSuccess ?? true
      else { return nil }
      var path: String?
      if case .fileDescriptor(_, let shown) = fdValue { path = shown }
      self = .write(fd: Int32(truncatingIfNeeded: fd), path: path, bytes: bytes)
    case "close":
      guard let fd = event.argument(at: 0)?.signedValue else { return nil }
      self = .close(fd: Int32(truncatingIfNeeded: fd))
    default:
      return nil
    }
  }

  /// The kernel keeps at most 15 bytes of a name (TASK_COMM_LEN 16) and stops at a newline or NUL.
  public static func commText(_ bytes: [UInt8]) -> String {
    var cut = bytes.prefix { $0 != 0 && $0 != 0x0A }
    if cut.count > 15 { cut = cut.prefix(15) }
    return String(decoding: cut, as: UTF8.self)
  }
}

/// Which task a `comm` file in /proc names.
public enum CommTarget: Hashable, Sendable {
  /// `/proc/self/task/<tid>/comm`, `/proc/<pid>/task/<tid>/comm`.
  case thread(Int32)
  /// `/proc/self/comm`, `/proc/<pid>/comm`: the thread group leader (pid nil: the caller's own process).
  case processLeader(Int32?)
  /// `/proc/thread-self/comm`: the caller.
  case caller

  public init?(path: String) {
    guard path.hasPrefix("/proc/"), path.hasSuffix("/comm") else { return nil }
    let parts = path.split(separator: "/")  // ["proc", X, ("task", T,)? "comm"]
    switch parts.count {
    case 3:
      if parts[1] == "thread-self" {
        self = .caller
      } else if parts[1] == "self" {
        self = .processLeader(nil)
      } else if let pid = Int32(parts[1]) {
        self = .processLeader(pid)
      } else {
        return nil
      }
    case 5 where parts[2] == "task":
      guard let tid = Int32(parts[3]) else { return nil }
      self = .thread(tid)
    default:
      return nil
    }
  }
}

func symbolicContains(_ value: ArgValue?, _ name: String) -> Bool {
  if case .symbolic(let symbolic)? = value { return symbolic.parts.contains(name) }
  return false
}
