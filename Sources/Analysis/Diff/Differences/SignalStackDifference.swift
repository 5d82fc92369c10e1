/// Differs: the alternate signal stack (`sigaltstack`) a task installs, and its guard.
enum SignalStackDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    let x = a.recipe.signalStack
    let y = b.recipe.signalStack
    guard x != y else { return [] }
    switch (x, y) {
    case (nil, _?): return [SetupDifference(.signalStack, Message.missing("A"))]
    case (_?, nil): return [SetupDifference(.signalStack, Message.missing("B"))]
    case (let first?, let second?): return [SetupDifference(.signalStack, Message.changed(first, second))]
    case (nil, nil): return []
    }
  }
}

extension SignalStackDifference {
  fileprivate enum Message {
    static func missing(_ side: String) -> String {
      "\(side)'s tasks install no alternate signal stack: the SIGSEGV of a stack overflow has no stack to run a "
        + "handler on, so the process dies without a report"
    }

    static func changed(_ a: SetupRecipe.SignalStackShape, _ b: SetupRecipe.SignalStackShape) -> String {
      "alternate signal stacks: A \(RecipeText.signalStack(a)), B \(RecipeText.signalStack(b))"
    }
  }
}
