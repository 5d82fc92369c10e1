import SyscallDecoding
import TraceModel

/// One trace's thread setup: its tasks grouped by recipe, with counts and the runtimes recognised. Built from the
/// lifecycle fold's records as they finish, so it grows with the number of distinct recipes, not of tasks.
public struct SetupProfile: Hashable, Sendable {
  public var groups: [TaskGroup] = []
  public var counts = Counts()
  /// Runtimes recognised in any process, in order of first sight.
  public var runtimes: [RuntimeFingerprint.Runtime] = []
  /// Address space reserved for thread stacks seen as mappings (guards included), and how many stacks.
  public var reservedStackBytes: UInt64 = 0
  public var mappedStacks = 0
  /// Stacks that reused an earlier thread's mapping (glibc's stack cache): they reserved nothing new.
  public var reusedStacks = 0

  public struct Counts: Hashable, Sendable {
    public var initial = 0
    public var threads = 0
    public var processes = 0
    public var vforks = 0
    public var execs = 0
    public var tasks: Int { initial + threads + processes + vforks }
  }

  public init() {}

  /// Adds a finished task record.
  public mutating func add(task record: TaskRecord) {
    let recipe = SetupRecipe(record)
    if let index = groups.firstIndex(where: { $0.recipe == recipe }) {
      groups[index].add(record)
    } else {
      var group = TaskGroup(recipe: recipe, firstID: record.id)
      group.add(record)
      groups.append(group)
    }
    switch record.kind {
    case .initial: counts.initial += 1
    case .thread: counts.threads += 1
    case .process: counts.processes += 1
    case .vfork: counts.vforks += 1
    }
    counts.execs += record.execs.filter(\.succeeded).count
    if let stack = record.stack, stack.source == .mapping, let size = stack.size {
      if stack.reusedFromID != nil {
        reusedStacks += 1
      } else {
        reservedStackBytes += size + (stack.guardSize ?? 0)
        mappedStacks += 1
      }
    }
  }

  /// Adds a finished process record (its runtimes).
  public mutating func add(process: Lifecycle.ProcessRecord) {
    for fingerprint in process.runtimes where !runtimes.contains(fingerprint.runtime) {
      runtimes.append(fingerprint.runtime)
    }
  }

  /// Groups in the order their first task appeared.
  public var orderedGroups: [TaskGroup] { groups.sorted { $0.firstID < $1.firstID } }

  /// The trace recorded the creator's stack of some task (`trace --stacks`).
  public var recordsCreatorFrames: Bool { groups.contains { $0.recipe.creatorFrames != nil } }

  /// The profile grouped without the creators' frames: tasks that differ only by call site are one group.
  public func withoutCreatorFrames() -> SetupProfile {
    guard recordsCreatorFrames else { return self }
    var profile = self
    profile.groups = []
    for var group in orderedGroups {
      group.recipe.creatorFrames = nil
      if let index = profile.groups.firstIndex(where: { $0.recipe == group.recipe }) {
        profile.groups[index].merge(group)
      } else {
        profile.groups.append(group)
      }
    }
    return profile
  }
}
