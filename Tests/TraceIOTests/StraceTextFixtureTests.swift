import Foundation
import TestSupport
import Testing
import TraceModel

@testable import TraceIO

/// Every real strace log under `fixtures/strace/` reads without a single warning, and the tids the traced
/// programs printed themselves (their `.stdout` oracle: `start pid=P tid=P`, `thread … tid=T`) all appear.
@Suite struct StraceTextFixtureTests {
  static let logs: [String] =
    Fixtures.files(in: "strace", suffix: ".strace") + Fixtures.files(in: "strace/runtimes", suffix: ".strace")

  static let followForksSets: [String] = {
    let base = Fixtures.directory.appendingPathComponent("strace")
    return ["strace", "strace/runtimes"].flatMap { folder -> [String] in
      let url = Fixtures.directory.appendingPathComponent(folder)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
      _ = base
      return names.filter { name in
        var isDirectory: ObjCBool = false
        return name.contains(".ff") && FileManager.default.fileExists(
          atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
      }.sorted().map { "\(folder)/\($0)" }
    }
  }()

  @Test(arguments: logs)
  func logReadsWithoutWarnings(_ log: String) throws {
    let output = try StraceTest.drain(try TraceInput.open([Fixtures.path(log)]))
    #expect(output.warnings.map(\.description) == [], "\(log)")
    #expect(output.events.count > 5, "\(log)")
    let tids = knownTIDs(output.events)
    #expect(!tids.contains(0), "\(log): an event without a known task")
    // Without -f only the first task is traced.
    let followed = log.contains(".f-") || log.contains(".ff")
    for tid in oracleTIDs(log).prefix(followed ? Int.max : 1) {
      #expect(tids.contains(tid), "\(log): tid \(tid) printed by the program is missing")
    }
  }

  @Test(arguments: logs)
  func splitCallsAllJoin(_ log: String) throws {
    let output = try StraceTest.drain(try TraceInput.open([Fixtures.path(log)]))
    // Within one file every resume has its start, except in logs that began after the calls did (-p attach).
    let attached = log.contains("attach_sleepers")
    for event in output.events {
      guard let call = StraceTest.call(event) else { continue }
      if call.completeness == .exitOnly && !attached {
        Issue.record("\(log): line \(event.origin?.line ?? 0): \(call.name) resumed without start")
      }
    }
  }

  @Test(arguments: followForksSets)
  func followForksSetReads(_ set: String) throws {
    let output = try StraceTest.drain(try TraceInput.open([Fixtures.path(set)]))
    let timed = set.hasSuffix("-tt")
    let expected = timed ? 0 : 1  // the one "order across files is unknown" warning
    #expect(output.warnings.count == expected, "\(set): \(output.warnings)")
    let tids = knownTIDs(output.events)
    for tid in oracleTIDs(set) { #expect(tids.contains(tid), "\(set): tid \(tid) missing") }
    if timed {
      let times = output.events.compactMap { event -> Int64? in
        if case .syscall(let call) = event.body, call.completeness == .entryOnly { return nil }
        return event.time?.microseconds
      }
      #expect(times == times.sorted(), "\(set): merged events out of time order")
    }
  }

  /// Tids of events, and the former tids of threads whose execve took over their leader's.
  private func knownTIDs(_ events: [TraceEvent]) -> Set<Int32> {
    var tids = Set(events.map(\.tid))
    for event in events { if case .execTookOver(let former) = event.body { tids.insert(former) } }
    return tids
  }

  /// The tids the program printed (`tid=N`) in its `.stdout` beside the log.
  private func oracleTIDs(_ log: String) -> [Int32] {
    let base = log.hasSuffix(".strace") ? String(log.dropLast(7)) : log
    let url = Fixtures.directory.appendingPathComponent(base + ".stdout")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    var tids: [Int32] = []
    for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) where word.hasPrefix("tid=") {
      if let tid = Int32(word.dropFirst(4)) { tids.append(tid) }
    }
    return tids
  }
}
