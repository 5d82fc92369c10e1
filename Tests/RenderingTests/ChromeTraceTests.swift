import Foundation
import Rendering
import Testing
import TestSupport
import TraceIO
import TraceModel

/// The Chrome trace-event timeline (`explain --format chrome`), checked against the format on real traces.
@Suite("Chrome trace timeline")
struct ChromeTraceTests {
  /// The timeline of a fixture trace, as `explain --format chrome` writes it.
  static func timeline(_ relativePath: String) throws -> Data {
    let reader = try TraceInput.open([Fixtures.path(relativePath)])
    var bytes: [UInt8] = []
    let writer = ChromeTraceWriter(timeIsEntry: reader.header.schema == "strace") { bytes += $0 }
    while let event = try reader.next() { writer.take(event) }
    writer.finish()
    return Data(bytes)
  }

  static let traces: [String] =
    Fixtures.files(in: "jobs", suffix: ".strace") + Fixtures.files(in: "strace", suffix: ".strace")
    + Fixtures.files(in: "strace/runtimes", suffix: ".strace") + [
      "strace/default_threads.ff-tt", "strace/exec_from_thread.ff-tt", "strace/fork_exec.ff", "strace/runtimes/go_goroutines.ff-tt",
    ]

  @Test(arguments: traces)
  func everyEventFollowsTheFormat(_ trace: String) throws {
    let data = try Self.timeline(trace)
    #expect(ChromeTraceCheck.problems(data) == [], "\(trace)")
  }

  @Test func aThreadtraceTraceGivesAValidTimelineToo() throws {
    // The C job converted to JSON Lines: event times are return times there, with entry times or durations.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-chrome-\(UUID().uuidString).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let source = try TraceInput.open([Fixtures.path("jobs/c.strace")])
    let writer = try JSONLinesWriter(path: path)
    try writer.writeHeader(TraceHeader(schema: "threadtrace/1", clock: .timeOfDay))
    while let event = try source.next() { try writer.write(event) }
    try writer.writeEnd(interrupted: false)
    let reader = try TraceInput.open([path])
    var bytes: [UInt8] = []
    let timeline = ChromeTraceWriter(timeIsEntry: reader.header.schema == "strace") { bytes += $0 }
    while let event = try reader.next() { timeline.take(event) }
    timeline.finish()
    #expect(ChromeTraceCheck.problems(Data(bytes)) == [])
    #expect(try ChromeTraceCheck.events(Data(bytes)).filter { $0.ph == "f" }.count == 4)
  }

