import Foundation
import TestSupport
import Testing

@testable import TraceEngine

#if canImport(Glibc)
  import Glibc
#endif

/// `threadtrace trace` on the fixture programs, checked against what each program printed about itself (its
/// tids, the stack sizes it asked for) and, where strace is installed, against strace's view of the same program.
/// Serialized: CI has two cores, and each test runs a tracer and a tracee.
@Suite(
  "Live tracing of the fixture programs", .serialized,
  .enabled(if: Live.unavailable == nil, Comment(rawValue: Live.unavailable ?? "")))
struct LiveTraceTests {
  static let strace: String? = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

  @Test func defaultThreadsAreTheProgramsThreadsWithItsStacks() throws {
    let run = try Live.trace([try Live.program("default_threads")])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    let summary = try Live.summary(of: run.traceFile)
    let reported = Set(run.oracle("thread").compactMap { $0["tid"].flatMap(Int32.init) })
    #expect(reported.count == 4)
    #expect(Set(summary.threadTasks.map(\.tid)) == reported)
    #expect(summary.threads == 4 && summary.processes == 0 && summary.execs == 1)
    for task in summary.threadTasks {
      #expect(task.stackSize == 8 << 20 && task.guardSize == 4096, "\(task)")
      #expect(task.exitCode == 0)
    }
    // The live annotated text tells the story as it happens.
    #expect(run.stderr.contains("clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD"))
    #expect(run.stderr.contains("+++ exited with 0 +++"))
    // Each of the four clones says which thread it made; what they share is not said under every one. (Not
    // "exactly once": until a text repeats it is remembered in a bounded table, where another event's text,
    // whose addresses differ from run to run, may rarely take its place.)
    let annotations = run.stderr.split(separator: "\n").filter { $0.hasPrefix("       ↳ ") }
    #expect(annotations.filter { $0.contains("↳ creates thread ") }.count == 4)
    #expect((1..<4).contains(annotations.filter { $0.contains("↳ shares address space") }.count))
    #expect(run.stderr.contains(" already given above were not repeated; --repeat-explanations prints every one)"))
  }

  @Test(.enabled(if: strace != nil, "strace is not installed"))
  func defaultThreadsAgreeWithStrace() throws {
    let program = try Live.program("default_threads")
    let ours = try Live.summary(of: try Live.trace([program]).traceFile)
    let log = Live.workDirectory.appendingPathComponent("default_threads-\(UUID().uuidString).strace").path
    let straced = try Live.run(Self.strace!, ["-f", "-qq", "-o", log, program], timeout: 30)
    #expect(straced.status == 0)
    let theirs = try Live.summary(of: log)
    #expect(ours.threads == theirs.threads && ours.processes == theirs.processes && ours.execs == theirs.execs)
    #expect(ours.threadTasks.map(\.stackSize) == theirs.threadTasks.map(\.stackSize))
    #expect(ours.threadTasks.map(\.guardSize) == theirs.threadTasks.map(\.guardSize))
  }

  @Test func stackSizesAreTheOnesAskedFor() throws {
    let run = try Live.trace([try Live.program("stack_sizes")])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    let summary = try Live.summary(of: run.traceFile)
    let byTID = Dictionary(summary.threadTasks.map { ($0.tid, $0) }, uniquingKeysWith: { first, _ in first })
    let threads = run.oracle("thread")
    #expect(threads.count >= 3)
    for line in threads {
      guard let tid = line["tid"].flatMap(Int32.init), let task = byTID[tid] else {
        Issue.record("thread \(line) not in the summary")
        continue
      }
      #expect(task.stackSize == line["stack_size"].flatMap(Int.init), "\(line)")
      #expect(task.guardSize == line["guard_size"].flatMap(Int.init), "\(line)")
    }
  }

