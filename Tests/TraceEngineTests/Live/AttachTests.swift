import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `threadtrace trace -p PID`: attach to a running process and all its threads, follow what they create, and
/// detach on SIGINT leaving the process running, untraced and unstopped.
@Suite(
  "Attaching to a running process", .serialized,
  .enabled(if: Live.unavailable == nil, Comment(rawValue: Live.unavailable ?? "")))
struct AttachTests {
  /// Starts `attach_spawner`, returns its pid once it printed "ready".
  static func startTarget() throws -> (Process, Int32) {
    let target = Process()
    target.executableURL = URL(fileURLWithPath: try Live.program("attach_spawner"))
    let pipe = Pipe()
    target.standardOutput = pipe
    target.standardInput = FileHandle.nullDevice
    try target.run()
    var seen = ""
    let deadline = Date().addingTimeInterval(10)
    while !seen.contains("ready\n"), Date() < deadline {
      let data = pipe.fileHandleForReading.availableData
      if data.isEmpty { break }
      seen += String(decoding: data, as: UTF8.self)
    }
    #expect(seen.contains("ready"))
    return (target, target.processIdentifier)
  }

  static func taskStates(_ pid: Int32) -> [String] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    return tasks.compactMap { tid in
      guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8) else {
        return nil
      }
      let lines = status.split(separator: "\n")
      let state = lines.first { $0.hasPrefix("State:") } ?? ""
      let tracer = lines.first { $0.hasPrefix("TracerPid:") } ?? ""
      return "\(tid) \(state.dropFirst(6).trimmingCharacters(in: .whitespaces)) \(tracer)"
    }
  }

  @Test func followsItsThreadsAndDetachesOnInterrupt() throws {
    let (target, pid) = try Self.startTarget()
    defer {
      kill(pid, SIGKILL)
      target.waitUntilExit()
    }
    let traceFile = Live.workDirectory.appendingPathComponent("attach-\(UUID().uuidString).jsonl").path
    let run = try Live.run(
      Live.threadtrace.path, ["trace", "--color", "never", "-o", traceFile, "-p", String(pid)], timeout: 30,
      whileRunning: { tracer in
        // Until a worker's creation is recorded (on a loaded machine the attach alone can take most of a
        // fixed wait), then a little longer, so that the interrupt comes in the middle of things.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !((try? String(contentsOfFile: traceFile, encoding: .utf8))?.contains("\"clone3\"") ?? false) {
          usleep(20_000)
        }
        usleep(300_000)
        kill(tracer, SIGINT)
      })
    #expect(run.status == 0, "\(run.stderr.suffix(500))")
    #expect(run.stderr.contains("attached to process \(pid)"))
    #expect(run.stderr.contains("detached; the traced processes run on as before"))
    // Left running as before: alive, no task traced or stopped.
    #expect(kill(pid, 0) == 0)
    let states = Self.taskStates(pid)
    #expect(!states.isEmpty)
    #expect(states.allSatisfy { $0.hasSuffix("TracerPid:\t0") && !$0.contains(" t ") && !$0.contains(" T ") }, "\(states)")
    // What happened while attached: the two threads already there, then workers made and named.
    let trace = try String(contentsOfFile: traceFile, encoding: .utf8)
    #expect(trace.components(separatedBy: "\"type\":\"attached\"").count - 1 >= 2)
    #expect(trace.contains("\"name\":\"clone3\""))
    #expect(trace.contains("worker-"))
    #expect(trace.contains("\"interrupted\":true"))
    // The threads found at the attach registered before it: that is read at their first stop.
    #expect(trace.components(separatedBy: "\"at\":\"attach\"").count - 1 >= 2)
    let summary = try Live.summary(of: traceFile)
    #expect(summary.threadTasks.count >= 3, "\(summary.tasks.map(\.kind))")
    #expect(summary.threadTasks.contains { $0.name?.hasPrefix("worker-") ?? false })
    // Still running freely: its main thread goes on sleeping and waking every 20 ms after the detach.
    func switches() -> String? {
      (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))?.split(separator: "\n")
        .first { $0.hasPrefix("voluntary_ctxt_switches:") }.map(String.init)
    }
    let before = switches()
    usleep(200_000)
    #expect(switches() != nil && switches() != before)
  }

  @Test func refusesWhatItMustNotTrace() throws {
    let gone = try Live.run(Live.threadtrace.path, ["trace", "-p", "999999999"], timeout: 10)
    #expect(gone.status == 2)
    #expect(gone.stderr.contains("no process 999999999"))
    // `exec` makes the shell's pid threadtrace's own.
    let itself = try Live.run("/bin/sh", ["-c", "exec \(Live.threadtrace.path) trace -p $$"], timeout: 10)
    #expect(itself.status == 2)
    #expect(itself.stderr.contains("is threadtrace itself"))
    let both = try Live.run(Live.threadtrace.path, ["trace", "-p", "1", "--", "true"], timeout: 10)
    #expect(both.status != 0 && both.stderr.contains("either -p PID or a command"))
  }
}
