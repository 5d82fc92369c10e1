import CPtraceShim
import Glibc

/// A task's voluntary and involuntary context switches, read at its exit stop for its cost.
///
/// Taskstats (generic netlink, TASKSTATS_CMD_GET) hands over the kernel's counters in a binary struct for one
/// send and one receive: about 1.9 µs against 5 µs to open, have the kernel format, read and parse
/// /proc/TGID/task/TID/status, at every task's end (measured on 2,000 pthreads, one CPU: the traced run took
/// 180 ms instead of 210, more than those 3 µs a task, as the /proc read also takes the task's locks). It needs
/// CAP_NET_ADMIN and a kernel built with CONFIG_TASKSTATS; the first refusal turns to /proc for good.
final class ContextSwitches {
  enum Source { case automatic, procOnly }

  private var socket: Int32 = -1
  private var family: UInt16 = 0
  private var sequence: UInt32 = 0
  private var procOnly: Bool

  /// Whether the next read asks taskstats (until a refusal turned it to /proc).
  var readsTaskstats: Bool { !procOnly }

  init(_ source: Source = .automatic) {
    procOnly = source == .procOnly
  }

  deinit {
    if socket >= 0 { close(socket) }
  }

  func read(tgid: Int32, tid: Int32) -> (voluntary: Int, involuntary: Int)? {
    if !procOnly, let counts = fromTaskstats(tid) { return counts }
    let counts = ProcFiles.statusNumbers(
      ["voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"], path: "/proc/\(tgid)/task/\(tid)/status")
    guard let voluntary = counts[0], let involuntary = counts[1] else { return nil }
    return (voluntary, involuntary)
  }

  private func fromTaskstats(_ tid: Int32) -> (voluntary: Int, involuntary: Int)? {
    if socket < 0 {
      let fd = cpt_taskstats_open(&family)
      guard fd >= 0 else {
        procOnly = true
        return nil
      }
      socket = fd
    }
    sequence &+= 1
    var voluntary: UInt64 = 0
    var involuntary: UInt64 = 0
    let status = cpt_taskstats_switches(socket, family, tid, sequence, &voluntary, &involuntary)
    guard status == 0 else {
      // ESRCH concerns this task only; anything else (EPERM without CAP_NET_ADMIN) every task.
      if status != -ESRCH { procOnly = true }
      return nil
    }
    return (Int(truncatingIfNeeded: voluntary), Int(truncatingIfNeeded: involuntary))
  }
}
