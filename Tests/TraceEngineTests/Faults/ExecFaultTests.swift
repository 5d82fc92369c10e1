import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension Faults {
  /// exec from threads, commands that cannot run, children left running, PID namespaces.
  @Suite("Exec, launch and process trees")
  struct Execs {
    @Test("T04 execve from a non-leader thread, 100 times per leader state", arguments: ["exit", "sigsuspend", "nanosleep"])
    func t04ExecFromNonLeader(_ leaderState: String) throws {
      let iterations = 100
      let run = try Live.trace(
        [try Live.program("fault_threads_execve"), leaderState, String(iterations)],
        options: ["--summary", "none", "--quiet"], timeout: 120)
      let records = Fault.finish(run)
      #expect(run.status == 0)
      let images = run.oracle("exec")
      #expect(images.count == iterations + 1)
      // Every image is the same process (the tgid never changes) and names the thread that exec'd into it.
      let pids = Set(images.compactMap { $0["pid"] })
      #expect(pids.count == 1)
      let execers = images.dropFirst().compactMap { $0["execer_tid"].flatMap(Int.init) }
      let tookOver = Fault.records(records, type: "exec_took_over").compactMap { $0["former_tid"] as? Int }
      #expect(tookOver == execers, "the trace's former tids against the program's")
      #expect(run.stdout.contains("done pid="))
    }

    @Test("T05 two threads execve at once: the winner is named by its former tid")
    func t05ConcurrentExecve() throws {
      let iterations = 20
      let run = try Live.trace(
        [try Live.program("fault_concurrent_execve"), String(iterations)], options: ["--summary", "none", "--quiet"],
        timeout: 60)
      let records = Fault.finish(run)
      #expect(run.status == 0)
      let winners = run.oracle("after_exec").compactMap { $0["former_tid"].flatMap(Int.init) }
      #expect(winners.count == iterations)
      let tookOver = Fault.records(records, type: "exec_took_over").compactMap { $0["former_tid"] as? Int }
      #expect(tookOver == winners)
    }

    @Test("T20 commands that cannot run: said plainly, shell exit codes, the failed exec recorded")
    func t20BadCommand() throws {
      let missing = try Live.trace(["threadtrace-no-such-command"], options: ["--summary", "none"])
      Fault.finish(missing)
      #expect(missing.status == 127)
      #expect(missing.stderr.contains("command not found"))

      let directory = Live.workDirectory.path
      let isDirectory = try Live.trace([directory], options: ["--summary", "none"])
      let records = Fault.finish(isDirectory)
      #expect(isDirectory.status == 126)
      #expect(isDirectory.stderr.contains("permission denied"))
      // The failed first exec is in the trace.
      let execs = Fault.records(records, type: "syscall").filter { $0["name"] as? String == "execve" }
      #expect(!execs.isEmpty)

      let file = Live.workDirectory.appendingPathComponent("not-executable-\(UUID().uuidString)").path
      _ = FileManager.default.createFile(atPath: file, contents: Data("exit 3\n".utf8), attributes: [.posixPermissions: 0o644])
      let notExecutable = try Live.trace([file], options: ["--summary", "none"])
      Fault.finish(notExecutable)
      #expect(notExecutable.status == 126)
      #expect(notExecutable.stderr.contains("permission denied"))

      // A script without #! is run by /bin/sh, as execvp and every shell do (ENOEXEC never reaches the user).
      let script = Live.workDirectory.appendingPathComponent("no-shebang-\(UUID().uuidString)").path
      _ = FileManager.default.createFile(atPath: script, contents: Data("exit 3\n".utf8), attributes: [.posixPermissions: 0o755])
      let noShebang = try Live.trace([script], options: ["--summary", "none"])
      Fault.finish(noShebang)
      #expect(noShebang.status == 3)
    }

    @Test("T24 a child left running in the background: trace waits for it (as strace -f) and says so")
    func t24DaemonizingChild() throws {
      // Policy: `trace` follows every traced task to its end, like strace -f, so a daemon keeps it running; it says
      // so on standard error when the command itself has ended. A short-lived background child shows it.
      let marker = Fault.marker()
      let started = Date()
      let run = try Live.trace(["sh", "-c", "sleep 1 & exit 0", marker], options: ["--summary", "none"], timeout: 20)
      let elapsed = Date().timeIntervalSince(started)
      let records = Fault.finish(run, marker: marker)
      #expect(run.status == 0)
      #expect(elapsed >= 1, "the tracer ended before the background child")
      #expect(run.stderr.contains("still following the process it left running"), "no note about the child left running")
      // Both processes are in the trace, each with its end.
      let ended = Set(Fault.records(records, type: "exited").compactMap { $0["tid"] as? Int })
      #expect(ended.count >= 2)
    }

    static let pidNamespaces: Bool = {
      guard let run = try? Live.run("/usr/bin/env", ["unshare", "-fp", "--mount-proc", "true"], timeout: 10) else { return false }
      return run.status == 0
    }()

    @Test(
      "T25 a PID namespace whose pid 1 exits first",
      .enabled(if: pidNamespaces, "unshare -fp --mount-proc does not work here (no PID namespaces for this user)"),
      arguments: [[], ["--all-syscalls"]])
    func t25PidNamespace(_ options: [String]) throws {
      let marker = Fault.marker()
      let run = try Live.trace(
        ["unshare", "-fp", "--mount-proc", "sh", "-c", "sleep 100 & sleep 100 & echo ns_pid=$$; exit 3", marker],
        options: options + ["--summary", "none"], timeout: 20)
      let records = Fault.finish(run, marker: marker)
      #expect(run.status == 3)
      #expect(run.stdout.contains("ns_pid=1"))
      // Tids are the tracer's (the root namespace's): the namespace's pid 1 is not 1 in the trace, and each
      // created task's tid is the one its creation call is recorded with.
      let tids = Set(records.compactMap { $0["tid"] as? Int })
      #expect(!tids.contains(1))
      let tasks = try Fault.summaryTasks(run.traceFile)
      let known = Set(tasks.compactMap { $0["tid"] as? Int })
      #expect(known.isSubset(of: tids), "summary tasks \(known) not in the trace's tids")
      for task in tasks where task["kind"] as? String == "process" {
        #expect(tids.contains(task["tid"] as? Int ?? -1))
      }
      // Both sleeps were killed when the namespace's init ended.
      #expect(Fault.records(records, type: "killed").count == 2)
    }
  }
}
