/// A system call with its arguments and result.
///
/// A value type whose fields live in one shared, copy-on-write box: an event is copied at every step from reader
/// to renderer, and copying one reference costs less than copying ~90 bytes holding four reference-counted
/// fields (measured: a fifth of strace reading time went to such copies). Mutating a copy copies the box first.
public struct SyscallEvent: Hashable, Sendable {
  private var storage: Storage

  /// The fields. Never mutated while shared (every setter goes through `unique()`), hence `@unchecked Sendable`;
  /// and for the same reason no two accesses to a box can overlap, so the runtime's exclusivity checks (a
  /// call into the runtime on every field read) are off.
  private final class Storage: @unchecked Sendable {
    @exclusivity(unchecked) var name: String
    @exclusivity(unchecked) var number: Int32?
    @exclusivity(unchecked) var architecture: Architecture
    @exclusivity(unchecked) var completeness: Completeness
    @exclusivity(unchecked) var arguments: [Argument]
    @exclusivity(unchecked) var result: SyscallResult?
    @exclusivity(unchecked) var entryTime: TraceTime?
    @exclusivity(unchecked) var durationMicroseconds: Int64?

    init(
      name: String, number: Int32?, architecture: Architecture, arguments: [Argument], result: SyscallResult?,
      completeness: Completeness, entryTime: TraceTime?, durationMicroseconds: Int64?
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

    func copy() -> Storage {
      Storage(
        name: name, number: number, architecture: architecture, arguments: arguments, result: result,
        completeness: completeness, entryTime: entryTime, durationMicroseconds: durationMicroseconds)
    }
  }

  /// The box, copied first if another value shares it.
  @inline(__always) private mutating func unique() -> Storage {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    return storage
  }

  /// The name as the source gave it (`clone3`, or `syscall_0x1f4` when the source did not know it).
  public var name: String {
    get { storage.name }
    set { unique().name = newValue }
  }
  /// The syscall number in `architecture`, when known.
  public var number: Int32? {
    get { storage.number }
    set { unique().number = newValue }
  }
  public var architecture: Architecture {
    get { storage.architecture }
    set { unique().architecture = newValue }
  }
  /// The arguments at entry, and where the kernel wrote back (`=>`), the values at exit.
  public var arguments: [Argument] {
    get { storage.arguments }
    _modify {
      let storage = unique()
      yield &storage.arguments
    }
  }
  /// `nil` while the call has not returned (or never did: `exit`, a thread killed mid-call).
  public var result: SyscallResult? {
    get { storage.result }
    set { unique().result = newValue }
  }
  public var completeness: Completeness {
    get { storage.completeness }
    set { unique().completeness = newValue }
  }
  /// When the call was entered, if different from the event time (split `<unfinished ...>` calls).
  public var entryTime: TraceTime? {
    get { storage.entryTime }
    set { unique().entryTime = newValue }
  }
  /// Time spent in the call (strace `-T`).
  public var durationMicroseconds: Int64? {
    get { storage.durationMicroseconds }
    set { unique().durationMicroseconds = newValue }
  }

  public init(
    name: String, number: Int32? = nil, architecture: Architecture = .x86_64, arguments: [Argument] = [],
    result: SyscallResult? = nil, completeness: Completeness = .complete, entryTime: TraceTime? = nil,
    durationMicroseconds: Int64? = nil
  ) {
    storage = Storage(
      name: name, number: number, architecture: architecture, arguments: arguments, result: result,
      completeness: completeness, entryTime: entryTime, durationMicroseconds: durationMicroseconds)
  }

  /// Sets every field but `arguments` in this value's own box when no other value shares it, else in a new box
  /// with no arguments. A reader handing out one event at a time keeps the last one it made and refills it
  /// once the consumer has let go of it: no allocation and no deallocation per event (measured: a quarter of
  /// reading time). The caller then overwrites `arguments` in place (its old elements are still there).
  package mutating func refill(
    name: String, number: Int32?, architecture: Architecture, result: consuming SyscallResult?,
    completeness: Completeness, entryTime: TraceTime?, durationMicroseconds: Int64?
  ) {
    guard isKnownUniquelyReferenced(&storage) else {
      storage = Storage(
        name: name, number: number, architecture: architecture, arguments: [], result: result,
        completeness: completeness, entryTime: entryTime, durationMicroseconds: durationMicroseconds)
      return
    }
    let storage = storage
    storage.name = name
    storage.number = number
    storage.architecture = architecture
    storage.result = result
    storage.completeness = completeness
    storage.entryTime = entryTime
    storage.durationMicroseconds = durationMicroseconds
  }

