import SyscallDecoding

/// Differs: clone flags passed by one side only, each with what it changes. Flags that decide the kind of task
/// (`KindDifference`) and `CLONE_SETTLS` (`RegistrationDifference`, with `arch_prctl`) are said elsewhere.
enum CloneFlagDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    let x = a.recipe
    let y = b.recipe
    guard x.creator != nil, y.creator != nil else { return [] }
    var skipped: CloneFlagSet = [.setTLS]
    if x.kind != y.kind { skipped.formUnion([.vm, .fs, .files, .sighand, .thread, .sysvsem, .vfork]) }
    var differences: [SetupDifference] = []
    let onlyA = x.flags.subtracting(y.flags).subtracting(skipped)
    let onlyB = y.flags.subtracting(x.flags).subtracting(skipped)
    for (side, other, flags) in [("A", "B", onlyA), ("B", "A", onlyB)] where !flags.isEmpty {
      // Only threads share the memory holding their tid word: a process's exit clears and wakes nothing
      // (mm_release does so only while other tasks use the address space).
      let holder = side == "A" ? x : y
      let unexplained: CloneFlagSet = holder.kind == .thread ? [] : [.childClearTID]
      for row in Message.meanings where flags.contains(row.flag) && !unexplained.contains(row.flag) {
        differences.append(SetupDifference(.flags, Message.only(side, other, row.name, row.without)))
      }
      let rest = flags.subtracting(Message.explained).union(flags.intersection(unexplained))
      if !rest.isEmpty {
        let names = RecipeText.flagNames(rest).map { "CLONE_" + $0 }
        differences.append(SetupDifference(.flags, Message.unexplained(side, names)))
      }
    }
    if x.exitSignal != y.exitSignal {
      differences.append(SetupDifference(.flags, Message.exitSignal(x.exitSignal, y.exitSignal)))
    }
    return differences
  }
}

extension CloneFlagDifference {
  fileprivate enum Message {
    /// What the new task loses when its creator leaves a flag out (kernel/fork.c, copy_process).
    static let meanings: [(flag: CloneFlagSet, name: String, without: String)] = [
      (.childClearTID, "CLONE_CHILD_CLEARTID", "at exit the kernel clears and wakes no tid word, so nothing can join these tasks by waiting on it (pthread_join's way)"),
      (.parentSetTID, "CLONE_PARENT_SETTID", "the kernel stores no tid in the creator's memory before the task runs"),
      (.childSetTID, "CLONE_CHILD_SETTID", "the kernel stores no tid in the child's memory"),
      (.sysvsem, "CLONE_SYSVSEM", "the task keeps a SysV semaphore undo list of its own: SEM_UNDO adjustments are undone when it exits, not when the process does"),
      (.vm, "CLONE_VM", "the task gets a copy-on-write copy of the address space: its writes are not seen by its creator"),
      (.files, "CLONE_FILES", "the task gets a copy of the file descriptor table: descriptors opened later are not shared"),
      (.fs, "CLONE_FS", "the task gets its own copy of cwd, root and umask"),
      (.sighand, "CLONE_SIGHAND", "the task gets its own copy of the signal handlers"),
      (.thread, "CLONE_THREAD", "the task is a process of its own (its own pid), not a thread of its creator's"),
      (.vfork, "CLONE_VFORK", "the creator is not suspended until the child execs or exits"),
      (.pidfd, "CLONE_PIDFD", "the creator gets no pidfd for the task"),
      (.io, "CLONE_IO", "the task gets its own I/O context: the I/O scheduler does not treat its I/O and its creator's as one stream"),
    ]

    static let explained: CloneFlagSet = meanings.reduce([]) { $0.union($1.flag) }

    static func only(_ side: String, _ other: String, _ name: String, _ without: String) -> String {
      "only \(side) passes \(name); without it (\(other)) \(without)"
    }

    static func unexplained(_ side: String, _ names: [String]) -> String {
      "only \(side) passes \(names.joined(separator: "|"))"
    }

    static func exitSignal(_ a: Int32, _ b: Int32) -> String {
      "the signal sent to the creator when the task ends: A \(signal(a)), B \(signal(b))"
    }

    private static func signal(_ number: Int32) -> String {
      number == 0 ? "none" : Signals.name(of: number) ?? "signal \(number)"
    }
  }
}
