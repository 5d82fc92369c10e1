import SyscallDecoding
import TraceModel

/// A plain-language explanation attached to one event.
public struct Annotation: Hashable, Sendable {
  /// The rule that wrote it (its type name), so tests and `--format json` can tell explanations apart.
  public var rule: String
  public var text: String
  public var tone: Tone

  public enum Tone: String, Hashable, Sendable {
    /// What the call does.
    case explanation
    /// What the kernel does on its own as a consequence (no syscall shows it).
    case kernel
    /// Something suspicious or lost: a failure, a rule broken, a missing piece.
    case warning
  }

  public init(rule: String, _ text: String, tone: Tone = .explanation) {
    self.rule = rule
    self.text = text
    self.tone = tone
  }
}

/// One explanation rule: when it applies (its doc comment says), and its messages beside it.
public protocol ExplainRule: Sendable {
  /// The events the rule can say anything about; the explainer asks it about no others.
  var scope: RuleScope { get }
  /// Annotations for `event`, given what the lifecycle model learned from it (`notes`) and knows so far.
  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation]
}

/// Which events a rule reads. Most events concern two or three of the rules, and asking all nineteen about
/// every event (each copying the event out and comparing the syscall's name) was a fifth of `explain`'s time.
/// A scope may be wider than what the rule uses, never narrower: a rule outside its scope is not asked.
public struct RuleScope: Sendable {
  /// The syscalls, by name, whose call the rule reads.
  public var syscalls: [String]
  /// The kinds of lifecycle notes the rule reads: it is asked about every event that has one. Most events
  /// with notes have one kind (a stack reserved, a task ended), and ten rules read notes.
  public var notes: [NoteKind]
  /// Whether the rule explains events other than syscalls (signals, stops, ends).
  public var otherEvents: Bool
  /// Every event: a rule that says nothing narrower.
  public var everything: Bool

  public init(syscalls: [String] = [], notes: [NoteKind] = [], otherEvents: Bool = false) {
    self.syscalls = syscalls
    self.notes = notes
    self.otherEvents = otherEvents
    everything = false
  }

  public static let everything: RuleScope = {
    var scope = RuleScope(notes: NoteKind.allCases, otherEvents: true)
    scope.everything = true
    return scope
  }()

  /// Events with lifecycle notes of these kinds only.
  public static func notes(_ kinds: NoteKind...) -> RuleScope { RuleScope(notes: kinds) }
}

/// The case of a `LifecycleNote`, without its values: what a rule's scope names.
public enum NoteKind: Int, CaseIterable, Sendable {
  case created, creationFailed, adopted, stackReserved, stackGuardLaidOut, stackAssigned, runtimeGuard, registered
  case signalStackSet, named, joinWait, reaped, stackReleased, ended, earlierExitsExplained, execSucceeded
  case execTookOver

  public init(_ note: LifecycleNote) {
    switch note {
    case .created: self = .created
    case .creationFailed: self = .creationFailed
    case .adopted: self = .adopted
    case .stackReserved: self = .stackReserved
    case .stackGuardLaidOut: self = .stackGuardLaidOut
    case .stackAssigned: self = .stackAssigned
    case .runtimeGuard: self = .runtimeGuard
    case .registered: self = .registered
    case .signalStackSet: self = .signalStackSet
    case .named: self = .named
    case .joinWait: self = .joinWait
    case .reaped: self = .reaped
    case .stackReleased: self = .stackReleased
    case .ended: self = .ended
    case .earlierExitsExplained: self = .earlierExitsExplained
    case .execSucceeded: self = .execSucceeded
    case .execTookOver: self = .execTookOver
    }
  }
}

extension ExplainRule {
  public var scope: RuleScope { .everything }

  // The runtime caches type names; String(describing:) would go through the whole printing machinery (dynamic
  // casts, a Mirror) for every annotation, which was a tenth of a live trace's tracer time.
  var ruleName: String { _typeName(Self.self, qualified: false) }

  func note(_ text: String, tone: Annotation.Tone = .explanation) -> Annotation {
    Annotation(rule: ruleName, text, tone: tone)
  }
}

/// Runs every rule over each event, in a fixed order.
public struct Explainer: Sendable {
  public let rules: [any ExplainRule]

  /// Rules by scope, as bit masks over `rules` (bit i: rules[i]), so that an event costs one look-up of its
  /// name rather than a call to every rule. Nil with more rules than bits: then every rule is asked.
  private let masks: Masks?