  public static func == (lhs: SyscallEvent, rhs: SyscallEvent) -> Bool {
    let left = lhs.storage
    let right = rhs.storage
    if left === right { return true }
    return left.name == right.name && left.number == right.number && left.architecture == right.architecture
      && left.completeness == right.completeness && left.result == right.result && left.entryTime == right.entryTime
      && left.durationMicroseconds == right.durationMicroseconds && left.arguments == right.arguments
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(storage.name)
    hasher.combine(storage.number)
    hasher.combine(storage.architecture)
    hasher.combine(storage.arguments)
    hasher.combine(storage.result)
    hasher.combine(storage.completeness)
    hasher.combine(storage.entryTime)
    hasher.combine(storage.durationMicroseconds)
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
    let arguments = storage.arguments
    if let name, let found = arguments.first(where: { $0.name == name }) { return found.value }
    if let position, position >= 0, position < arguments.count { return arguments[position].value }
    return nil
  }
}

extension SyscallEvent: CustomReflectable {
  /// The fields, as a plain struct would show them (test failures, `dump`), not the box.
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "name": name, "number": number as Any, "architecture": architecture, "arguments": arguments,
        "result": result as Any, "completeness": completeness, "entryTime": entryTime as Any,
        "durationMicroseconds": durationMicroseconds as Any,
      ], displayStyle: .struct)
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
///
/// Boxed and copy-on-write like `SyscallEvent`, so that a `TraceEvent.Body` is no larger than a reference and a
/// string: signals are rare, the events that carry them are copied like any other.
public struct SignalEvent: Hashable, Sendable {
  private var storage: Storage

  /// The fields. Never mutated while shared (every setter goes through `unique()`), hence `@unchecked Sendable`
  /// and no runtime exclusivity checks.
  private final class Storage: @unchecked Sendable {
    @exclusivity(unchecked) var signal: Int32
    @exclusivity(unchecked) var code: String?
    @exclusivity(unchecked) var senderPID: Int32?
    @exclusivity(unchecked) var details: String?

    init(signal: Int32, code: String?, senderPID: Int32?, details: String?) {
      self.signal = signal
      self.code = code
      self.senderPID = senderPID
      self.details = details
    }
  }

  @inline(__always) private mutating func unique() -> Storage {
    if !isKnownUniquelyReferenced(&storage) {
      storage = Storage(signal: signal, code: code, senderPID: senderPID, details: details)
    }
    return storage
  }

  public var signal: Int32 {
    get { storage.signal }
    set { unique().signal = newValue }
  }
  /// `si_code` and the sender when the source decoded siginfo; `details` keeps the rest as text.
  public var code: String? {
    get { storage.code }
    set { unique().code = newValue }
  }
  public var senderPID: Int32? {
    get { storage.senderPID }
    set { unique().senderPID = newValue }
  }
  public var details: String? {
    get { storage.details }
    set { unique().details = newValue }
  }

  public init(signal: Int32, code: String? = nil, senderPID: Int32? = nil, details: String? = nil) {
    storage = Storage(signal: signal, code: code, senderPID: senderPID, details: details)
  }

  public static func == (lhs: SignalEvent, rhs: SignalEvent) -> Bool {
    lhs.storage === rhs.storage
      || (lhs.signal == rhs.signal && lhs.code == rhs.code && lhs.senderPID == rhs.senderPID
        && lhs.details == rhs.details)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(signal)
    hasher.combine(code)
    hasher.combine(senderPID)
    hasher.combine(details)
  }
}

extension SignalEvent: CustomReflectable {
  /// The fields, as a plain struct would show them, not the box.
  public var customMirror: Mirror {
    Mirror(
      self,
      children: ["signal": signal, "code": code as Any, "senderPID": senderPID as Any, "details": details as Any],
      displayStyle: .struct)
  }
}
