import Analysis
import SyscallDecoding
import Testing
import TestSupport
import TraceIO
import TraceModel

@Suite("Lifecycle: the thread story")
struct LifecycleTests {
  @Test func glibcThreadIsLinkedAcrossItsSyscalls() throws {
    let explained = try Explained(glibcThread)
    let counts = explained.lifecycle.counts
    #expect(counts.threads == 1 && counts.processes == 0 && counts.vforks == 0 && counts.execs == 0)
    let thread = try #require(explained.task(tid: 101))
    #expect(thread.kind == .thread)
    #expect(thread.tgid == 100)
    #expect(thread.parentTID == 100)
    #expect(thread.creation?.syscall == .clone3)
    #expect(thread.stack == ThreadStack(base: 0x7f00_0000_0000, size: 8 << 20, guardSize: 4096, source: .mapping))
    #expect(thread.registrations.rseq?.length == 32)
    #expect(thread.registrations.robustList?.head == 0x7f00_0080_09a0)
    #expect(thread.end == .exited(code: 0, cause: .exit))
    #expect(thread.joinedBy == TaskRecord.Join(tid: 100, id: 1, how: .futexOnChildTID))
    let main = try #require(explained.task(tid: 100))
    #expect(main.kind == .initial)
    #expect(main.end == .exited(code: 0, cause: .exitGroup))
    #expect(explained.lifecycle.processes.filter { !$0.provisional }.first?.runtimes.first?.runtime == .glibc)
  }

  /// A Go thread whose creator an exit_group took in the clone, after the child had run: the clone has no
  /// result, the child is the one task no creation claimed, a thread of the creator's process that the same
  /// exit_group ended, not a second task "there when the trace began". With `+++` lines and without (-qq).
  @Test(arguments: [true, false])
  func aCloneWhoseCreatorDiedInItStillMadeItsThread(exitLines: Bool) throws {
    let flags = "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_SETTLS"
    var log = """
      100 execve("./prog", ["./prog"], 0x7ffd00000000 /* 1 var */) = 0
      100 clone(child_stack=0xc000060000, flags=\(flags), tls=0xc000048090) = 101
      101 gettid() = 101
      100 clone(child_stack=0xc000070000, flags=\(flags), tls=0xc000048490 <unfinished ...>
      102 gettid() = 102
      101 exit_group(0) = ?
      100 <... clone resumed>) = ?

      """
    if exitLines { log += "102 +++ exited with 0 +++\n101 +++ exited with 0 +++\n100 +++ exited with 0 +++\n" }
    let explained = try Explained(log)
    #expect(explained.lifecycle.counts.threads == 2 && explained.lifecycle.counts.tasks == 3)
    let orphan = try #require(explained.task(tid: 102))
    #expect(orphan.kind == .thread && orphan.tgid == 100 && orphan.parentTID == 100)
    #expect(orphan.creation?.flags.contains(.thread) == true)
    #expect(orphan.end == .exited(code: 0, cause: .groupExit(by: 101)))
    #expect(explained.lifecycle.records.filter { $0.kind == .initial }.map(\.tid) == [100])
  }

  /// Real Go logs of that race (fixtures/strace/runtimes/go_creator_died_in_clone.*): the child ran before the
  /// creator's `= ?` line, or shows only its `+++ exited` line after it. Every clone made a thread, one task was
  /// there when the trace began, and every end is explained.
  @Test(arguments: [("ran", 20297 as Int32), ("exit_only", 18417 as Int32)])
  func realGoLogsWhereACreatorDiedInItsClone(variant: String, orphanTID: Int32) throws {
    let path = Fixtures.path("strace/runtimes/go_creator_died_in_clone.\(variant).f-o.strace")
    let reader = try TraceInput.open([path])
    let lifecycle = Lifecycle()
    while let event = try reader.next() { lifecycle.applyWithoutNotes(event) }
    lifecycle.finish()
    let log = try String(contentsOfFile: path, encoding: .utf8)
    let clones = log.split(separator: "\n").filter { $0.contains(" clone(") }.count
    #expect(lifecycle.counts.threads == clones && clones == 8)
    let records = lifecycle.records
    #expect(records.filter { $0.kind == .initial }.count == 1)
    let orphan = try #require(records.first { $0.tid == orphanTID })
    #expect(orphan.kind == .thread && orphan.parentTID != nil)
    guard case .exited(0, .groupExit)? = orphan.end else {
      Issue.record("\(String(describing: orphan.end))")
      return
    }
    #expect(records.allSatisfy { if case .exited(_, .unknown)? = $0.end { false } else { $0.end != nil } })
  }

