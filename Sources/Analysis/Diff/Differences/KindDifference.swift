import SyscallDecoding

/// Differs: the kind of task made (a process where a thread was expected) or the call that made it.
enum KindDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    let x = a.recipe
    let y = b.recipe
    var differences: [SetupDifference] = []
    if x.kind != y.kind {
      differences.append(SetupDifference(.kind, Message.kind(x, y)))
    }
    if x.creator != y.creator, let first = x.creator, let second = y.creator {
      differences.append(SetupDifference(.creator, Message.creator(first, second)))
    }
    return differences
  }

  /// What each resource is under the recipe's flags (shared, copied, new).
  static func sharing(_ recipe: SetupRecipe) -> ResourceSharing? {
    guard let creator = recipe.creator else { return nil }
    return ResourceSharing(CloneCall(syscall: creator, flags: recipe.flags, exitSignal: recipe.exitSignal))
  }

  /// The resources `shared` shares with the creator and `other` does not.
  static func lostSharing(_ shared: SetupRecipe, _ other: SetupRecipe) -> [String] {
    guard let first = sharing(shared), let second = sharing(other) else { return [] }
    return ResourceSharing.Resource.allCases.filter {
      first.mode(of: $0) == .shared && second.mode(of: $0) != .shared
    }.map(\.phrase)
  }
}

extension KindDifference {
  fileprivate enum Message {
    static func kind(_ a: SetupRecipe, _ b: SetupRecipe) -> String {
      let (threadSide, otherSide, thread, other) = a.kind == .thread ? ("A", "B", a, b) : ("B", "A", b, a)
      guard thread.kind == .thread, other.kind == .process || other.kind == .vfork else {
        if Set([a.kind, b.kind]) == [.process, .vfork] {
          let (vforkSide, processSide) = a.kind == .vfork ? ("A", "B") : ("B", "A")
          return "\(vforkSide) makes vfork children where \(processSide) makes processes: a vfork child runs in its "
            + "creator's address space (CLONE_VM) while the creator is suspended, until it execs or exits; a "
            + "process gets a copy-on-write copy and its creator runs on"
        }
        return "A makes \(noun(a.kind)) here, B \(noun(b.kind))"
      }
      let noun = other.kind == .vfork ? "vfork children" : "processes"
      var text = "\(otherSide) makes \(noun) where \(threadSide) makes threads: each has a pid of its own"
      let lost = lostSharing(thread, other)
      if !lost.isEmpty { text += " and does not share its creator's \(Format.list(lost))" }
      if other.kind == .vfork { text += "; the creator is suspended until it execs or exits" }
      return text
    }

    private static func noun(_ kind: TaskRecord.Kind) -> String {
      switch kind {
      case .initial: return "initial tasks"
      case .thread: return "threads"
      case .process: return "processes"
      case .vfork: return "vfork children"
      }
    }

    static func creator(_ a: CloneCall.Syscall, _ b: CloneCall.Syscall) -> String {
      "A creates them with \(a.rawValue), B with \(b.rawValue)" + note(a, b)
    }

    private static func note(_ a: CloneCall.Syscall, _ b: CloneCall.Syscall) -> String {
      switch (a, b) {
      case (.clone3, .clone), (.clone, .clone3):
        return " (clone3 passes a struct with the stack's base and size; clone only a stack pointer)"
      default:
        return ""
      }
    }
  }
}
