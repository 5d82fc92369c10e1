/// Differs: what the tasks did once set up — the programs they exec'd, how they ended, who joined them. Compared
/// by which outcomes occur, not how often (the count is compared on its own).
enum BehaviourDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    var differences: [SetupDifference] = []
    // The initial task runs the traced program itself: comparing two programs, its name always differs.
    let initial = a.recipe.kind == .initial && b.recipe.kind == .initial
    if initial ? a.execs.values.contains(Behaviour.noExec) != b.execs.values.contains(Behaviour.noExec)
      : a.execs.values != b.execs.values
    {
      differences.append(SetupDifference(.exec, Message.exec(a.execs, b.execs)))
    }
    // Which thread of a process calls exit_group is up to the scheduler in some runtimes (Go ends the process
    // from whatever thread runs main.main's return): ending with one's process is one outcome either way.
    if Set(a.ends.values.map(Behaviour.endClass)) != Set(b.ends.values.map(Behaviour.endClass)) {
      differences.append(SetupDifference(.end, Message.end(a.ends, b.ends)))
    }
    // A thread that ended before its joiner looked is joined without a wait (glibc's pthread_join finds its tid
    // word already zero), so "not joined" next to joins is timing, not setup: only the ways of joining count.
    if a.joins.values.subtracting([Behaviour.notJoined]) != b.joins.values.subtracting([Behaviour.notJoined]) {
      differences.append(SetupDifference(.join, Message.join(a.joins, b.joins)))
    }
    return differences
  }
}

extension BehaviourDifference {
  fileprivate enum Message {
    static func exec(_ a: TaskGroup.Tally, _ b: TaskGroup.Tally) -> String {
      "they exec: A \(programs(a)), B \(programs(b))"
    }

    private static func programs(_ tally: TaskGroup.Tally) -> String {
      tally.values == [Behaviour.noExec] ? "nothing" : tally.text
    }

    static func end(_ a: TaskGroup.Tally, _ b: TaskGroup.Tally) -> String {
      var text = "they end: A \(a.text); B \(b.text)"
      let exitsA = a.values.contains("exit")
      let exitsB = b.values.contains("exit")
      if exitsA != exitsB {
        text += "; " + (exitsA ? "B" : "A") + "'s do not call exit themselves: they last until something ends them"
      }
      return text
    }

    static func join(_ a: TaskGroup.Tally, _ b: TaskGroup.Tally) -> String {
      var text = "joined: A \(a.text); B \(b.text)"
      if a.values == [Behaviour.notJoined] || b.values == [Behaviour.notJoined] {
        let side = a.values == [Behaviour.notJoined] ? "A" : "B"
        text += "; in \(side) no task waits for their end in a way the kernel shows (a futex wait on the tid word, wait4)"
      }
      return text
    }
  }
}
