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
      "stack mappings reserve \(amount(a)) of address space in A, \(amount(b)) in B; reserved is not committed: "
        + "the kernel gives a stack memory only for the pages its thread touches (the top, where glibc keeps the "
        + "thread descriptor and TLS, and as deep as its calls went), and guard pages never get any"
    }

    private static func amount(_ profile: SetupProfile) -> String {
      profile.mappedStacks == 0 ? "nothing" : Format.size(profile.reservedStackBytes)
    }
  }
}
