/// Differs: the stack a task runs on — its size, its guard, a runtime's own guard zone, or where it comes from.
enum StackDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    let x = a.recipe.stack
    let y = b.recipe.stack
    guard x != y else { return [] }
    switch (x, y) {
    case (.mapped(let sizeA, let guardA, let runtimeA), .mapped(let sizeB, let guardB, let runtimeB)):
      var differences: [SetupDifference] = []
      if sizeA != sizeB { differences.append(SetupDifference(.stack, Message.size(sizeA, sizeB))) }
      // A runtime's own guard zone stands in for a missing guard page (HotSpot maps its threads' stacks with
      // no glibc guard and protects their lowest pages itself).
      if guardA != guardB, guardA == 0 && runtimeA != nil || guardB == 0 && runtimeB != nil {
        differences.append(SetupDifference(.stack, Message.guardedLater(guardA, runtimeA, guardB, runtimeB)))
      } else {
        if guardA != guardB { differences.append(SetupDifference(.stack, Message.guardSize(guardA, guardB))) }
        if runtimeA != runtimeB {
          differences.append(SetupDifference(.stack, Message.runtimeGuard(runtimeA, runtimeB)))
        }
      }
      return differences
    case (.sized(let sizeA), .sized(let sizeB)), (.sized(let sizeA), .mapped(let sizeB, _, _)),
      (.mapped(let sizeA, _, _), .sized(let sizeB)):
      return sizeA == sizeB ? [] : [SetupDifference(.stack, Message.size(sizeA, sizeB))]
    default:
      return [SetupDifference(.stack, Message.source(x, a.recipe, y, b.recipe))]
    }
  }
}

extension StackDifference {
  fileprivate enum Message {
    static func size(_ a: UInt64, _ b: UInt64) -> String {
      let (smallSide, small, large) = a < b ? ("A", a, b) : ("B", b, a)
      return "\(smallSide)'s stacks are \(Format.size(small)), not \(Format.size(large))\(ratio(small, large)): "
        + "less room for deep recursion and large local variables before an overflow"
    }

    private static func ratio(_ small: UInt64, _ large: UInt64) -> String {
      guard small > 0, large % small == 0 else { return "" }
      return " (1/\(large / small))"
    }

    static func guardSize(_ a: UInt64, _ b: UInt64) -> String {
      if a == 0 || b == 0 {
        let (bare, guarded) = a == 0 ? ("A", b) : ("B", a)
        return "\(bare)'s stacks have no guard page (the other's: \(Format.size(guarded))): an overflow writes into "
          + "whatever is mapped below instead of faulting with SIGSEGV"
      }
      let (smallSide, small, large) = a < b ? ("A", a, b) : ("B", b, a)
      return "\(smallSide)'s guard is \(Format.size(small)), not \(Format.size(large)): a frame larger than the "
        + "guard can step over it into other memory without faulting"
    }

    static func guardedLater(_ guardA: UInt64, _ runtimeA: UInt64?, _ guardB: UInt64, _ runtimeB: UInt64?) -> String {
      let (side, runtime, otherSide, otherGuard) =
        guardA == 0 && runtimeA != nil ? ("A", runtimeA ?? 0, "B", guardB) : ("B", runtimeB ?? 0, "A", guardA)
      return "\(side)'s stacks are mapped with no guard page; \(side)'s runtime makes their lowest \(Format.size(runtime)) "
        + "inaccessible itself once the thread runs (\(otherSide)'s have a \(Format.size(otherGuard)) guard page from the start)"
    }

    static func runtimeGuard(_ a: UInt64?, _ b: UInt64?) -> String {
      switch (a, b) {
      case (let size?, nil): return "A's runtime makes the lowest \(Format.size(size)) of each stack a guard zone of its own after the thread starts; B's does not"
      case (nil, let size?): return "B's runtime makes the lowest \(Format.size(size)) of each stack a guard zone of its own after the thread starts; A's does not"
      case (let sizeA?, let sizeB?): return "the runtime's own guard zone: A \(Format.size(sizeA)), B \(Format.size(sizeB))"
      default: return ""
      }
    }

    static func source(
      _ a: SetupRecipe.StackShape, _ recipeA: SetupRecipe, _ b: SetupRecipe.StackShape, _ recipeB: SetupRecipe
    ) -> String {
      "stacks: A \(describe(a, recipeA)), B \(describe(b, recipeB))"
    }

    private static func describe(_ shape: SetupRecipe.StackShape, _ recipe: SetupRecipe) -> String {
      switch shape {
      case .mapped: return "maps one per task (\(RecipeText.stack(shape, kind: recipe.kind)))"
      case .sized(let size): return "passes a \(Format.size(size)) stack mapped before the trace"
      case .unmapped: return "runs them in memory the runtime already had (no stack mapping, no guard page the kernel knows of)"
      case .inherited:
        switch recipe.kind {
        case .process: return "gives none: the child runs on a copy-on-write copy of its creator's stack"
        case .vfork: return "gives none: the child borrows its suspended creator's stack"
        case .initial: return "uses the main stack"
        case .thread: return "gives none"
        }
      }
    }
  }
}
