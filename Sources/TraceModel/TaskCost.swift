/// What being traced cost one task, and how much it gave way to others: read by the live tracer from
/// `/proc/TGID/task/TID/status` at the task's exit stop (PTRACE_EVENT_EXIT, when the task is still whole).
public struct TaskCost: Hashable, Sendable {
  /// The ptrace stops the tracer made the task take.
  public var stops: Int
  /// Times the task gave up the CPU itself (blocking in a syscall, sleeping), not counting its ptrace stops:
  /// each stop is one such switch in the kernel's count (`voluntary_ctxt_switches`), so they are taken off.
  public var voluntarySwitches: Int
  /// Times the scheduler took the CPU away from it (`nonvoluntary_ctxt_switches`): preemption, time slice end.
  public var involuntarySwitches: Int

  public init(stops: Int, voluntarySwitches: Int, involuntarySwitches: Int) {
    self.stops = stops
    self.voluntarySwitches = voluntarySwitches
    self.involuntarySwitches = involuntarySwitches
  }
}
