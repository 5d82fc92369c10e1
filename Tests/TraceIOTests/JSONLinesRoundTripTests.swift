import Foundation
import TestSupport
import Testing
import TraceModel

@testable import TraceIO

/// Every shape of the model goes through `JSONLinesWriter` and back through `JSONLinesReader` unchanged.
@Suite struct JSONLinesRoundTripTests {
  static let argumentValues: [ArgValue] = [
    .integer(0), .integer(-1), .integer(42), .integer(Int64.max), .integer(Int64.min),
    .integer(JSONLinesEncoder.maximumSafeInteger), .integer(JSONLinesEncoder.maximumSafeInteger + 1),
    .integer(-JSONLinesEncoder.maximumSafeInteger), .integer(-JSONLinesEncoder.maximumSafeInteger - 1),
    .address(0), .address(0x7f3d_877c_7000), .address(UInt64.max), .address(1 << 63),
    .symbolic(Symbolic(parts: ["CLONE_VM", "CLONE_FS"], raw: 0x300)),
    .symbolic(Symbolic(parts: ["CLONE_VM", "0x40000000"], raw: nil)),
    .symbolic(Symbolic(parts: ["FUTEX_BITSET_MATCH_ANY"], raw: UInt64.max)),
    .symbolic(Symbolic(parts: [], raw: 0)),
    .string(StringValue("worker-1")),
    .string(StringValue("")),
    .string(StringValue("", truncated: true)),
    .string(StringValue("a \"quoted\" \\ back/slash", truncated: true)),
    .string(StringValue("\u{1b}[31mred\u{1b}[0m\r\n\t\u{8}\u{c}\u{0}\u{7f}")),
    .string(StringValue("C1: \u{80}\u{9b}\u{9f} after: \u{a0}é JS: \u{2028}\u{2029} astral: 😀 CJK: 線程")),
    .string(StringValue(bytes: [0x2F, 0x74, 0x6D, 0x70, 0x2F, 0x63, 0x61, 0x66, 0xE9])),  // Latin-1 é
    .string(StringValue(bytes: [0xFF, 0xFE, 0x00, 0x80], truncated: true)),
    .string(StringValue(bytes: [0xC0, 0x80])),  // overlong NUL
    .string(StringValue(bytes: [0xED, 0xA0, 0x80])),  // an encoded surrogate
    .string(StringValue(bytes: [0x61, 0xE2, 0x82])),  // cut in the middle of €
    .string(StringValue(bytes: [0xF4, 0x90, 0x80, 0x80])),  // above U+10FFFF
    .string(StringValue(bytes: Array(0...255))),
    .structure([]),
    .structure([
      Argument(name: "flags", .symbolic(Symbolic(parts: ["CLONE_VM"], raw: 0x100))),
      Argument(name: nil, .integer(17)),
      Argument(name: "name with \"quotes\"", .text("x")),
    ]),
    .array([], truncated: false),
    .array([], truncated: true),
    .array([.integer(5489), .address(1), .string(StringValue("x"))], truncated: true),
    .fileDescriptor(-1, path: nil),
    .fileDescriptor(3, path: "/proc/self/task/7/comm"),
    .fileDescriptor(Int32.max, path: "socket:[12345]\n"),
    .changed(from: .address(0), to: .address(0x7ffd_5c3e_1000)),
    .changed(
      from: .structure([Argument(name: "parent_tid", .address(0x7f3d_87fc_6990))]),
      to: .structure([Argument(name: "parent_tid", .array([.integer(5489)], truncated: false))])),
    .text("/* 35 vars */"),
    .text(""),
    nested(depth: 60),
  ]

  @Test(arguments: argumentValues)
  func argumentValue(_ value: ArgValue) throws {
    let event = TraceEvent(
      tid: 5488, tgid: 5488, time: TraceTime(microseconds: 1_732_330_000_001_210),
      body: .syscall(SyscallEvent(name: "test", arguments: [Argument(name: "arg", value), Argument(value)])))
    let trace = try jsonLinesRoundTrip([event])
    #expect(trace.warnings == [])
    #expect(trace.events == [event])
  }

