@testable import Analysis
import SyscallDecoding
import Testing
import TraceModel

/// Every message of `threadtrace diff`, on hand-made tasks that differ in one thing at a time.
@Suite("Diff: each difference and its message")
struct DiffMessageTests {
  typealias F = DiffFixture

  /// The messages of the one aligned pair of worker groups in a diff of two jobs.
  private func workerMessages(_ a: SetupProfile, _ b: SetupProfile) throws -> [String] {
    let diff = SetupDiff(a, b)
    let workers = try #require(diff.groups.first { $0.a?.recipe.kind != .initial && $0.b != nil })
    return workers.differences.map(\.message)
  }

  @Test func tidsAddressesAndTimesNeverCount() {
    let a = F.job(4, tidBase: 100)
    let b = F.job(4, tidBase: 5000)
    let diff = SetupDiff(a, b)
    #expect(diff.isSame)
    #expect(diff.verdict == "same setup: 1 initial, 4 threads in 2 recipes; only tids, addresses and times differ")
  }

  @Test func processWhereAThreadWasExpected() throws {
    let b = F.job(2) { tid, id, index in
      F.thread(tid: tid, id: id, index: index, syscall: .clone, flags: [.childSetTID, .childClearTID], exitSignal: 17,
               stack: nil, robust: false, rseq: false, runtime: .glibc, join: .wait)
    }
    let messages = try workerMessages(F.job(2), b)
    #expect(messages.contains(
      "B makes processes where A makes threads: each has a pid of its own and does not share its creator's address space, "
        + "file descriptor table, cwd, root and umask, signal handlers, thread group (pid) and SysV semaphore undo list"))
    #expect(messages.contains("A creates them with clone3, B with clone (clone3 passes a struct with the stack's base and size; clone only a stack pointer)"))
    #expect(messages.contains("only B passes CLONE_CHILD_SETTID; without it (A) the kernel stores no tid in the child's memory"))
    #expect(messages.contains("only A passes CLONE_PARENT_SETTID; without it (B) the kernel stores no tid in the creator's memory before the task runs"))
    #expect(messages.contains("the signal sent to the creator when the task ends: A none, B SIGCHLD"))
    #expect(messages.contains("stacks: A maps one per task (8 MiB + 4 KiB guard), B gives none: the child runs on a copy-on-write copy of its creator's stack"))
    #expect(messages.contains("joined: A futex wait on its child_tid (pthread_join); B reaped by wait4/waitid"))
    // A forked child keeps its creator's rseq registration: not registering one is no difference.
    #expect(!messages.contains { $0.contains("rseq") })
    #expect(messages.contains("B's tasks register no robust futex list (set_robust_list): if one dies holding a robust mutex, the kernel cannot mark it FUTEX_OWNER_DIED and wake a waiter"))
    #expect(!messages.contains { $0.contains("CLONE_VM") || $0.contains("CLONE_THREAD") })
  }

  @Test func vforkChildWhereAThreadWasExpected() throws {
    let b = F.job(1) { tid, id, index in
      F.thread(tid: tid, id: id, index: index, syscall: .vfork, flags: [.vm, .vfork], exitSignal: 17, stack: nil)
    }
    let messages = try workerMessages(F.job(1), b)
    #expect(messages.first == "B makes vfork children where A makes threads: each has a pid of its own and does not share its creator's file descriptor table, cwd, root and umask, signal handlers, thread group (pid) and SysV semaphore undo list; the creator is suspended until it execs or exits")
    #expect(messages.contains("A creates them with clone3, B with vfork"))
    #expect(messages.contains("stacks: A maps one per task (8 MiB + 4 KiB guard), B gives none: the child borrows its suspended creator's stack"))
  }

  @Test func processesAgainstVforkChildren() throws {
    let fork = F.job(1) { tid, id, index in F.thread(tid: tid, id: id, index: index, syscall: .fork, flags: [], exitSignal: 17, stack: nil) }
    let vfork = F.job(1) { tid, id, index in F.thread(tid: tid, id: id, index: index, syscall: .vfork, flags: [.vm, .vfork], exitSignal: 17, stack: nil) }
    let messages = try workerMessages(fork, vfork)
    #expect(messages == [
      "B makes vfork children where A makes processes: a vfork child runs in its creator's address space (CLONE_VM) "
        + "while the creator is suspended, until it execs or exits; a process gets a copy-on-write copy and its creator runs on",
      "A creates them with fork, B with vfork",
    ])
    // glibc's fork passes the child-tid flags: for a process they change nothing the diff explains.
    let glibcFork = F.job(1) { tid, id, index in
      F.thread(tid: tid, id: id, index: index, syscall: .clone, flags: [.childSetTID, .childClearTID], exitSignal: 17, stack: nil)
    }
    #expect(try workerMessages(fork, glibcFork) == [
      "A creates them with fork, B with clone",
      "only B passes CLONE_CHILD_SETTID; without it (A) the kernel stores no tid in the child's memory",
      "only B passes CLONE_CHILD_CLEARTID",
    ])
  }

  @Test func flagsOnlyOneSidePasses() throws {
    let b = F.job(1) { tid, id, index in F.thread(tid: tid, id: id, index: index, flags: F.glibcFlags.union([.io, .newCgroup])) }
    #expect(try workerMessages(F.job(1), b) == [
      "only B passes CLONE_IO; without it (A) the task gets its own I/O context: the I/O scheduler does not treat its I/O and its creator's as one stream",
      "only B passes CLONE_NEWCGROUP",
    ])
    let noSysvsem = F.job(1) { tid, id, index in F.thread(tid: tid, id: id, index: index, flags: F.glibcFlags.subtracting(.sysvsem)) }
    #expect(try workerMessages(F.job(1), noSysvsem) == [
      "only A passes CLONE_SYSVSEM; without it (B) the task keeps a SysV semaphore undo list of its own: SEM_UNDO adjustments are undone when it exits, not when the process does"
    ])
  }

  @Test func stackSizesAndGuards() throws {
    func job(size: UInt64, guardSize: UInt64, runtimeGuard: UInt64? = nil) -> SetupProfile {
      F.job(1) { tid, id, index in
        var stack = ThreadStack(base: 0x7f10_0000_0000, size: size, guardSize: guardSize, source: .mapping)
        stack.runtimeGuardSize = runtimeGuard
        return F.thread(tid: tid, id: id, index: index, stack: stack)
      }
    }
    #expect(try workerMessages(job(size: 8 << 20, guardSize: 4096), job(size: 256 << 10, guardSize: 4096)) == [
      "B's stacks are 256 KiB, not 8 MiB (1/32): less room for deep recursion and large local variables before an overflow"
    ])
    #expect(try workerMessages(job(size: 3 << 20, guardSize: 4096), job(size: 2 << 20, guardSize: 4096)) == [
      "B's stacks are 2 MiB, not 3 MiB: less room for deep recursion and large local variables before an overflow"
    ])
    #expect(try workerMessages(job(size: 8 << 20, guardSize: 0), job(size: 8 << 20, guardSize: 4096)) == [
      "A's stacks have no guard page (the other's: 4 KiB): an overflow writes into whatever is mapped below instead of faulting with SIGSEGV"
    ])
    #expect(try workerMessages(job(size: 8 << 20, guardSize: 64 << 10), job(size: 8 << 20, guardSize: 4096)) == [
      "B's guard is 4 KiB, not 64 KiB: a frame larger than the guard can step over it into other memory without faulting"
    ])
    #expect(try workerMessages(job(size: 1 << 20, guardSize: 4096, runtimeGuard: 16 << 10), job(size: 1 << 20, guardSize: 4096)) == [
      "A's runtime makes the lowest 16 KiB of each stack a guard zone of its own after the thread starts; B's does not"
    ])
    #expect(try workerMessages(job(size: 1 << 20, guardSize: 4096), job(size: 1 << 20, guardSize: 4096, runtimeGuard: 16 << 10)) == [
      "B's runtime makes the lowest 16 KiB of each stack a guard zone of its own after the thread starts; A's does not"
    ])
    #expect(try workerMessages(job(size: 1 << 20, guardSize: 4096, runtimeGuard: 16 << 10), job(size: 1 << 20, guardSize: 4096, runtimeGuard: 20 << 10)) == [
      "the runtime's own guard zone: A 16 KiB, B 20 KiB"
    ])
    #expect(try workerMessages(job(size: 1 << 20, guardSize: 0, runtimeGuard: 16 << 10), job(size: 1 << 20, guardSize: 64 << 10)) == [
      "A's stacks are mapped with no guard page; A's runtime makes their lowest 16 KiB inaccessible itself once the thread runs (B's have a 64 KiB guard page from the start)"
    ])
    #expect(try workerMessages(job(size: 1 << 20, guardSize: 0, runtimeGuard: 16 << 10), job(size: 1 << 20, guardSize: 0)) == [
      "A's runtime makes the lowest 16 KiB of each stack a guard zone of its own after the thread starts; B's does not"
    ])
    let sized = F.job(1) { tid, id, index in
      F.thread(tid: tid, id: id, index: index, stack: ThreadStack(base: 0x7f10_0000_0000, size: 2 << 20, guardSize: nil, source: .cloneArguments))
    }
    #expect(try workerMessages(F.job(1), sized) == [
      "B's stacks are 2 MiB, not 8 MiB (1/4): less room for deep recursion and large local variables before an overflow"
    ])
  }

  @Test func registrations() throws {
    let bare = F.job(1) { tid, id, index in
      F.thread(tid: tid, id: id, index: index, flags: F.glibcFlags.subtracting(.setTLS), robust: false, rseq: false)
    }
    #expect(try workerMessages(bare, F.job(1)) == [
      "A's tasks register no robust futex list (set_robust_list): if one dies holding a robust mutex, the kernel cannot mark it FUTEX_OWNER_DIED and wake a waiter",
      "A's tasks register no rseq area: the kernel keeps no CPU number in their memory and they cannot use restartable sequences (per-CPU data without atomics)",
      "A's tasks get no thread pointer of their own (no CLONE_SETTLS, no arch_prctl(ARCH_SET_FS)): they start with a copy of their creator's FS base",
    ])
  }

  @Test func signalStacks() throws {
    func job(_ size: UInt64?, guardSize: UInt64?) -> SetupProfile {
      F.job(1) { tid, id, index in
        var record = F.thread(tid: tid, id: id, index: index)
        if let size {
          record.registrations.signalStack = .init(base: 0x7f50_0000_0000 + UInt64(tid), size: size, guardSize: guardSize, disabled: false)
        }
        return record
      }
    }
    #expect(try workerMessages(job(8192, guardSize: 4096), job(nil, guardSize: nil)) == [
      "B's tasks install no alternate signal stack: the SIGSEGV of a stack overflow has no stack to run a handler on, so the process dies without a report"
    ])
    #expect(try workerMessages(job(8192, guardSize: 4096), job(32768, guardSize: nil)) == [
      "alternate signal stacks: A 8 KiB + 4 KiB guard, B 32 KiB, no guard"
    ])
  }

  @Test func namesAndRuntimes() throws {
    let pool = F.job(1) { tid, id, index in F.thread(tid: tid, id: id, index: index, name: "pool-N-thread-N", runtime: .musl) }
    #expect(try workerMessages(F.job(1), pool) == [
      #"named "worker-N" in A, "pool-N-thread-N" in B"#,
      "made by glibc (pthread_create, fork or posix_spawn) in A, by musl (pthread_create) in B",
    ])
    let anonymous = F.job(1) { tid, id, index in F.thread(tid: tid, id: id, index: index, name: nil, runtime: nil) }
    #expect(try workerMessages(anonymous, F.job(1)) == [
      #"B names them "worker-N"; A does not, so they show their creator's name in ps, top and /proc"#,
      "made by code no fingerprint recognises in A, by glibc (pthread_create, fork or posix_spawn) in B",
    ])
  }

  @Test func behaviour() throws {
    let killed = F.job(2) { tid, id, index in
      F.thread(tid: tid, id: id, index: index, end: index == 0 ? .killed(signal: 9, coreDumped: false) : .exited(code: 0, cause: .groupExit(by: 100)), join: nil)
    }
    #expect(try workerMessages(F.job(2), killed) == [
      "they end: A exit; B killed by SIGKILL ×1, ended by another thread's exit_group ×1; B's do not call exit themselves: they last until something ends them",
      "joined: A futex wait on its child_tid (pthread_join); B no join seen; in B no task waits for their end in a way the kernel shows (a futex wait on the tid word, wait4)",
    ])
    let execs = F.job(1) { tid, id, index in
      var record = F.thread(tid: tid, id: id, index: index)
      record.execs = [TaskRecord.ExecRecord(path: "/bin/ls", arguments: ["ls"], succeeded: true, errno: nil, time: nil)]
      return record
    }
    #expect(try workerMessages(F.job(1), execs) == ["they exec: A nothing, B ls"])
    let diff = SetupDiff(F.job(1), execs)
    #expect(F.messages(diff, .execs) == ["successful execs: A 0, B 1"])
  }

  @Test func endingWithTheProcessIsOneOutcomeWhoeverCallsExitGroup() {
    let calls = F.job(2) { tid, id, index in
      F.thread(tid: tid, id: id, index: index, end: .exited(code: 0, cause: index == 0 ? .exitGroup : .groupExit(by: tid - 1)))
    }
    let ended = F.job(2) { tid, id, index in F.thread(tid: tid, id: id, index: index, end: .exited(code: 0, cause: .groupExit(by: 100))) }
    #expect(SetupDiff(calls, ended).isSame)
    let alive = F.job(2) { tid, id, index in F.thread(tid: tid, id: id, index: index, end: nil) }
    #expect(F.messages(SetupDiff(ended, alive), .end) == [
      "they end: A ended by another thread's exit_group; B still running when the trace ended"
    ])
  }

  @Test func joinsSeenForSomeThreadsOnlyAreTimingNotSetup() {
    // glibc's pthread_join waits on the tid word only if the thread is still running.
    let some = F.job(4) { tid, id, index in F.thread(tid: tid, id: id, index: index, join: index == 0 ? .futexOnChildTID : nil) }
    #expect(SetupDiff(F.job(4), some).isSame)
  }

  @Test func groupsOnlyOneSideHas() {
    var records = [F.initial()]
    records.append(F.thread(tid: 101, id: 2, index: 0))
    records.append(F.thread(tid: 102, id: 3, index: 0, name: "GC Thread#N"))
    let diff = SetupDiff(F.job(1), F.profile(records))
    let only = diff.groups.filter { $0.a == nil }
    #expect(only.count == 1)
    #expect(only.first?.differences.map(\.message) == [#"only B makes 1 thread (clone3, 8 MiB + 4 KiB guard, "GC Thread#N")"#])
    #expect(diff.verdict == "the setups differ: 3 differences in 1 group of alike tasks")
  }

  @Test func wholeTraceCountsRuntimesAndReservations() {
    let diff = SetupDiff(F.job(2), F.job(0, runtimes: []))
    #expect(F.messages(diff, .tasks) == ["tasks: A 1 initial, 2 threads; B 1 initial"])
    #expect(F.messages(diff, .runtimes) == ["runtimes recognised: A glibc; B none recognised"])
    #expect(F.messages(diff, .stackReservation) == [
      "address space reserved by stack mappings over the trace: A 16 MiB + 8 KiB, B nothing; reserved is not committed: the kernel "
        + "gives a stack memory only for the pages its task touches (the top, where a glibc thread keeps its descriptor "
        + "and TLS, and as deep as its calls went), and guard pages never get any"
    ])
    #expect(diff.groups.filter { $0.b == nil }.first?.differences.map(\.message)
      == [#"only A makes 2 threads (clone3, 8 MiB + 4 KiB guard, "worker-N")"#])
  }

  @Test func emptyInputIsNamed() {
    #expect(SetupDiff.emptyInput(side: "B", path: "empty.strace")
      == "empty.strace (B) has no tasks: the trace holds no event of any thread or process")
  }

  @Test func namePatterns() {
    let cases: [(String, String)] = [
      ("worker-0", "worker-N"), ("worker-12", "worker-N"), ("GC Thread#0", "GC Thread#N"), ("G1 Main Marker", "G1 Main Marker"),
      ("G1 Conc#0", "G1 Conc#N"), ("C2 CompilerThread0", "C2 CompilerThreadN"), ("pool-1-thread-3", "pool-N-thread-N"),
      ("tokio-runtime-w", "tokio-runtime-w"), ("7", "N"), ("", ""),
    ]
    for (name, pattern) in cases { #expect(SetupRecipe.namePattern(name) == pattern, "\(name)") }
  }

  @Test func alignmentPrefersTheSameNameThenTheSameKind() {
    let workers = TaskGroup(recipe: SetupRecipe(kind: .thread, creator: .clone3, namePattern: "worker-N"), firstID: 2)
    let gc = TaskGroup(recipe: SetupRecipe(kind: .thread, creator: .clone3, namePattern: "gc-N"), firstID: 3)
    let otherWorkers = TaskGroup(recipe: SetupRecipe(kind: .thread, creator: .clone, namePattern: "worker-N"), firstID: 2)
    let pairs = RecipeAlignment.align([workers, gc], [otherWorkers])
    #expect(pairs.count == 2)
    #expect(pairs[0].a?.recipe.namePattern == "worker-N" && pairs[0].b?.recipe.namePattern == "worker-N")
    #expect(pairs[1].a?.recipe.namePattern == "gc-N" && pairs[1].b == nil)
    let initial = TaskGroup(recipe: SetupRecipe(kind: .initial), firstID: 1)
    #expect(RecipeAlignment.similarity(initial, workers) == nil)
  }
}
