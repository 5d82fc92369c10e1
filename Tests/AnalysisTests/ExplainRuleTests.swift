import Analysis
import Testing
import TraceModel

/// Every message of every explainer rule, each from strace lines that trigger it (the swift-format style: the
/// input, the rule, the exact text expected).
@Suite("Explain: every rule's messages")
struct ExplainRuleTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let rule: String
    let input: String
    /// Live-only events, explained instead of `input`.
    var events: [TraceEvent]? = nil
    let expected: [String]
    var testDescription: String { "\(rule): \(expected.first?.prefix(50) ?? "")" }
  }

  /// A glibc thread's registrations as the live tracer reads them, at each moment it reads them, and a task
  /// with none (Go's threads register no robust list; glibc.pthread.rseq=0 turns rseq off).
  static let registrationStates: [TraceEvent] = {
    let list = RegistrationState.RobustList(head: 0x7f00_0080_09a0, length: 24)
    let rseq = RegistrationState.Rseq(address: 0x7f00_0080_0fe0, length: 32, signature: 0x5305_3053)
    let none = RegistrationState(
      moment: .exit, robustList: .init(head: 0, length: 24), rseq: .init(address: 0, length: 0, signature: 0))
    return [.exit, .exec, .attach].map {
      TraceEvent(tid: 1, tgid: 1, body: .registrations(RegistrationState(moment: $0, robustList: list, rseq: rseq)))
    } + [TraceEvent(tid: 2, tgid: 2, body: .registrations(none))]
  }()

  static let threadFlags =
    "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID"

  static let cases: [Case] = [
    Case(
      rule: "TaskCreationRule", input: glibcThread,
      expected: [
        "creates thread 101 in process 100, running on an 8 MiB stack above a 4 KiB guard (mapping at 0x7f0000000000)",
        "when it exits the kernel zeroes its tid at 0x7f0000800990 and wakes that futex (CLONE_CHILD_CLEARTID): what pthread_join waits on",
      ]),
    Case(
      rule: "TaskCreationRule",
      input: """
        1 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x10000
        1 clone3({flags=\(threadFlags), child_tid=0x1f990, parent_tid=0x1f990, exit_signal=0, stack=0x10000, stack_size=0xff80, tls=0x1f6c0} => {parent_tid=[2]}, 88) = 2
        1 clone3({flags=\(threadFlags), child_tid=0x9990, parent_tid=0x9990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} => {parent_tid=[3]}, 88) = 3
        1 clone(child_stack=0xc000060000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_SETTLS, tls=0xc000050098) = 4
        """,
      expected: [
        "creates thread 2 in process 1, running on a 64 KiB stack with no guard page below it (mapping at 0x10000)",
        "when it exits the kernel zeroes its tid at 0x1f990 and wakes that futex (CLONE_CHILD_CLEARTID): what pthread_join waits on",
        "creates thread 3 in process 1, running on a 256 KiB stack at 0x900000 (mapped before the trace began)",
        "when it exits the kernel zeroes its tid at 0x9990 and wakes that futex (CLONE_CHILD_CLEARTID): what pthread_join waits on",
        "creates thread 4 in process 1, running on a stack the trace never saw mapped (inside memory the runtime manages, as Go's are)",
      ]),
    Case(
      rule: "TaskCreationRule",
      input: """
        1 vfork()                           = 2
        1 fork()                            = 3
        1 clone(child_stack=0x7f0000010000, flags=CLONE_VM|SIGCHLD) = 4
        1 clone(child_stack=NULL, flags=CLONE_FILES) = 5
        """,
      expected: [
        "creates process 2 on the caller's memory (CLONE_VM) and suspends the caller until 2 calls execve or exits (CLONE_VFORK)",
        "when it ends the kernel sends SIGCHLD to the parent, which must reap it with wait or it stays a zombie",
        "creates process 3: a copy of the caller, memory shared copy-on-write until either side writes",
        "when it ends the kernel sends SIGCHLD to the parent, which must reap it with wait or it stays a zombie",
        "creates process 4 that shares the caller's memory (CLONE_VM without CLONE_THREAD): its own pid, the same address space",
        "when it ends the kernel sends SIGCHLD to the parent, which must reap it with wait or it stays a zombie",
        "creates process 5: a copy of the caller, memory shared copy-on-write until either side writes",
        "no signal reaches the parent when it ends (exit_signal 0): the parent must wait with __WALL or __WCLONE",
      ]),
    Case(
      rule: "TaskCreationRule",
      input: """
        1 clone3({flags=\(threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} <unfinished ...>
        2 set_robust_list(0x9a0, 24)         = 0
        1 <... clone3 resumed> => {parent_tid=[2]}, 88) = 2
        """,
      expected: [
        "creates thread 2 in process 1, running on a 256 KiB stack at 0x900000 (mapped before the trace began)",
        "when it exits the kernel zeroes its tid at 0x990 and wakes that futex (CLONE_CHILD_CLEARTID): what pthread_join waits on",
        "task 2 already ran before this call returned to its parent: its first events appear above",
      ]),
    // Go's runtime, its creator ended in the clone by another thread's exit_group after the child ran.
    Case(
      rule: "TaskCreationRule",
      input: """
        1 clone(child_stack=0xc000060000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_SETTLS, tls=0xc000048090) = 2
        1 clone(child_stack=0xc000070000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_SETTLS, tls=0xc000048490 <unfinished ...>
        3 gettid()                          = 3
        2 exit_group(0)                     = ?
        1 <... clone resumed>)              = ?
        """,
      expected: [
        "creates thread 2 in process 1, running on a stack the trace never saw mapped (inside memory the runtime manages, as Go's are)",
        "creates thread 3 in process 1, running on a stack the trace never saw mapped (inside memory the runtime manages, as Go's are)",
        "the call never returned: its caller was ended in it, after the kernel had made task 3 (the one task the trace shows without a creator; its first events appear above)",
      ]),
    Case(
      rule: "TaskCreationRule",
      input: glibcThread.replacingOccurrences(of: "100 exit_group(0)                     = ?\n100 +++ exited with 0 +++", with: "")
        + "\n100 clone3({flags=\(threadFlags), child_tid=0x7f0000800990, parent_tid=0x7f0000800990, exit_signal=0, stack=0x7f0000000000, stack_size=0x7fff80, tls=0x7f00008006c0} => {parent_tid=[102]}, 88) = 102",
      expected: [
        "creates thread 101 in process 100, running on an 8 MiB stack above a 4 KiB guard (mapping at 0x7f0000000000)",
        "when it exits the kernel zeroes its tid at 0x7f0000800990 and wakes that futex (CLONE_CHILD_CLEARTID): what pthread_join waits on",
        "creates thread 102 in process 100, running on an 8 MiB stack above a 4 KiB guard (mapping at 0x7f0000000000)",
        "reuses the stack of exited thread 101: glibc caches thread stacks instead of unmapping them",
        "when it exits the kernel zeroes its tid at 0x7f0000800990 and wakes that futex (CLONE_CHILD_CLEARTID): what pthread_join waits on",
      ]),
    Case(
      rule: "ResourceSharingRule",
      input: """
        1 clone3({flags=\(threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} => {parent_tid=[2]}, 88) = 2
        1 clone(child_stack=NULL, flags=CLONE_NEWNET|CLONE_NEWUTS|SIGCHLD) = 3
        """,
      expected: [
        "shares address space, file descriptor table, cwd, root and umask, signal handlers, thread group (pid), SysV semaphore undo list, namespaces; new TLS (thread pointer), I/O context",
        "copies address space, file descriptor table, cwd, root and umask, signal handlers, TLS (thread pointer); new thread group (pid), SysV semaphore undo list, uts and net namespaces, I/O context",
      ]),
    Case(
      rule: "CloneFlagRulesRule",
      input: """
        1 clone(child_stack=NULL, flags=CLONE_THREAD|CLONE_PARENT|CLONE_UNTRACED) = -1 EINVAL (Invalid argument)
        1 clone3({flags=CLONE_PIDFD|CLONE_INTO_CGROUP|CLONE_VM|CLONE_SIGHAND, pidfd=0x7ffd0000, exit_signal=SIGCHLD, stack=NULL, stack_size=0, cgroup=3}, 88) = 5
        """,
      expected: [
        "the kernel refuses this: CLONE_THREAD needs CLONE_SIGHAND: a thread group shares one set of signal handlers",
        "CLONE_PARENT: the new task's parent is the caller's parent, not the caller",
        "CLONE_UNTRACED: a tracer cannot follow this child automatically",
        "CLONE_PIDFD: the caller also gets a pidfd for the child, usable with poll and pidfd_send_signal",
        "CLONE_INTO_CGROUP: the child starts in the cgroup given by clone_args.cgroup",
      ]),
    Case(
      rule: "CloneFlagRulesRule",
      input: "1 clone(child_stack=NULL, flags=CLONE_SIGHAND|CLONE_NEWNS|CLONE_FS) = -1 EINVAL (Invalid argument)",
      expected: [
        "the kernel refuses this: CLONE_SIGHAND needs CLONE_VM: handlers are addresses, meaningless in another address space",
        "the kernel refuses this: CLONE_NEWNS cannot be combined with CLONE_FS: a new mount namespace needs its own root and cwd",
      ]),
    Case(
      rule: "CreationFailureRule",
      input: """
        1 clone3({flags=\(threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0}, 88) = -1 EAGAIN (Resource temporarily unavailable)
        1 clone3({flags=\(threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0}, 88) = -1 ENOSYS (Function not implemented)
        1 fork()                            = -1 ENOMEM (Cannot allocate memory)
        1 clone(child_stack=NULL, flags=CLONE_NEWUSER|SIGCHLD) = -1 EPERM (Operation not permitted)
        """,
      expected: [
        "no task was created: clone3 failed with EAGAIN: a task limit was reached (RLIMIT_NPROC, kernel.threads-max, pid_max or the cgroup's pids.max)",
        "no task was created: clone3 failed with ENOSYS: clone3 is not available (an old kernel, or a seccomp filter); glibc then falls back to clone",
        "no task was created: fork failed with ENOMEM: the kernel could not allocate the new task",
        "no task was created: clone failed with EPERM: a flag needs a privilege the caller lacks (for example CAP_SYS_ADMIN for a new namespace)",
      ]),
    Case(
      rule: "ThreadStackRule", input: glibcThread,
      expected: [
        "reserves 8 MiB + 4 KiB for a stack (MAP_STACK) with no access yet: address space only, no memory committed",
        "opens the upper 8 MiB for the stack; the lowest 4 KiB stays PROT_NONE as a guard, so an overflow faults (SIGSEGV) instead of overwriting other memory",
      ]),
    Case(
      rule: "ThreadStackRule",
      input: """
        1 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f459c6fe000
        1 clone3({flags=\(threadFlags), child_tid=0x7f459c7fd990, parent_tid=0x7f459c7fd990, exit_signal=0, stack=0x7f459c6fe000, stack_size=0xffd00, tls=0x7f459c7fd6c0} => {parent_tid=[2]}, 88) = 2
        2 mmap(0x7f459c6fe000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7f459c6fe000
        2 mprotect(0x7f459c6fe000, 16384, PROT_NONE) = 0
        """,
      expected: [
        "maps 1 MiB read-write for a stack (MAP_STACK) with no guard page below it",
        "makes the lowest 16 KiB of thread 2's stack PROT_NONE after it started: a guard zone of the runtime's own (the JVM's yellow and red pages)",
      ]),
    Case(
      rule: "ThreadStackRule",
      input: "1 mmap(NULL, 36864, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f3000000000",
      expected: ["maps 36 KiB read-write for a stack (MAP_STACK) with no guard page below it"]),
    Case(
      rule: "StackReleaseRule",
      input: glibcThread.replacingOccurrences(of: "100 exit_group(0)                     = ?\n100 +++ exited with 0 +++", with: "")
        + "\n100 munmap(0x7f0000000000, 8392704) = 0",
      expected: [
        "gives back the memory of thread 101's stack but keeps the mapping, so a later thread can reuse it (glibc's stack cache)",
        "unmaps the stack thread 101 ran on",
      ]),
    Case(
      rule: "SignalStackRule",
      input: """
        1 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7fb000000000
        1 mprotect(0x7fb000000000, 4096, PROT_NONE) = 0
        1 sigaltstack({ss_sp=0x7fb000001000, ss_flags=0, ss_size=8192}, NULL) = 0
        1 sigaltstack({ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=8192}, NULL) = 0
        1 sigaltstack({ss_sp=0xc000070000, ss_flags=0, ss_size=32768}, NULL) = 0
        """,
      expected: [
        "installs an 8 KiB alternate signal stack at 0x7fb000001000: handlers registered with SA_ONSTACK run there, even after the normal stack overflowed, with a 4 KiB PROT_NONE guard below it",
        "turns its alternate signal stack off (SS_DISABLE), as done before freeing it",
        "installs a 32 KiB alternate signal stack at 0xc000070000: handlers registered with SA_ONSTACK run there, even after the normal stack overflowed",
      ]),
    Case(
      rule: "RseqRule",
      input: """
        1 rseq(0x7f0000800fe0, 0x20, 0, 0x53053053) = 0
        1 rseq(0x7f0000800fe0, 0x20, RSEQ_FLAG_UNREGISTER, 0x53053053) = 0
        1 rseq(0x7f0000800fe0, 0x20, 0, 0x53053053) = -1 EBUSY (Device or resource busy)
        1 rseq(0x7f0000800fe0, 0x20, 0, 0x53053053) = -1 ENOSYS (Function not implemented)
        1 rseq(0x7f0000800fe1, 0x20, 0, 0x53053053) = -1 EINVAL (Invalid argument)
        1 rseq(0x7f0000800fe0, 0x20, 0, 0x12345678) = -1 EPERM (Operation not permitted)
        1 rseq(0x7f0000800fe0, 0x20, 0, 0x53053053) = -1 EFAULT (Bad address)
        """,
      expected: [
        "registers its rseq area (32 bytes at 0x7f0000800fe0, signature 0x53053053): the kernel keeps the current CPU there and aborts this thread's restartable sequences when it is preempted or signalled",
        "unregisters its rseq area; the kernel stops updating it",
        "rseq is already registered for this thread (glibc registers it at thread start)",
        "the kernel has no rseq (older than 4.18), or a seccomp filter hides it",
        "rseq refused the area: wrong length, alignment or flags",
        "rseq refused: the signature differs from the one registered",
        "rseq failed with EFAULT",
      ]),
    Case(
      rule: "RobustListRule", input: "1 set_robust_list(0x7f00008009a0, 24) = 0",
      expected: [
        "registers its robust futex list at 0x7f00008009a0: if the thread exits or dies holding a robust mutex, the kernel marks it FUTEX_OWNER_DIED and wakes a waiter"
      ]),
    Case(
      rule: "RegistrationStateRule", input: "", events: registrationStates,
      expected: [
        "its robust futex list is at 0x7f00008009a0, registered with set_robust_list (read at its exit stop instead of stopping at the call)",
        "its rseq area is 32 bytes at 0x7f0000800fe0, signature 0x53053053: the kernel kept the thread's current CPU there; exit unregisters it",
        "its robust futex list is at 0x7f00008009a0 (set_robust_list); exec forgets it and the new program registers its own",
        "its rseq area is 32 bytes at 0x7f0000800fe0, signature 0x53053053; exec unregisters it",
        "its robust futex list is at 0x7f00008009a0, registered with set_robust_list before the attach",
        "its rseq area is 32 bytes at 0x7f0000800fe0, signature 0x53053053: the kernel keeps the thread's current CPU there",
        "no robust futex list registered: if the thread dies holding a robust mutex, the kernel cannot mark it FUTEX_OWNER_DIED",
        "no rseq area registered (glibc before 2.35, or turned off with glibc.pthread.rseq=0)",
      ]),
    Case(
      rule: "TidAddressRule", input: "1 set_tid_address(0x7f0000000a10) = 1",
      expected: [
        "sets clear_child_tid to 0x7f0000000a10 and learns its tid 1: when it exits while other tasks share its memory, the kernel writes 0 there and wakes one futex waiter"
      ]),
    Case(
      rule: "ThreadPointerRule", input: "1 arch_prctl(ARCH_SET_FS, 0x4f4390) = 0",
      expected: ["points the FS register at 0x4f4390: this thread's TLS (what CLONE_SETTLS does for a new thread)"]),
    Case(
      rule: "AffinityRule",
      input: """
        1 sched_setaffinity(0, 8, [0 1]) = 0
        1 sched_setaffinity(7, 8, [1]) = 0
        """,
      expected: [
        "restricts itself to CPUs 0 1; the scheduler will not run it elsewhere",
        "restricts task 7 to CPUs 1; the scheduler will not run it elsewhere",
      ]),
    Case(
      rule: "ThreadNameRule",
      input: """
        2 gettid()                          = 2
        1 prctl(PR_SET_NAME, "self-named")   = 0
        1 openat(AT_FDCWD, "/proc/self/task/2/comm", O_RDWR) = 3
        1 write(3, "worker-1", 8)            = 8
        1 openat(AT_FDCWD, "/proc/self/task/2/comm", O_RDONLY) = 4
        1 openat(AT_FDCWD, "/proc/self/comm", O_RDONLY) = 5
        1 openat(AT_FDCWD, "/proc/thread-self/comm", O_RDONLY) = 6
        """,
      expected: [
        "names itself \"self-named\" (PR_SET_NAME sets the kernel's comm, at most 15 bytes, shown by ps, top and /proc)",
        "opens thread 2's comm file, to read or set its name",
        "names thread 2 \"worker-1\" by writing its /proc comm file (pthread_setname_np on another thread)",
        "opens thread 2's comm file, to read or set its name",
        "opens the comm file of process self's main thread",
        "opens its own comm file",
      ]),
    Case(
      rule: "FutexRule", input: glibcThread,
      expected: [
        "waits for thread 101 to exit (pthread_join): 0x7f0000800990 is its child_tid word, which the kernel zeroed and woke when 101 exited"
      ]),
    Case(
      rule: "FutexRule",
      input: glibcThread.replacingOccurrences(of: " <unfinished ...>", with: ") = -1 EAGAIN (Resource temporarily unavailable)")
        .replacingOccurrences(of: "100 <... futex resumed>)              = 0\n", with: ""),
      expected: [
        "joins thread 101: its child_tid word 0x7f0000800990 had already changed, so it had exited and no sleep was needed"
      ]),
    Case(
      rule: "FutexRule",
      input: """
        1 clone3({flags=\(threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} => {parent_tid=[2]}, 88) = 2
        1 futex(0x990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 2, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>
        """,
      expected: [
        "waits for thread 2 to exit (pthread_join) on its child_tid word 0x990; the wait had not returned when the trace ended"
      ]),
    Case(
      rule: "FutexRule",
      input: """
        1 futex(0x5000, FUTEX_WAIT_PRIVATE, 2, NULL) = 0
        1 futex(0x6000, FUTEX_WAIT, 0, NULL) = 0
        1 futex(0x5000, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, FUTEX_BITSET_MATCH_ANY) = -1 ETIMEDOUT (Connection timed out)
        1 futex(0x5000, FUTEX_WAIT_PRIVATE, 2, NULL) = -1 EAGAIN (Resource temporarily unavailable)
        1 futex(0x5000, FUTEX_WAKE_PRIVATE, 1) = 1
        1 futex(0x5000, FUTEX_WAKE_PRIVATE, 2147483647) = 0
        1 futex(0x7000, FUTEX_LOCK_PI_PRIVATE, 0, NULL) = 0
        1 futex(0x7000, FUTEX_UNLOCK_PI_PRIVATE) = 0
        1 futex(0x5000, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2147483647, 0x6000, 2) = 1
        """,
      expected: [
        "sleeps until another thread of this process wakes 0x5000 (a private futex: a mutex, condition variable or semaphore)",
        "sleeps on the shared futex 0x6000 (no FUTEX_PRIVATE_FLAG: another process may wake it)",
        "the wait on 0x5000 timed out",
        "did not sleep: the word at 0x5000 no longer held the expected value (EAGAIN)",
        "wakes up to 1 waiters on 0x5000; 1 woke",
        "wakes all waiters on 0x5000; 0 woke",
        "takes the priority-inheritance lock 0x7000: the owner runs at the waiter's priority until it unlocks",
        "releases the priority-inheritance lock 0x7000",
        "moves waiters from 0x5000 to another futex without waking them all (a condition variable broadcast)",
      ]),
    Case(
      rule: "ExecRule",
      input: """
        1 execve("/usr/local/bin/x", ["x"], 0x7ffd00000000 /* 3 vars */) = -1 ENOENT (No such file or directory)
        1 execve("/bin/true", ["true"], 0x7ffd00000000 /* 3 vars */) = 0
        """,
      expected: [
        "could not run /usr/local/bin/x (ENOENT: No such file or directory); the old program goes on",
        "runs /bin/true in place of the old program: a new address space, every other thread gone, caught signals reset to default, close-on-exec descriptors closed; same pid",
      ]),
    Case(
      rule: "ExecRule",
      input: """
        1 clone3({flags=\(threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} => {parent_tid=[2]}, 88) = 2
        2 execve("/bin/true", ["/bin/true"], 0x7ffc00000000 /* 35 vars */ <unfinished ...>
        1 +++ superseded by execve in pid 2 +++
        1 <... execve resumed>)             = 0
        """,
      expected: [
        "thread 2 called execve from outside the main thread: the kernel killed the other threads and gave 2 the leader's tid 1",
        "runs /bin/true in place of the old program: a new address space, every other thread gone, caught signals reset to default, close-on-exec descriptors closed; same pid",
      ]),
    Case(
      rule: "ExitCallRule",
      input: """
        1 exit(0)                           = ?
        2 exit_group(3)                     = ?
        """,
      expected: [
        "ends this thread only (exit); the process lives on while it has other threads",
        "ends every thread of process 2 with status 3 (exit_group: what exit() and returning from main do)",
      ]),
    Case(
      rule: "TaskEndRule", input: glibcThread,
      expected: [
        "thread 101 is gone; the process goes on, and no signal goes to its parent",
        "the kernel zeroed its child_tid word 0x7f0000800990 and woke a futex waiter there (its joiner)",
        "the kernel walked its robust futex list: robust mutexes it still held are now FUTEX_OWNER_DIED",
        "process 100 ended with status 0: its parent gets SIGCHLD and must reap it with wait",
      ]),
    Case(
      rule: "TaskEndRule",
      input: """
        1 clone3({flags=\(threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} => {parent_tid=[2]}, 88) = 2
        1 clone3({flags=\(threadFlags), child_tid=0xa990, parent_tid=0xa990, exit_signal=0, stack=0xa00000, stack_size=0x40000, tls=0xa6c0} => {parent_tid=[3]}, 88) = 3
        3 execve("/bin/true", ["/bin/true"], 0x7ffc00000000 /* 35 vars */ <unfinished ...>
        2 <... pause resumed>)              = ?
        2 +++ exited with 0 +++
        1 +++ superseded by execve in pid 3 +++
        1 <... execve resumed>)             = 0
        1 exit_group(0)                     = ?
        1 +++ exited with 0 +++
        4 clone(child_stack=NULL, flags=CLONE_VM|CLONE_SIGHAND|CLONE_THREAD, tls=0x1) = 5
        4 clone(child_stack=NULL, flags=CLONE_VM|CLONE_SIGHAND|CLONE_THREAD, tls=0x2) = 8
        4 exit_group(1 <unfinished ...>
        8 +++ exited with 1 +++
        4 <... exit_group resumed>) = ?
        4 exit_group(1) = ?
        5 +++ exited with 1 +++
        4 +++ exited with 1 +++
        6 +++ killed by SIGSEGV (core dumped) +++
        7 +++ killed by SIGKILL +++
        """,
      expected: [
        "thread 2 is gone; the process goes on, and no signal goes to its parent",
        "the kernel zeroed its child_tid word 0x990 and woke a futex waiter there (its joiner)",
        "thread 2 ended above because thread 3 called execve",
        "the old main thread 1 is gone: thread 3 exec'd and now carries tid 1",
        "process 1 ended with status 0: its parent gets SIGCHLD and must reap it with wait",
        "thread 8 is gone; the process goes on, and no signal goes to its parent",
        "thread 8 ended above because thread 4 called exit_group",
        "ended by exit_group in thread 4",
        "thread 5 is gone; the process goes on, and no signal goes to its parent",
        "process 4 ended with status 1: its parent gets SIGCHLD and must reap it with wait",
        "killed by SIGSEGV (invalid memory reference): a fatal signal ends every thread of the process; the kernel wrote a core dump",
        "killed by SIGKILL (kill signal, which cannot be caught or ignored): a fatal signal ends every thread of the process",
      ]),
    Case(
      rule: "TaskEndRule",
      input: """
        1 clone(child_stack=NULL, flags=CLONE_FILES) = 2
        2 exit_group(0) = ?
        2 +++ exited with 0 +++
        """,
      expected: ["process 2 ended with status 0: no signal goes to its parent"]),
    Case(
      rule: "ReapRule",
      input: """
        1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 2
        1 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 2
        """,
      expected: ["reaps child 2: collects its exit status and the kernel frees what was left of it (the zombie)"]),
    Case(
      rule: "SignalRule",
      input: """
        1 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
        1 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=1, si_uid=0} ---
        1 --- stopped by SIGSTOP ---
        """,
      expected: [
        "SIGCHLD: child 2 exited, was killed or stopped",
        "SIGUSR1 is delivered: user-defined signal 1",
        "stopped by SIGSTOP: every thread of the process stops until SIGCONT",
      ]),
  ]

  @Test(arguments: cases)
  func messages(_ testCase: Case) throws {
    let explained = try testCase.events.map { Explained(events: $0) } ?? Explained(testCase.input)
    #expect(explained.messages(of: testCase.rule) == testCase.expected)
  }

  @Test func everyRuleHasAMessageTest() {
    let tested = Set(Self.cases.map(\.rule))
    let rules = Set(Explainer.standardRules.map { String(describing: type(of: $0)) })
    #expect(rules.subtracting(tested).isEmpty, "rules without message tests: \(rules.subtracting(tested).sorted())")
  }
}