  /// Two tasks no creation claimed: which one the dead creator made is unknown, so neither is taken for its
  /// child; and a task there since the trace began is never taken.
  @Test func anOrphanIsAdoptedOnlyWhenItIsTheOnlyCandidate() throws {
    let flags = "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_SETTLS"
    let explained = try Explained("""
      100 clone(child_stack=0xc000060000, flags=\(flags), tls=0xc000048090) = 101
      100 clone(child_stack=0xc000070000, flags=\(flags), tls=0xc000048490 <unfinished ...>
      102 gettid() = 102
      103 gettid() = 103
      101 exit_group(0) = ?
      100 <... clone resumed>) = ?
      """)
    #expect(explained.lifecycle.counts.threads == 1)
    #expect(explained.task(tid: 102)?.kind == .initial && explained.task(tid: 103)?.kind == .initial)
    let alone = try Explained("""
      100 clone(child_stack=0xc000070000, flags=\(flags), tls=0xc000048490 <unfinished ...>
      101 exit_group(0) = ?
      100 <... clone resumed>) = ?
      """)
    #expect(alone.lifecycle.counts.threads == 0)
  }

  @Test func guardZeroStackHasNoMprotect() throws {
    let explained = try Explained("""
      10 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f1000000000
      10 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f100003f990, parent_tid=0x7f100003f990, exit_signal=0, stack=0x7f1000000000, stack_size=0x3ff80, tls=0x7f100003f6c0} => {parent_tid=[11]}, 88) = 11
      """)
    #expect(explained.task(tid: 11)?.stack == ThreadStack(base: 0x7f10_0000_0000, size: 262144, guardSize: 0, source: .mapping))
  }

  @Test func cachedStackIsReused() throws {
    let explained = try Explained(glibcThread.replacingOccurrences(of: "100 exit_group(0)                     = ?\n100 +++ exited with 0 +++", with: "") + """
      100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f0000800990, parent_tid=0x7f0000800990, exit_signal=0, stack=0x7f0000000000, stack_size=0x7fff80, tls=0x7f00008006c0} => {parent_tid=[102]}, 88) = 102
      """)
    let second = try #require(explained.task(tid: 102))
    #expect(second.stack?.size == 8 << 20)
    #expect(second.stack?.guardSize == 4096)
    #expect(second.stack?.reusedFromTID == 101)
  }

  /// `strace -f -p PID` to a file: no `attached` lines, each thread's first call started before the trace.
  /// The tasks are the threads of one process, led by the lowest tid, their creation unseen.
  @Test func tasksAttachedTogetherAreThreadsOfOneProcess() throws {
    let explained = try Explained("""
      12 restart_syscall(<... resuming interrupted read ...> <unfinished ...>
      11 read(3,  <unfinished ...>
      10 restart_syscall(<... resuming interrupted read ...> <unfinished ...>
      12 <... restart_syscall resumed>)    = 0
      12 exit(0)                           = ?
      12 +++ exited with 0 +++
      10 <... restart_syscall resumed>)    = 0
      11 <... read resumed>"x", 1)         = 1
      11 exit(0)                           = ?
      11 +++ exited with 0 +++
      10 exit_group(0)                     = ?
      10 +++ exited with 0 +++
      """)
    let counts = explained.lifecycle.counts
    #expect(counts.threads == 0 && counts.processes == 0 && counts.tasks == 3)
    #expect(explained.task(tid: 10)?.kind == .initial)
    for tid: Int32 in [11, 12] {
      let thread = try #require(explained.task(tid: tid))
      #expect(thread.kind == .thread)
      #expect(thread.tgid == 10)
      #expect(thread.creation == nil)
    }
    #expect(explained.lifecycle.processes.filter { !$0.provisional }.map(\.tgid) == [10])
  }

