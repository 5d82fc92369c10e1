/// A system call with its arguments and result.
///
/// A value type whose fields live in one shared, copy-on-write box: an event is copied at every step from reader
/// to renderer, and copying one reference costs less than copying ~90 bytes holding four reference-counted
/// fields (measured: a fifth of strace reading time went to such copies). Mutating a copy copies the box first.
/// In the box the optionals and the result are plain values and flag bits, so that filling one in costs no
/// enum copies; absent values are stored as 0, so comparing and hashing the stored fields means the same as
/// comparing and hashing the public ones.
public struct SyscallEvent: Hashable, Sendable {
  @usableFromInline var storage: Storage

  /// The fields. Never mutated while shared (every setter goes through `unique()`), hence `@unchecked Sendable`;
  /// and for the same reason no two accesses to a box can overlap, so the runtime's exclusivity checks (a
  /// call into the runtime on every field read) are off.
  @usableFromInline final class Storage: @unchecked Sendable {
    @exclusivity(unchecked) @usableFromInline var name: String
    @exclusivity(unchecked) @usableFromInline var arguments: [Argument]
    /// The annotation of a `.success` result.
    @exclusivity(unchecked) @usableFromInline var annotation: String?
    /// The value of a `.success` result, the errno of `.failure` and `.interrupted`.
    @exclusivity(unchecked) @usableFromInline var resultValue: Int64
    @exclusivity(unchecked) @usableFromInline var entryTime: Int64
    @exclusivity(unchecked) @usableFromInline var duration: Int64
    @exclusivity(unchecked) @usableFromInline var number: Int32
    @exclusivity(unchecked) @usableFromInline var bits: UInt32
    /// The caller's user stack (`trace --stacks`), nil when not recorded. Set after the fact, so not an
    /// initializer parameter.
    @exclusivity(unchecked) @usableFromInline var stack: [StackFrame]? = nil

    @inlinable
    init(
      name: String, arguments: [Argument], annotation: String?, resultValue: Int64, entryTime: Int64,
      duration: Int64, number: Int32, bits: UInt32
    ) {
      self.name = name
      self.arguments = arguments
      self.annotation = annotation
      self.resultValue = resultValue
      self.entryTime = entryTime
      self.duration = duration
      self.number = number
      self.bits = bits
    }

    @inlinable
    func copy() -> Storage {
      let copy = Storage(
        name: name, arguments: arguments, annotation: annotation, resultValue: resultValue, entryTime: entryTime,
        duration: duration, number: number, bits: bits)
      copy.stack = stack
      return copy
    }
  }

  // `bits`: the architecture, the completeness, the result's case, which optionals are present.
  @usableFromInline static var i386: UInt32 { 1 }
  @usableFromInline static var completenessShift: UInt32 { 1 }  // two bits: complete, entryOnly, exitOnly
  @usableFromInline static var resultShift: UInt32 { 3 }  // three bits: ResultCode
  @usableFromInline static var hasNumber: UInt32 { 1 << 6 }
  @usableFromInline static var hasEntryTime: UInt32 { 1 << 7 }
  @usableFromInline static var hasDuration: UInt32 { 1 << 8 }

  /// The result's case as stored: `none` is a nil result.
  @usableFromInline package enum ResultCode: UInt32 {
    case none = 0, success, failure, interrupted, noReturn
  }

  /// The box, copied first if another value shares it.
  @inlinable @inline(__always) mutating func unique() -> Storage {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    return storage
  }

  /// The name as the source gave it (`clone3`, or `syscall_0x1f4` when the source did not know it).
  public var name: String {
    @inlinable get { storage.name }
    @inlinable set { unique().name = newValue }
  }

  /// The syscall number in `architecture`, when known.
  public var number: Int32? {
    @inlinable get { storage.bits & Self.hasNumber != 0 ? storage.number : nil }
    @inlinable set {
      let storage = unique()
      storage.number = newValue ?? 0
      storage.bits = newValue == nil ? storage.bits & ~Self.hasNumber : storage.bits | Self.hasNumber
    }
  }

