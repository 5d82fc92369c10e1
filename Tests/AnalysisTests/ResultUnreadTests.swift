import Analysis
import Testing
import TraceModel

/// The live fast path does not stop at the return of calls whose result the story does not read
/// (`completeness == .resultUnread`): the model and the explainer treat them as done, as they would `= 0`.
@Suite("Calls whose result the fast path did not read")
struct ResultUnreadTests {
  static let registrations = """
    1 set_tid_address(0x7f0000000a10) = 1
    1 set_robust_list(0x7f00008009a0, 24) = 0
    1 rseq(0x7f0000800fe0, 0x20, 0, 0x53053053) = 0
    1 arch_prctl(ARCH_SET_FS, 0x7f0000000740) = 0
    """

  @Test func registrationsAreExplainedAsWhenTheyReturnedZero() throws {
    let read = try Explained(Self.registrations)
    let unread = try Explained(
      Self.registrations, resultUnread: ["set_tid_address", "set_robust_list", "rseq", "arch_prctl"])
    for rule in ["TidAddressRule", "RobustListRule", "RseqRule", "ThreadPointerRule"] {
      #expect(!read.messages(of: rule).isEmpty, "\(rule)")
      #expect(unread.messages(of: rule) == read.messages(of: rule), "\(rule)")
    }
    let task = try #require(unread.task(tid: 1))
    #expect(task == read.task(tid: 1))
  }
}
