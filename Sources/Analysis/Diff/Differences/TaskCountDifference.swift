/// Differs (whole traces): how many tasks of each kind, and how many execs.
enum TaskCountDifference {
  static func compare(_ a: SetupProfile, _ b: SetupProfile) -> [SetupDifference] {
    var differences: [SetupDifference] = []
    let x = a.counts
    let y = b.counts
    if (x.initial, x.threads, x.processes, x.vforks) != (y.initial, y.threads, y.processes, y.vforks) {
      differences.append(SetupDifference(.tasks, Message.tasks(x, y)))
    }
    if x.execs != y.execs { differences.append(SetupDifference(.execs, Message.execs(x.execs, y.execs))) }
    return differences
  }
}

extension TaskCountDifference {
  fileprivate enum Message {
    static func tasks(_ a: SetupProfile.Counts, _ b: SetupProfile.Counts) -> String {
      "tasks: A \(RecipeText.counts(a)); B \(RecipeText.counts(b))"
    }

    static func execs(_ a: Int, _ b: Int) -> String {
      "successful execs: A \(a), B \(b)"
    }
  }
}
