import Analysis
import TestSupport
import Testing
import TraceIO
import TraceModel

/// The explainer asks a rule only about events in its scope; a scope narrower than what the rule reads would
/// silently drop messages. On every recorded trace, asking every rule about every event must say the same.
@Suite("Explainer scopes")
struct ExplainerScopeTests {
  static let logs =
    Fixtures.files(in: "strace", suffix: ".strace") + Fixtures.files(in: "jobs", suffix: ".strace")
    + Fixtures.files(in: "stacks", suffix: ".jsonl")

  @Test(arguments: logs)
  func scopedExplainerSaysWhatEveryRuleSays(_ log: String) throws {
    let explainer = Explainer()
    let lifecycle = Lifecycle()
    let reader = try TraceInput.open([Fixtures.path(log)])
    var events = 0
    while let event = try reader.next() {
      let notes = lifecycle.apply(event)
      let everyRule = explainer.rules.flatMap { $0.annotate(event, notes: notes, lifecycle: lifecycle) }
      #expect(explainer.annotate(event, notes: notes, lifecycle: lifecycle) == everyRule)
      events += 1
    }
    #expect(events > 0)
  }
}
