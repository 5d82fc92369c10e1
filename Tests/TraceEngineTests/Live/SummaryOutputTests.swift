import Foundation
import TestSupport
import Testing

extension LiveTraceTests {
  /// `--summary json` alone writes the summary to standard output, where the command writes too; with
  /// `--summary-output FILE` the command's output stays its own and the file holds the summary, the same one
  /// `explain` makes of the recorded trace.
  @Test func theJSONSummaryGoesToItsOwnFile() throws {
    let summaryFile = Live.workDirectory.appendingPathComponent("summary-\(UUID().uuidString).json").path
    let run = try Live.trace(
      [try Live.program("default_threads")], options: ["--summary", "json", "--summary-output", summaryFile])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    // The program's own lines only.
    #expect(!run.stdout.isEmpty && !run.stdout.contains("threadtrace.summary"))
    let programLines = ["start ", "thread ", "joined ", "done "]
    #expect(run.stdout.split(separator: "\n").allSatisfy { line in programLines.contains { line.hasPrefix($0) } })
    let live = try Summary(json: Data(contentsOf: URL(fileURLWithPath: summaryFile)))
    let replayed = try Live.summary(of: run.traceFile)
    #expect(live.threads == 4)
    #expect(live.counts == replayed.counts)
    #expect(live.tasks.map { $0.shape() } == replayed.tasks.map { $0.shape() })
  }

  @Test func theTextSummaryGoesToItsOwnFile() throws {
    let summaryFile = Live.workDirectory.appendingPathComponent("summary-\(UUID().uuidString).txt").path
    let run = try Live.trace([try Live.program("default_threads")], options: ["--summary-output", summaryFile])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    let text = try String(contentsOfFile: summaryFile, encoding: .utf8)
    #expect(text.hasPrefix("Lifecycle summary: 4 threads, 0 processes"))
    #expect(text.contains("Tracing cost:"))
    #expect(!text.contains("\u{1B}["))  // a file: no colour
    // The events stay on standard error, the summary is not repeated there.
    #expect(run.stderr.contains("clone3("))
    #expect(!run.stderr.contains("Lifecycle summary:"))
  }

  @Test func aSummaryFileNeedsASummaryAndAWritablePath() throws {
    let none = try Live.trace(["true"], options: ["--summary", "none", "--summary-output", "/dev/null"])
    #expect(none.status == 64)
    #expect(none.stderr.contains("--summary-output needs --summary text or json"))
    let unwritable = try Live.trace(["true"], options: ["--summary-output", "/proc/version/summary"])
    #expect(unwritable.status == 2)
    #expect(unwritable.stderr.contains("/proc/version/summary: Not a directory"))
    let full = try Live.trace(["true"], options: ["--quiet", "--summary", "json", "--summary-output", "/dev/full"])
    defer { Live.expectClean(full) }
    #expect(full.status == 3)
    #expect(full.stderr.contains("/dev/full: cannot write the summary: No space left on device"))
  }
}
