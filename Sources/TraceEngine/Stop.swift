/// What a `waitpid` status means for a traced task, classified without touching the tracee (tests feed synthetic
/// statuses). The engine then asks the kernel for details the status cannot carry: `PTRACE_GET_SYSCALL_INFO` for
/// a syscall stop, `PTRACE_GETSIGINFO` for a signal.
public enum Stop: Hashable, Sendable {
  /// The task is gone: `exit`/`exit_group`, or the last step of an exec by another thread for the leader.
  case exited(code: Int32)
  case killed(signal: Int32, coreDumped: Bool)
  /// `SIGTRAP|0x80` (PTRACE_O_TRACESYSGOOD): a syscall entry or exit; only PTRACE_GET_SYSCALL_INFO's `op` says
  /// which (a toggle goes wrong after SEIZE, which never shows the first execve's entry).
  case syscall
  /// PTRACE_EVENT_SECCOMP: the filter returned SECCOMP_RET_TRACE; the fast path's syscall entry.
  case seccomp
  /// PTRACE_EVENT_FORK/VFORK/CLONE: the creator's stop; the new task's tid is the event message.
  case created(kind: CreationKind, newTID: Int32)
  /// PTRACE_EVENT_EXEC; the event message is the tid that called execve (not the leader's when a thread did).
  case exec(formerTID: Int32)
  /// PTRACE_EVENT_EXIT: the task is about to die with this wait status. Sticky since Linux 6.1: it must be
  /// resumed even after a SIGKILL, or it stays in `t` for good.
  case exitEvent(status: Int32)
  /// PTRACE_EVENT_STOP with a stopping signal: a group-stop (SEIZE semantics); resume with PTRACE_LISTEN.
  case groupStop(signal: Int32)
  /// PTRACE_EVENT_STOP with SIGTRAP: a new task's first stop, or the stop PTRACE_INTERRUPT asked for.
  case eventStop
  /// A signal about to be delivered; re-inject it on resume.
  case signalDelivery(signal: Int32)
  /// A status none of the above explains (a PTRACE_EVENT the engine did not ask for).
  case other(status: Int32)

  public enum CreationKind: Hashable, Sendable { case fork, vfork, clone }

  static let sigtrap: Int32 = 5
  static let stoppingSignals: Set<Int32> = [19, 20, 21, 22]  // SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU

  /// Classifies `status`; `eventMessage` is called only for the events that carry one (fork/vfork/clone, exec,
  /// exit), and gives nil when the tracee vanished before it could be read.
  public static func classify(status: Int32, eventMessage: () -> UInt64?) -> Stop {
    let low = status & 0x7f
    if low == 0 { return .exited(code: (status >> 8) & 0xff) }
    if status & 0xff != 0x7f { return .killed(signal: low, coreDumped: status & 0x80 != 0) }
    let signal = (status >> 8) & 0xff
    let event = (status >> 16) & 0xff
    if event == 0 {
      return signal == sigtrap | 0x80 ? .syscall : .signalDelivery(signal: signal)
    }
    switch event {
    case 1, 2, 3:
      guard let message = eventMessage() else { return .other(status: status) }
      let kind: CreationKind = event == 1 ? .fork : event == 2 ? .vfork : .clone
      return .created(kind: kind, newTID: Int32(truncatingIfNeeded: message))
    case 4:
      return .exec(formerTID: eventMessage().map { Int32(truncatingIfNeeded: $0) } ?? 0)
    case 6:
      return .exitEvent(status: eventMessage().map { Int32(truncatingIfNeeded: $0) } ?? 0)
    case 7:
      return .seccomp
    case 128:
      return stoppingSignals.contains(signal) ? .groupStop(signal: signal) : .eventStop
    default:
      return .other(status: status)
    }
  }
}
