@testable import Analysis
import Foundation
import SyscallDecoding
import Testing
import TraceModel

/// `threadtrace diff` on the job fixtures: one small job (start 4 workers, join them) in C, Rust, Go, Java and
/// Python, recorded with `strace -f -tt -T` (fixtures/jobs/record.sh).
@Suite("Diff: real traces of one job in five runtimes")
struct DiffFixtureTests {
  @Test func aTraceAgainstItselfIsTheSameSetup() throws {
    for name in ["c", "c8", "rust", "go", "java", "python"] {
      let diff = try DiffFixture.diff("jobs/\(name).strace", "jobs/\(name).strace")
      #expect(diff.isSame, "\(name): \(diff.allDifferences.map(\.message))")
      #expect(diff.allDifferences.isEmpty)
    }
    #expect(try DiffFixture.diff("jobs/c.strace", "jobs/c.strace").verdict
      == "same setup: 1 initial, 4 threads in 2 recipes; only tids, addresses and times differ")
  }

  @Test func theTwoFormatsOfOneTraceHaveTheSameSetup() throws {
    for name in ["c", "go", "rust"] {
      let path = try DiffFixture.jsonLines("jobs/\(name).strace")
      defer { try? FileManager.default.removeItem(atPath: path) }
      let diff = SetupDiff(try DiffFixture.profile(atPath: path), try DiffFixture.profile("jobs/\(name).strace"))
      #expect(diff.isSame, "\(name): \(diff.allDifferences.map(\.message))")
    }
  }

  @Test func recipesOfTheCJob() throws {
    let profile = try DiffFixture.profile("jobs/c.strace")
    #expect(profile.counts == SetupProfile.Counts(initial: 1, threads: 4, processes: 0, vforks: 0, execs: 1))
    #expect(profile.runtimes == [.glibc])
    #expect(profile.reservedStackBytes == 4 * (8 << 20 + 4096))
    #expect(profile.mappedStacks == 4)
    let workers = try #require(profile.groups.first { $0.recipe.kind == .thread })
    #expect(workers.count == 4)
    #expect(workers.recipe == SetupRecipe(
      kind: .thread, creator: .clone3, flags: DiffFixture.glibcFlags, stack: .mapped(size: 8 << 20, guardSize: 4096, runtimeGuard: nil),
      ownTLS: true, robustList: true, rseq: true, namePattern: "worker-N", runtime: .glibc))
    #expect(workers.ends.text == "exit")
  }

  @Test func moreThreadsOfTheSameRecipeDifferInCountOnly() throws {
    let diff = try DiffFixture.diff("jobs/c.strace", "jobs/c8.strace")
    #expect(!diff.isSame)
    #expect(diff.allDifferences.map(\.aspect) == [.tasks, .stackReservation, .count])
    #expect(DiffFixture.messages(diff, .tasks) == ["tasks: A 1 initial, 4 threads; B 1 initial, 8 threads"])
    #expect(DiffFixture.messages(diff, .count) == [#"A made 4 threads (clone3, 8 MiB + 4 KiB guard, "worker-N"), B 8"#])
    #expect(DiffFixture.messages(diff, .stackReservation) == [
      "address space reserved by stack mappings over the trace: A 32 MiB + 16 KiB, B 64 MiB + 32 KiB; reserved is not committed: the "
        + "kernel gives a stack memory only for the pages its task touches (the top, where a glibc thread keeps its "
        + "descriptor and TLS, and as deep as its calls went), and guard pages never get any"
    ])
    #expect(diff.verdict == "the setups differ: 3 differences in 1 group of alike tasks")
  }

  @Test func glibcThreadsAgainstGoThreads() throws {
    let diff = try DiffFixture.diff("jobs/c.strace", "jobs/go.strace")
    let workers = try #require(diff.groups.first { $0.a?.recipe.kind == .thread })
    #expect(workers.b?.recipe.kind == .thread)
    #expect(workers.b?.recipe.creator == .clone)
    let messages = workers.differences.map(\.message)
    #expect(messages.contains("A creates them with clone3, B with clone (clone3 passes a struct with the stack's base and size; clone only a stack pointer)"))
    #expect(messages.contains("only A passes CLONE_CHILD_CLEARTID; without it (B) at exit the kernel clears and wakes no tid word, so nothing can join these tasks by waiting on it (pthread_join's way)"))
    #expect(messages.contains("stacks: A maps one per task (8 MiB + 4 KiB guard), B runs them in memory the runtime already had (no stack mapping, no guard page the kernel knows of)"))
    #expect(messages.contains("B's tasks register no robust futex list (set_robust_list): if one dies holding a robust mutex, the kernel cannot mark it FUTEX_OWNER_DIED and wake a waiter"))
    #expect(messages.contains("B's tasks register no rseq area: the kernel keeps no CPU number in their memory and they cannot use restartable sequences (per-CPU data without atomics)"))
    #expect(messages.contains(#"A names them "worker-N"; B does not, so they show their creator's name in ps, top and /proc"#))
    #expect(messages.contains("made by glibc (pthread_create, fork or posix_spawn) in A, by the Go runtime (newosproc) in B"))
    #expect(DiffFixture.messages(diff, .runtimes) == ["runtimes recognised: A glibc; B Go runtime"])
    // Go passes CLONE_SETTLS too: no TLS difference.
    #expect(DiffFixture.messages(diff, .tls).isEmpty)
  }

  @Test func rustStdThreadsHaveSmallerStacksAndAGuardedSignalStack() throws {
    let diff = try DiffFixture.diff("jobs/c.strace", "jobs/rust.strace")
    #expect(DiffFixture.messages(diff, .stack) == [
      "B's stacks are 2 MiB, not 8 MiB (1/4): less room for deep recursion and large local variables before an overflow"
    ])
    let workers = try #require(diff.groups.first { $0.a?.recipe.kind == .thread })
    #expect(workers.b?.recipe.signalStack == SetupRecipe.SignalStackShape(size: 8192, guardSize: 4096))
    #expect(workers.differences.map(\.message).contains(
      "A's tasks install no alternate signal stack: the SIGSEGV of a stack overflow has no stack to run a handler on, so the process dies without a report"))
    #expect(DiffFixture.messages(diff, .flags).isEmpty)
    #expect(DiffFixture.messages(diff, .robustList).isEmpty)
  }

  @Test func jvmWorkersAreGuardedByTheRuntime() throws {
    let diff = try DiffFixture.diff("jobs/c.strace", "jobs/java.strace")
    let workers = try #require(diff.groups.first { $0.a?.recipe.namePattern == "worker-N" })
    #expect(workers.b?.recipe.namePattern == "worker-N")
    #expect(workers.differences.filter { $0.aspect == .stack }.map(\.message) == [
      "B's stacks are 1 MiB, not 8 MiB (1/8): less room for deep recursion and large local variables before an overflow",
      "B's stacks are mapped with no guard page; B's runtime makes their lowest 16 KiB inaccessible itself once the thread runs (A's have a 4 KiB guard page from the start)",
    ])
    // The JVM's own threads have no counterpart in the C job.
    let onlyB = diff.groups.filter { $0.a == nil }.compactMap { $0.b?.recipe.namePattern }
    #expect(onlyB.contains("GC Thread#N"))
    #expect(onlyB.contains("G1 Main Marker"))
    #expect(diff.groups.first { $0.b?.recipe.namePattern == "VM Thread" }?.differences.map(\.message)
      == [#"only B makes 1 thread (clone3, 1 MiB + 4 KiB guard, "VM Thread")"#])
  }

  @Test func cpythonThreadsAreUnnamedGlibcThreads() throws {
    let diff = try DiffFixture.diff("jobs/c.strace", "jobs/python.strace")
    let workers = try #require(diff.groups.first { $0.a?.recipe.kind == .thread })
    // Python's Thread.join waits on a lock the thread releases, not on the kernel's tid word.
    #expect(workers.differences.map(\.message) == [
      #"A names them "worker-N"; B does not, so they show their creator's name in ps, top and /proc"#,
      "joined: A futex wait on its child_tid (pthread_join) ×1, no join seen ×3; B no join seen; in B no task waits "
        + "for their end in a way the kernel shows (a futex wait on the tid word, wait4)",
    ])
    #expect(DiffFixture.messages(diff, .runtimes) == ["runtimes recognised: A glibc; B CPython, glibc"])
    // CPython reuses cached stacks: fewer mappings for the same threads.
    #expect(try DiffFixture.profile("jobs/python.strace").reusedStacks > 0)
  }
}
