/// The one line that opens (or, for identical setups, is) the diff's report.
extension SetupDiff {
  public var verdict: String {
    if isSame { return Message.same(a) }
    return Message.differ(allDifferences.count, groups: groups.filter { !$0.isSame }.count)
  }

  /// Why there is nothing to compare, if so: a trace with no task at all.
  public static func emptyInput(side: String, path: String) -> String { Message.empty(side, path) }
}

extension SetupDiff {
  fileprivate enum Message {
    static func same(_ profile: SetupProfile) -> String {
      "same setup: \(RecipeText.counts(profile.counts)) in \(RecipeText.plural(profile.groups.count, "recipe")); "
        + "only tids, addresses and times differ"
    }

    static func differ(_ count: Int, groups: Int) -> String {
      "the setups differ: \(RecipeText.plural(count, "difference"))"
        + (groups > 0 ? " in \(RecipeText.plural(groups, "group")) of alike tasks" : "")
    }

    static func empty(_ side: String, _ path: String) -> String {
      "\(path) (\(side)) has no tasks: the trace holds no event of any thread or process"
    }
  }
}