  static let bodies: [TraceEvent] = [
    TraceEvent(tid: 1, body: .syscall(SyscallEvent(name: "getpid"))),
    TraceEvent(
      tid: 1, tgid: 1, time: TraceTime(microseconds: -5),
      body: .syscall(
        SyscallEvent(
          name: "syscall_0x1f4", number: nil, architecture: .i386, result: .success(-3, annotation: nil),
          completeness: .exitOnly))),
    TraceEvent(
      tid: 2, tgid: 1, time: TraceTime(microseconds: 10),
      body: .syscall(
        SyscallEvent(
          name: "openat", number: 257, result: .success(3, annotation: "</etc/passwd>"),
          entryTime: TraceTime(microseconds: 4),
          durationMicroseconds: 6))),
    TraceEvent(tid: 2, body: .syscall(SyscallEvent(name: "mmap", result: .success(Int64.max)))),
    TraceEvent(tid: 2, body: .syscall(SyscallEvent(name: "lseek", result: .success(Int64.min)))),
    TraceEvent(tid: 2, body: .syscall(SyscallEvent(name: "openat", result: .failure(errno: 2)))),
    TraceEvent(tid: 2, body: .syscall(SyscallEvent(name: "openat", result: .failure(errno: 4095)))),
    TraceEvent(tid: 2, body: .syscall(SyscallEvent(name: "futex", result: .interrupted(errno: 512)))),
    TraceEvent(tid: 2, body: .syscall(SyscallEvent(name: "futex", result: .noReturn, completeness: .complete))),
    TraceEvent(tid: 2, body: .syscall(SyscallEvent(name: "exit", result: nil, completeness: .entryOnly))),
    TraceEvent(tid: 3, tgid: 3, body: .signal(SignalEvent(signal: 17))),
    TraceEvent(
      tid: 3, body: .signal(SignalEvent(signal: 17, code: "CLD_EXITED", senderPID: 4, details: "si_status=0"))),
    TraceEvent(tid: 3, body: .groupStop(signal: 19)),
    TraceEvent(tid: 3, body: .exited(code: 0)),
    TraceEvent(tid: 3, body: .exited(code: -1)),
    TraceEvent(tid: 3, body: .killed(signal: 9, coreDumped: false)),
    TraceEvent(tid: 3, body: .killed(signal: 11, coreDumped: true)),
    TraceEvent(tid: 3, body: .execTookOver(formerTID: 7)),
    TraceEvent(tid: 3, body: .attached),
    TraceEvent(tid: 3, body: .detached),
    TraceEvent(tid: 3, tgid: 2, body: .cost(TaskCost(stops: 7, voluntarySwitches: 2, involuntarySwitches: 0))),
    TraceEvent(
      tid: 3, tgid: 2,
      body: .registrations(
        RegistrationState(
          moment: .exit, robustList: .init(head: 0x7f3d_87fc_69a0, length: 24),
          rseq: .init(address: 0x7f3d_87fc_6fe0, length: 32, signature: 0x5305_3053)))),
    TraceEvent(tid: 3, body: .registrations(RegistrationState(moment: .attach, robustList: .init(head: 0, length: 24)))),
    TraceEvent(tid: 3, body: .registrations(RegistrationState(moment: .exec, rseq: .init(address: 0, length: 0, signature: 0)))),
    TraceEvent(tid: 3, body: .personality(.i386)),
    TraceEvent(tid: 3, body: .personality(.x86_64)),
    TraceEvent(tid: 0, body: .tracerMessage("strace: Process 5 attached\u{1b}")),
    TraceEvent(tid: Int32.max, tgid: Int32.min, time: TraceTime(microseconds: Int64.max), body: .attached),
  ]

  @Test(arguments: bodies)
  func body(_ event: TraceEvent) throws {
    let trace = try jsonLinesRoundTrip([event])
    #expect(trace.warnings == [])
    #expect(trace.events == [event])
  }

  @Test func allEventsOfATraceInOrder() throws {
    let events =
      Self.bodies
      + Self.argumentValues.map {
        TraceEvent(tid: 9, body: .syscall(SyscallEvent(name: "x", arguments: [Argument($0)])))
      }
    let trace = try jsonLinesRoundTrip(events)
    #expect(trace.warnings == [])
    #expect(trace.events == events)
    #expect(trace.origins == Array(2..<(2 + events.count)))
    #expect(trace.end == JSONLinesEnd(interrupted: false, eventCount: Int64(events.count)))
  }

