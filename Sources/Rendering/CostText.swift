import Analysis
import TraceModel

/// The summary's account of what tracing cost (live traces): ptrace stops in all, per task, and the context
/// switches the tasks made besides their stops, then the tasks that stopped most.
public struct CostText {
  public var palette: Palette
  /// Tasks listed by the number of their stops.
  public var listed = 3

  public init(palette: Palette = .plain) {
    self.palette = palette
  }

  /// Nil when no task has a cost (a recorded strace log).
  public func render(_ records: [TaskRecord]) -> String? {
    let costed = records.filter { $0.cost != nil }
    guard !costed.isEmpty else { return nil }
    let stops = costed.reduce(0) { $0 + $1.cost!.stops }
    let voluntary = costed.reduce(0) { $0 + $1.cost!.voluntarySwitches }
    let involuntary = costed.reduce(0) { $0 + $1.cost!.involuntarySwitches }
    let perTask = Double(stops) / Double(costed.count)
    var out = palette.bold("Tracing cost") + ": \(stops) ptrace \(stops == 1 ? "stop" : "stops") over \(costed.count) "
      + "\(costed.count == 1 ? "task" : "tasks") (\(Self.oneDecimal(perTask)) each); besides them, "
      + "\(voluntary) voluntary and \(involuntary) involuntary context switches\n"
    let top = costed.sorted { ($0.cost!.stops, $1.tid) > ($1.cost!.stops, $0.tid) }.prefix(listed)
    for record in top {
      out += "  " + line(record) + "\n"
    }
    return out
  }

  func line(_ record: TaskRecord) -> String {
    let cost = record.cost!
    var text = "\(record.tid)"
    if let name = record.name ?? record.comm { text += " " + TerminalSafe.escape(name) }
    text += ": \(cost.stops) stops, \(cost.voluntarySwitches) voluntary / \(cost.involuntarySwitches) involuntary switches"
    if let lifetime = Self.lifetime(record) { text += ", lived " + Self.duration(lifetime) }
    return text
  }

  /// From its creation (or first event) to its last event, in microseconds.
  static func lifetime(_ record: TaskRecord) -> Int64? {
    guard let start = record.creationTime ?? record.firstSeen, let end = record.lastSeen else { return nil }
    return max(0, end.microseconds - start.microseconds)
  }

  static func duration(_ microseconds: Int64) -> String {
    if microseconds < 1000 { return "\(microseconds) µs" }
    if microseconds < 1_000_000 { return oneDecimal(Double(microseconds) / 1000) + " ms" }
    return oneDecimal(Double(microseconds) / 1_000_000) + " s"
  }

  static func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
  }
}
