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

  public init?(_ event: SyscallEvent) {
    guard event.name == "futex" || event.name == "futex_time64",
      let address = event.argument(at: 0)?.unsignedValue, let op = event.argument(at: 1)?.unsignedValue
    else { return nil }
    self.address = address
    rawOperation = op
    command = Command(rawValue: op & 127)
    isPrivate = op & 128 != 0
    clockRealtime = op & 256 != 0
    value = event.argument(at: 2)?.signedValue
    if let timeout = event.argument(at: 3) {
      hasTimeout = timeout.unsignedValue.map { $0 != 0 } ?? true
    } else {
      hasTimeout = false
    }
  }

  public var isWait: Bool { command == .wait || command == .waitBitset }
  public var isWake: Bool { command == .wake || command == .wakeBitset }
}
