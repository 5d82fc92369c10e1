import Foundation
import Testing
import TestSupport

/// `threadtrace diff` and the timeline export, as a user runs them.
@Suite("threadtrace diff and the timeline, as a user runs them")
struct DiffCommandTests {
  @Test func aTraceAgainstItselfIsTheSameSetupAndExitsZero() throws {
    let result = try Command.run(["diff", "fixtures/jobs/c.strace", "fixtures/jobs/c.strace"])
    #expect(result.status == 0)
    #expect(result.output == "same setup: 1 initial, 4 threads in 2 recipes; only tids, addresses and times differ\n")
    #expect(result.stderr.isEmpty)
  }

  @Test func sideBySideTextOfCAgainstRust() throws {
    let result = try Command.run(["diff", "--color", "never", "fixtures/jobs/c.strace", "fixtures/jobs/rust.strace"])
    #expect(result.status == 1)
    let expected = try String(contentsOfFile: Fixtures.path("jobs/diff-c-rust.txt"), encoding: .utf8)
    #expect(result.output == expected)
  }

  @Test func theReadmeShowsARealDiff() throws {
    let readme = try String(contentsOf: Fixtures.directory.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
    let prompt = "$ threadtrace diff fixtures/jobs/c.strace fixtures/jobs/go.strace\n"
    let start = try #require(readme.range(of: prompt)).upperBound
    let end = try #require(readme.range(of: "\n```", range: start..<readme.endIndex)).lowerBound
    let result = try Command.run(["diff", "fixtures/jobs/c.strace", "fixtures/jobs/go.strace"])
    #expect(result.status == 1)
    #expect(String(readme[start..<end]) + "\n" == result.output)
  }

  @Test func colourIsOnlyForTerminalsOrWhenAsked() throws {
    let plain = try Command.run(["diff", "fixtures/jobs/c.strace", "fixtures/jobs/go.strace"])
    #expect(!plain.stdout.contains(0x1B))
    let coloured = try Command.run(["diff", "--color", "always", "fixtures/jobs/c.strace", "fixtures/jobs/go.strace"])
    #expect(coloured.status == 1)
    #expect(coloured.output.contains("\u{1B}[33m  robust list"))
  }

  @Test func jsonFollowsTheDocumentedSchema() throws {
    let result = try Command.run(["diff", "--format", "json", "fixtures/jobs/c.strace", "fixtures/jobs/go.strace"])
    #expect(result.status == 1)
    let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(document["schema"] as? String == "threadtrace.diff/1")
    #expect(document["same"] as? Bool == false)
    let a = try #require(document["a"] as? [String: Any])
    let b = try #require(document["b"] as? [String: Any])
    #expect(a["file"] as? String == "fixtures/jobs/c.strace")
    #expect((a["counts"] as? [String: Any])?["threads"] as? Int == 4)
    #expect((b["counts"] as? [String: Any])?["threads"] as? Int == 8)
    #expect(b["runtimes"] as? [String] == ["go"])
    #expect((a["stack_reservation"] as? [String: Any])?["bytes"] as? Int == 4 * (8 << 20 + 4096))
    let differences = try #require(document["differences"] as? [[String: Any]])
    #expect(differences.compactMap { $0["aspect"] as? String } == ["tasks", "runtimes", "stack_reservation"])
    let groups = try #require(document["groups"] as? [[String: Any]])
    #expect(groups.compactMap { $0["status"] as? String } == ["different", "different"])
    let workers = try #require(groups.first { ($0["a"] as? [String: Any])?["kind"] as? String == "thread" })
    let recipe = try #require(workers["a"] as? [String: Any])
    for key in ["count", "example_tids", "kind", "created_by", "clone_flags", "exit_signal", "stack", "tls", "robust_list", "rseq",
                "sigaltstack", "name_pattern", "runtime", "execs", "ends", "joins"] {
      #expect(recipe.keys.contains(key), "recipe lacks \(key)")
    }
    #expect(recipe["name_pattern"] as? String == "worker-N")
    #expect((recipe["stack"] as? [String: Any])?["size"] as? Int == 8 << 20)
    #expect((recipe["stack"] as? [String: Any])?["guard_size"] as? Int == 4096)
    #expect((workers["b"] as? [String: Any])?["robust_list"] as? Bool == false)
    #expect(((workers["b"] as? [String: Any])?["stack"] as? [String: Any])?["source"] as? String == "unmapped")
    let aspects = (workers["differences"] as? [[String: Any]] ?? []).compactMap { $0["aspect"] as? String }
    for aspect in ["count", "created_by", "clone_flags", "stack", "robust_list", "rseq", "sigaltstack", "name", "runtime", "end"] {
      #expect(aspects.contains(aspect), "no \(aspect) difference")
    }
    let same = try Command.run(["diff", "--format", "json", "fixtures/jobs/go.strace", "fixtures/jobs/go.strace"])
    #expect(same.status == 0)
    let sameDocument = try #require(try JSONSerialization.jsonObject(with: same.stdout) as? [String: Any])
    #expect(sameDocument["same"] as? Bool == true)
    #expect((sameDocument["groups"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "same" } == true)
  }

  @Test func badInputIsNamedWithItsReasonAndExitsTwo() throws {
    let missing = try Command.run(["diff", "nope.strace", "fixtures/jobs/c.strace"])
    #expect(missing.status == 2)
    #expect(missing.stderr == "threadtrace: nope.strace: cannot open: No such file or directory\n")
    let foreign = try Command.run(["diff", "fixtures/jobs/c.strace", "fixtures/strace/edge/not-strace.strace"])
    #expect(foreign.status == 2)
    #expect(foreign.stderr == "threadtrace: fixtures/strace/edge/not-strace.strace: not an strace log or threadtrace trace: line 1: \"start pid=9987 tid=9987\"\n")
    #expect(foreign.stdout.isEmpty)
    let one = try Command.run(["diff", "fixtures/jobs/c.strace"])
    #expect(one.status == 2)
    #expect(one.stderr == "threadtrace: diff compares two traces: give two files, two --run commands, or one of each\n")
  }

  @Test func aTraceWithNoTasksIsSaidToHaveNone() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let empty = directory.appendingPathComponent("empty.jsonl")
    try #"{"schema":"threadtrace/1","tool_version":"0.1.0","arch":"x86_64"}"#.appending("\n").write(to: empty, atomically: true, encoding: .utf8)
    let result = try Command.run(["diff", "fixtures/jobs/c.strace", empty.path])
    #expect(result.status == 2)
    #expect(result.stderr == "threadtrace: \(empty.path) (B) has no tasks: the trace holds no event of any thread or process\n")
  }