  /// With strace's `Process N attached` message the announced task leads; a task reaped by `wait4` (or whose
  /// `exit_group` left the others going) is a process of its own.
  @Test func attachedTasksGroupByTheAnnouncedPid() throws {
    let explained = try Explained("""
      strace: Process 20 attached with 2 threads
      [pid 21] restart_syscall(<... resuming interrupted futex ...> <unfinished ...>
      [pid 20] read(3, "x", 1) = 1
      [pid 21] <... restart_syscall resumed>) = 0
      """)
    #expect(explained.task(tid: 21)?.kind == .thread)
    #expect(explained.task(tid: 21)?.tgid == 20)
    let separate = try Explained("""
      30 <... read resumed>"x", 1)         = 1
      31 <... clock_nanosleep resumed>NULL) = 0
      30 wait4(31,  <unfinished ...>
      31 exit_group(0)                     = ?
      31 +++ exited with 0 +++
      30 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 31
      """)
    #expect(separate.task(tid: 31)?.kind == .initial)
    #expect(separate.task(tid: 31)?.tgid == 31)
  }

  @Test func forkExecAndReap() throws {
    let explained = try Explained("""
      200 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f2000000a10) = 201
      201 execve("/bin/true", ["true"], 0x7ffd00000000 /* 3 vars */) = 0
      201 exit_group(0)                     = ?
      201 +++ exited with 0 +++
      200 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=201, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
      200 wait4(201, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 201
      """)
    #expect(explained.lifecycle.counts.processes == 1)
    #expect(explained.lifecycle.counts.execs == 1)
    let child = try #require(explained.task(tid: 201))
    #expect(child.kind == .process)
    #expect(child.tgid == 201)
    #expect(child.execs.map(\.path) == ["/bin/true"])
    #expect(child.comm == "true")
    #expect(child.joinedBy?.how == .wait)
    #expect(child.createdByRuntime?.runtime == .glibc)
  }

  @Test func vforkAndPosixSpawnAreVforks() throws {
    let explained = try Explained("""
      300 mmap(NULL, 36864, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f3000000000
      300 clone(child_stack=0x7f3000009000, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 301
      301 execve("/bin/true", ["true"], 0x7ffd00000000 /* 3 vars */) = 0
      300 vfork()                           = 302
      302 execve("/bin/true", ["true"], 0x7ffd00000000 /* 3 vars */) = 0
      """)
    #expect(explained.lifecycle.counts.vforks == 2)
    #expect(explained.lifecycle.counts.execs == 2)
    #expect(explained.task(tid: 301)?.kind == .vfork)
    #expect(explained.task(tid: 301)?.stack == ThreadStack(base: 0x7f30_0000_0000, size: 36864, guardSize: 0, source: .mapping))
    #expect(explained.task(tid: 302)?.kind == .vfork)
    #expect(explained.task(tid: 301)?.createdByRuntime?.runtime == .glibc)
    // Go's os/exec: the same flags, no stack of the child's own (it borrows the parent's).
    let go = try Explained("""
      500 clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 501
      501 execve("/bin/true", ["true"], 0xc000012345 /* 3 vars */) = 0
      """)
    #expect(go.task(tid: 501)?.kind == .vfork)
    #expect(go.task(tid: 501)?.createdByRuntime?.runtime == .go)
  }

  /// One thread's munmap in flight while another's mmap gets the range back: strace prints the munmap's return
  /// after the mmap, and the new mapping (here a sigaltstack with its guard page) must survive it.
  @Test func anUnmapReturningLateSparesTheMappingMadeMeanwhile() throws {
    let explained = try Explained("""
      1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f0000800990, parent_tid=0x7f0000800990, exit_signal=0, stack=0x7f0000000000, stack_size=0x7fff80, tls=0x7f00008006c0} => {parent_tid=[2]}, 88) = 2
      1 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f0000a00000
      1 munmap(0x7f0000a00000, 12288 <unfinished ...>
      2 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f0000a00000
      1 <... munmap resumed>)             = 0
      2 mprotect(0x7f0000a00000, 4096, PROT_NONE) = 0
      2 sigaltstack({ss_sp=0x7f0000a01000, ss_flags=0, ss_size=8192}, NULL) = 0
      """)
    let altstack = try #require(explained.task(tid: 2)?.registrations.signalStack)
    #expect(altstack.guardSize == 4096 && altstack.size == 8192)
  }