  @Test func namedThreadsHaveTheirNames() throws {
    let run = try Live.trace([try Live.program("named_threads")])
    defer { Live.expectClean(run) }
    let summary = try Live.summary(of: run.traceFile)
    let names = Dictionary(summary.threadTasks.map { ($0.tid, $0.name) }, uniquingKeysWith: { first, _ in first })
    let threads = run.oracle("thread")
    #expect(threads.count == 3)
    for line in threads {
      let tid = Int32(line["tid"] ?? "") ?? 0
      #expect(names[tid] == line["name"], "\(line)")
    }
  }

  @Test func execFromAThreadIsReportedOnTheLeader() throws {
    let run = try Live.trace([try Live.program("exec_from_thread")])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    let execer = try #require(run.oracle("thread").first { $0["role"] == "execer" }?["tid"])
    let after = try #require(run.oracle("after_exec").first)
    #expect(after["former_tid"] == execer)
    #expect(run.stderr.contains("+++ superseded by execve in pid \(execer) +++"))
    let summary = try Live.summary(of: run.traceFile)
    #expect(summary.execs == 2)
    // What the old program had registered is read before exec clears it.
    let lines = try String(contentsOfFile: run.traceFile, encoding: .utf8).split(separator: "\n")
    #expect(lines.contains { $0.contains("\"type\":\"registrations\"") && $0.contains("\"tid\":\(execer),") && $0.contains("\"at\":\"exec\"") })
  }

  @Test func forkAndVforkMakeProcesses() throws {
    let forked = try Live.trace([try Live.program("fork_exec")])
    Live.expectClean(forked)
    #expect(forked.status == 0)
    #expect(try Live.summary(of: forked.traceFile).processes == 1)
    let vforked = try Live.trace([try Live.program("vfork_exec")])
    Live.expectClean(vforked)
    #expect(vforked.status == 0)
    #expect(try Live.summary(of: vforked.traceFile).vforks == 1)
  }

  @Test func privateFutexesStopOnlyWhenAskedTo() throws {
    let program = try Live.program("mutex_contention")
    let filtered = try Live.trace([program])
    Live.expectClean(filtered)
    #expect(!filtered.stderr.contains("FUTEX_WAIT_PRIVATE"))
    let all = try Live.trace([program], options: ["--all-futex"])
    Live.expectClean(all)
    #expect(all.stderr.contains("FUTEX_WAIT_PRIVATE"))
  }

  @Test func allSyscallsShowsEveryCall() throws {
    let run = try Live.trace([try Live.program("default_threads")], options: ["--all-syscalls"])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    #expect(run.stderr.contains("write(1, \"start pid="))
    #expect(run.stderr.contains("brk(NULL)") || run.stderr.contains("brk(0)"))
    #expect(try Live.summary(of: run.traceFile).threads == 4)
  }

  @Test(arguments: [
    ("exit 42", 42 as Int32),
    ("kill -TERM $$", 143 as Int32),
    ("kill -KILL $$", 137 as Int32),
  ])
  func exitStatusIsTheCommands(_ script: String, _ expected: Int32) throws {
    let run = try Live.trace(["sh", "-c", script], options: ["--summary", "none"])
    Live.expectClean(run)
    #expect(run.status == expected)
  }

  @Test func aThreadsSegfaultKillsTheProcess() throws {
    let run = try Live.trace([try Live.program("thread_killed")], options: ["--summary", "none"])
    Live.expectClean(run)
    #expect(run.status == 139)
    #expect(run.stderr.contains("--- SIGSEGV"))
    #expect(run.stderr.contains("+++ killed by SIGSEGV"))
  }

  @Test func groupStopKeepsTheTraceeStoppedUntilSIGCONT() throws {
    var stoppedSeen = false
    let run = try Live.trace(["sh", "-c", "kill -STOP $$; echo resumed"], options: ["--summary", "none"], timeout: 20) {
      tracer in
      // Find the traced sh, wait until it is stopped, then continue it.
      for _ in 0..<500 {
        if let (pid, state) = Self.tracee(of: tracer), state.hasPrefix("t") || state.hasPrefix("T") {
          stoppedSeen = true
          usleep(100_000)
          kill(pid, SIGCONT)
          return
        }
        usleep(10_000)
      }
    }
    Live.expectClean(run)
    #expect(stoppedSeen)
    #expect(run.status == 0)
    #expect(run.stdout.contains("resumed"))
    #expect(run.stderr.contains("--- stopped by SIGSTOP ---"))
  }

