import Foundation
import Testing
import TraceModel

@testable import TraceIO

/// `docs/trace-format.md` stays true: its examples parse, without warnings, into the events they describe, and
/// they are exactly what the writer writes for those events.
@Suite struct JSONLinesDocumentationTests {
  static let documentPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // TraceIOTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // repository root
    .appendingPathComponent("docs/trace-format.md").path

  /// The fenced blocks of the document with the given info string, as lists of lines.
  static func blocks(_ info: String) throws -> [[String]] {
    let text = try String(contentsOfFile: documentPath, encoding: .utf8)
    var blocks: [[String]] = []
    var current: [String]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if current == nil {
        if line == "```" + info { current = [] }
      } else if line == "```" {
        blocks.append(current!)
        current = nil
      } else {
        current!.append(line)
      }
    }
    return blocks
  }

  static func workedExample() throws -> [String] {
    try #require(try blocks("jsonl").first { $0.first?.hasPrefix(#"{"schema":"#) == true })
  }

  @Test func workedExampleParsesWithoutWarnings() throws {
    let lines = try Self.workedExample()
    let trace = try readJSONLines(lines.joined(separator: "\n") + "\n")
    #expect(trace.warnings == [])
    #expect(trace.events.count == 13)
    #expect(
      trace.end
        == JSONLinesEnd(
          interrupted: false, time: TraceTime(microseconds: 1_732_330_000_001_802), eventCount: 13,
          reason: "the traced command exited with 0"))
    #expect(!trace.header.interrupted)
    #expect(
      trace.header
        == TraceHeader(
          schema: "threadtrace/1", toolVersion: "0.1.0", kernel: "6.1.0-27-amd64", architecture: .x86_64,
          command: ["./default_threads", "1"], startTime: TraceTime(microseconds: 1_732_330_000_000_000), clock: .epoch)
    )
  }

  @Test func workedExampleClone3() throws {
    let trace = try readJSONLines(try Self.workedExample().joined(separator: "\n") + "\n")
    let clone3 = TraceEvent(
      tid: 5488, tgid: 5488, time: TraceTime(microseconds: 1_732_330_000_001_447),
      body: .syscall(
        SyscallEvent(
          name: "clone3", number: 435, architecture: .x86_64,
          arguments: [
            Argument(
              name: "cl_args",
              .changed(
                from: .structure([
                  Argument(
                    name: "flags",
                    .symbolic(
                      Symbolic(
                        parts: [
                          "CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD", "CLONE_SYSVSEM",
                          "CLONE_SETTLS", "CLONE_PARENT_SETTID", "CLONE_CHILD_CLEARTID",
                        ], raw: 0x3d_0f00))),
                  Argument(name: "child_tid", .address(0x7f3d_87fc_6990)),
                  Argument(name: "parent_tid", .address(0x7f3d_87fc_6990)),
                  Argument(name: "exit_signal", .integer(0)),
                  Argument(name: "stack", .address(0x7f3d_877c_6000)),
                  Argument(name: "stack_size", .integer(0x7f_ff00)),
                  Argument(name: "tls", .address(0x7f3d_87fc_66c0)),
                ]),
                to: .structure([Argument(name: "parent_tid", .array([.integer(5489)], truncated: false))]))),
            Argument(name: "size", .integer(88)),
          ], result: .success(5489), completeness: .complete, entryTime: TraceTime(microseconds: 1_732_330_000_001_290),
          durationMicroseconds: 157)))
    #expect(trace.events[2] == clone3)
    #expect(trace.origins[2] == 4)
  }

  @Test func workedExampleMmapOpenatWriteAndExit() throws {
    let trace = try readJSONLines(try Self.workedExample().joined(separator: "\n") + "\n")
    func call(_ index: Int) -> SyscallEvent? {
      if case .syscall(let call) = trace.events[index].body { return call }
      return nil
    }
    let mmap = try #require(call(0))
    #expect(mmap.name == "mmap")
    #expect(mmap.result == .success(0x7f3d_877c_6000))
    #expect(mmap.argument(named: "prot") == .symbolic(Symbolic(parts: ["PROT_NONE"], raw: 0)))
    #expect(mmap.argument(named: "fd") == .fileDescriptor(-1, path: nil))
    let openat = try #require(call(6))
    #expect(openat.argument(named: "dirfd")?.signedValue == -100)
    #expect(
      openat.argument(named: "pathname")
        == .string(StringValue(bytes: Array("/tmp/caf".utf8) + [0xE9] + Array(".txt".utf8))))
    #expect(openat.result == .failure(errno: 2))
    let write = try #require(call(7))
    #expect(write.argument(named: "buf") == .string(StringValue("\u{1b}[1mdone\u{1b}[0m\n")))
    let exit = try #require(call(8))
    #expect(exit.name == "exit")
    #expect(exit.result == nil)
    #expect(exit.completeness == .entryOnly)
    #expect(
      trace.events[9]
        == TraceEvent(
          tid: 5489, tgid: 5488, time: TraceTime(microseconds: 1_732_330_000_001_702), body: .exited(code: 0)))
  }

  /// The example is the writer's own output, byte for byte: the document shows the canonical form.
  @Test func workedExampleIsWhatTheWriterWrites() throws {
    let lines = try Self.workedExample()
    let trace = try readJSONLines(lines.joined(separator: "\n") + "\n")
    let end = try #require(trace.end)
    let written = try writeJSONLines(
      trace.events, header: trace.header, interrupted: end.interrupted, endTime: end.time, reason: end.reason)
    let writtenLines = String(decoding: written, as: UTF8.self).split(separator: "\n").map(String.init)
    #expect(writtenLines.count == lines.count)
    for (documented, written) in zip(lines, writtenLines) {
      #expect(documented == written)
    }
  }

  @Test func everyExampleBlockParses() throws {
    for block in try Self.blocks("jsonl") {
      let lines = block.first?.hasPrefix(#"{"schema":"#) == true ? block : [jsonLinesHeaderLine] + block
      let trace = try readJSONLines(lines.joined(separator: "\n") + "\n")
      #expect(trace.warnings == [], "\(block.first ?? "")")
      #expect(trace.events.count == lines.count - 1 - (trace.end == nil ? 0 : 1))
      let written = try writeJSONLines(trace.events, header: trace.header, interrupted: nil)
      let writtenLines = String(decoding: written, as: UTF8.self).split(separator: "\n").map(String.init)
      for (documented, rewritten) in zip(lines.dropFirst(), writtenLines.dropFirst())
      where !documented.contains(#""type":"end""#) {
        #expect(documented == rewritten)
      }
    }
  }

  @Test func headerAndEndSectionsMatchTheExample() throws {
    let example = try Self.workedExample()
    let singleLines = try Self.blocks("json").filter { $0.count == 1 }.map { $0[0] }
    #expect(singleLines.contains(example[0]))
    #expect(singleLines.contains(example[example.count - 1]))
  }
}
