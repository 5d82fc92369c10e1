/// A system call with its arguments and result.
public struct SyscallEvent: Hashable, Sendable {
  /// The name as the source gave it (`clone3`, or `syscall_0x1f4` when the source did not know it).
  public var name: String
  /// The syscall number in `architecture`, when known.
  public var number: Int32?
  public var architecture: Architecture
  /// The arguments at entry, and where the kernel wrote back (`=>`), the values at exit.
  public var arguments: [Argument]
  /// `nil` while the call has not returned (or never did: `exit`, a thread killed mid-call).
  public var result: SyscallResult?
  public var completeness: Completeness
  /// When the call was entered, if different from the event time (split `<unfinished ...>` calls).
  public var entryTime: TraceTime?
  /// Time spent in the call (strace `-T`).
  public var durationMicroseconds: Int64?

  public init(
    name: String, number: Int32? = nil, architecture: Architecture = .x86_64, arguments: [Argument] = [],
    result: SyscallResult? = nil, completeness: Completeness = .complete, entryTime: TraceTime? = nil,
    durationMicroseconds: Int64? = nil
  ) {
    self.name = name
    self.number = number
    self.architecture = architecture
    self.arguments = arguments
    self.result = result
    self.completeness = completeness
    self.entryTime = entryTime
    self.durationMicroseconds = durationMicroseconds
  }

  /// How much of the call the source saw.
  public enum Completeness: String, Hashable, Sendable, Codable {
    /// Entry and exit.
    case complete
    /// Only the entry: the call never returned (the task exited or died in it, or the log ends).
    case entryOnly
    /// Only the exit: the call started before the trace did, or its start is in a file we do not have.
    case exitOnly
  }

  /// The argument called `name` (strace prints some as `name=value`), or else the one at `position`.
  public func argument(named name: String? = nil, at position: Int? = nil) -> ArgValue? {
    if let name, let found = arguments.first(where: { $0.name == name }) { return found.value }
    if let position, position < arguments.count { return arguments[position].value }
    return nil
  }
}

/// One argument of a syscall, as strace prints it: positional, or `name=value`.
public struct Argument: Hashable, Sendable {
  public var name: String?
  public var value: ArgValue

  public init(name: String? = nil, _ value: ArgValue) {
    self.name = name
    self.value = value
  }
}

/// What a syscall returned.
public enum SyscallResult: Hashable, Sendable {
  /// A non-negative return: a count, a tid, an fd, an address. `annotation` keeps strace's decoration
  /// (`-y` path of a returned fd, `(Timeout)`), or nil.
  case success(Int64, annotation: String? = nil)
  /// `-1` with an errno (`-1 ENOENT (No such file or directory)`).
  case failure(errno: Int32)
  /// The call was cut short by a signal and will be restarted by the kernel (`= ? ERESTARTSYS`); not final.
  case interrupted(errno: Int32)
  /// The tracer saw the call end without a return value (`= ?`): the task exited, was killed or exec'd.
  case noReturn
}

extension SyscallResult {
  /// The value for a successful return, else nil.
  public var value: Int64? {
    if case .success(let value, _) = self { return value }
    return nil
  }

  public var isSuccess: Bool { value != nil }
}

/// A signal-delivery stop.
public struct SignalEvent: Hashable, Sendable {
  public var signal: Int32
  /// `si_code` and the sender when the source decoded siginfo; `details` keeps the rest as text.
  public var code: String?
  public var senderPID: Int32?
  public var details: String?

  public init(signal: Int32, code: String? = nil, senderPID: Int32? = nil, details: String? = nil) {
    self.signal = signal
    self.code = code
    self.senderPID = senderPID
    self.details = details
  }
}
