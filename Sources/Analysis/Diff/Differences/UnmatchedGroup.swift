/// Differs: tasks set up a way the other trace has no counterpart for.
enum UnmatchedGroup {
  static func difference(a: TaskGroup?, b: TaskGroup?) -> SetupDifference {
    if let a { return SetupDifference(.presence, Message.only("A", a)) }
    if let b { return SetupDifference(.presence, Message.only("B", b)) }
    return SetupDifference(.presence, "")
  }
}

extension UnmatchedGroup {
  fileprivate enum Message {
    static func only(_ side: String, _ group: TaskGroup) -> String {
      "only \(side) makes \(RecipeText.brief(group))"
    }
  }
}
