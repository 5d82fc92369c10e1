import Foundation
import Testing
import TestSupport

@Suite("threadtrace explain, as a user runs it")
struct ExplainCommandTests {
  @Test func versionAndHelp() throws {
    let version = try Command.run(["--version"])
    #expect(version.status == 0)
    #expect(version.output.hasPrefix("0."))
    for arguments in [["--help"], ["explain", "--help"]] {
      let help = try Command.run(arguments)
      #expect(help.status == 0)
      #expect(help.output.contains("USAGE"))
    }
    #expect(try Command.run(["explain", "--help"]).output.contains("--lifecycle-only"))
  }

  @Test func jsonSummaryFollowsTheContract() throws {
    let result = try Command.run(["explain", "--format", "json", "fixtures/strace/default_threads.f-o.strace"])
    #expect(result.status == 0)
    let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(document["schema"] as? String == "threadtrace.summary/1")
    let counts = try #require(document["counts"] as? [String: Any])
    #expect(counts["threads"] as? Int == 4)
    #expect(counts["processes"] as? Int == 0)
    #expect(counts["vforks"] as? Int == 0)
    #expect(counts["execs"] as? Int == 1)
    let tasks = try #require(document["tasks"] as? [[String: Any]])
    #expect(tasks.count == 5)
    for task in tasks {
      for key in ["tid", "tgid", "parent", "kind", "created_by", "clone_flags", "stack", "name", "exit"] {
        #expect(task.keys.contains(key), "task lacks \(key)")
      }
    }
    let threads = tasks.filter { $0["kind"] as? String == "thread" }
    #expect(threads.count == 4)
    for thread in threads {
      let stack = try #require(thread["stack"] as? [String: Any])
      #expect(stack["size"] as? Int == 8 << 20)
      #expect(stack["guard_size"] as? Int == 4096)
      #expect((stack["base"] as? String)?.hasPrefix("0x7f") == true)
      #expect(thread["created_by"] as? String == "clone3")
      #expect((thread["clone_flags"] as? [String])?.contains("CLONE_THREAD") == true)
      #expect((thread["exit"] as? [String: Any])?["code"] as? Int == 0)
    }
  }

  @Test func textShowsEventsAnnotationsAndTheTree() throws {
    let result = try Command.run(["explain", "--color", "never", "fixtures/strace/default_threads.f-o.strace"])
    #expect(result.status == 0)
    #expect(result.output.contains("clone3({flags=CLONE_VM|"))
    #expect(result.output.contains("↳ creates thread"))
    #expect(result.output.contains("Lifecycle summary: 4 threads, 0 processes, 0 vforks, 1 exec"))
    #expect(result.output.contains("├─ "))
    #expect(!result.stdout.contains(0x1B))
  }

  /// Four threads made alike: each clone is shown with what is its own (its tid, its stack), but "shares address
  /// space, …" only under the first; the closing line says how many were left out, and
  /// --repeat-explanations prints them all. Warnings are never left out.
  @Test func explanationsAreGivenOnceUnlessAskedToRepeat() throws {
    let path = "fixtures/strace/default_threads.f-o.strace"
    let once = try Command.run(["explain", "--color", "never", "--no-summary", path])
    let every = try Command.run(["explain", "--color", "never", "--no-summary", "--repeat-explanations", path])
    #expect(once.status == 0 && every.status == 0)
    func lines(_ result: Command.Result, _ prefix: String) -> Int {
      result.output.split(separator: "\n").filter { $0.hasPrefix("       ↳ " + prefix) }.count
    }
    #expect(lines(once, "shares address space") == 1 && lines(every, "shares address space") == 4)
    #expect(lines(once, "creates thread") == 4 && lines(every, "creates thread") == 4)
    let annotations = { (result: Command.Result) in result.output.split(separator: "\n").filter { $0.hasPrefix("       ↳") }.count }
    let withheld = annotations(every) - annotations(once)
    #expect(withheld > 0)
    #expect(
      once.output.hasSuffix(
        "(\(withheld) explanations already given above were not repeated; --repeat-explanations prints every one)\n"))
    #expect(!every.output.contains("not repeated"))
  }

  @Test func lifecycleOnlyDropsUnrelatedCalls() throws {
    let all = try Command.run(["explain", "--color", "never", "fixtures/strace/default_threads.f-o.strace"])
    let only = try Command.run(["explain", "--lifecycle-only", "--color", "never", "fixtures/strace/default_threads.f-o.strace"])
    #expect(only.status == 0)
    #expect(all.output.contains(" brk("))
    #expect(!only.output.contains(" brk("))
    #expect(only.output.contains("clone3("))
  }

  @Test func colourOnlyWhenAsked() throws {
    let always = try Command.run(["explain", "--color", "always", "fixtures/strace/default_threads.f-o.strace"])
    #expect(always.stdout.contains(0x1B))
    let auto = try Command.run(["explain", "fixtures/strace/default_threads.f-o.strace"])
    #expect(!auto.stdout.contains(0x1B), "standard output is a pipe: no colour")
  }

  @Test func standardInputAndFollowForksDirectories() throws {
    let log = Fixtures.data("strace/fork_exec.f-o.strace")
    let piped = try Command.run(["explain", "--format", "json", "-"], stdin: log)
    #expect(piped.status == 0)
    #expect(piped.output.contains("\"processes\":1"))
    let directory = try Command.run(["explain", "--format", "json", "fixtures/strace/default_threads.ff-tt"])
    #expect(directory.status == 0)
    #expect(directory.output.contains("\"threads\":4"))
  }

  @Test(arguments: [
    ("edge/not-strace.strace", "not an strace log or threadtrace trace: line 1"),
    ("edge/not-strace-binary.strace", "not an strace log or threadtrace trace: line 1"),
    ("edge/empty.strace", "empty"),
    ("edge/summary-c.strace", "summary"),
  ])
  func badInputIsOneClearLineAndExitTwo(_ fixture: String, _ expected: String) throws {
    let result = try Command.run(["explain", "fixtures/strace/\(fixture)"])
    #expect(result.status == 2)
    #expect(result.stderr.contains(expected), "stderr: \(result.stderr)")
    #expect(result.stderr.contains(fixture), "the message names the file")
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(!result.stderr.utf8.contains(0x1B))
  }

  @Test func missingFileIsAnError() throws {
    let result = try Command.run(["explain", "no/such/file.strace"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("no/such/file.strace"))
  }

  @Test func malformedLineWarnsWithItsNumberAndGoesOn() throws {
    let result = try Command.run(["explain", "--format", "json", "fixtures/strace/edge/malformed-line.strace"])
    #expect(result.status == 0)
    #expect(result.stderr.contains("malformed-line.strace:6:"), "stderr: \(result.stderr)")
    #expect(result.output.contains("\"schema\":\"threadtrace.summary/1\""))
  }

  @Test func terminalEscapesNeverReachTheTerminalRaw() throws {
    for format in ["text", "json"] {
      let result = try Command.run(["explain", "--format", format, "--color", "never", "fixtures/strace/edge/terminal-escapes.strace"])
      #expect(!result.stdout.contains(0x1B), "\(format) output holds a raw ESC")
      #expect(!result.stdout.contains(0x07), "\(format) output holds a raw BEL")
      #expect(!result.stderr.utf8.contains(0x1B))
    }
  }
}
