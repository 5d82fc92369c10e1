import CPtraceShim
import CSeccomp
import Glibc

/// The fast path's seccomp-bpf program: SECCOMP_RET_TRACE for the calls of the thread story, allow for the rest,
/// so the tracee stops only where the lifecycle model has something to read.
///
/// Built in the tracer with libseccomp and handed to the child as classic BPF, which it installs right before
/// exec: the child runs nothing but async-signal-safe calls. The filter outlives the tracer: untraced, a
/// SECCOMP_RET_TRACE call fails with ENOSYS, so whoever stops tracing must kill the tracees, never detach.
public enum SeccompFilter {
  /// Calls traced in every case.
  public static let lifecycleCalls =
    [
      // Not `exit`: a thread's end stops at PTRACE_EVENT_EXIT anyway, where the engine reads the call.
      // Not `set_robust_list` and `rseq`: the engine reads what they registered at the exit stop
      // (`RegistrationReads`), unless the kernel is too old to report rseq.
      "clone", "clone3", "fork", "vfork", "execve", "execveat", "exit_group", "mmap", "mprotect", "munmap",
      "madvise", "futex_waitv", "sigaltstack", "prctl", "set_tid_address", "arch_prctl", "sched_setaffinity",
      "wait4", "waitid", "kill", "tkill", "tgkill",
      // A thread named by another one: glibc's pthread_setname_np opens /proc/self/task/TID/comm, writes, closes.
      "openat", "open", "close",
    ] + (RegistrationReads.kernelReportsRseq ? [] : ["rseq"])

  private static let lifecycleCallSet = Set(lifecycleCalls)

  /// Whether the filter would stop at `name` with `args`: what an attached trace, which cannot have the
  /// filter, reports by default.
  public static func traces(name: String, args: [UInt64], allFutex: Bool, calls: Set<String>? = nil) -> Bool {
    if name == "futex" {
      // The filter's futex rule: (op & FUTEX_PRIVATE_FLAG) == 0 unless allFutex.
      return (calls?.contains(name) ?? true) && (allFutex || args.count > 1 && args[1] & 128 == 0)
    }
    if let calls { return calls.contains(name) }
    switch name {
    case "write": return args.first.map { $0 > 2 } ?? false
    case "sigaltstack": return args.first.map { $0 != 0 } ?? true
    case "exit": return true
    default: return lifecycleCallSet.contains(name)
    }
  }

  /// The program as `sock_filter` bytes (8 per instruction).
  ///
  /// - Parameter allFutex: trace private futexes too (FUTEX_PRIVATE_FLAG: mutexes, condition variables); by
  ///   default only shared ones stop, which include joins (the kernel wakes the CLONE_CHILD_CLEARTID word with a
  ///   shared wake, so glibc waits on it without the private flag).
  /// - Parameter calls: the calls to stop at instead of `lifecycleCalls` (`trace --syscalls`); a `futex` among
  ///   them is still filtered by `allFutex`, `write` is then not limited to fds above 2.
  public static func program(allFutex: Bool, calls: Set<String>? = nil) throws(EngineError) -> [UInt8] {
    guard let context = seccomp_init(SCMP_ACT_ALLOW) else {
      throw EngineError(.filterFailed, request: "seccomp_init", errno: ENOMEM)
    }
    defer { seccomp_release(context) }
    // Every syscall of the traced program runs this filter, the calls we do not stop at included (a getppid
    // loop pays it 200,000 times): a binary tree over the syscall numbers rather than libseccomp's default
    // chain of comparisons, one per rule, that an untraced call walks to its end. libseccomp before 2.5 lacks
    // the attribute: the chain is as correct, only longer.
    _ = seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2)
    // Also the i386 ABI (int 0x80 from a 64-bit task): a filter that only knew x86_64 numbers would let a
    // compat clone or exit pass unseen.
    let result = seccomp_arch_add(context, cseccomp_arch_x86())
    if result < 0 && result != -EEXIST { throw EngineError(.filterFailed, request: "seccomp_arch_add", errno: -result) }
    let trace = cseccomp_act_trace(0)
    for name in calls?.sorted() ?? lifecycleCalls where name != "futex" {
      if calls == nil, name == "sigaltstack" {
        // Only a call that sets or disables a stack (ss != NULL): the query every Go and Rust thread makes at
        // start changes nothing the story tells, and was one of such a thread's stops.
        try add(context, name, action: trace, comparisons: [scmp_arg_cmp(arg: 0, op: SCMP_CMP_NE, datum_a: 0, datum_b: 0)])
        continue
      }
      try add(context, name, action: trace, comparisons: [])
    }
    if calls?.contains("futex") ?? true {
      try add(context, "futex", action: trace, comparisons: allFutex ? [] : [
        // (op & FUTEX_PRIVATE_FLAG) == 0
        scmp_arg_cmp(arg: 1, op: SCMP_CMP_MASKED_EQ, datum_a: 128, datum_b: 0)
      ])
    }
    if calls == nil {
      // Writes to fd 0…2 never name a thread; skipping them keeps chatty programs fast.
      try add(context, "write", action: trace, comparisons: [scmp_arg_cmp(arg: 0, op: SCMP_CMP_GT, datum_a: 2, datum_b: 0)])
    }
    return try export(context)
  }

  private static func add(
    _ context: scmp_filter_ctx, _ name: String, action: UInt32, comparisons: [scmp_arg_cmp]
  ) throws(EngineError) {
    let number = seccomp_syscall_resolve_name(name)
    guard number >= 0 else { return }
    let result = comparisons.withUnsafeBufferPointer {
      seccomp_rule_add_array(context, action, number, UInt32($0.count), $0.baseAddress)
    }
    if result < 0 { throw EngineError(.filterFailed, request: "seccomp_rule_add(\(name))", errno: -result) }
  }

  /// libseccomp 2.5 exports only to a file descriptor: go through a memfd.
  private static func export(_ context: scmp_filter_ctx) throws(EngineError) -> [UInt8] {
    let fd = cpt_memfd("threadtrace-filter")
    if fd < 0 { throw EngineError(.filterFailed, request: "memfd_create", errno: -fd) }
    defer { close(fd) }
    let result = seccomp_export_bpf(context, fd)
    if result < 0 { throw EngineError(.filterFailed, request: "seccomp_export_bpf", errno: -result) }
    let size = lseek(fd, 0, SEEK_END)
    guard size > 0, size % 8 == 0 else { throw EngineError(.filterFailed, request: "seccomp_export_bpf", errno: EINVAL) }
    var program = [UInt8](repeating: 0, count: Int(size))
    let got = program.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(size), 0) }
    guard got == size else { throw EngineError(.filterFailed, request: "pread", errno: got < 0 ? Glibc.errno : EIO) }
    return program
  }
}
