/// Differs: where the tasks were created, by the creator's stack frames (`trace --stacks`), compared by function
/// name. The frames both sides share at the innermost end (a runtime's creation code: `clone3 ← __clone_internal
/// ← create_thread ← pthread_create`) are left out of the message. Frames are compared only as deep as both sides
/// recorded them: a side without frames, or whose frames are the first ones of the other's (a smaller
/// `--stack-depth`, an unwind that stopped early), is no difference.
enum CreatorStackDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    guard let x = a.recipe.creatorFrames, let y = b.recipe.creatorFrames, !compatible(x, y) else { return [] }
    let shared = sharedInnermost(x, y)
    return [
      SetupDifference(
        .creatorFrames,
        Message.otherCode(
          a: callers(x, after: shared, meeting: y), b: callers(y, after: shared, meeting: x),
          common: shared > 0 ? x[shared - 1] : nil))
    ]
  }

  /// The same call site as far as both sides recorded: one list is the start of the other (or equal).
  static func compatible(_ x: [String], _ y: [String]) -> Bool {
    sharedInnermost(x, y) == min(x.count, y.count)
  }

  /// How many frames, from the innermost, both lists have in common.
  static func sharedInnermost(_ x: [String], _ y: [String]) -> Int {
    zip(x, y).prefix { $0 == $1 }.count
  }

  /// The most frames a message or a table cell shows beyond the shared ones.
  static let shownFrames = 3

  /// The frames of one side after the shared innermost ones, up to the first that the other side also has
  /// there (where the two call paths meet again, `main` often), at most `shownFrames`; `…` when cut short.
  static func callers(_ frames: [String], after shared: Int, meeting other: [String]) -> [String] {
    let rest = frames.dropFirst(shared)
    let otherRest = Set(other.dropFirst(shared))
    var shown: [String] = []
    for frame in rest {
      if shown.count == shownFrames {
        shown.append("…")
        break
      }
      shown.append(frame)
      if otherRest.contains(frame) { break }
    }
    return shown
  }

  /// Said once for the whole comparison when only one trace recorded creator stacks: then neither side's frames
  /// are compared (nor group its tasks).
  static func note(_ a: SetupProfile, _ b: SetupProfile) -> String? {
    switch (a.recordsCreatorFrames, b.recordsCreatorFrames) {
    case (true, false): return Message.recordedByOneSide("A", other: "B")
    case (false, true): return Message.recordedByOneSide("B", other: "A")
    default: return nil
    }
  }

  /// The table's cells for two groups' frames: each side from the last frame they share on, when both were
  /// recorded and differ; otherwise all the recorded frames.
  static func cells(_ a: TaskGroup?, _ b: TaskGroup?) -> (a: String?, b: String?) {
    func all(_ group: TaskGroup?) -> String? {
      group.map { $0.recipe.creatorFrames.map(Message.path) ?? Message.notRecorded }
    }
    guard let x = a?.recipe.creatorFrames, let y = b?.recipe.creatorFrames, !compatible(x, y) else {
      return (all(a), all(b))
    }
    let shared = sharedInnermost(x, y)
    func cell(_ frames: [String], _ other: [String]) -> String {
      let callers = callers(frames, after: shared, meeting: other)
      return shared > 0 ? Message.path(["…", frames[shared - 1]] + callers) : Message.path(callers)
    }
    return (cell(x, y), cell(y, x))
  }
}

extension CreatorStackDifference {
  fileprivate enum Message {
    static func otherCode(a: [String], b: [String], common: String?) -> String {
      "created from other code: A via \(path(a)), B via \(path(b))" + (common.map { " (both call \($0))" } ?? "")
    }

    /// Innermost first, each frame called by the next: `spawn_workers ← main`.
    static func path(_ frames: [String]) -> String {
      frames.isEmpty ? "no frame" : frames.joined(separator: " ← ")
    }

    static let notRecorded = "not recorded"

    static func recordedByOneSide(_ side: String, other: String) -> String {
      "the creators' stacks were not compared: only \(side) recorded them (trace --stacks), not \(other)"
    }
  }
}
