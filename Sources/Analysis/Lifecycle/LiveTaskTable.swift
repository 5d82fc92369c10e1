/// The fold's live tasks by current tid: a dictionary, with a direct-mapped cache of 64 slots in front.
///
/// The fold looks a task up for every event. `Lifecycle.lastTask` catches runs of one task's events, but a log
/// interleaves a few busy threads, and a dictionary lookup hashes the `Int32` through the standard library's
/// byte-wise hasher (measured: ~2% of the JSON summary's time on a thread-dense log). The cache mirrors the
/// dictionary exactly: every store goes through the subscript, which updates both.
struct LiveTaskTable {
  private var tasks: [Int32: LiveTask] = [:]
  /// The tid each slot holds, or `Int32.min` (not a tid) for none; the task of a slot is in `cachedTasks`.
  private var cachedTIDs = ContiguousArray<Int32>(repeating: .min, count: 64)
  private var cachedTasks = ContiguousArray<LiveTask?>(repeating: nil, count: 64)

  @inline(__always) private static func slot(_ tid: Int32) -> Int { Int(truncatingIfNeeded: tid) & 63 }

  /// Every live task, in no particular order.
  var all: Dictionary<Int32, LiveTask>.Values { tasks.values }

  subscript(tid: Int32) -> LiveTask? {
    mutating get {
      let slot = Self.slot(tid)
      if cachedTIDs[slot] == tid { return cachedTasks[slot] }
      guard let task = tasks[tid] else { return nil }
      cachedTIDs[slot] = tid
      cachedTasks[slot] = task
      return task
    }
    set {
      tasks[tid] = newValue
      let slot = Self.slot(tid)
      if let newValue {
        cachedTIDs[slot] = tid
        cachedTasks[slot] = newValue
      } else if cachedTIDs[slot] == tid {
        cachedTIDs[slot] = .min
        cachedTasks[slot] = nil
      }
    }
  }
}