  @Test func theCheckFindsBrokenTimelines() throws {
    let broken = """
      {"traceEvents":[
      {"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"1"}},
      {"name":"task 1","cat":"lifetime","ph":"B","ts":10,"pid":1,"tid":1},
      {"name":"read","cat":"syscall","ph":"X","ts":5,"dur":-1,"pid":1,"tid":1},
      {"name":"creates","cat":"flow","ph":"s","id":7,"ts":12,"pid":1,"tid":1},
      {"name":"exit","ph":"i","ts":12.5,"pid":1,"tid":1},
      {"name":"x","cat":"lifetime","ph":"B","ts":20,"pid":1,"tid":2}
      ]}
      """
    #expect(ChromeTraceCheck.problems(Data(broken.utf8)).sorted() == [
      "1 unclosed B on 1/1", "1 unclosed B on 1/2", "event 2 (X): dur is not a whole number ≥ 0", "event 2 (X): ts 5 before 10 on 1/1",
      "event 4 (i): ts is not a whole number of microseconds", "flow 7 starts and never finishes", "no thread_name for 1/2",
    ])
  }

  @Test func namesSlicesFlowsAndExplanationsOfTheCJob() throws {
    let events = try ChromeTraceCheck.events(try Self.timeline("jobs/c.strace"))
    func find(_ predicate: ([String: Any]) -> Bool) -> [[String: Any]] { events.map(\.fields).filter(predicate) }
    let threadNames = find { $0["name"] as? String == "thread_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
    for name in ["18958", "18967 worker-0", "18968 worker-1", "18969 worker-2", "18970 worker-3"] {
      #expect(threadNames.contains(name), "\(name)")
    }
    let processNames = find { $0["name"] as? String == "process_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
    #expect(processNames.last == "18958 ./job_c")
    #expect(find { $0["ph"] as? String == "B" }.count == 5)
    #expect(find { $0["ph"] as? String == "E" }.count == 5)

    // Timestamps are the log's, in microseconds since midnight (strace -tt): line 1 is 03:31:39.167765, and
    // `clone3(…) = 18967 <0.000029>` on line 38 took 29 us.
    let firstLine = try #require(String(decoding: Fixtures.data("jobs/c.strace"), as: UTF8.self).split(separator: "\n").first)
    let clock = firstLine.split(separator: " ")[1].split(separator: ":").map { Double($0) ?? 0 }
    let expected = Int(((clock[0] * 60 + clock[1]) * 60 + clock[2]) * 1_000_000 + 0.5)
    #expect(find { $0["ph"] as? String == "B" }.first?["ts"] as? Int == expected)
    let clone = try #require(find { $0["name"] as? String == "clone3" && $0["ph"] as? String == "X" }.first)
    #expect(clone["dur"] as? Int == 29)
    #expect((clone["args"] as? [String: Any])?["line"] as? Int == 38)

    let flows = find { $0["cat"] as? String == "flow" }
    #expect(flows.filter { $0["ph"] as? String == "s" }.count == 4)
    #expect(flows.filter { $0["ph"] as? String == "f" }.compactMap { $0["tid"] as? Int }.sorted() == [18967, 18968, 18969, 18970])

    let creation = try #require(find { $0["name"] as? String == "creates thread 18967" }.first)
    let explanations = (creation["args"] as? [String: Any])?["explanations"] as? [String] ?? []
    #expect(explanations.first == "creates thread 18967 in process 18958, running on an 8 MiB stack above a 4 KiB guard (mapping at 0x7f161c48f000)")
    let join = try #require(find { $0["name"] as? String == "joins 18967" }.first)
    #expect(join["tid"] as? Int == 18958)
    let exit = try #require(find { $0["name"] as? String == "exit 0" && $0["tid"] as? Int == 18967 }.first)
    #expect(((exit["args"] as? [String: Any])?["explanations"] as? [String])?.first == "thread 18967 is gone; the process goes on, and no signal goes to its parent")
  }

  @Test func aTraceWithoutTimesCountsOneMicrosecondPerEvent() throws {
    let data = try Self.timeline("strace/default_threads.f-o.strace")
    let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let other = try #require(document["otherData"] as? [String: Any])
    #expect(other["clock"] as? String == "event order (the trace has no timestamps: 1 us per event)")
    let syscalls = try ChromeTraceCheck.events(data).filter { $0.fields["cat"] as? String == "syscall" }
    // No times, no durations: each call is an instant.
    #expect(!syscalls.isEmpty && syscalls.allSatisfy { $0.ph == "i" })
  }

  @Test func memoryFollowsLiveTasksNotEvents() {
    var writes = 0
    var bytes = 0
    let writer = ChromeTraceWriter(timeIsEntry: true) { chunk in
      writes += 1
      bytes += chunk.count
    }
    var mostOpen = 0
    for index in 0..<200_000 {
      let tid = Int32(100 + index % 3)
      let call = SyscallEvent(name: "getpid", result: .success(100), durationMicroseconds: 1)
      writer.take(TraceEvent(tid: tid, time: TraceTime(microseconds: Int64(index) * 2), body: .syscall(call)))
      mostOpen = max(mostOpen, writer.openTracks)
    }
    // Written as it goes: many chunks of at most about 64 KiB before the end.
    #expect(writes > 100)
    #expect(bytes / writes < 70_000)
    #expect(mostOpen == 3)
    writer.finish()
    #expect(writer.openTracks == 0)
    #expect(writer.written == 200_000 + 3 * 3 + 3)
  }
}
