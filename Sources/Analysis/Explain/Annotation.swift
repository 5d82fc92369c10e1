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
  /// Annotations for `event`, given what the lifecycle model learned from it (`notes`) and knows so far.
  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation]
}

extension ExplainRule {
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

  public init(rules: [any ExplainRule] = Explainer.standardRules) {
    self.rules = rules
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
    for rule in rules { annotations += rule.annotate(event, notes: notes, lifecycle: lifecycle) }
    return annotations
  }
}

/// Sizes and addresses as messages print them.
enum Format {
  /// `8 MiB`, `4 KiB`, `12345 bytes`: exact, in the largest binary unit that divides the size.
  static func size(_ bytes: UInt64) -> String {
    if bytes == 0 { return "0 bytes" }
    let units: [(UInt64, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB")]
    for (unit, name) in units where bytes % unit == 0 { return "\(bytes / unit) \(name)" }
    // A stack reservation is usually the stack plus its guard: say it as such (8 MiB + 4 KiB).
    if bytes > 1 << 20, bytes % 1024 == 0 { return "\(bytes >> 20) MiB + \(size(bytes & ((1 << 20) - 1)))" }
    if bytes % 1024 == 0 { return "\(bytes >> 10) KiB" }
    if bytes > 1 << 20 { return "\(bytes) bytes (\(bytes >> 10) KiB)" }
    return "\(bytes) bytes"
  }

  /// "a" or "an" before a number as read aloud: an 8 MiB, an 11 KiB, an 18 KiB, an 80 KiB, an 11000; a 16 KiB.
  static func article(_ text: String) -> String {
    let digits = text.prefix { $0.isNumber }
    let lead = digits.count % 3 == 0 ? 3 : digits.count % 3
    let group = digits.prefix(lead)
    return group.hasPrefix("8") || group == "11" || group == "18" ? "an" : "a"
  }

  static func address(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

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
