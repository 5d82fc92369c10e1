import CPtraceShim
import TraceModel

/// The ptrace requests the engine makes, one static function per request (the shim returns 0 or -errno).
///
/// `ESRCH` from a resuming request is not an error: the tracee died (SIGKILL, another thread's `exit_group`)
/// between its stop and our request, and `waitpid` will report how it ended (strace: "We assume that ptrace error
/// was caused by process death"). Those requests return `false` then instead of throwing.
enum Ptrace {
  /// The options of every launched tracee; `traceSeccomp` adds PTRACE_O_TRACESECCOMP for the fast path.
  static func options(traceSeccomp: Bool, exitKill: Bool) -> UInt32 {
    var options =
      cpt_option_tracesysgood | cpt_option_traceclone | cpt_option_tracefork | cpt_option_tracevfork
      | cpt_option_traceexec | cpt_option_traceexit
    if traceSeccomp { options |= cpt_option_traceseccomp }
    if exitKill { options |= cpt_option_exitkill }
    return options
  }

  static func seize(_ tid: Int32, options: UInt32) throws(EngineError) {
    let result = cpt_seize(tid, options)
    if result < 0 { throw EngineError(.attachFailed, request: "PTRACE_SEIZE", errno: -result) }
  }

  @discardableResult
  static func interrupt(_ tid: Int32) throws(EngineError) -> Bool {
    try resumeResult(cpt_interrupt(tid), "PTRACE_INTERRUPT")
  }

  @discardableResult
  static func syscall(_ tid: Int32, signal: Int32 = 0) throws(EngineError) -> Bool {
    try resumeResult(cpt_syscall(tid, signal), "PTRACE_SYSCALL")
  }

  @discardableResult
  static func cont(_ tid: Int32, signal: Int32 = 0) throws(EngineError) -> Bool {
    try resumeResult(cpt_cont(tid, signal), "PTRACE_CONT")
  }

  @discardableResult
  static func listen(_ tid: Int32) throws(EngineError) -> Bool {
    try resumeResult(cpt_listen(tid), "PTRACE_LISTEN")
  }

  @discardableResult
  static func detach(_ tid: Int32, signal: Int32 = 0) throws(EngineError) -> Bool {
    try resumeResult(cpt_detach(tid, signal), "PTRACE_DETACH")
  }

  /// PTRACE_GETEVENTMSG; nil if the tracee is gone.
  static func eventMessage(_ tid: Int32) -> UInt64? {
    var message: UInt = 0
    return cpt_geteventmsg(tid, &message) == 0 ? UInt64(message) : nil
  }

  static func syscallInfo(_ tid: Int32) -> cpt_syscall_info? {
    var info = cpt_syscall_info()
    return cpt_get_syscall_info(tid, &info) == 0 ? info : nil
  }

  static func signalInfo(_ tid: Int32) -> cpt_siginfo? {
    var info = cpt_siginfo()
    return cpt_getsiginfo(tid, &info) == 0 ? info : nil
  }

  /// The task's robust list head (0: none), read with get_robust_list(2); nil if the kernel refused.
  static func robustList(_ tid: Int32) -> RegistrationState.RobustList? {
    var head: UInt64 = 0
    var length: UInt64 = 0
    return cpt_get_robust_list(tid, &head, &length) == 0 ? .init(head: head, length: length) : nil
  }

  /// The task's rseq registration (address 0: none); nil if the kernel has no PTRACE_GET_RSEQ_CONFIGURATION.
  static func rseqConfiguration(_ tid: Int32) -> RegistrationState.Rseq? {
    var configuration = cpt_rseq_configuration()
    guard cpt_get_rseq_configuration(tid, &configuration) == 0 else { return nil }
    return .init(
      address: configuration.address, length: configuration.length, signature: configuration.signature,
      flags: configuration.flags)
  }

  private static func resumeResult(_ result: Int32, _ request: String) throws(EngineError) -> Bool {
    if result == 0 { return true }
    if -result == ESRCH_VALUE { return false }
    throw EngineError(.ptraceRequestFailed, request: request, errno: -result)
  }

  /// ESRCH without importing Glibc into every file that names it.
  static let ESRCH_VALUE: Int32 = 3
}