  @Test(arguments: [(SIGTERM as Int32, 143 as Int32), (SIGINT as Int32, 130 as Int32)])
  func interruptingTheTracerKillsTheTracedTree(_ signal: Int32, _ expected: Int32) throws {
    var tracees: [Int32] = []
    let run = try Live.trace(["sh", "-c", "sleep 100 & sleep 100"], options: ["--summary", "none"], timeout: 20) {
      tracer in
      for _ in 0..<500 {
        tracees = Self.tracees(of: tracer)
        if tracees.count >= 3 { break }  // sh and both sleeps
        usleep(10_000)
      }
      kill(tracer, signal)
    }
    Live.expectClean(run, extraPIDs: tracees)
    #expect(tracees.count >= 3)
    #expect(run.status == expected)
    #expect(run.stderr.contains("interrupted"))
    let lines = try String(contentsOfFile: run.traceFile, encoding: .utf8).split(separator: "\n")
    #expect(lines.last?.contains("\"type\":\"end\"") == true && lines.last?.contains("\"interrupted\":true") == true)
  }

  /// Processes traced by `tracer`.
  static func tracees(of tracer: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
      guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
      return status.split(separator: "\n").contains { $0.hasPrefix("TracerPid:") && $0.hasSuffix("\t\(tracer)") }
    }
  }

  static func tracee(of tracer: Int32) -> (Int32, String)? {
    for pid in tracees(of: tracer) {
      guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let state = status.split(separator: "\n").first(where: { $0.hasPrefix("State:") })
      else { continue }
      return (pid, state.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }
}

extension LiveTraceTests {
  /// The fast path resumes calls whose result the story does not read without a stop at their exit, completes
  /// creations at their event stop, and reports `exit` from PTRACE_EVENT_EXIT: the same story, fewer stops.
  @Test func fastPathReportsTheStoryWithFewerStops() throws {
    let run = try Live.trace([try Live.program("default_threads")])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    let lines = try String(contentsOfFile: run.traceFile, encoding: .utf8).split(separator: "\n")
    // set_robust_list and rseq are not stopped at: what they registered is read at each exit stop.
    #expect(!lines.contains { $0.contains("\"name\":\"set_robust_list\"") || $0.contains("\"name\":\"rseq\"") })
    let registrations = lines.filter { $0.contains("\"type\":\"registrations\"") }
    #expect(registrations.count == 5)  // the main thread and its four
    #expect(registrations.allSatisfy { $0.contains("\"at\":\"exit\"") && $0.contains("\"robust_list\":{\"head\":\"0x7") })
    #expect(registrations.allSatisfy { $0.contains("\"rseq\":{\"address\":\"0x7") && $0.contains("\"signature\":\"0x53053053\"") })
    let clones = lines.filter { $0.contains("\"name\":\"clone3\"") }
    #expect(clones.count == 4)
    #expect(clones.allSatisfy { !$0.contains("result_unread") && !$0.contains("entry_only") && $0.contains("\"ret\"") })
    #expect(lines.filter { $0.contains("\"name\":\"exit\"") }.count == 4)
    #expect(run.stderr.components(separatedBy: " exit(0) = ?\n").count - 1 == 4)
    // Registrations still shown and explained, and in the summary.
    let shown = run.stderr.split(separator: "\n").filter { $0.contains("(at exit: robust_list=0x") }
    #expect(shown.count == 5 && shown.allSatisfy { $0.contains(" len 24, rseq=0x") }, "\(shown)")
    #expect(run.stderr.contains("its robust futex list is at 0x"))
    let summary = try Live.summary(of: run.traceFile)
    #expect(summary.threadTasks.allSatisfy { $0.exitCode == 0 && $0.robustList && $0.rseq })
    // Each task's cost, read at its exit stop: a glibc thread stops at least at its start, its stack's madvise
    // and its exit.
    let costs = lines.filter { $0.contains("\"type\":\"cost\"") }
    #expect(costs.count == 5)
    #expect(summary.tasks.count == 5 && summary.tasks.allSatisfy { ($0.stops ?? 0) >= 3 }, "\(summary.tasks)")
    #expect(run.stderr.contains("Tracing cost: "))
  }
}

extension LiveTraceTests {
  /// What the kernel holds is what is read: with glibc's rseq turned off, every thread has a robust list and no
  /// rseq area, and the trace says so rather than leaving it out.
  @Test func registrationsAreWhatTheKernelHolds() throws {
    guard RegistrationReads.kernelReportsRseq else { return }
    let program = try Live.program("default_threads")
    let run = try Live.trace(["/usr/bin/env", "GLIBC_TUNABLES=glibc.pthread.rseq=0", program])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    let shown = run.stderr.split(separator: "\n").filter { $0.contains("(at exit: robust_list=0x") }
    #expect(shown.count == 5 && shown.allSatisfy { $0.hasSuffix(" len 24, rseq=none)") }, "\(shown)")
    #expect(run.stderr.contains("no rseq area registered (glibc before 2.35, or turned off with glibc.pthread.rseq=0)"))
    let summary = try Live.summary(of: run.traceFile)
    #expect(summary.threadTasks.count == 4 && summary.threadTasks.allSatisfy { $0.robustList && !$0.rseq })
  }
}

extension LiveTraceTests {
  /// The filter stops at `sigaltstack` only when it sets or disables a stack: the query every Go and Rust thread
  /// makes at start is let through (`--all-syscalls` still shows it).
  @Test func aSigaltstackQueryIsNotStoppedAt() throws {
    let program = try Live.program("sigaltstack_query")
    let run = try Live.trace([program])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    #expect(run.oracle("queried").first?["ss_flags"] == "2")
    let calls = run.stderr.split(separator: "\n").filter { $0.contains(" sigaltstack(") }
    #expect(calls.count == 2 && calls.allSatisfy { !$0.contains("sigaltstack(NULL") }, "\(calls)")
    let all = try Live.trace([program], options: ["--all-syscalls"])
    Live.expectClean(all)
    #expect(all.stderr.split(separator: "\n").filter { $0.contains(" sigaltstack(") }.count == 3, "\(all.stderr)")
  }
}

extension LiveTraceTests {
  /// int 0x80 from a 64-bit program: the i386 calls are decoded as i386 (so a compat clone is a process creation,
  /// not a misnamed call), the ABI switches are reported, and the child's compat `exit` (nr 1) is read at its
  /// exit stop although the filter lets `exit` through.
  @Test func compatCallsAreDecodedInTheirABI() throws {
    let run = try Live.trace([try Live.program("compat_int80")])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    #expect(run.stderr.contains("[ runs in 32 bit mode ]"))
    #expect(run.stderr.contains("[ runs in 64 bit mode ]"))
    let child = try #require(run.oracle("waited").first?["child_pid"])
    #expect(run.stderr.contains(" \(child) exit(5) = ?"), "\(run.stderr)")
    let summary = try Live.summary(of: run.traceFile)
    #expect(summary.processes == 1)
    let lines = try String(contentsOfFile: run.traceFile, encoding: .utf8).split(separator: "\n")
    #expect(lines.contains { $0.contains("\"type\":\"personality\"") && $0.contains("\"arch\":\"i386\"") })
  }
}

extension LiveTraceTests {
  /// Hard-cases T24: a command that leaves a background process. threadtrace follows it until it ends, as
  /// strace -f does, and says so rather than waiting silently; the exit code stays the command's.
  @Test func backgroundProcessesAreFollowedAndSaidSo() throws {
    let started = Date()
    let run = try Live.trace(["/bin/sh", "-c", "sleep 0.4 & exit 3"], options: ["--quiet"])
    defer { Live.expectClean(run) }
    #expect(run.status == 3)
    #expect(run.stderr.contains("threadtrace: /bin/sh ended; still following the process it left running: "))
    #expect(run.stderr.contains("(as strace -f does); Ctrl-C ends it"))
    #expect(Date().timeIntervalSince(started) >= 0.4)
    let summary = try Live.summary(of: run.traceFile)
    #expect(summary.processes == 1 && summary.execs >= 2)
    // Threads ended by their process's exit_group are not processes left behind, even when their ends are
    // reported after the leader's.
    let program = try Live.program("exit_with_threads")
    for _ in 0..<5 {
      let threads = try Live.trace([program], options: ["--quiet"])
      Live.expectClean(threads)
      #expect(threads.status == 0 && !threads.stderr.contains("still following"), "\(threads.stderr)")
    }
  }
}

extension LiveTraceTests {
  /// `-e`/`--syscalls` chooses the calls the filter stops at; threads are still followed and attributed.
  @Test func aChosenSetOfSyscalls() throws {
    let program = try Live.program("default_threads")
    let run = try Live.trace([program], options: ["-e", "trace=clone3,getpid"])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    #expect(run.stderr.contains("clone3({flags=CLONE_VM"))
    #expect(!run.stderr.contains("mmap(") && !run.stderr.contains("set_robust_list("))
    #expect(try Live.summary(of: run.traceFile).threads == 4)
    // PATH is searched by the tracer, so the command's one execve is the only one traced.
    let path = try Live.trace(["true"], options: ["-e", "%process"])
    Live.expectClean(path)
    #expect(path.stderr.components(separatedBy: "execve(").count - 1 == 1, "\(path.stderr)")
    let misspelt = try Live.run(Live.threadtrace.path, ["trace", "-e", "clone3,clon", "--", program], timeout: 10)
    #expect(misspelt.status != 0 && misspelt.stderr.contains("unknown syscall \"clon\" in --syscalls"))
  }
}

extension LiveTraceTests {
  /// The same program under threadtrace and under `strace -f`: the same tasks of each kind, made by the same
  /// calls with the same flags, on stacks of the same sizes with the same guards, with the same names, and the
  /// same robust list and rseq registrations (strace sees the calls; threadtrace reads them at exit).
  @Test(
    .enabled(if: strace != nil, "strace is not installed"),
    arguments: ["stack_sizes", "named_threads", "fork_exec", "vfork_exec", "posix_spawn", "detached_threads", "clone_process"])
  func agreesWithStrace(_ name: String) throws {
    let program = try Live.program(name)
    let run = try Live.trace([program])
    defer { Live.expectClean(run) }
    let ours = try Live.summary(of: run.traceFile)
    let log = Live.workDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).strace").path
    let straced = try Live.run(Self.strace!, ["-f", "-qq", "-s", "64", "-o", log, program], timeout: 30)
    #expect(straced.status == run.status)
    let theirs = try Live.summary(of: log)
    #expect(ours.threads == theirs.threads && ours.processes == theirs.processes, "\(name)")
    #expect(ours.vforks == theirs.vforks && ours.execs == theirs.execs, "\(name)")
    func shape(_ summary: Summary) -> [String] {
      summary.tasks.filter { $0.kind != "initial" }.map { task in
        let stack = "\(task.stackSize.map(String.init) ?? "-")/\(task.guardSize.map(String.init) ?? "-")"
        let registered = "robust:\(task.robustList) rseq:\(task.rseq)"
        return "\(task.kind) \(task.createdBy ?? "-") \(task.cloneFlags.sorted().joined(separator: "|")) \(stack) \(task.name ?? "-") \(registered)"
      }.sorted()
    }
    #expect(shape(ours) == shape(theirs), "\(name)")
  }
}