  public var architecture: Architecture {
    @inlinable get { storage.bits & Self.i386 != 0 ? .i386 : .x86_64 }
    @inlinable set {
      let storage = unique()
      storage.bits = newValue == .i386 ? storage.bits | Self.i386 : storage.bits & ~Self.i386
    }
  }

  /// The arguments at entry, and where the kernel wrote back (`=>`), the values at exit.
  public var arguments: [Argument] {
    @inlinable get { storage.arguments }
    @inlinable _modify {
      let storage = unique()
      yield &storage.arguments
    }
  }

  /// The calling task's user stack when the call was entered, innermost frame first; nil when the source did not
  /// record one (only `trace --stacks` does, at clone, clone3, fork and vfork).
  public var stack: [StackFrame]? {
    @inlinable get { storage.stack }
    @inlinable set { unique().stack = newValue }
  }

  /// `nil` while the call has not returned (or never did: `exit`, a thread killed mid-call).
  public var result: SyscallResult? {
    @inlinable get {
      let storage = storage
      switch ResultCode(rawValue: (storage.bits >> Self.resultShift) & 7) ?? .none {
      case .none: return nil
      case .success: return .success(storage.resultValue, annotation: storage.annotation)
      case .failure: return .failure(errno: Int32(truncatingIfNeeded: storage.resultValue))
      case .interrupted: return .interrupted(errno: Int32(truncatingIfNeeded: storage.resultValue))
      case .noReturn: return .noReturn
      }
    }
    @inlinable set {
      switch newValue {
      case nil: setResult(.none, 0, annotation: nil)
      case .success(let value, let annotation)?: setResult(.success, value, annotation: annotation)
      case .failure(let errno)?: setResult(.failure, Int64(errno), annotation: nil)
      case .interrupted(let errno)?: setResult(.interrupted, Int64(errno), annotation: nil)
      case .noReturn?: setResult(.noReturn, 0, annotation: nil)
      }
    }
  }

  /// Sets the result from its stored form: a value for `.success` (with its annotation), an errno for
  /// `.failure` and `.interrupted`, 0 otherwise. For readers, which have the parts and no `SyscallResult`.
  @inlinable package mutating func setResult(_ code: ResultCode, _ value: Int64, annotation: String?) {
    let storage = unique()
    storage.resultValue = value
    storage.annotation = annotation
    storage.bits = storage.bits & ~(7 << Self.resultShift) | code.rawValue << Self.resultShift
  }

  public var completeness: Completeness {
    @inlinable get {
      switch (storage.bits >> Self.completenessShift) & 3 {
      case 1: return .entryOnly
      case 2: return .exitOnly
      case 3: return .resultUnread
      default: return .complete
      }
    }
    @inlinable set {
      let storage = unique()
      storage.bits = storage.bits & ~(3 << Self.completenessShift) | Self.code(newValue) << Self.completenessShift
    }
  }

  @inlinable static func code(_ completeness: Completeness) -> UInt32 {
    switch completeness {
    case .complete: return 0
    case .entryOnly: return 1
    case .exitOnly: return 2
    case .resultUnread: return 3
    }
  }

  /// When the call was entered, if different from the event time (split `<unfinished ...>` calls).
  public var entryTime: TraceTime? {
    @inlinable get { storage.bits & Self.hasEntryTime != 0 ? TraceTime(microseconds: storage.entryTime) : nil }
    @inlinable set {
      let storage = unique()
      storage.entryTime = newValue?.microseconds ?? 0
      storage.bits = newValue == nil ? storage.bits & ~Self.hasEntryTime : storage.bits | Self.hasEntryTime
    }
  }

  /// Time spent in the call (strace `-T`).
  public var durationMicroseconds: Int64? {
    @inlinable get { storage.bits & Self.hasDuration != 0 ? storage.duration : nil }
    @inlinable set {
      let storage = unique()
      storage.duration = newValue ?? 0
      storage.bits = newValue == nil ? storage.bits & ~Self.hasDuration : storage.bits | Self.hasDuration
    }
  }