  /// `strace -qq` prints no `+++ exited` lines: the calls that never return still end their tasks, and an
  /// exit_group the rest of its group; a task whose last call was another stays alive.
  @Test func exitCallsEndTasksWithoutExitLines() throws {
    let explained = try Explained("""
      100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f0000800990, parent_tid=0x7f0000800990, exit_signal=0, stack=0x7f0000000000, stack_size=0x7fff80, tls=0x7f00008006c0} => {parent_tid=[101]}, 88) = 101
      100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f0000900990, parent_tid=0x7f0000900990, exit_signal=0, stack=0x7f0000100000, stack_size=0x7fff80, tls=0x7f00009006c0} => {parent_tid=[102]}, 88) = 102
      101 exit(3)                           = ?
      102 read(0, "", 1)                   = 0
      100 exit_group(7)                     = ?
      200 read(0, "", 1)                   = 0
      """)
    #expect(explained.task(tid: 101)?.end == .exited(code: 3, cause: .exit))
    #expect(explained.task(tid: 102)?.end == .exited(code: 7, cause: .groupExit(by: 100)))
    #expect(explained.task(tid: 100)?.end == .exited(code: 7, cause: .exitGroup))
    #expect(explained.task(tid: 100)?.endedThreadGroup == true)
    #expect(explained.task(tid: 200)?.end == nil)
  }

  /// rseq_fork: a child made without CLONE_VM keeps its creator's rseq area; a CLONE_VM child (a thread, a vfork
  /// child) starts with none, and no child keeps a robust list.
  @Test func aForkedChildKeepsItsCreatorsRseqArea() throws {
    let explained = try Explained("""
      600 rseq(0x7f6000000fe0, 0x20, 0, 0x53053053) = 0
      600 set_robust_list(0x7f60000009a0, 24) = 0
      600 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f6000000a10) = 601
      600 vfork()                           = 602
      """)
    let forked = try #require(explained.task(tid: 601))
    #expect(forked.registrations.rseq?.address == 0x7f60_0000_0fe0)
    #expect(forked.registrations.robustList == nil)
    #expect(explained.task(tid: 602)?.registrations.rseq == nil)
  }

  @Test func cloneWithoutVMIsAProcess() throws {
    let explained = try Explained("""
      400 clone(child_stack=0x7f4000010000, flags=CLONE_FILES|SIGCHLD) = 401
      400 clone(child_stack=0x7f4000020000, flags=CLONE_VM|SIGCHLD) = 402
      """)
    #expect(explained.lifecycle.counts.processes == 2)
    #expect(explained.task(tid: 401)?.kind == .process)
    #expect(explained.task(tid: 402)?.kind == .process)
    #expect(explained.task(tid: 402)?.stack?.source == .unmapped)
  }

  @Test func namesHoweverTheyWereSet() throws {
    let explained = try Explained(glibcThread + """

      100 openat(AT_FDCWD, "/proc/self/task/101/comm", O_RDWR) = 3
      100 write(3, "worker-1", 8)            = 8
      100 close(3)                          = 0
      """)
    #expect(explained.task(tid: 101)?.name == "worker-1")
    #expect(explained.task(tid: 101)?.nameSource == .commWrite)

    let own = try Explained("""
      500 prctl(PR_SET_NAME, "self-named")   = 0
      501 write(4</proc/500/task/502/comm>, "by-path\\n", 8) = 8
      """)
    #expect(own.task(tid: 500)?.name == "self-named")
    #expect(own.task(tid: 500)?.nameSource == .prctl)
  }

  @Test func execFromNonLeaderThreadTakesOverTheTid() throws {
    let explained = try Explained("""
      600 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f6000000990, parent_tid=0x7f6000000990, exit_signal=0, stack=0x7f6000000000, stack_size=0x7fff80, tls=0x7f60000006c0} => {parent_tid=[601]}, 88) = 601
      600 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f6000100990, parent_tid=0x7f6000100990, exit_signal=0, stack=0x7f6000100000, stack_size=0x7fff80, tls=0x7f60001006c0} => {parent_tid=[602]}, 88) = 602
      602 execve("/bin/true", ["/bin/true"], 0x7ffc00000000 /* 35 vars */ <unfinished ...>
      600 <... clock_nanosleep resumed> <unfinished ...>) = ?
      601 <... pause resumed>)              = ?
      601 +++ exited with 0 +++
      600 +++ superseded by execve in pid 602 +++
      600 <... execve resumed>)             = 0
      600 exit_group(0)                     = ?
      600 +++ exited with 0 +++
      """)
    let leader = try #require(explained.lifecycle.records.first)
    #expect(leader.end == .supersededByExec(by: 602))
    #expect(explained.task(tid: 601)?.end == .exited(code: 0, cause: .execByOtherThread(by: 602)))
    let execer = try #require(explained.lifecycle.records.first(where: { $0.formerTID == 602 }))
    #expect(execer.tid == 600)
    #expect(execer.kind == .thread)
    #expect(execer.execs.last?.succeeded == true)
    #expect(execer.end == .exited(code: 0, cause: .exitGroup))
    #expect(explained.lifecycle.counts.execs == 1)
  }

