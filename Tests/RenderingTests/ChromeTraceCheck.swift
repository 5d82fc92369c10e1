import Foundation

/// Checks a Chrome trace-event JSON document against the format (the JSON Object Format of the Trace Event
/// Format document, as chrome://tracing and the Perfetto UI read it) and returns what is wrong, one line each.
enum ChromeTraceCheck {
  struct Event {
    var index: Int
    var fields: [String: Any]
    var ph: String { fields["ph"] as? String ?? "" }
    var pid: Int? { fields["pid"] as? Int }
    var tid: Int? { fields["tid"] as? Int }
    var ts: Int? { integer(fields["ts"]) }
  }

  static func integer(_ value: Any?) -> Int? {
    guard let number = value as? NSNumber else { return nil }
    let double = number.doubleValue
    return double.rounded() == double ? Int(double) : nil
  }

  static func events(_ data: Data) throws -> [Event] {
    let document = try JSONSerialization.jsonObject(with: data)
    guard let object = document as? [String: Any], let list = object["traceEvents"] as? [[String: Any]] else {
      return []
    }
    return list.enumerated().map { Event(index: $0.offset, fields: $0.element) }
  }

  static func problems(_ data: Data) -> [String] {
    let list: [Event]
    do {
      guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        object["traceEvents"] is [[String: Any]]
      else { return ["no traceEvents array in a top-level object"] }
      list = try events(data)
    } catch {
      return ["not JSON: \(error)"]
    }
    var problems: [String] = []
    var depth: [String: Int] = [:]
    var lastTS: [String: Int] = [:]
    var named: Set<String> = []
    var used: Set<String> = []
    var starts: [Int: Event] = [:]
    var finishes: [Int: Event] = [:]
    for event in list {
      let where_ = "event \(event.index) (\(event.ph))"
      guard let pid = event.pid, let tid = event.tid else {
        problems.append("\(where_): no integer pid and tid")
        continue
      }
      let thread = "\(pid)/\(tid)"
      func require(_ keys: [String]) {
        for key in keys where event.fields[key] == nil { problems.append("\(where_): no \(key)") }
      }
      if event.ph == "M" {
        require(["name", "args"])
        let name = event.fields["name"] as? String
        if name != "process_name" && name != "thread_name" { problems.append("\(where_): metadata \(name ?? "?")") }
        if (event.fields["args"] as? [String: Any])?["name"] as? String == nil { problems.append("\(where_): no args.name") }
        if name == "thread_name" { named.insert(thread) }
        continue
      }
      guard let ts = event.ts, ts >= 0 else {
        problems.append("\(where_): ts is not a whole number of microseconds")
        continue
      }
      used.insert(thread)
      if let last = lastTS[thread], ts < last { problems.append("\(where_): ts \(ts) before \(last) on \(thread)") }
      lastTS[thread] = ts
      let open = depth[thread, default: 0]
      switch event.ph {
      case "B":
        require(["name", "cat"])
        depth[thread] = open + 1
      case "E":
        if open == 0 { problems.append("\(where_): E with no open B on \(thread)") }
        depth[thread] = max(0, open - 1)
      case "X":
        require(["name", "cat"])
        if (integer(event.fields["dur"]) ?? -1) < 0 { problems.append("\(where_): dur is not a whole number ≥ 0") }
        if open == 0 { problems.append("\(where_): slice outside a lifetime on \(thread)") }
      case "i":
        require(["name"])
        if !["t", "p", "g"].contains(event.fields["s"] as? String ?? "") { problems.append("\(where_): scope") }
        if open == 0 { problems.append("\(where_): instant outside a lifetime on \(thread)") }
      case "s", "f":
        require(["name", "cat"])
        guard let id = integer(event.fields["id"]) else {
          problems.append("\(where_): no integer id")
          continue
        }
        if open == 0 { problems.append("\(where_): flow end outside a slice on \(thread)") }
        if event.ph == "s" {
          if starts[id] != nil { problems.append("\(where_): second flow start \(id)") }
          starts[id] = event
        } else {
          if event.fields["bp"] as? String != "e" { problems.append("\(where_): flow finish without bp:e") }
          if finishes[id] != nil { problems.append("\(where_): second flow finish \(id)") }
          finishes[id] = event
        }
      default:
        problems.append("\(where_): unknown phase")
      }
    }
    for (thread, open) in depth where open != 0 { problems.append("\(open) unclosed B on \(thread)") }
    for thread in used.subtracting(named) { problems.append("no thread_name for \(thread)") }
    for (id, start) in starts {
      guard let finish = finishes[id] else {
        problems.append("flow \(id) starts and never finishes")
        continue
      }
      if (finish.ts ?? 0) < (start.ts ?? 0) { problems.append("flow \(id) finishes before it starts") }
      if finish.tid == start.tid { problems.append("flow \(id) starts and ends on one thread") }
    }
    for id in finishes.keys where starts[id] == nil { problems.append("flow \(id) finishes and never starts") }
    return problems
  }
}
