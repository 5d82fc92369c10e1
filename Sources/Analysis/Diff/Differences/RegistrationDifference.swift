/// Differs: what the task registered with the kernel about itself — robust futex list, rseq area, thread pointer.
enum RegistrationDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    var differences: [SetupDifference] = []
    for row in Message.rows where row.has(a.recipe) != row.has(b.recipe) {
      let missing = row.has(a.recipe) ? "B" : "A"
      if row.aspect == .rseq, (missing == "A" ? a : b).recipe.keepsCreatorsRseq { continue }
      differences.append(SetupDifference(row.aspect, missing + row.without))
    }
    return differences
  }
}

extension RegistrationDifference {
  fileprivate enum Message {
    static let rows: [(aspect: DiffAspect, has: @Sendable (SetupRecipe) -> Bool, without: String)] = [
      (.robustList, { $0.robustList },
       "'s tasks register no robust futex list (set_robust_list): if one dies holding a robust mutex, the kernel cannot mark it FUTEX_OWNER_DIED and wake a waiter"),
      (.rseq, { $0.rseq },
       "'s tasks register no rseq area: the kernel keeps no CPU number in their memory and they cannot use restartable sequences (per-CPU data without atomics)"),
      (.tls, { $0.ownTLS },
       "'s tasks get no thread pointer of their own (no CLONE_SETTLS, no arch_prctl(ARCH_SET_FS)): they start with a copy of their creator's FS base"),
    ]
  }
}