  @Test func aMalformedLineIsAWarningAndTheRestIsCompared() throws {
    let result = try Command.run(["diff", "fixtures/strace/edge/malformed-line.strace", "fixtures/strace/edge/malformed-line.strace"])
    #expect(result.status == 0)
    #expect(result.stderr.contains("malformed-line.strace:6: call without a result"))
  }

  @Test func explainWritesAChromeTimeline() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-timeline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("timeline.json").path
    let result = try Command.run(["explain", "--format", "chrome", "-o", path, "fixtures/jobs/go.strace"])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    let events = try #require(document["traceEvents"] as? [[String: Any]])
    #expect(events.filter { $0["ph"] as? String == "B" }.count == 9)
    #expect(events.filter { $0["ph"] as? String == "E" }.count == 9)
    #expect(events.filter { $0["ph"] as? String == "s" }.count == 8)
    #expect(events.contains { $0["name"] as? String == "process_name" && ($0["args"] as? [String: Any])?["name"] as? String == "20518 ./job_go" })
    let toStdout = try Command.run(["explain", "--format", "chrome", "fixtures/jobs/c.strace"])
    #expect(toStdout.status == 0)
    #expect(((try JSONSerialization.jsonObject(with: toStdout.stdout) as? [String: Any])?["traceEvents"] as? [Any])?.isEmpty == false)
    let misuse = try Command.run(["explain", "-o", path, "fixtures/jobs/c.strace"])
    #expect(misuse.status != 0)
    #expect(misuse.stderr.contains("-o writes a timeline: use it with --format chrome"))
  }
}

/// The live paths: `diff --run` and `trace --timeline`, on the C job compiled here.
@Suite("threadtrace diff --run and trace --timeline, live", .serialized)
struct DiffLiveCommandTests {
  /// fixtures/jobs/src/job.c built into a temporary directory.
  static func buildJob() throws -> (binary: String, directory: URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-job-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let binary = directory.appendingPathComponent("job_c").path
    let cc = Process()
    cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
    cc.arguments = ["-O2", "-pthread", "-o", binary, Fixtures.path("jobs/src/job.c")]
    try cc.run()
    cc.waitUntilExit()
    try #require(cc.terminationStatus == 0)
    return (binary, directory)
  }

  @Test func runTracesTwoCommandsOneAfterTheOther() throws {
    let (binary, directory) = try Self.buildJob()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try Command.run(["diff", "--format", "json", "--run", "\(binary) 2", "--run", "'\(binary)' 3"])
    #expect(result.status == 1)
    let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(((document["a"] as? [String: Any])?["counts"] as? [String: Any])?["threads"] as? Int == 2)
    #expect(((document["b"] as? [String: Any])?["counts"] as? [String: Any])?["threads"] as? Int == 3)
    // The commands' own output goes to standard error, so the report stays clean.
    #expect(result.stderr.contains("done workers=2"))
    #expect(result.stderr.contains("done workers=3"))
  }

  @Test func aLiveTraceAndAnStraceLogOfTheSameJobHaveTheSameSetup() throws {
    let (binary, directory) = try Self.buildJob()
    defer { try? FileManager.default.removeItem(at: directory) }
    let trace = directory.appendingPathComponent("job.jsonl").path
    let timeline = directory.appendingPathComponent("job.json").path
    let traced = try Command.run(["trace", "--quiet", "--summary", "none", "-o", trace, "--timeline", timeline, "--", binary, "4"])
    #expect(traced.status == 0)
    let diff = try Command.run(["diff", trace, "fixtures/jobs/c.strace"])
    #expect(diff.status == 0, "\(diff.output)")
    #expect(diff.output == "same setup: 1 initial, 4 threads in 2 recipes; only tids, addresses and times differ\n")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: timeline))) as? [String: Any])
    let events = try #require(document["traceEvents"] as? [[String: Any]])
    #expect(events.filter { $0["ph"] as? String == "B" }.count == 5)
    #expect(events.filter { $0["ph"] as? String == "E" }.count == 5)
    #expect(events.filter { $0["ph"] as? String == "f" }.count == 4)
    #expect(events.filter { $0["name"] as? String == "thread_name" }.contains { (($0["args"] as? [String: Any])?["name"] as? String)?.hasSuffix(" worker-3") == true })
  }
}
