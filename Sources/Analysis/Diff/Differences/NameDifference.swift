/// Differs: the name pattern tasks were given (`prctl(PR_SET_NAME)` or a write to their `comm` file).
enum NameDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    let x = a.recipe.namePattern
    let y = b.recipe.namePattern
    guard x != y else { return [] }
    switch (x, y) {
    case (let name?, nil): return [SetupDifference(.name, Message.unnamed("B", named: "A", name))]
    case (nil, let name?): return [SetupDifference(.name, Message.unnamed("A", named: "B", name))]
    case (let first?, let second?): return [SetupDifference(.name, Message.renamed(first, second))]
    case (nil, nil): return []
    }
  }
}

extension NameDifference {
  fileprivate enum Message {
    static func unnamed(_ side: String, named: String, _ name: String) -> String {
      "\(named) names them \"\(name)\"; \(side) does not, so they show their creator's name in ps, top and /proc"
    }

    static func renamed(_ a: String, _ b: String) -> String {
      "named \"\(a)\" in A, \"\(b)\" in B"
    }
  }
}
