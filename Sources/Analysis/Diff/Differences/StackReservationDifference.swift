/// Differs (whole traces): the address space reserved for thread stacks, and what of it is likely memory.
enum StackReservationDifference {
  static func compare(_ a: SetupProfile, _ b: SetupProfile) -> [SetupDifference] {
    guard a.reservedStackBytes != b.reservedStackBytes else { return [] }
    return [SetupDifference(.stackReservation, Message.reservation(a, b))]
  }
}

extension StackReservationDifference {
  fileprivate enum Message {
    static func reservation(_ a: SetupProfile, _ b: SetupProfile) -> String {
      "address space reserved by stack mappings over the trace: A \(amount(a)), B \(amount(b)); reserved is not committed: the "
        + "kernel gives a stack memory only for the pages its task touches (the top, where a glibc thread keeps its "
        + "descriptor and TLS, and as deep as its calls went), and guard pages never get any"
    }

    private static func amount(_ profile: SetupProfile) -> String {
      profile.mappedStacks == 0 ? "nothing" : Format.size(profile.reservedStackBytes)
    }
  }
}
