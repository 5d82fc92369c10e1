/// Which of the fast path's calls are worth a stop at their exit.
///
/// A stop costs two context switches of tracer and tracee (the tracee sleeps in `ptrace_stop`, the tracer wakes
/// in `waitpid`, then the other way round). The seccomp stop at the entry already shows every argument, so the
/// fast path steps on to the exit (PTRACE_SYSCALL) only when the thread story reads the result, and otherwise
/// resumes with PTRACE_CONT: those calls are reported with `completeness == .resultUnread`.
///
/// The clone family and execve still step to the exit, for their failures: a success ends at an event stop that
/// already says what the exit would (the new tid from PTRACE_GETEVENTMSG, PTRACE_EVENT_EXEC), and the engine
/// completes the call there and skips the exit (`Tracer.completeAtEvent`).
enum ExitStops {
  /// Whether the exit of `name` (entered with the raw `args`) is needed.
  static func needed(name: String, args: [UInt64]) -> Bool {
    switch name {
    // The result is what the story is about: the mapped address, the new task, the reaped child, the fd a
    // thread's name will be written to.
    case "mmap", "mmap2", "clone", "clone3", "fork", "vfork", "execve", "execveat", "wait4", "waitid",
      "waitpid", "open", "openat", "futex_waitv":
      return true
    case "futex":
      // A wait's return says whether a join completed (0 after the exit-time wake, EAGAIN when the word had
      // changed); wakes and requeues change nothing the story shows.
      guard args.count > 1 else { return true }
      let command = args[1] & 0x7f  // FUTEX_CMD_MASK: without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME
      return command == 0 || command == 9 || command == 11  // FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI
    case "prctl":
      // PR_GET_NAME (16) returns the name through memory the exit would read; PR_SET_NAME (15) says it at entry.
      return args.first == 16
    // sigaltstack: a query (ss == NULL, as Rust's std makes at every thread start) changes nothing the story
    // tells; a new stack is in the entry's arguments.
    case "mprotect", "munmap", "madvise", "set_robust_list", "rseq", "set_tid_address", "arch_prctl", "sigaltstack",
      "sched_setaffinity", "close", "write", "kill", "tkill", "tgkill":
      // The entry says all the story uses.
      return false
    default:
      // A call chosen with --syscalls that the story does not interpret: its result is all there is to show.
      return true
    }
  }
}
