import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The fault tests of hard-cases §4 (T01–T26), run on the built `threadtrace` binary through `Live`.
///
/// One serialized suite for all of them (its nested suites are serialized too): each test runs a tracer and a
/// tracee, some of them thousands of threads, on a 2-core CI machine. Every run is under `Live`'s watchdog and
/// ends with `Fault.finish`: nothing the test started is left stopped, traced or alive, and the `-o` trace is
/// valid JSON Lines up to its last complete line.
@Suite(
  "Fault tests (hard-cases §4)", .serialized,
  .enabled(if: Live.unavailable == nil, Comment(rawValue: Live.unavailable ?? "")))
struct Faults {}

enum Fault {
  /// `THREADTRACE_STRESS_LONG=1` runs the stress tests longer (30 s of churn, 5,000 exit races); CI runs
  /// them small enough to stay well under a minute in all.
  static let long = ProcessInfo.processInfo.environment["THREADTRACE_STRESS_LONG"] == "1"

  /// A new FIFO for a program's "ready" line: the test blocks on it (with a deadline), never on a sleep.
  static func fifo() -> String {
    let path = Live.workDirectory.appendingPathComponent("ready-\(UUID().uuidString)").path
    precondition(mkfifo(path, 0o600) == 0, "mkfifo \(path): \(String(cString: strerror(errno)))")
    return path
  }

  /// The first line written to `fifo`, or nil if none came within `timeout` seconds.
  static func readLine(from fifo: String, timeout: TimeInterval = 20) -> String? {
    // Non-blocking open succeeds with no writer yet; Linux reports no POLLHUP on a FIFO no writer ever opened.
    let fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    let deadline = Date().addingTimeInterval(timeout)
    var bytes: [UInt8] = []
    while Date() < deadline {
      var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, 100)
      guard ready > 0 else { continue }
      var chunk = [UInt8](repeating: 0, count: 256)
      let got = read(fd, &chunk, chunk.count)
      if got > 0 {
        bytes += chunk[..<got]
        if let newline = bytes.firstIndex(of: 0x0A) { return String(decoding: bytes[..<newline], as: UTF8.self) }
      } else if got == 0 && descriptor.revents & Int16(POLLHUP) != 0 {
        usleep(10_000)  // the writer closed without a full line; wait for another one until the deadline
      }
    }
    return nil
  }

  /// `key=value` fields of a line such as "ready pid=12 child_pid=13".
  static func fields(_ line: String?) -> [String: String] {
    var result: [String: String] = [:]
    for word in (line ?? "").split(separator: " ") {
      let pair = word.split(separator: "=", maxSplits: 1)
      if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
    }
    return result
  }

  /// Polls `condition` every 10 ms for up to `timeout` seconds (for states the kernel gives no event for, such
  /// as "every thread is asleep in its call"); true once it held.
  static func eventually(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition() { return true }
      usleep(10_000)
    }
    return condition()
  }

  /// The state letter of each thread of `pid` (`S`, `D`, `t` …), from /proc/PID/task/*/stat.
  static func threadStates(_ pid: Int32) -> [Int32: String] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    var states: [Int32: String] = [:]
    for task in tasks {
      guard let tid = Int32(task), let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let rest = stat[stat.index(after: close)...].split(separator: " ")
      if let state = rest.first { states[tid] = String(state) }
    }
    return states
  }

  /// Processes traced by `tracer`.
  static func tracees(of tracer: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
      guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
      return status.split(separator: "\n").contains { $0.hasPrefix("TracerPid:") && $0.hasSuffix("\t\(tracer)") }
    }
  }

  /// Live processes whose command line contains `marker` (a unique argument given to the traced command, which
  /// the launched child carries even before its exec).
  static func processes(withArgument marker: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
      guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
      guard data.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == marker }) else { return false }
      let state = threadStates(pid)[pid] ?? "Z"
      return state != "Z" && state != "X"
    }
  }

  /// A unique, harmless argument to tag a traced command line with.
  static func marker() -> String { "threadtrace-fault-\(UUID().uuidString)" }

  /// The trace file's records, checked: every complete line (all but an unterminated last one) is a JSON object,
  /// the first is the header. An unterminated last line is allowed only when `allowTruncated` (the tracer was
  /// SIGKILLed mid-write).
  @discardableResult
  static func expectValidTrace(
    _ path: String, allowTruncated: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: path) else {
      Issue.record("no trace file at \(path)", sourceLocation: sourceLocation)
      return []
    }
    var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    let last = lines.removeLast()  // empty when the file ends with a newline
    if !last.isEmpty {
      #expect(allowTruncated, "the trace ends in an unterminated line", sourceLocation: sourceLocation)
    }
    var records: [[String: Any]] = []
    for (index, line) in lines.enumerated() where !line.isEmpty {
      guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
        Issue.record("trace line \(index + 1) is not a JSON object: \(String(decoding: line.prefix(200), as: UTF8.self))",
          sourceLocation: sourceLocation)
        continue
      }
      records.append(object)
    }
    #expect(records.first?["schema"] != nil, "the trace starts without its header", sourceLocation: sourceLocation)
    return records
  }

  /// The checks every fault test ends with: `Live.expectClean` (watchdog, nothing left traced, stopped or alive,
  /// including `extraPIDs` and anything carrying `marker`) and a valid trace file.
  @discardableResult
  static func finish(
    _ run: Live.Run, extraPIDs: [Int32] = [], marker: String? = nil, allowTruncated: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> [[String: Any]] {
    Live.expectClean(run, extraPIDs: extraPIDs, sourceLocation: sourceLocation)
    if let marker {
      var left: [Int32] = []
      _ = eventually(timeout: 2) {
        left = processes(withArgument: marker)
        return left.isEmpty
      }
      #expect(left.isEmpty, "processes of this test still alive: \(left)", sourceLocation: sourceLocation)
    }
    return expectValidTrace(run.traceFile, allowTruncated: allowTruncated, sourceLocation: sourceLocation)
  }

  /// The records of one type (`syscall`, `exited`, `killed` …).
  static func records(_ records: [[String: Any]], type: String) -> [[String: Any]] {
    records.filter { $0["type"] as? String == type }
  }

  /// `explain --format json` of a trace, as the raw task objects (tid, parent, kind …).
  static func summaryTasks(_ traceFile: String) throws -> [[String: Any]] {
    let result = try Live.run(Live.threadtrace.path, ["explain", "--format", "json", traceFile], timeout: 120)
    guard result.status == 0 else { throw LiveError.explain(result.stderr) }
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    return object["tasks"] as? [[String: Any]] ?? []
  }
}
