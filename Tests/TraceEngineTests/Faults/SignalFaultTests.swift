import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension Faults {
  /// What the tracee sees of signals, stops and its own syscalls must not change under the tracer.
  @Suite("Signals, stops, restarts and syscall ABIs")
  struct Signals {
    @Test("T08 a group-stop keeps the tracee stopped until SIGCONT, and is recorded")
    func t08GroupStop() throws {
      var stoppedPID: Int32 = 0
      var stayedStopped = false
      let run = try Live.trace(["sh", "-c", "kill -STOP $$; echo resumed"], options: ["--summary", "none"]) { tracer in
        _ = Fault.eventually {
          guard let pid = Fault.tracees(of: tracer).first, let state = Fault.threadStates(pid)[pid] else { return false }
          stoppedPID = pid
          return state == "t" || state == "T"
        }
        guard stoppedPID != 0 else { return }
        // Still stopped a while later: the tracer holds it in PTRACE_LISTEN, it does not run on.
        usleep(300_000)
        let state = Fault.threadStates(stoppedPID)[stoppedPID]
        stayedStopped = state == "t" || state == "T"
        kill(stoppedPID, SIGCONT)
      }
      let records = Fault.finish(run)
      #expect(stayedStopped)
      #expect(run.status == 0)
      #expect(run.stdout.contains("resumed"))
      #expect(run.stderr.contains("--- stopped by SIGSTOP ---"))
      #expect(Fault.records(records, type: "group_stop").contains { $0["tid"] as? Int == Int(stoppedPID) })
      // The SIGCONT that ended it is delivered and recorded too.
      #expect(Fault.records(records, type: "signal").contains { $0["signal"] as? Int == Int(SIGCONT) || $0["signal_name"] as? String == "SIGCONT" })
    }

    @Test("T09 masks, dispositions, handlers and a user SIGTRAP are as untraced", arguments: [[], ["--all-syscalls"]])
    func t09SignalTransparency(_ options: [String]) throws {
      let program = try Live.program("fault_signal_transparency")
      let untraced = try Live.run(program, [], timeout: 20)
      #expect(untraced.status == 0)
      let traced = try Live.trace([program], options: options + ["--summary", "none"])
      Fault.finish(traced)
      #expect(traced.status == 0)
      // The command starts with an empty mask, as from a shell (the test runner's thread has most signals blocked,
      // which the untraced run inherits); dispositions as untraced; after its own changes, everything equal.
      func lines(_ output: String) -> [Substring] { output.split(separator: "\n") }
      func inherited(_ output: String, _ key: String) -> Substring? {
        lines(output).first { $0.hasPrefix("inherited") }?.split(separator: " ").first { $0.hasPrefix(key + "=") }
      }
      #expect(inherited(traced.stdout, "SigBlk") == "SigBlk=0000000000000000")
      #expect(inherited(traced.stdout, "SigIgn") == inherited(untraced.stdout, "SigIgn"))
      #expect(inherited(traced.stdout, "SigCgt") == inherited(untraced.stdout, "SigCgt"))
      #expect(lines(traced.stdout).dropFirst() == lines(untraced.stdout).dropFirst())
      #expect(traced.stdout.contains("handled usr1=1 trap=1 trap_code=0"))
    }

    @Test("T09 a signal ignored by whoever started the tracer (nohup) stays ignored for the command")
    func t09Nohup() throws {
      let program = try Live.program("fault_signal_transparency")
      let untraced = try Live.run("/usr/bin/env", ["nohup", program], timeout: 20)
      let traced = try Live.run(
        "/usr/bin/env",
        ["nohup", Live.threadtrace.path, "trace", "--summary", "none", "--", program], timeout: 20)
      Live.expectClean(traced)
      #expect(traced.status == 0)
      let inherited = untraced.stdout.split(separator: "\n").first { $0.hasPrefix("inherited") }
      #expect(inherited != nil)
      func ignored(_ line: Substring?) -> UInt64? {
        line.flatMap { $0.split(separator: " ").first { $0.hasPrefix("SigIgn=") } }.flatMap { UInt64($0.dropFirst(7), radix: 16) }
      }
      let tracedInherited = traced.stdout.split(separator: "\n").first { $0.hasPrefix("inherited") }
      #expect(ignored(tracedInherited) == ignored(inherited))
      // SIGHUP (1) is bit 0 of SigIgn.
      #expect(ignored(tracedInherited).map { $0 & 1 == 1 } == true, "\(String(describing: tracedInherited))")
    }

    @Test("T10 interrupted calls: ERESTART* is an intermediate result, the call is then seen to complete")
    func t10SyscallRestart() throws {
      let run = try Live.trace([try Live.program("signal_restart")], options: ["--all-syscalls", "--summary", "none"])
      let records = Fault.finish(run)
      #expect(run.status == 0)
      #expect(run.stdout.contains("part=1 call=read result=1 byte=x sigalrm_handled=1"))
      #expect(run.stdout.contains("part=3 call=nanosleep result=0"))
      let calls = Fault.records(records, type: "syscall")
      // The read on the pipe: once cut by SIGALRM (ERESTARTSYS, marked restart), then again, returning the byte.
      let restarted = calls.filter { $0["restart"] as? Bool == true }
      #expect(restarted.contains { $0["name"] as? String == "read" && $0["errno_name"] as? String == "ERESTARTSYS" })
      #expect(restarted.contains { $0["errno_name"] as? String == "ERESTART_RESTARTBLOCK" })
      #expect(run.stderr.contains("= ? ERESTARTSYS (To be restarted if SA_RESTART is set)"))
      // restart_syscall says which call it continues (the original, also when a restart is itself interrupted).
      #expect(run.stderr.contains("restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0"))
      #expect(!run.stderr.contains("resuming interrupted restart_syscall"))
      #expect(calls.contains {
        $0["name"] as? String == "restart_syscall" && ($0["args"] as? [[String: Any]])?.first?["text"] as? String
          == "<... resuming interrupted clock_nanosleep ...>"
      })
    }

    @Test("T21 i386 calls through int 0x80 in a 64-bit process are decoded as i386: its clone is seen")
    func t21CompatSyscalls() throws {
      let run = try Live.trace([try Live.program("compat_int80")], options: ["--summary", "none"])
      let records = Fault.finish(run)
      #expect(run.status == 0)
      let child = try #require(run.oracle("int80").first { $0["call"] == "clone" }?["result"].flatMap(Int.init))
      let calls = Fault.records(records, type: "syscall")
      #expect(calls.contains { $0["name"] as? String == "clone" && $0["arch"] as? String == "i386" && $0["ret"] as? Int == child })
      #expect(calls.contains { $0["name"] as? String == "exit" && $0["arch"] as? String == "i386" && $0["tid"] as? Int == child })
      #expect(try Live.summary(of: run.traceFile).processes == 1)
    }

    @Test("T23 the tracee's own seccomp filter: ERRNO hides a call from the fast path, KILL_PROCESS is a death")
    func t23ForeignSeccomp() throws {
      let program = try Live.program("fault_foreign_seccomp")
      // Its filter fails clone3 with ENOSYS ahead of ours (seccomp takes the strongest action: ERRNO outranks
      // TRACE): the fast path never sees that clone3; glibc's fallback clone is seen and the thread is found.
      let fast = try Live.trace([program, "errno"], options: ["--summary", "none"])
      let records = Fault.finish(fast)
      #expect(fast.status == 0)
      let tid = try #require(fast.oracle("thread").first?["tid"].flatMap(Int.init))
      let calls = Fault.records(records, type: "syscall")
      #expect(!calls.contains { $0["name"] as? String == "clone3" }, "fast mode cannot see a call a stricter filter refused")
      #expect(calls.contains { $0["name"] as? String == "clone" && $0["ret"] as? Int == tid })
      // Stopping at every call (PTRACE_SYSCALL, before seccomp runs) sees the refused clone3 too.
      let all = try Live.trace([program, "errno"], options: ["--all-syscalls", "--summary", "none"])
      let allRecords = Fault.finish(all)
      #expect(all.status == 0)
      #expect(Fault.records(allRecords, type: "syscall").contains {
        $0["name"] as? String == "clone3" && $0["errno_name"] as? String == "ENOSYS"
      })
      // SECCOMP_RET_KILL_PROCESS: a death by SIGSYS, reported as such.
      let killed = try Live.trace([program, "kill"], options: ["--summary", "none"])
      let killedRecords = Fault.finish(killed)
      #expect(killed.status == 128 + SIGSYS)
      #expect(Fault.records(killedRecords, type: "killed").contains { $0["signal"] as? Int == Int(SIGSYS) })
    }

    @Test("T23 a child made with CLONE_UNTRACED is not traced: only its creator's clone shows it")
    func t23CloneUntraced() throws {
      let run = try Live.trace([try Live.program("fault_clone_untraced")], options: ["--summary", "none"])
      let records = Fault.finish(run)
      #expect(run.status == 0)
      let child = try #require(run.oracle("untraced").first?["child_pid"].flatMap(Int.init))
      #expect(run.stdout.contains("waited child_pid=\(child) status=0"))
      let calls = Fault.records(records, type: "syscall")
      #expect(calls.contains { $0["name"] as? String == "clone" && $0["ret"] as? Int == child })
      #expect(!records.contains { $0["tid"] as? Int == child }, "the untraced child's own events are in the trace")
    }
  }
}