  @Test(arguments: [
    TraceHeader(schema: "threadtrace/1"),
    TraceHeader(
      schema: "strace", toolVersion: "0.1.0-dev+\"quoted\"", kernel: "6.1.0-27-amd64", architecture: .i386,
      command: ["./a.out", "", "two words", "new\nline", "\u{1b}"],
      startTime: TraceTime(microseconds: 1_732_330_000_000_000),
      clock: .epoch),
    TraceHeader(schema: "threadtrace/1", clock: .timeOfDay),
    TraceHeader(schema: "threadtrace/1", command: [], startTime: TraceTime(microseconds: 0), clock: .relative),
  ])
  func header(_ header: TraceHeader) throws {
    let trace = try jsonLinesRoundTrip([], header: header)
    var expected = header
    expected.schema = JSONLinesFormat.schema
    #expect(trace.header == expected)
    #expect(trace.warnings == [])
  }

  @Test func interruptedEndRecord() throws {
    let trace = try jsonLinesRoundTrip(
      [TraceEvent(tid: 1, body: .attached)], interrupted: true, endTime: TraceTime(microseconds: 99), reason: "SIGINT")
    #expect(trace.header.interrupted)
    #expect(
      trace.end == JSONLinesEnd(interrupted: true, time: TraceTime(microseconds: 99), eventCount: 1, reason: "SIGINT"))
    #expect(trace.warnings == [])
  }

  @Test func randomEvents() throws {
    var generator = JSONLinesRandom(seed: 0x7468_7265_6164)
    var events: [TraceEvent] = []
    for _ in 0..<400 {
      var arguments: [Argument] = []
      for _ in 0..<generator.below(6) {
        arguments.append(
          Argument(name: generator.below(2) == 0 ? nil : generator.text(), randomValue(&generator, depth: 0)))
      }
      let results: [SyscallResult?] = [
        nil, .noReturn, .success(generator.int64(), annotation: generator.below(2) == 0 ? nil : generator.text()),
        .failure(errno: Int32(generator.below(4096))), .interrupted(errno: 512),
      ]
      events.append(
        TraceEvent(
          tid: Int32(truncatingIfNeeded: generator.next()), tgid: generator.below(2) == 0 ? nil : 7,
          time: generator.below(2) == 0 ? nil : TraceTime(microseconds: generator.int64()),
          body: .syscall(
            SyscallEvent(
              name: generator.text(),
              number: generator.below(2) == 0 ? nil : Int32(truncatingIfNeeded: generator.next()),
              arguments: arguments, result: results[generator.below(results.count)]))))
    }
    let trace = try jsonLinesRoundTrip(events)
    #expect(trace.warnings == [])
    #expect(trace.events == events)
  }

  private func randomValue(_ generator: inout JSONLinesRandom, depth: Int) -> ArgValue {
    switch generator.below(depth > 4 ? 5 : 10) {
    case 0: return .integer(generator.int64())
    case 1: return .address(generator.next())
    case 2:
      return .symbolic(
        Symbolic(
          parts: (0..<generator.below(4)).map { _ in generator.text() },
          raw: generator.below(2) == 0 ? nil : generator.next()))
    case 3: return .string(StringValue(bytes: generator.bytes(), truncated: generator.below(2) == 0))
    case 4: return .text(generator.text())
    case 5:
      return .fileDescriptor(
        Int32(truncatingIfNeeded: generator.next()), path: generator.below(2) == 0 ? nil : generator.text())
    case 6:
      return .structure(
        (0..<generator.below(4)).map { _ in
          Argument(name: generator.below(3) == 0 ? nil : generator.text(), randomValue(&generator, depth: depth + 1))
        })
    case 7:
      return .array(
        (0..<generator.below(4)).map { _ in randomValue(&generator, depth: depth + 1) },
        truncated: generator.below(2) == 0)
    default:
      return .changed(from: randomValue(&generator, depth: depth + 1), to: randomValue(&generator, depth: depth + 1))
    }
  }

  private static func nested(depth: Int) -> ArgValue {
    var value = ArgValue.integer(1)
    for level in 0..<depth {
      value = level % 2 == 0 ? .structure([Argument(name: "n", value)]) : .array([value], truncated: false)
    }
    return value
  }
}

// MARK: Helpers shared by the JSONLines test files

/// Test names for the writer: a few errno values and signals, as `ErrnoNames`/signal tables would give.
func jsonLinesErrnoName(_ errno: Int32) -> String? {
  [2: "ENOENT", 4: "EINTR", 11: "EAGAIN", 512: "ERESTARTSYS"][errno]
}

