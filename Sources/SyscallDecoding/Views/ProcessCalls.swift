import TraceModel

/// `execve`/`execveat`: the program and its arguments.
public struct ExecCall: Hashable, Sendable {
  public var path: String?
  public var arguments: [String]
  public var argumentsTruncated: Bool

  public init?(_ event: borrowing SyscallEvent) {
    let pathIndex: Int
    switch event.name {
    case "execve": pathIndex = 0
    case "execveat": pathIndex = 1
    default: return nil
    }
    path = event.argument(at: pathIndex)?.stringValue?.lossyText
    if case .array(let values, let truncated)? = event.argument(at: pathIndex + 1) {
      arguments = values.compactMap { $0.stringValue?.lossyText }
      argumentsTruncated = truncated
    } else {
      arguments = []
      argumentsTruncated = false
    }
  }
}

/// `exit` (one thread) or `exit_group` (the whole thread group).
public struct ExitCall: Hashable, Sendable {
  public var wholeGroup: Bool
  public var code: Int32

  public init?(_ event: borrowing SyscallEvent) {
    switch event.name {
    case "exit": wholeGroup = false
    case "exit_group": wholeGroup = true
    default: return nil
    }
    code = Int32(truncatingIfNeeded: event.argument(at: 0)?.signedValue ?? 0)
  }
}

/// A signal sent to a task: `kill`, `tkill`, `tgkill`.
public struct SignalSendCall: Hashable, Sendable {
  /// The target: a pid for `kill` (may be 0 or negative: a process group), a tid for `tkill`/`tgkill`.
  public var target: Int32
  public var targetsThread: Bool
  public var signal: Int32

  public init?(_ event: borrowing SyscallEvent) {
    let targetIndex: Int
    let signalIndex: Int
    switch event.name {
    case "kill": (targetIndex, signalIndex, targetsThread) = (0, 1, false)
    case "tkill": (targetIndex, signalIndex, targetsThread) = (0, 1, true)
    case "tgkill": (targetIndex, signalIndex, targetsThread) = (1, 2, true)
    default: return nil
    }
    guard let target = event.argument(at: targetIndex)?.signedValue,
      let signal = event.argument(at: signalIndex)?.signedValue
    else { return nil }
    self.target = Int32(truncatingIfNeeded: target)
    self.signal = Int32(truncatingIfNeeded: signal)
  }
}

/// `wait4`/`waitpid`/`waitid`: reaping a child process.
public struct WaitCall: Hashable, Sendable {
  /// The child that was reaped (the return value of `wait4`, `si_pid` for `waitid` when shown).
  public var reaped: Int32?
  public var exitStatusText: String?

  public init?(_ event: borrowing SyscallEvent) {
    switch event.name {
    case "wait4", "waitpid":
      reaped = event.result?.value.flatMap { $0 > 0 ? Int32(truncatingIfNeeded: $0) : nil }
      if case .array(let values, _)? = event.argument(at: 1), let first = values.first, case .text(let text) = first {
        exitStatusText = text
      }
    case "waitid":
      reaped = event.argument(at: 2)?.valueAfterCall.field("si_pid")?.signedValue.map { Int32(truncatingIfNeeded: $0) }
    default:
      return nil
    }
  }
}
