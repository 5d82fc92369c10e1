/// Differs: how many tasks of one recipe each trace made.
enum CountDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    guard a.count != b.count else { return [] }
    return [SetupDifference(.count, Message.count(a, b))]
  }
}

extension CountDifference {
  fileprivate enum Message {
    static func count(_ a: TaskGroup, _ b: TaskGroup) -> String {
      "A made \(RecipeText.brief(a)), B \(b.count)"
    }
  }
}