func jsonLinesSignalName(_ signal: Int32) -> String? {
  [9: "SIGKILL", 11: "SIGSEGV", 17: "SIGCHLD", 19: "SIGSTOP"][signal]
}

/// What a reader made of a file.
struct JSONLinesReadResult {
  var header: TraceHeader
  /// The events without their origins (which the writer does not write).
  var events: [TraceEvent]
  var origins: [Int]
  var warnings: [InputWarning]
  var end: JSONLinesEnd?
}

/// A file in the temporary directory, removed when the value is.
final class JSONLinesTempFile {
  let path: String

  init(_ bytes: [UInt8] = []) {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-\(UUID().uuidString).jsonl").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
  }

  convenience init(_ text: String) { self.init(Array(text.utf8)) }

  var bytes: [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Reads `bytes` as a trace file.
func readJSONLines(_ bytes: [UInt8], lineLimit: Int = 64 << 20) throws(TraceReadError) -> JSONLinesReadResult {
  let file = JSONLinesTempFile(bytes)
  let fd = open(file.path, O_RDONLY)
  let source = LineSource(
    fileDescriptor: fd, name: "test.jsonl", ownsDescriptor: true, chunkSize: 256, maximumLineLength: lineLimit)
  let reader = try JSONLinesReader(source: source)
  var events: [TraceEvent] = []
  var origins: [Int] = []
  while let event = try reader.next() {
    var stripped = event
    stripped.origin = nil
    events.append(stripped)
    origins.append(event.origin?.line ?? -1)
  }
  return JSONLinesReadResult(
    header: reader.header, events: events, origins: origins, warnings: reader.drainWarnings(), end: reader.end)
}

func readJSONLines(_ text: String) throws(TraceReadError) -> JSONLinesReadResult { try readJSONLines(Array(text.utf8)) }

/// The bytes `JSONLinesWriter` writes for a trace.
func writeJSONLines(
  _ events: [TraceEvent], header: TraceHeader = TraceHeader(schema: "threadtrace/1"), interrupted: Bool? = false,
  endTime: TraceTime? = nil, reason: String? = nil
) throws -> [UInt8] {
  let file = JSONLinesTempFile()
  do {
    let writer = try JSONLinesWriter(path: file.path, errnoName: jsonLinesErrnoName, signalName: jsonLinesSignalName)
    try writer.writeHeader(header)
    for event in events { try writer.write(event) }
    if let interrupted { try writer.writeEnd(interrupted: interrupted, time: endTime, reason: reason) }
  }
  return file.bytes
}

func jsonLinesRoundTrip(
  _ events: [TraceEvent], header: TraceHeader = TraceHeader(schema: "threadtrace/1"), interrupted: Bool = false,
  endTime: TraceTime? = nil, reason: String? = nil
) throws -> JSONLinesReadResult {
  try readJSONLines(writeJSONLines(events, header: header, interrupted: interrupted, endTime: endTime, reason: reason))
}

/// The header line every hand-written test trace starts with.
let jsonLinesHeaderLine = #"{"schema":"threadtrace/1","arch":"x86_64"}"#

/// A small deterministic generator (JSONLinesRandom), so random tests fail the same way every time.
struct JSONLinesRandom {
  private var generator: SeededGenerator
  init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

  mutating func next() -> UInt64 { generator.next() }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  mutating func int64() -> Int64 {
    // Mostly small values, sometimes the extremes and values beyond 2^53.
    switch below(4) {
    case 0: return Int64(below(1000)) - 500
    case 1: return Int64(bitPattern: next())
    case 2: return [Int64.min, Int64.max, -1, 1 << 53, -(1 << 53)][below(5)]
    default: return Int64(below(1 << 20))
    }
  }

  mutating func bytes() -> [UInt8] {
    (0..<below(12)).map { _ in below(3) == 0 ? UInt8(truncatingIfNeeded: next()) : UInt8(0x20 + below(0x60)) }
  }

  mutating func text() -> String {
    let pieces = ["a", "Z", "_", " ", "\"", "\\", "\n", "\u{1b}", "\u{0}", "é", "😀", "\u{2028}", "\u{9b}", "線"]
    return (0..<below(8)).map { _ in pieces[below(pieces.count)] }.joined()
  }
}
