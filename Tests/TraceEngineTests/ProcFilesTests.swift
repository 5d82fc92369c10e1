import Foundation
import Testing

@testable import TraceEngine

@Suite("Reading /proc status files")
struct ProcFilesTests {
  @Test func statusNumbersAreTheFirstNumberOfTheirLines() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try """
      Name:\tworker-1
      Uid:\t1000\t1000\t1000\t1000
      voluntary_ctxt_switches_extra:\t99
      nonvoluntary_ctxt_switches:\t3
      voluntary_ctxt_switches:\t  12
      """.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(
      ProcFiles.statusNumbers(["voluntary_ctxt_switches", "nonvoluntary_ctxt_switches", "Uid", "Missing"], path: path)
        == [12, 3, 1000, nil])
    #expect(ProcFiles.statusNumbers(["Uid"], path: path + ".gone") == [nil])
    // Whole lines, every name found in the first read: the first line of each name still counts.
    try "Uid:\t7\nvoluntary_ctxt_switches:\t5\nUid:\t8\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(ProcFiles.statusNumbers(["voluntary_ctxt_switches", "Uid"], path: path) == [5, 7])
    #expect(ProcFiles.statusNumbers(["Uid", "Missing"], path: path) == [7, nil])
    // The real file of this very process.
    let own = ProcFiles.statusNumbers(["voluntary_ctxt_switches", "Tgid"], path: "/proc/self/status")
    #expect(own[0] != nil && own[1] == Int(getpid()))
  }
}