  @inlinable
  public init(
    name: String, number: Int32? = nil, architecture: Architecture = .x86_64, arguments: [Argument] = [],
    result: SyscallResult? = nil, completeness: Completeness = .complete, entryTime: TraceTime? = nil,
    durationMicroseconds: Int64? = nil
  ) {
    storage = Storage(
      name: name, arguments: arguments, annotation: nil, resultValue: 0, entryTime: 0, duration: 0, number: 0,
      bits: 0)
    refill(
      name: name, number: number, architecture: architecture, completeness: completeness, entryTime: entryTime,
      durationMicroseconds: durationMicroseconds, result: .none, 0, annotation: nil)
    self.result = result
  }

  /// Sets every field but `arguments` in this value's own box when no other value shares it, else in a new
  /// box with no arguments; the result is given in its stored form (see `setResult`). A reader handing out one
  /// event at a time keeps the last one it made and refills it once the consumer has let go of it: no
  /// allocation and no deallocation per event (measured: a quarter of reading time). The caller then
  /// overwrites `arguments` in place (its old elements are still there).
  @inlinable package mutating func refill(
    name: String, number: Int32?, architecture: Architecture, completeness: Completeness, entryTime: TraceTime?,
    durationMicroseconds: Int64?, result code: ResultCode, _ value: Int64, annotation: String?
  ) {
    var bits = Self.code(completeness) << Self.completenessShift | code.rawValue << Self.resultShift
    if architecture == .i386 { bits |= Self.i386 }
    if number != nil { bits |= Self.hasNumber }
    if entryTime != nil { bits |= Self.hasEntryTime }
    if durationMicroseconds != nil { bits |= Self.hasDuration }
    guard isKnownUniquelyReferenced(&storage) else {
      storage = Storage(
        name: name, arguments: [], annotation: annotation, resultValue: value,
        entryTime: entryTime?.microseconds ?? 0, duration: durationMicroseconds ?? 0, number: number ?? 0, bits: bits)
      return
    }
    let storage = storage
    storage.name = name
    storage.number = number ?? 0
    storage.entryTime = entryTime?.microseconds ?? 0
    storage.duration = durationMicroseconds ?? 0
    storage.resultValue = value
    storage.annotation = annotation
    storage.bits = bits
    if storage.stack != nil { storage.stack = nil }
  }

  public static func == (lhs: SyscallEvent, rhs: SyscallEvent) -> Bool {
    let left = lhs.storage
    let right = rhs.storage
    if left === right { return true }
    return left.bits == right.bits && left.name == right.name && left.number == right.number
      && left.resultValue == right.resultValue && left.entryTime == right.entryTime
      && left.duration == right.duration && left.annotation == right.annotation && left.arguments == right.arguments
      && left.stack == right.stack
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(storage.name)
    hasher.combine(storage.bits)
    hasher.combine(storage.number)
    hasher.combine(storage.arguments)
    hasher.combine(storage.resultValue)
    hasher.combine(storage.annotation)
    hasher.combine(storage.entryTime)
    hasher.combine(storage.duration)
    hasher.combine(storage.stack)
  }

  /// How much of the call the source saw.
  public enum Completeness: String, Hashable, Sendable, Codable {
    /// Entry and exit.
    case complete
    /// Only the entry: the call never returned (the task exited or died in it, or the log ends).
    case entryOnly
    /// Only the exit: the call started before the trace did, or its start is in a file we do not have.
    case exitOnly
    /// The entry, and by choice not the exit: the tracer's fast path resumed the call without a stop at its
    /// return, because nothing the thread story reads comes from it (mprotect, set_robust_list, madvise …).
    case resultUnread
  }

  /// Whether the call took effect: it succeeded, or the live fast path resumed it without reading its result
  /// (`resultUnread`, which the tracer does only for calls that fail on arguments no runtime passes).
  public var tookEffect: Bool { result?.isSuccess ?? (completeness == .resultUnread) }

  /// The argument called `name` (strace prints some as `name=value`), or else the one at `position`.
  public func argument(named name: String? = nil, at position: Int? = nil) -> ArgValue? {
    if let name, let found = storage.arguments.first(where: { $0.name == name }) { return found.value }
    if let position, position >= 0, position < storage.arguments.count { return storage.arguments[position].value }
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
        "durationMicroseconds": durationMicroseconds as Any, "stack": stack as Any,
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
