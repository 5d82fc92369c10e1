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
  /// Whether the rule reads the lifecycle notes: then it is asked about every event that has any.
  public var notes: Bool
  /// Whether the rule explains events other than syscalls (signals, stops, ends).
  public var otherEvents: Bool
  /// Every event: a rule that says nothing narrower.
  public var everything: Bool

  public init(syscalls: [String] = [], notes: Bool = false, otherEvents: Bool = false) {
    self.syscalls = syscalls
    self.notes = notes
    self.otherEvents = otherEvents
    everything = false
  }

  public static let everything: RuleScope = {
    var scope = RuleScope(notes: true, otherEvents: true)
    scope.everything = true
    return scope
  }()

  /// Events with lifecycle notes only.
  public static let notes = RuleScope(notes: true)
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
    var notes: UInt64 = 0
    var otherEvents: UInt64 = 0
    var bySyscall: [String: UInt64] = [:]
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
      if scope.notes { masks.notes |= bit }
      if scope.otherEvents { masks.otherEvents |= bit }
      for name in scope.syscalls { masks.bySyscall[name, default: 0] |= bit }
    }
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

  public func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    var annotations: [Annotation] = []
    guard let masks else {
      for rule in rules { annotations += rule.annotate(event, notes: notes, lifecycle: lifecycle) }
      return annotations
    }
    var asked = masks.always
    if !notes.isEmpty { asked |= masks.notes }
    if case .syscall(let call) = event.body {
      asked |= masks.bySyscall[call.name] ?? 0
    } else {
      asked |= masks.otherEvents
    }
    // In the rules' order: lowest bit first.
    while asked != 0 {
      let index = asked.trailingZeroBitCount
      asked &= asked - 1
      annotations += rules[index].annotate(event, notes: notes, lifecycle: lifecycle)
    }
    return annotations
  }
}

/// Sizes and addresses as messages print them.
enum Format {
  /// `8 MiB`, `4 KiB`, `12345 bytes`: exact, in the largest binary unit that divides the size.
  static func size(_ bytes: UInt64) -> String {
    if bytes == 0 { return "0 bytes" }
    if bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
    if bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    // A stack reservation is usually the stack plus its guard: say it as such (8 MiB + 4 KiB).
    if bytes > 1 << 20, bytes % 1024 == 0 { return "\(bytes >> 20) MiB + \(size(bytes & ((1 << 20) - 1)))" }
    if bytes % 1024 == 0 { return "\(bytes >> 10) KiB" }
    if bytes > 1 << 20 { return "\(bytes) bytes (\(bytes >> 10) KiB)" }
    return "\(bytes) bytes"
  }

  /// "a" or "an" before a number as read aloud: an 8 MiB, an 11 KiB, an 18 KiB, an 80 KiB, an 11000; a 16 KiB.
  /// Only ASCII digits lead the texts it is given (sizes), so it reads bytes, not Characters.
  static func article(_ text: String) -> String {
    let utf8 = text.utf8
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
