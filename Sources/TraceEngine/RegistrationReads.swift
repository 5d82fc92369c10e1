import CPtraceShim
import Glibc
import TraceModel

/// Which of a task's registrations the engine asks the kernel for (`RegistrationState`) instead of stopping at the
/// calls that make them.
///
/// glibc's `set_robust_list` and `rseq` at every thread's start were two of a thread's seven stops. Their
/// arguments are what the kernel keeps until the task exits or execs, and reading that state at a stop the task
/// takes anyway (its exit stop, an `execve` entry) costs two system calls of the tracer and no context switch.
struct RegistrationReads: Hashable {
  /// get_robust_list at exit and exec (the filter does not stop at `set_robust_list`).
  var robustList = false
  /// PTRACE_GET_RSEQ_CONFIGURATION at exit and exec (the filter does not stop at `rseq`).
  var rseq = false
  /// Read both right after attaching, whatever is stopped at: they were registered before we came.
  var atAttach = false

  var atStops: Bool { robustList || rseq }

  init(options: TraceOptions, attaching: Bool) {
    // What the user asked to see: the default set, a set that contains it (`-e %lifecycle,…`), or the calls.
    let lifecycle = Set(SeccompFilter.lifecycleCalls)
    func wanted(_ call: String) -> Bool {
      guard let calls = options.syscalls else { return true }
      return calls.contains(call) || lifecycle.isSubset(of: calls)
    }
    func stoppedAt(_ call: String) -> Bool {
      options.mode == .allSyscalls || (options.syscalls ?? lifecycle).contains(call)
    }
    robustList = wanted("set_robust_list") && !stoppedAt("set_robust_list")
    rseq = Self.kernelReportsRseq && wanted("rseq") && !stoppedAt("rseq")
    atAttach = attaching && (wanted("set_robust_list") || wanted("rseq"))
  }

  /// Reads what is enabled for `tid` (stopped, at `moment`); nil when nothing could be read or nothing is
  /// registered.
  func read(_ tid: Int32, at moment: RegistrationState.Moment, architecture: Architecture) -> RegistrationState? {
    let all = moment == .attach
    var state = RegistrationState(moment: moment)
    // An i386 task's list is the compat one, which get_robust_list from a 64-bit tracer does not see: "none"
    // would be wrong, so it stays unread.
    if (all || robustList), architecture == .x86_64 { state.robustList = Ptrace.robustList(tid) }
    if (all && Self.kernelReportsRseq) || rseq { state.rseq = Ptrace.rseqConfiguration(tid) }
    // Nothing registered at all (every Go thread, a static binary without glibc's start-up): a line per task
    // saying so would be noise, and the model has nothing to change.
    let registered = (state.robustList.map { $0.head != 0 } ?? false) || (state.rseq.map { $0.address != 0 } ?? false)
    return registered ? state : nil
  }

  /// PTRACE_GET_RSEQ_CONFIGURATION came with Linux 5.13. On an older kernel the filter stops at `rseq` instead
  /// (`SeccompFilter.lifecycleCalls`).
  static let kernelReportsRseq: Bool = {
    var names = utsname()
    uname(&names)
    let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    return KernelRelease(release).map { $0 >= KernelRelease(major: 5, minor: 13) } ?? true
  }()
}

/// A kernel's `major.minor` from its release string (`6.1.0-18-amd64`, `5.15.0-91-generic`).
struct KernelRelease: Comparable {
  var major: Int
  var minor: Int

  init(major: Int, minor: Int) {
    self.major = major
    self.minor = minor
  }

  init?(_ release: String) {
    let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
    guard numbers.count == 2 else { return nil }
    self.init(major: numbers[0], minor: numbers[1])
  }

  static func < (lhs: KernelRelease, rhs: KernelRelease) -> Bool {
    (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
  }
}
