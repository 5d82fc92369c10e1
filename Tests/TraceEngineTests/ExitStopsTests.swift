import Testing

@testable import TraceEngine

@Suite("The fast path stops at a call's exit only when the story reads its result")
struct ExitStopsTests {
  @Test(arguments: ["mmap", "clone", "clone3", "fork", "vfork", "execve", "execveat", "wait4", "waitid", "openat"])
  func resultsTheStoryReads(_ name: String) {
    #expect(ExitStops.needed(name: name, args: [0, 0, 0, 0, 0, 0]))
  }

  @Test(arguments: [
    "mprotect", "munmap", "madvise", "set_robust_list", "rseq", "set_tid_address", "arch_prctl", "sched_setaffinity",
    "close", "write", "kill", "tgkill",
  ])
  func entriesThatSayItAll(_ name: String) {
    #expect(!ExitStops.needed(name: name, args: [0x1000, 24, 0, 0, 0, 0]))
  }

  @Test func futexWaitsButNotWakes() {
    // FUTEX_WAIT (0) on a tid word, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME (9|128|256), FUTEX_WAKE (1).
    #expect(ExitStops.needed(name: "futex", args: [0x7f00, 0, 5, 0, 0, 0]))
    #expect(ExitStops.needed(name: "futex", args: [0x7f00, 9 | 128 | 256, 5, 0, 0, 0]))
    #expect(!ExitStops.needed(name: "futex", args: [0x7f00, 1, 1, 0, 0, 0]))
    #expect(!ExitStops.needed(name: "futex", args: [0x7f00, 1 | 128, 1, 0, 0, 0]))
  }

  @Test func prctlOnlyForQueries() {
    #expect(ExitStops.needed(name: "prctl", args: [16, 0x7f00, 0, 0, 0, 0]))  // PR_GET_NAME
    #expect(!ExitStops.needed(name: "prctl", args: [15, 0x7f00, 0, 0, 0, 0]))  // PR_SET_NAME
    // A sigaltstack query changes nothing; a new stack is in the entry's arguments.
    #expect(!ExitStops.needed(name: "sigaltstack", args: [0, 0x7f00, 0, 0, 0, 0]))
    #expect(!ExitStops.needed(name: "sigaltstack", args: [0x7f00, 0, 0, 0, 0, 0]))
  }

  @Test func callsChosenWithSyscallsShowTheirResults() {
    #expect(ExitStops.needed(name: "read", args: [0, 0x7f00, 64, 0, 0, 0]))
    #expect(ExitStops.needed(name: "getppid", args: [0, 0, 0, 0, 0, 0]))
  }
}
