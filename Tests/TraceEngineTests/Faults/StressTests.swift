import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension Faults {
  /// Scale: thousands of threads, churn, the clone-event race, tid reuse. Sized to stay well under a minute in
  /// CI; `THREADTRACE_STRESS_LONG=1` runs the full sizes (30 s of churn).
  @Suite("Stress")
  struct Stress {
    @Test("T07 4,000 threads alive at once: all traced, all progress")
    func t07ManyThreads() throws {
      let count = 4000
      // The tracer's peak resident memory (VmHWM), read while it runs: bounded, not a leak per thread.
      var peakKiB = 0
      let run = try Live.trace(
        [try Live.program("stress_many_threads"), String(count)], options: ["--summary", "none", "--quiet"],
        timeout: 240
      ) { tracer in
        _ = Fault.eventually(timeout: 240) {
          guard let status = try? String(contentsOfFile: "/proc/\(tracer)/status", encoding: .utf8),
            !status.contains("State:\tZ")
          else { return true }
          let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
          let kib = line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
          peakKiB = max(peakKiB, kib)
          return false
        }
      }
      let records = Fault.finish(run)
      #expect(peakKiB > 0 && peakKiB < 256 << 10, "the tracer's peak RSS was \(peakKiB) KiB")
      #expect(run.status == 0)
      #expect(run.stdout.contains("done threads=\(count) progressed=\(count)"))
      let pid = try #require(run.oracle("start").first?["pid"].flatMap(Int.init))
      let threads = Set(records.compactMap { $0["tgid"] as? Int == pid ? $0["tid"] as? Int : nil }).subtracting([pid])
      #expect(threads.count == count)
      let exited = Fault.records(records, type: "exited").filter { $0["tgid"] as? Int == pid }
      #expect(exited.count == count + 1)
    }

    @Test("T07 thread churn: batches created and joined for seconds on end")
    func t07ThreadChurn() throws {
      let seconds = Fault.long ? 30 : 3
      let run = try Live.trace(
        [try Live.program("stress_thread_churn"), String(seconds)], options: ["--summary", "none", "--quiet"],
        timeout: TimeInterval(seconds) * 6 + 60)
      let records = Fault.finish(run)
      #expect(run.status == 0)
      let created = try #require(run.oracle("done").first?["created"].flatMap(Int.init))
      #expect(created > 0)
      let pid = try #require(run.oracle("start").first?["pid"].flatMap(Int.init))
      // Every thread made is in the trace with its end (a tid may come back in a long run: count ends, not tids).
      let exits = Fault.records(records, type: "exited").filter { $0["tgid"] as? Int == pid && $0["tid"] as? Int != pid }
      #expect(exits.count == created)
    }

    @Test("T06 a non-leader thread creates 1,000 threads: each is attributed to its real creator")
    func t06CloneEventRace() throws {
      // The new thread's first stop often comes before its creator's PTRACE_EVENT_CLONE when the creator is not
      // the leader (hard-cases §1.8). The engine has no hook to slow it further; the debug build's own pace
      // already gives the race (19–97 % of such threads measured).
      let count = 1000
      let run = try Live.trace(
        [try Live.program("stress_nonleader_spawner"), String(count)], options: ["--summary", "none", "--quiet"],
        timeout: 120)
      let records = Fault.finish(run)
      #expect(run.status == 0)
      // The race was run: threads whose first event comes before their creator's clone record (their first stop
      // was parked, the thread went on). Measured here: about 40 % of them; none would mean it was not exercised.
      var created = Set<Int>()
      var seen = Set<Int>()
      var early = 0
      for record in Fault.records(records, type: "syscall") {
        guard let tid = record["tid"] as? Int else { continue }
        if ["clone", "clone3"].contains(record["name"] as? String), let child = record["ret"] as? Int, child > 0 {
          created.insert(child)
        }
        if seen.insert(tid).inserted, !created.contains(tid), record["name"] as? String != "execve" { early += 1 }
      }
      #expect(early > 0, "no thread ran ahead of its creator's clone event: the race was not exercised")
      let pid = try #require(run.oracle("start").first?["pid"].flatMap(Int.init))
      let spawner = try #require(run.oracle("spawner").first?["tid"].flatMap(Int.init))
      let tasks = try Fault.summaryTasks(run.traceFile)
      let children = tasks.filter { $0["parent"] as? Int == spawner }
      #expect(children.count == count)
      #expect(children.allSatisfy { $0["tgid"] as? Int == pid && $0["kind"] as? String == "thread" })
      // Nobody else is credited with them, and no task is an orphan "there when the trace began".
      let initial = tasks.filter { $0["kind"] as? String == "initial" }
      #expect(initial.count == 1, "tasks without a known creator: \(initial.compactMap { $0["tid"] })")
      #expect(tasks.filter { $0["parent"] as? Int == pid }.count == 1)  // the spawner itself
    }

    @Test("T06 threads and forked children made at once: every event of a task first seen before its creator's event carries its own group")
    func t06MixedCreators() throws {
      // The tracer names the group of a task that stops before its creator's clone event from the creations in
      // flight when they agree (all threads of one process, or all new processes), and reads /proc otherwise:
      // here threads and processes are made at the same time by four threads.
      let rounds = 200
      let run = try Live.trace(
        [try Live.program("stress_mixed_creators"), String(rounds)], options: ["--summary", "none", "--quiet"],
        timeout: 120)
      let records = Fault.finish(run)
      #expect(run.status == 0)
      #expect(run.stdout.contains("done threads=\(2 * rounds) children=\(2 * rounds)"))
      let pid = try #require(run.oracle("start").first?["pid"].flatMap(Int.init))
      // Each new task's group, from its creator's call: a clone with CLONE_THREAD makes a thread of the creator's
      // process (glibc's pthread_create uses clone3), glibc's fork a process of its own.
      var group: [Int: Int] = [pid: pid]
      var createdAt: [Int: Int] = [:]
      for (index, record) in records.enumerated() {
        guard record["type"] as? String == "syscall", let tgid = record["tgid"] as? Int,
          let name = record["name"] as? String, ["clone", "clone3"].contains(name), let child = record["ret"] as? Int,
          child > 0
        else { continue }
        group[child] = String(describing: record["args"] ?? "").contains("CLONE_THREAD") ? tgid : child
        createdAt[child] = index
      }
      // Every event of every task is in its group, those before its creator's record too (the race was run when
      // some task's first event comes before that record).
      var early = Set<Int>()
      for (index, record) in records.enumerated() {
        guard let tid = record["tid"] as? Int, let tgid = record["tgid"] as? Int, tid != pid else { continue }
        let expected = try #require(group[tid], "task \(tid) has no creation in the trace")
        #expect(tgid == expected, "task \(tid) reported in group \(tgid), made in \(expected)")
        if let at = createdAt[tid], index < at { early.insert(tid) }
      }
      #expect(!early.isEmpty, "no task ran ahead of its creator's clone event: the race was not exercised")
      let tasks = try Fault.summaryTasks(run.traceFile)
      #expect(tasks.filter { $0["kind"] as? String == "process" }.count == 2 * rounds)
      #expect(tasks.filter { $0["kind"] as? String == "thread" }.count == 2 * rounds + 4)
      #expect(tasks.filter { $0["kind"] as? String == "initial" }.count == 1)
    }

    @Test("T07 a tid reused within one trace is a new task")
    func t07ReusedTid() throws {
      let run = try Live.trace([try Live.program("reused_tid")], options: ["--summary", "none", "--quiet"])
      Fault.finish(run)
      #expect(run.status == 0)
      guard run.oracle("done").first?["reused"] == "yes" else {
        // Another process on the machine took the tid first five times: nothing to check, say so.
        Issue.record("the program could not get its tid reused (ns_last_pid race lost): \(run.stdout)")
        return
      }
      // The attempt that got the tid back (an earlier one may have lost it to another process on the machine).
      let tid = try #require(
        run.oracle("thread").first { $0["name"] == "B" && $0["reused"] == "yes" }?["tid"].flatMap(Int.init))
      let tasks = try Fault.summaryTasks(run.traceFile).filter { $0["tid"] as? Int == tid }
      #expect(tasks.count == 2, "two lifetimes of tid \(tid)")
      #expect(Set(tasks.compactMap { $0["id"] as? Int }).count == 2)
    }
  }
}
