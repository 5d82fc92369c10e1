/// The robust futex list and the rseq area the kernel holds for a task, as the live tracer read them (live traces
/// only).
///
/// glibc registers both at every thread's start (`set_robust_list`, `rseq`). Stopping at those two calls cost
/// every thread two of its ptrace stops; the fast path instead asks the kernel what the task has registered when
/// it stops anyway: at its exit stop (PTRACE_EVENT_EXIT comes before `exit_mm`, where the kernel walks the robust
/// list and drops the rseq area), at an `execve` entry (exec clears both), and right after an attach (the task
/// registered them before we came). `get_robust_list(2)` and `PTRACE_GET_RSEQ_CONFIGURATION` (Linux 5.13) read
/// them. The last registration is what is seen, not every call.
public struct RegistrationState: Hashable, Sendable {
  /// When the registrations were read.
  public enum Moment: String, Hashable, Sendable, CaseIterable {
    case attach
    case exec
    case exit
  }

  public var moment: Moment
  /// nil: not read (the calls were stopped at instead, or the kernel refused).
  public var robustList: RobustList?
  /// nil: not read (the calls were stopped at instead, or the kernel is older than 5.13).
  public var rseq: Rseq?

  /// `struct robust_list_head *` and its length as `get_robust_list` returns them; head 0: none registered.
  public struct RobustList: Hashable, Sendable {
    public var head: UInt64
    public var length: UInt64

    public init(head: UInt64, length: UInt64) {
      self.head = head
      self.length = length
    }
  }

  /// `struct ptrace_rseq_configuration`: address 0 means none registered.
  public struct Rseq: Hashable, Sendable {
    public var address: UInt64
    public var length: UInt32
    public var signature: UInt32
    /// The flags given at registration (`RSEQ_FLAG_*` other than unregister; none are defined today).
    public var flags: UInt32

    public init(address: UInt64, length: UInt32, signature: UInt32, flags: UInt32 = 0) {
      self.address = address
      self.length = length
      self.signature = signature
      self.flags = flags
    }
  }

  public init(moment: Moment, robustList: RobustList? = nil, rseq: Rseq? = nil) {
    self.moment = moment
    self.robustList = robustList
    self.rseq = rseq
  }
}
