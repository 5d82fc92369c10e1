import SyscallDecoding
import TraceModel

/// The tasks of one trace that share a setup recipe, with what they then did (exec, end, join).
public struct TaskGroup: Hashable, Sendable {
  public var recipe: SetupRecipe
  public var count = 0
  /// The first few tids, to point back at the trace (never compared).
  public var exampleTIDs: [Int32] = []
  /// Order of first sight of the group's first task (never compared).
  public var firstID: Int
  public var execs = Tally()
  public var ends = Tally()
  public var joins = Tally()

  static let exampleCount = 4

  public init(recipe: SetupRecipe, firstID: Int) {
    self.recipe = recipe
    self.firstID = firstID
  }

  mutating func add(_ record: TaskRecord) {
    count += 1
    if exampleTIDs.count < Self.exampleCount { exampleTIDs.append(record.tid) }
    firstID = min(firstID, record.id)
    execs.add(Behaviour.exec(record))
    ends.add(Behaviour.end(record))
    joins.add(Behaviour.join(record))
  }

  /// Takes in the tasks of another group (whose recipe became the same as this one's).
  mutating func merge(_ other: TaskGroup) {
    count += other.count
    exampleTIDs = Array((exampleTIDs + other.exampleTIDs).prefix(Self.exampleCount))
    firstID = min(firstID, other.firstID)
    execs.add(other.execs)
    ends.add(other.ends)
    joins.add(other.joins)
  }

  /// How many tasks did each thing, in order of first sight. Compared by which things happened, not how often:
  /// the counts follow the number of tasks, which is compared on its own.
  public struct Tally: Hashable, Sendable {
    public private(set) var entries: [(value: String, count: Int)] = []

    public init() {}

    mutating func add(_ value: String, count: Int = 1) {
      if let index = entries.firstIndex(where: { $0.value == value }) {
        entries[index].count += count
      } else {
        entries.append((value, count))
      }
    }

    mutating func add(_ other: Tally) {
      for entry in other.entries { add(entry.value, count: entry.count) }
    }

    public var values: Set<String> { Set(entries.map(\.value)) }

    /// `exit`, or `exit ×3, killed by SIGKILL ×1` when the tasks differ.
    public var text: String {
      if entries.count == 1 { return entries[0].value }
      return entries.map { "\($0.value) ×\($0.count)" }.joined(separator: ", ")
    }

    public static func == (lhs: Tally, rhs: Tally) -> Bool {
      lhs.entries.map(\.value) == rhs.entries.map(\.value) && lhs.entries.map(\.count) == rhs.entries.map(\.count)
    }

    public func hash(into hasher: inout Hasher) {
      for entry in entries {
        hasher.combine(entry.value)
        hasher.combine(entry.count)
      }
    }
  }
}

/// What a task did after its setup, in the words the diff shows.
enum Behaviour {
  static let noExec = "none"

  static func exec(_ record: TaskRecord) -> String {
    let programs = record.execs.filter(\.succeeded).map { exec in
      exec.path.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "?"
    }
    return programs.isEmpty ? noExec : programs.joined(separator: " → ")
  }

  static func end(_ record: TaskRecord) -> String {
    guard let end = record.end else { return "still running when the trace ended" }
    switch end {
    case .exited(_, let cause):
      switch cause {
      case .exit: return "exit"
      case .exitGroup: return exitGroup
      case .groupExit: return endedByGroupExit
      case .execByOtherThread: return "ended by another thread's execve"
      case .unknown: return "exited (no call shown)"
      }
    case .killed(let signal, _): return "killed by \(Signals.name(of: signal) ?? "signal \(signal)")"
    case .supersededByExec: return "replaced by a thread's execve"
    }
  }

  static let exitGroup = "exit_group"
  static let endedByGroupExit = "ended by another thread's exit_group"

  /// What the end says about the setup: calling exit_group oneself and being ended by another thread's are the
  /// same outcome, the process ending with the task in it.
  static func endClass(_ end: String) -> String {
    end == endedByGroupExit ? exitGroup : end
  }

  static let notJoined = "no join seen"

  static func join(_ record: TaskRecord) -> String {
    guard let join = record.joinedBy else { return notJoined }
    switch join.how {
    case .futexOnChildTID: return "futex wait on its child_tid (pthread_join)"
    case .wait: return "reaped by wait4/waitid"
    }
  }
}
