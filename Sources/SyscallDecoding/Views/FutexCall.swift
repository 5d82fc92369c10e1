import TraceModel

/// A `futex` call: the word's address, the command and its private/clock bits, and the expected value.
public struct FutexCall: Hashable, Sendable {
  public enum Command: UInt64, Hashable, Sendable {
    case wait = 0, wake = 1, fd = 2, requeue = 3, cmpRequeue = 4, wakeOp = 5, lockPI = 6, unlockPI = 7,
      trylockPI = 8, waitBitset = 9, wakeBitset = 10, waitRequeuePI = 11, cmpRequeuePI = 12, lockPI2 = 13
  }

  public var address: UInt64
  /// nil when the command number is unknown.
  public var command: Command?
  public var rawOperation: UInt64
  /// `FUTEX_PRIVATE_FLAG`: the word is private to this address space (mutexes, condition variables).
  public var isPrivate: Bool
  public var clockRealtime: Bool
  public var value: Int64?
  /// Whether a timeout was given (a wait with a timeout can end with ETIMEDOUT).
  public var hasTimeout: Bool

  public init?(_ event: borrowing SyscallEvent) {
    guard event.name == "futex" || event.name == "futex_time64" else { return nil }
    // Read in place (`withArguments`): a copy of each value costs reference counting.
    let read: (address: UInt64, op: UInt64, value: Int64?, hasTimeout: Bool)? = event.withArguments { arguments in
      guard let address = arguments.unsigned(at: 0), let op = arguments.unsigned(at: 1) else { return nil }
      let hasTimeout: Bool
      if arguments.count > 3 {
        hasTimeout = arguments.unsigned(at: 3).map { $0 != 0 } ?? true
      } else {
        hasTimeout = false
      }
      return (address, op, arguments.signed(at: 2), hasTimeout)
    }
    guard let read else { return nil }
    self.address = read.address
    rawOperation = read.op
    command = Command(rawValue: read.op & 127)
    isPrivate = read.op & 128 != 0
    clockRealtime = read.op & 256 != 0
    value = read.value
    hasTimeout = read.hasTimeout
  }

  public var isWait: Bool { command == .wait || command == .waitBitset }
  public var isWake: Bool { command == .wake || command == .wakeBitset }
}