  private struct Masks: Sendable {
    var always: UInt64 = 0
    var byNote = [UInt64](repeating: 0, count: NoteKind.allCases.count)
    var otherEvents: UInt64 = 0
    var bySyscall: [String: UInt64] = [:]
    /// `bySyscall` by number, per ABI: an array index instead of hashing the name of every call.
    var x86_64: [UInt64] = []
    var i386: [UInt64] = []
  }

  public init(rules: [any ExplainRule] = Explainer.standardRules) {
    self.rules = rules
    guard rules.count <= UInt64.bitWidth else {
      masks = nil
      return
    }
    var masks = Masks()
    for (index, rule) in rules.enumerated() {
      let bit: UInt64 = 1 << UInt64(index)
      let scope = rule.scope
      if scope.everything { masks.always |= bit }
      for kind in scope.notes { masks.byNote[kind.rawValue] |= bit }
      if scope.otherEvents { masks.otherEvents |= bit }
      for name in scope.syscalls { masks.bySyscall[name, default: 0] |= bit }
    }
    masks.x86_64 = Self.byNumber(masks.bySyscall, in: .x86_64)
    masks.i386 = Self.byNumber(masks.bySyscall, in: .i386)
    self.masks = masks
  }

  public static let standardRules: [any ExplainRule] = [
    TaskCreationRule(),
    ResourceSharingRule(),
    CloneFlagRulesRule(),
    CreationFailureRule(),
    ThreadStackRule(),
    StackReleaseRule(),
    SignalStackRule(),
    RseqRule(),
    RobustListRule(),
    RegistrationStateRule(),
    TidAddressRule(),
    ThreadPointerRule(),
    AffinityRule(),
    ThreadNameRule(),
    FutexRule(),
    ExecRule(),
    ExitCallRule(),
    TaskEndRule(),
    ReapRule(),
    SignalRule(),
  ]

  static func byNumber(_ bySyscall: [String: UInt64], in architecture: Architecture) -> [UInt64] {
    SyscallTable.tableByNumber(bySyscall, in: architecture, empty: 0)
  }

  public func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    var annotations: [Annotation] = []
    guard let masks else {
      for rule in rules { annotations += rule.annotate(event, notes: notes, lifecycle: lifecycle) }
      return annotations
    }
    var asked = masks.always
    for note in notes { asked |= masks.byNote[NoteKind(note).rawValue] }
    if case .syscall(let call) = event.body {
      if let number = call.number, number >= 0, number < 1024 {
        // The number is the name's number in this ABI whenever the source knew both (as the fold reads it).
        asked |= call.architecture == .x86_64 ? masks.x86_64[Int(number)] : masks.i386[Int(number)]
      } else {
        asked |= masks.bySyscall[call.name] ?? 0
      }
    } else {
      asked |= masks.otherEvents
    }
    // In the rules' order: lowest bit first. Usually one rule says anything: its array is the answer, not a
    // copy of it.
    while asked != 0 {
      let index = asked.trailingZeroBitCount
      asked &= asked - 1
      let said = rules[index].annotate(event, notes: notes, lifecycle: lifecycle)
      if annotations.isEmpty {
        annotations = said
      } else {
        annotations += said
      }
    }
    return annotations
  }
}

/// Sizes and addresses as messages print them.
enum Format {
  /// `8 MiB`, `4 KiB`, `12345 bytes`: exact, in the largest binary unit that divides the size.
  static func size(_ bytes: UInt64) -> String { message(sizeText(bytes)) }

  /// `size` as a message part: the messages of every thread's stack print two or three sizes.
  static func sizeText(_ bytes: UInt64) -> MessageText {
    if bytes == 0 { return "0 bytes" }
    if bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
    if bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    // A stack reservation is usually the stack plus its guard: say it as such (8 MiB + 4 KiB).
    if bytes > 1 << 20, bytes % 1024 == 0 { return "\(bytes >> 20) MiB + \(sizeText(bytes & ((1 << 20) - 1)))" }
    if bytes % 1024 == 0 { return "\(bytes >> 10) KiB" }
    if bytes > 1 << 20 { return "\(bytes) bytes (\(bytes >> 10) KiB)" }
    return "\(bytes) bytes"
  }

  /// "a" or "an" before a number as read aloud: an 8 MiB, an 11 KiB, an 18 KiB, an 80 KiB, an 11000; a 16 KiB.
  /// Only ASCII digits lead the texts it is given (sizes), so it reads bytes, not Characters.
  static func article(_ text: String) -> String { article(utf8: text.utf8) }

  static func article(_ text: MessageText) -> String { article(utf8: text.bytes) }

