import Analysis
import Testing
import TraceModel

/// Every sentence a task story can hold, from strace lines that produce it.
@Suite("Explain: task stories")
struct TaskStoryTests {
  static let threadFlags = ExplainRuleTests.threadFlags

  @Test func aJoinedGlibcThread() throws {
    let explained = try Explained(glibcThread)
    let story = TaskStory.tell(try #require(explained.task(tid: 101)))
    #expect(story.hasPrefix("Thread 101 was created by 100 with clone3 as a thread of process 100. "))
    #expect(story.contains(" It shares the address space, file descriptor table, cwd, root and umask, signal handlers, thread group (pid), SysV semaphore undo list and namespaces. "))
    #expect(story.contains(" It ran on an 8 MiB stack above a 4 KiB guard (mapping at 0x7f0000000000). "))
    #expect(story.contains(" It registered an rseq area and a robust futex list. "))
    #expect(story.contains(" It exited with status 0 (exit); the kernel then cleared its child_tid word and woke its joiner. "))
    #expect(story.hasSuffix(" Task 100 joined it, waiting on its child_tid word (pthread_join)."))
    let main = TaskStory.tell(try #require(explained.task(tid: 100)))
    #expect(main == "Task 100 was there when the trace began. It ended its process with status 0 (exit_group).")
  }

  @Test func processesVforksAndExecs() throws {
    let explained = try Explained("""
      1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f2000000a10) = 2
      2 execve("/nope", ["nope"], 0x7ffd00000000 /* 3 vars */) = -1 ENOENT (No such file or directory)
      2 execve("/bin/true", ["true"], 0x7ffd00000000 /* 3 vars */) = 0
      2 exit_group(0)                     = ?
      2 +++ exited with 0 +++
      1 wait4(2, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 2
      1 vfork()                           = 3
      3 execve("/bin/sleep", ["sleep", "9"], 0x7ffd00000000 /* 3 vars */ <unfinished ...>
      """)
    #expect(
      TaskStory.tell(try #require(explained.task(tid: 2)))
        == "Task 2 was created by 1 with clone as a new process. It shares the namespaces and got copies of the address space, file descriptor table, cwd, root and umask, signal handlers and TLS (thread pointer). Running /nope failed with ENOENT. It ran /bin/true. It ended its process with status 0 (exit_group). Task 1 reaped it with wait.")
    #expect(
      TaskStory.tell(try #require(explained.task(tid: 3)))
        == "Task 3 was created by 1 with vfork as a vfork child: 1 was suspended until it called execve or exited. It shares the address space and namespaces and got copies of the file descriptor table, cwd, root and umask, signal handlers and TLS (thread pointer). It called execve on /bin/sleep, which had not returned when the trace ended. It was still alive when the trace ended.")
  }

  @Test func stacksOfEveryKind() throws {
    let explained = try Explained("""
      1 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f459c6fe000
      1 clone3({flags=\(Self.threadFlags), child_tid=0x7f459c7fd990, parent_tid=0x7f459c7fd990, exit_signal=0, stack=0x7f459c6fe000, stack_size=0xffd00, tls=0x7f459c7fd6c0} => {parent_tid=[2]}, 88) = 2
      2 mmap(0x7f459c6fe000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7f459c6fe000
      2 mprotect(0x7f459c6fe000, 16384, PROT_NONE) = 0
      2 prctl(PR_SET_NAME, "worker-0") = 0
      2 exit(0) = ?
      2 +++ exited with 0 +++
      1 clone3({flags=\(Self.threadFlags), child_tid=0x7f459c7fd990, parent_tid=0x7f459c7fd990, exit_signal=0, stack=0x7f459c6fe000, stack_size=0xffd00, tls=0x7f459c7fd6c0} => {parent_tid=[3]}, 88) = 3
      1 clone3({flags=\(Self.threadFlags), child_tid=0x9990, parent_tid=0x9990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} => {parent_tid=[4]}, 88) = 4
      1 clone(child_stack=0xc000060000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_SETTLS, tls=0xc000050098) = 5
      1 openat(AT_FDCWD, "/proc/self/task/4/comm", O_RDWR) = 3
      1 write(3, "named-4", 7) = 7
      5 sched_setaffinity(0, 8, [1]) = 0
      5 sigaltstack({ss_sp=0xc000070000, ss_flags=0, ss_size=32768}, NULL) = 0
      """)
    let two = TaskStory.tell(try #require(explained.task(tid: 2)))
    #expect(two.contains(" It ran on a 1 MiB stack with no guard page (mapping at 0x7f459c6fe000); its runtime later made the lowest 16 KiB a guard zone. "))
    #expect(two.contains(" It named itself \"worker-0\". "))
    let three = TaskStory.tell(try #require(explained.task(tid: 3)))
    #expect(three.contains("(mapping at 0x7f459c6fe000), reused from thread 2. "))
    let four = TaskStory.tell(try #require(explained.task(tid: 4)))
    #expect(four.contains(" Its stack is 256 KiB at 0x900000, mapped before the trace began. "))
    #expect(four.contains(" It was named \"named-4\" through its /proc comm file. "))
    let five = TaskStory.tell(try #require(explained.task(tid: 5)))
    #expect(five.contains(" Its stack is in memory its runtime manages, not a mapping of its own. "))
    #expect(five.contains(" It registered an alternate signal stack and CPU affinity 1. "))
  }

  @Test func endings() throws {
    let explained = try Explained("""
      1 clone3({flags=\(Self.threadFlags), child_tid=0x990, parent_tid=0x990, exit_signal=0, stack=0x900000, stack_size=0x40000, tls=0x96c0} => {parent_tid=[2]}, 88) = 2
      1 clone3({flags=\(Self.threadFlags), child_tid=0xa990, parent_tid=0xa990, exit_signal=0, stack=0xa00000, stack_size=0x40000, tls=0xa6c0} => {parent_tid=[3]}, 88) = 3
      3 execve("/bin/true", ["/bin/true"], 0x7ffc00000000 /* 35 vars */ <unfinished ...>
      2 <... pause resumed>)              = ?
      2 +++ exited with 0 +++
      1 +++ superseded by execve in pid 3 +++
      1 <... execve resumed>)             = 0
      1 clone3({flags=\(Self.threadFlags), child_tid=0xb990, parent_tid=0xb990, exit_signal=0, stack=0xb00000, stack_size=0x40000, tls=0xb6c0} => {parent_tid=[4]}, 88) = 4
      1 exit_group(1) = ?
      4 +++ exited with 1 +++
      1 +++ exited with 1 +++
      7 +++ killed by SIGSEGV (core dumped) +++
      8 exit(0) = ?
      8 +++ exited with 0 +++
      """)
    let records = explained.lifecycle.records
    let two = TaskStory.tell(try #require(records.first { $0.tid == 2 }))
    #expect(two.contains(" It ended when thread 3 called execve; the kernel then cleared its child_tid word and woke its joiner."))
    let leader = TaskStory.tell(try #require(records.first { $0.tid == 1 && $0.formerTID == nil }))
    #expect(leader.hasSuffix(" It was replaced when thread 3 called execve and took over its tid."))
    let execer = TaskStory.tell(try #require(records.first { $0.formerTID == 3 }))
    #expect(execer.hasPrefix("Thread 1 (tid 3 before its exec) was created by 1 with clone3 as a thread of process 1. "))
    let four = TaskStory.tell(try #require(explained.task(tid: 4)))
    #expect(four.contains(" It ended when thread 1 called exit_group; "))
    #expect(TaskStory.tell(try #require(explained.task(tid: 7))) == "Task 7 was there when the trace began. It was killed by SIGSEGV, with a core dump.")
    #expect(TaskStory.tell(try #require(explained.task(tid: 8))) == "Task 8 was there when the trace began. It exited with status 0 (exit).")
  }
}
