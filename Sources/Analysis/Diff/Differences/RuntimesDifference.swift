/// Differs (whole traces): the runtimes recognised in the traced processes.
enum RuntimesDifference {
  static func compare(_ a: SetupProfile, _ b: SetupProfile) -> [SetupDifference] {
    guard Set(a.runtimes) != Set(b.runtimes) else { return [] }
    return [SetupDifference(.runtimes, Message.runtimes(a.runtimes, b.runtimes))]
  }
}

extension RuntimesDifference {
  fileprivate enum Message {
    static func runtimes(_ a: [RuntimeFingerprint.Runtime], _ b: [RuntimeFingerprint.Runtime]) -> String {
      "runtimes recognised: A \(RecipeText.runtimes(a)); B \(RecipeText.runtimes(b))"
    }
  }
}
