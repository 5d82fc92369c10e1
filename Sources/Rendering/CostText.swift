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
  // Every task of a live trace has a cost: one pass, with no copy of the records and no sort of them all for
  // the few listed.
  public func render(_ records: [TaskRecord]) -> String? {
    var count = 0
    var stops = 0
    var voluntary = 0
    var involuntary = 0
    /// Indices of the tasks that stopped most, most first; ties by tid, then in the records' order.
    var top: [Int] = []
    for (index, record) in records.enumerated() {
      guard let cost = record.cost else { continue }
      count += 1
      stops += cost.stops
      voluntary += cost.voluntarySwitches
      involuntary += cost.involuntarySwitches
      guard listed > 0 else { continue }
      let place = top.firstIndex { Self.listsBefore(record, records[$0]) } ?? top.count
      if place < listed {
        top.insert(index, at: place)
        if top.count > listed { top.removeLast() }
      }
    }
    guard count > 0 else { return nil }
    let perTask = Double(stops) / Double(count)
    var out = palette.bold("Tracing cost") + ": \(stops) ptrace \(stops == 1 ? "stop" : "stops") over \(count) "
      + "\(count == 1 ? "task" : "tasks") (\(Self.oneDecimal(perTask)) each); besides them, "
      + "\(voluntary) voluntary and \(involuntary) involuntary context switches\n"
    for index in top {
      out += "  " + line(records[index]) + "\n"
    }
    return out
  }

  /// More stops first, then the lower tid.
  private static func listsBefore(_ a: TaskRecord, _ b: TaskRecord) -> Bool {
    (a.cost!.stops, b.tid) > (b.cost!.stops, a.tid)
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
