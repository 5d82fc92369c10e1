import Foundation
import TestSupport
import Testing
import TraceModel

@testable import TraceIO

#if canImport(Glibc)
  import Glibc
#endif

/// Inputs the fuzzers (fuzz/, `scripts/fuzz`) found, each read exactly as the fuzzer reads it: the first byte
/// picks the line source's chunk size, the rest is the file. Plus a replay of the committed fuzz corpora, so a
/// reader change that brings a crash back fails here, without libFuzzer (hard-cases §4 T26).
@Suite struct FuzzRegressionTests {
  /// The fuzzer's way in (fuzz/Sources/FuzzSupport/FuzzInput.swift): a file descriptor read in chunks of
  /// `8 << (first byte & 7)` bytes, lines of at most 64 KiB.
  static func replay(_ input: [UInt8], json: Bool) throws -> (events: Int, warnings: [InputWarning]) {
    guard let selector = input.first else { return (0, []) }
    var template = Array("/tmp/threadtrace-fuzz-replay-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    try #require(fd >= 0)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    let body = Array(input.dropFirst())
    let written = body.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    try #require(written == body.count)
    lseek(fd, 0, SEEK_SET)
    let source = LineSource(
      fileDescriptor: fd, name: "fuzz", ownsDescriptor: true, chunkSize: 8 << Int(selector & 7),
      maximumLineLength: 64 << 10)
    let reader: any TraceReader
    if json {
      guard let jsonReader = try? JSONLinesReader(source: source) else { return (0, []) }
      reader = jsonReader
    } else {
      reader = StraceTextReader(source: source)
    }
    var events = 0
    var warnings: [InputWarning] = []
    while true {
      let more: Bool
      do { more = try reader.next() != nil } catch { break }
      guard more else { break }
      events += 1
    }
    warnings += reader.drainWarnings()
    return (events, warnings)
  }

  static func bytes(_ text: String, selector: UInt8 = 3) -> [UInt8] { [selector] + Array(text.utf8) }

  /// libFuzzer, first minutes: hours, minutes or seconds too large for 64 bits made a checked multiply trap
  /// (`StraceLinePrefix.parseStamp`). The line is read like any other; its stamp is meaningless but harmless.
  @Test(arguments: [
    "123 01:02:99999999999999999999 getpid() = 1\n",
    "123 99999999999999999999:02:03 getpid() = 1\n",
    "123 01:99999999999999999999:03.123456 getpid() = 1\n",
    "99999999999999999999:99999999999999999999:99999999999999999999.999999999 getpid() = 1\n",
  ])
  func overflowingTimeOfDayStamp(_ line: String) throws {
    for selector: UInt8 in [0, 3, 7] {
      let result = try Self.replay(Self.bytes(line, selector: selector), json: false)
      #expect(result.events == 1)
    }
  }

  /// libFuzzer + AddressSanitizer: a personality line for a task not yet in the task table wrote into the table's
  /// old storage when that insertion made the table grow (`TaskTable`'s subscripts read `values` before
  /// `slot(inserting:)` reallocated it): a use-after-free, and the switch to i386 was lost. With 1 … 80 tasks
  /// before it, one of these inputs makes the table grow at exactly that insertion.
  @Test func personalitySwitchWhileTheTaskTableGrows() throws {
    for before in 1...80 {
      var lines = (1...before).map { "\(1000 + $0) getpid() = \(1000 + $0)" }
      lines += ["5000 [ Process PID=5000 runs in 32 bit mode. ]", "5000 getpid() = 5000", ""]
      let events = try StraceSnippet.events(lines.joined(separator: "\n"))
      let last = events.last { $0.tid == 5000 }
      guard case .syscall(let call)? = last?.body else {
        Issue.record("no getpid of task 5000 after \(before) tasks")
        continue
      }
      #expect(call.architecture == .i386, "after \(before) tasks the switch to i386 was lost")
    }
  }

  /// Every input of the committed corpora reads to its end without a crash, through both readers.
  @Test(arguments: ["strace", "jsonl"])
  func committedCorpusReplays(_ target: String) throws {
    let directory = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("fuzz/corpus/\(target)")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    #expect(!files.isEmpty, "no corpus at \(directory.path)")
    for file in files.sorted() {
      let data = try Data(contentsOf: directory.appendingPathComponent(file))
      _ = try Self.replay(Array(data), json: target == "jsonl")
    }
  }

  /// T26 (d): a 10 MB line is dropped whole with one warning naming it; the lines around it are read.
  @Test func tenMegabyteLine() throws {
    let long = "123 write(1, \"" + String(repeating: "A", count: 10 << 20) + "\", 10485760) = 10485760\n"
    let text = "123 getpid() = 123\n" + long + "123 exit_group(0) = ?\n123 +++ exited with 0 +++\n"
    let result = try Self.replay(Self.bytes(text, selector: 7), json: false)
    #expect(result.events == 3)
    #expect(result.warnings.count == 1)
    #expect(result.warnings.first?.line == 2, "\(result.warnings)")
  }
}
