import SyscallDecoding
import TraceModel

/// What `threadtrace diff` compares, one row of its table each.
public enum DiffAspect: String, Hashable, Sendable, CaseIterable {
  // The whole trace.
  case tasks
  case execs
  case runtimes
  case stackReservation = "stack_reservation"
  // One group of alike tasks.
  case presence
  case count
  case kind
  case creator = "created_by"
  case flags = "clone_flags"
  case stack
  case tls
  case robustList = "robust_list"
  case rseq
  case signalStack = "sigaltstack"
  case name
  case runtime
  case creatorFrames = "creator_frames"
  case exec
  case end
  case join

  /// The row's label in the text table.
  public var label: String {
    switch self {
    case .tasks: return "tasks"
    case .execs: return "execs"
    case .runtimes: return "runtimes"
    case .stackReservation: return "stack address space"
    case .presence: return "tasks like this"
    case .count: return "count"
    case .kind: return "kind"
    case .creator: return "created by"
    case .flags: return "clone flags"
    case .stack: return "stack"
    case .tls: return "TLS"
    case .robustList: return "robust list"
    case .rseq: return "rseq"
    case .signalStack: return "sigaltstack"
    case .name: return "name"
    case .runtime: return "made by"
    case .creatorFrames: return "created from"
    case .exec: return "exec"
    case .end: return "end"
    case .join: return "joined"
    }
  }

  /// The rows shown for every group, in order (`creatorFrames` only when a side recorded creator stacks).
  public static let groupRows: [DiffAspect] = [
    .count, .kind, .creator, .flags, .stack, .tls, .robustList, .rseq, .signalStack, .name, .runtime, .creatorFrames,
    .exec, .end, .join,
  ]
}

/// One difference, in plain language.
public struct SetupDifference: Hashable, Sendable {
  public var aspect: DiffAspect
  public var message: String

  public init(_ aspect: DiffAspect, _ message: String) {
    self.aspect = aspect
    self.message = message
  }
}

/// One row of the comparison: the aspect as each side shows it (nil: the side has no such tasks).
public struct DiffRow: Hashable, Sendable {
  public var aspect: DiffAspect
  public var a: String?
  public var b: String?
  public var differs: Bool
}

/// A group of one side aligned with a group of the other (or with nothing), with how they differ.
public struct AlignedGroups: Hashable, Sendable {
  public var a: TaskGroup?
  public var b: TaskGroup?
  public var rows: [DiffRow]
  public var differences: [SetupDifference]
  public var isSame: Bool { differences.isEmpty }
}

/// The comparison of two traces' thread setups.
public struct SetupDiff: Hashable, Sendable {
  public var a: SetupProfile
  public var b: SetupProfile
  /// Rows about the whole traces: task counts by kind, execs, runtimes, stack address space.
  public var rows: [DiffRow]
  public var differences: [SetupDifference]
  public var groups: [AlignedGroups]
  /// What the comparison left out, said once: neither a difference nor part of the verdict.
  public var notes: [String]

  /// The setups are the same: nothing but tids, addresses and times differ.
  public var isSame: Bool { differences.isEmpty && groups.allSatisfy(\.isSame) }

  /// Every difference, whole-trace ones first.
  public var allDifferences: [SetupDifference] { differences + groups.flatMap(\.differences) }

  /// Compares two profiles. Creator stacks count only when both traces recorded them; otherwise both are grouped
  /// without them (tasks that differ only by call site are one group), and `notes` says so.
  public init(_ a: SetupProfile, _ b: SetupProfile) {
    notes = CreatorStackDifference.note(a, b).map { [$0] } ?? []
    let framesCompared = a.recordsCreatorFrames && b.recordsCreatorFrames
    let a = framesCompared ? a : a.withoutCreatorFrames()
    let b = framesCompared ? b : b.withoutCreatorFrames()
    self.a = a
    self.b = b
    rows = [
      DiffRow(aspect: .tasks, a: RecipeText.counts(a.counts), b: RecipeText.counts(b.counts), differs: false),
      DiffRow(aspect: .execs, a: "\(a.counts.execs)", b: "\(b.counts.execs)", differs: false),
      DiffRow(aspect: .runtimes, a: RecipeText.runtimes(a.runtimes), b: RecipeText.runtimes(b.runtimes), differs: false),
      DiffRow(
        aspect: .stackReservation, a: RecipeText.reservation(a), b: RecipeText.reservation(b), differs: false),
    ]
    differences = TraceComparisons.compare(a, b)
    let differing = Set(differences.map(\.aspect))
    for index in rows.indices { rows[index].differs = differing.contains(rows[index].aspect) }
    groups = RecipeAlignment.align(a.orderedGroups, b.orderedGroups).map(Self.compare)
  }

  static func compare(_ pair: (a: TaskGroup?, b: TaskGroup?)) -> AlignedGroups {
    let differences: [SetupDifference]
    if let a = pair.a, let b = pair.b {
      differences = GroupComparisons.all.flatMap { $0(a, b) }
    } else {
      differences = [UnmatchedGroup.difference(a: pair.a, b: pair.b)]
    }
    let differing = Set(differences.map(\.aspect))
    let showsFrames = pair.a?.recipe.creatorFrames != nil || pair.b?.recipe.creatorFrames != nil
    let rows = DiffAspect.groupRows.compactMap { aspect -> DiffRow? in
      var values = (
        a: pair.a.map { RecipeText.value(aspect, of: $0) }, b: pair.b.map { RecipeText.value(aspect, of: $0) }
      )
      if aspect == .creatorFrames {
        guard showsFrames else { return nil }
        values = CreatorStackDifference.cells(pair.a, pair.b)
      }
      return DiffRow(
        aspect: aspect, a: values.a, b: values.b,
        differs: differing.contains(aspect) || (pair.a == nil) != (pair.b == nil))
    }
    return AlignedGroups(a: pair.a, b: pair.b, rows: rows, differences: differences)
  }
}

/// The comparisons of two aligned groups, one kind of difference each (`Differences/`), in the order their
/// messages are shown.
enum GroupComparisons {
  typealias Comparison = @Sendable (TaskGroup, TaskGroup) -> [SetupDifference]

  static let all: [Comparison] = [
    CountDifference.compare,
    KindDifference.compare,
    CloneFlagDifference.compare,
    StackDifference.compare,
    RegistrationDifference.compare,
    SignalStackDifference.compare,
    NameDifference.compare,
    RuntimeDifference.compare,
    CreatorStackDifference.compare,
    BehaviourDifference.compare,
  ]
}

/// The comparisons of the whole traces.
enum TraceComparisons {
  static func compare(_ a: SetupProfile, _ b: SetupProfile) -> [SetupDifference] {
    TaskCountDifference.compare(a, b) + RuntimesDifference.compare(a, b) + StackReservationDifference.compare(a, b)
  }
}
