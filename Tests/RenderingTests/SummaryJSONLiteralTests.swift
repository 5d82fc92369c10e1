import Analysis
@testable import Rendering
import SyscallDecoding
import Testing

/// The summary writes these enums' values from StaticStrings: each must be the case's `rawValue`.
@Suite("Summary JSON literals")
struct SummaryJSONLiteralTests {
  @Test func literalsAreTheRawValues() {
    for kind in TaskRecord.Kind.allCases { #expect(kind.jsonValue.description == kind.rawValue) }
    for syscall in [CloneCall.Syscall.clone, .clone3, .fork, .vfork] {
      #expect(syscall.jsonValue.description == syscall.rawValue)
    }
    for source in [ThreadStack.Source.mapping, .cloneArguments, .unmapped] {
      #expect(source.jsonValue.description == source.rawValue)
    }
    for how in [TaskRecord.Join.How.futexOnChildTID, .wait] { #expect(how.jsonValue.description == how.rawValue) }
  }
}