  private static func article(utf8: some Collection<UInt8>) -> String {
    var digits = 0
    for byte in utf8 {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { break }
      digits += 1
    }
    if digits == 0 { return "a" }
    let lead = digits % 3 == 0 ? 3 : digits % 3
    var index = utf8.startIndex
    let first = utf8[index]
    if first == UInt8(ascii: "8") { return "an" }
    guard lead == 2, first == UInt8(ascii: "1") else { return "a" }
    index = utf8.index(after: index)
    let second = utf8[index]
    return second == UInt8(ascii: "1") || second == UInt8(ascii: "8") ? "an" : "a"
  }

  /// `0x…` in lowercase hex, written straight into the string's storage: `String(radix:)` was a visible part
  /// of building every message with an address.
  static func address(_ value: UInt64) -> String {
    let digits = max(1, (UInt64.bitWidth - value.leadingZeroBitCount + 3) / 4)
    return String(unsafeUninitializedCapacity: digits + 2) { buffer in
      buffer[0] = UInt8(ascii: "0")
      buffer[1] = UInt8(ascii: "x")
      var rest = value
      for position in stride(from: digits + 1, through: 2, by: -1) {
        let digit = UInt8(rest & 0xF)
        buffer[position] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
        rest >>= 4
      }
      return digits + 2
    }
  }

  static func list(_ items: [String]) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
  }

  static func signal(_ number: Int32) -> String {
    SignalNames.name(number)
  }
}

/// A message built from an interpolated literal straight into UTF-8 bytes, made a `String` once
/// (`Format.message`). The messages said for every thread (a clone, its stack, its registrations, its end) are
/// built this way: `String` interpolation grew its storage piece by piece and made a `String` of each number,
/// which was most of explaining a thread's events.
struct MessageText: ExpressibleByStringInterpolation {
  var bytes: [UInt8]

  init(stringLiteral literal: StaticString) {
    bytes = []
    literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  init(stringInterpolation: Interpolation) { bytes = stringInterpolation.bytes }

  /// An empty text with room for `capacity` bytes, for a message put together piece by piece.
  init(capacity: Int) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  var isEmpty: Bool { bytes.isEmpty }

  mutating func append(_ literal: StaticString) { literal.withUTF8Buffer { bytes.append(contentsOf: $0) } }
  mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

  struct Interpolation: StringInterpolationProtocol {
    var bytes: [UInt8] = []

    init(literalCapacity: Int, interpolationCount: Int) {
      bytes.reserveCapacity(literalCapacity + 16 * interpolationCount)
    }

    mutating func appendLiteral(_ literal: StaticString) {
      literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func appendInterpolation(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A part built the same way (a phrase several messages share).
    mutating func appendInterpolation(_ part: MessageText) { bytes.append(contentsOf: part.bytes) }

    /// Decimal, as `"\(number)"` prints it.
    mutating func appendInterpolation(_ number: some FixedWidthInteger) {
      var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
      withUnsafeMutableBytes(of: &digits) { buffer in
        var start = buffer.count
        var rest = number.magnitude
        repeat {
          start -= 1
          buffer[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
          rest /= 10
        } while rest > 0
        if number < 0 {
          start -= 1
          buffer[start] = UInt8(ascii: "-")
        }
        bytes.append(contentsOf: buffer[start...])
      }
    }

    /// `Format.size(bytes)`.
    mutating func appendInterpolation(size value: UInt64) { bytes.append(contentsOf: Format.sizeText(value).bytes) }

    /// `Format.address(value)`.
    mutating func appendInterpolation(address value: UInt64) {
      bytes.append(UInt8(ascii: "0"))
      bytes.append(UInt8(ascii: "x"))
      var shift = 60
      while shift > 0 && (value >> UInt64(shift)) & 0xF == 0 { shift -= 4 }
      while shift >= 0 {
        let digit = UInt8((value >> UInt64(shift)) & 0xF)
        bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        shift -= 4
      }
    }
  }
}

extension Format {
  /// The message's text.
  static func message(_ message: MessageText) -> String { String(decoding: message.bytes, as: UTF8.self) }
}

/// Signal names, with a fallback for numbers the table does not name.
enum SignalNames {
  static func name(_ number: Int32) -> String { Signals.name(of: number) ?? "signal \(number)" }
}

extension SyscallEvent {
  /// The syscall event of a trace event, if it is one.
  static func of(_ event: TraceEvent) -> SyscallEvent? {
    if case .syscall(let call) = event.body { return call }
    return nil
  }
}