  @Test func childSeenBeforeItsCreatorsCloneReturnedIsAdopted() throws {
    let explained = try Explained("""
      700 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f7000000990, parent_tid=0x7f7000000990, exit_signal=0, stack=0x7f7000000000, stack_size=0x7fff80, tls=0x7f70000006c0} <unfinished ...>
      701 rseq(0x7f7000000fe0, 0x20, 0, 0x53053053) = 0
      701 exit(0)                           = ?
      701 +++ exited with 0 +++
      700 <... clone3 resumed> => {parent_tid=[701]}, 88) = 701
      """)
    let child = try #require(explained.task(tid: 701))
    #expect(child.kind == .thread)
    #expect(child.tgid == 700)
    #expect(child.parentTID == 700)
    #expect(child.registrations.rseq != nil)
    #expect(explained.lifecycle.counts.threads == 1)
    #expect(explained.lifecycle.processes.filter { !$0.provisional }.count == 1)
  }

  @Test func threadsKilledWithTheirProcess() throws {
    let explained = try Explained("""
      800 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f8000000990, parent_tid=0x7f8000000990, exit_signal=0, stack=0x7f8000000000, stack_size=0x7fff80, tls=0x7f80000006c0} => {parent_tid=[801]}, 88) = 801
      801 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---
      801 +++ killed by SIGSEGV (core dumped) +++
      800 +++ killed by SIGSEGV (core dumped) +++
      """)
    #expect(explained.task(tid: 801)?.end == .killed(signal: 11, coreDumped: true))
    #expect(explained.task(tid: 800)?.end == .killed(signal: 11, coreDumped: true))
  }

  @Test func reusedTidsGetSeparateRecords() throws {
    let explained = try Explained("""
      900 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f9000000a10) = 901
      901 exit_group(3)                     = ?
      901 +++ exited with 3 +++
      900 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 901
      900 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f9000000a10) = 901
      901 exit_group(4)                     = ?
      901 +++ exited with 4 +++
      """)
    let records = explained.lifecycle.records.filter { $0.tid == 901 }
    #expect(records.count == 2)
    #expect(records.map(\.end) == [.exited(code: 3, cause: .exitGroup), .exited(code: 4, cause: .exitGroup)])
    #expect(records[0].joinedBy?.how == .wait)
    #expect(records[1].joinedBy == nil)
  }

  @Test func goThreadsAreRecognised() throws {
    let explained = try Explained("""
      1000 clone(child_stack=0xc000060000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_SETTLS, tls=0xc000050098) = 1001
      1001 sigaltstack({ss_sp=0xc000070000, ss_flags=0, ss_size=32768}, NULL) = 0
      """)
    let thread = try #require(explained.task(tid: 1001))
    #expect(thread.createdByRuntime?.runtime == .go)
    #expect(thread.stack?.source == .unmapped)
    #expect(thread.registrations.signalStack?.size == 32768)
  }

  @Test func rustGuardedSignalStacks() throws {
    var text = """
      1101 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fa000000990, parent_tid=0x7fa000000990, exit_signal=0, stack=0x7fa000000000, stack_size=0x7fff80, tls=0x7fa0000006c0} => {parent_tid=[1102]}, 88) = 1102

      """
    for (tid, base) in [(1101, "0x7fb000000000"), (1102, "0x7fb000100000")] {
      let low = UInt64(base.dropFirst(2), radix: 16)!
      text += """
        \(tid) mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = \(base)
        \(tid) mprotect(\(base), 4096, PROT_NONE) = 0
        \(tid) sigaltstack({ss_sp=0x\(String(low + 4096, radix: 16)), ss_flags=0, ss_size=8192}, NULL) = 0

        """
    }
    let explained = try Explained(text)
    #expect(explained.task(tid: 1101)?.registrations.signalStack?.guardSize == 4096)
    #expect(explained.task(tid: 1102)?.registrations.signalStack?.size == 8192)
    let runtimes = explained.lifecycle.processes.flatMap(\.runtimes).map(\.runtime)
    #expect(runtimes.contains(.rust))
  }
}
