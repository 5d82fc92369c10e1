import Foundation
import Testing
import TraceModel

@testable import TraceIO

/// What `JSONLinesWriter` writes: exact bytes, escaping, one write per line, errors.
@Suite struct JSONLinesWriterTests {
  @Test func exactBytesOfAnEvent() throws {
    let event = TraceEvent(
      tid: 5489, tgid: 5488, time: TraceTime(microseconds: 1_732_330_000_001_610),
      body: .syscall(
        SyscallEvent(
          name: "write", number: 1,
          arguments: [
            Argument(name: "fd", .fileDescriptor(1, path: "/dev/pts/0")),
            Argument(name: "buf", .string(StringValue("\u{1b}[1mdone\u{1b}[0m\n\"\\"))),
            Argument(name: "count", .integer(15)),
          ], result: .failure(errno: 11), durationMicroseconds: 21)))
    let bytes = try writeJSONLines([event], interrupted: nil)
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 3)
    #expect(lines[0] == #"{"schema":"threadtrace/1","arch":"x86_64"}"#)
    #expect(
      lines[1]
        == #"{"type":"syscall","tid":5489,"tgid":5488,"time_us":1732330000001610,"name":"write","nr":1,"arch":"x86_64","args":[{"name":"fd","fd":1,"path":"/dev/pts/0"},{"name":"buf","str":"\u001b[1mdone\u001b[0m\n\"\\"},{"name":"count","int":15}],"ret":-11,"errno":11,"errno_name":"EAGAIN","completeness":"complete","duration_us":21}"#
    )
    #expect(lines[2] == "")
  }

  @Test func escapesEveryControlCharacter() throws {
    var scalars = (0..<0x20).map { Unicode.Scalar(UInt8($0)) }
    scalars += [Unicode.Scalar(0x7F), Unicode.Scalar(0x80), Unicode.Scalar(0x9B), Unicode.Scalar(0x9F)]
    scalars += [Unicode.Scalar(0xA0), Unicode.Scalar(0x2028)!, Unicode.Scalar(0x2029)!, Unicode.Scalar(0x2027)!]
    let text = String(String.UnicodeScalarView(scalars))
    let bytes = try writeJSONLines([TraceEvent(tid: 0, body: .tracerMessage(text))], interrupted: nil)
    let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n")[1]
    let expected =
      #"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
      + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
      + #"\u007f\u0080\u009b\u009f"# + "\u{a0}" + #"\u2028\u2029"# + "\u{2027}"
    #expect(line == #"{"type":"message","tid":0,"text":""# + expected + #""}"#)
  }

  @Test func noControlByteEverReachesTheFile() throws {
    var generator = JSONLinesRandom(seed: 99)
    var events: [TraceEvent] = []
    for _ in 0..<300 {
      let bytes = (0..<generator.below(30)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      let text = String(decoding: bytes, as: UTF8.self) + "\u{9b}\u{1b}"
      events.append(
        TraceEvent(
          tid: 1,
          body: .syscall(
            SyscallEvent(
              name: text, arguments: [Argument(name: text, .string(StringValue(bytes: bytes))), Argument(.text(text))],
              result: .success(0, annotation: text)))))
    }
    let output = try writeJSONLines(events)
    #expect(output.last == 0x0A)
    for (index, byte) in output.enumerated() {
      #expect(byte >= 0x20 && byte != 0x7F || byte == 0x0A, "byte \(byte) at \(index)")
      if byte == 0xC2 && index + 1 < output.count { #expect(output[index + 1] >= 0xA0, "C1 control at \(index)") }
    }
    #expect(output.filter { $0 == 0x0A }.count == events.count + 2)
    #expect(try readJSONLines(output).events == events)
  }

  @Test func integersBeyondDoublePrecisionAreHexStrings() throws {
    let event = TraceEvent(
      tid: 1, time: TraceTime(microseconds: Int64.max),
      body: .syscall(
        SyscallEvent(
          name: "x",
          arguments: [
            Argument(.integer(9_007_199_254_740_991)), Argument(.integer(9_007_199_254_740_992)),
            Argument(.integer(-9_007_199_254_740_993)), Argument(.address(UInt64.max)),
          ], result: .success(Int64.min))))
    let line = String(decoding: try writeJSONLines([event], interrupted: nil), as: UTF8.self).split(separator: "\n")[1]
    #expect(line.contains(#""time_us":"0x7fffffffffffffff""#))
    #expect(line.contains(#"{"int":9007199254740991},{"int":"0x20000000000000"},{"int":"0xffdfffffffffffff"}"#))
    #expect(line.contains(#"{"addr":"0xffffffffffffffff"}"#))
    #expect(line.contains(#""ret":"0x8000000000000000""#))
  }

  @Test func stringsThatAreNotUTF8AreBase64() throws {
    let event = TraceEvent(
      tid: 1,
      body: .syscall(
        SyscallEvent(
          name: "openat",
          arguments: [
            Argument(
              name: "pathname",
              .string(StringValue(bytes: Array("/tmp/caf".utf8) + [0xE9] + Array(".txt".utf8), truncated: true)))
          ])))
    let line = String(decoding: try writeJSONLines([event], interrupted: nil), as: UTF8.self).split(separator: "\n")[1]
    #expect(line.contains(#"{"name":"pathname","bytes_b64":"L3RtcC9jYWbpLnR4dA==","trunc":true}"#))
  }

  @Test func tooDeepValuesAreCutToText() throws {
    var value = ArgValue.integer(1)
    for _ in 0..<(JSONLinesFormat.maximumArgumentNesting + 10) { value = .array([value], truncated: false) }
    let trace = try jsonLinesRoundTrip([
      TraceEvent(tid: 1, body: .syscall(SyscallEvent(name: "x", arguments: [Argument(value)])))
    ])
    #expect(trace.warnings == [])
    guard case .syscall(let call)? = trace.events.first?.body else {
      Issue.record("no syscall")
      return
    }
    var depth = 0
    var current = call.arguments[0].value
    while case .array(let elements, _) = current {
      depth += 1
      current = elements[0]
    }
    #expect(depth == JSONLinesFormat.maximumArgumentNesting)
    #expect(current == .text("(nested too deeply)"))
  }

  @Test func namesComeFromTheTablesByDefault() throws {
    let file = JSONLinesTempFile()
    do {
      let writer = try JSONLinesWriter(path: file.path)
      try writer.writeHeader(TraceHeader(schema: "threadtrace/1"))
      try writer.write(TraceEvent(tid: 1, body: .syscall(SyscallEvent(name: "x", result: .interrupted(errno: 512)))))
      try writer.write(TraceEvent(tid: 1, body: .killed(signal: 9, coreDumped: false)))
    }
    let lines = String(decoding: file.bytes, as: UTF8.self).split(separator: "\n")
    #expect(lines[1].contains(#""ret":-512,"errno":512,"errno_name":"ERESTARTSYS","restart":true,"completeness""#))
    #expect(lines[2] == #"{"type":"killed","tid":1,"signal":9,"signal_name":"SIGKILL","core_dumped":false}"#)
  }

  @Test func namesAreLeftOutWhenUnknown() throws {
    let file = JSONLinesTempFile()
    do {
      let writer = try JSONLinesWriter(path: file.path, errnoName: { _ in nil }, signalName: { _ in nil })
      try writer.writeHeader(TraceHeader(schema: "threadtrace/1"))
      try writer.write(TraceEvent(tid: 1, body: .syscall(SyscallEvent(name: "x", result: .failure(errno: 2)))))
      try writer.write(TraceEvent(tid: 1, body: .killed(signal: 9, coreDumped: false)))
    }
    let lines = String(decoding: file.bytes, as: UTF8.self).split(separator: "\n")
    #expect(lines[1].contains(#""ret":-2,"errno":2,"completeness""#))
    #expect(lines[2] == #"{"type":"killed","tid":1,"signal":9,"core_dumped":false}"#)
  }

  @Test func eachEventIsWrittenBeforeTheNextIsAskedFor() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer { close(fds[0]) }
    let writer = JSONLinesWriter(
      fileDescriptor: fds[1], name: "<pipe>", ownsDescriptor: true, errnoName: jsonLinesErrnoName,
      signalName: jsonLinesSignalName
    )
    func available() -> String {
      var buffer = [UInt8](repeating: 0, count: 65536)
      let count = read(fds[0], &buffer, buffer.count)
      return String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
    }
    try writer.writeHeader(TraceHeader(schema: "threadtrace/1"))
    #expect(available() == jsonLinesHeaderLine + "\n")
    for event in JSONLinesRoundTripTests.bodies.prefix(5) {
      try writer.write(event)
      let line = available()
      #expect(line.hasSuffix("}\n"))
      #expect(line.filter { $0 == "\n" }.count == 1)
    }
    try writer.writeEnd(interrupted: true)
    #expect(available() == #"{"type":"end","interrupted":true,"events":5}"# + "\n")
    #expect(writer.eventCount == 5)
  }

  @Test func aWriteErrorIsThrownOnce() throws {
    let writer = try JSONLinesWriter(path: "/dev/full")
    var thrown: [TraceWriteError] = []
    do { try writer.writeHeader(TraceHeader(schema: "threadtrace/1")) } catch { thrown.append(error) }
    for _ in 0..<3 {
      do { try writer.write(TraceEvent(tid: 1, body: .attached)) } catch { thrown.append(error) }
    }
    do { try writer.writeEnd(interrupted: false) } catch { thrown.append(error) }
    #expect(thrown.count == 1)
    #expect(thrown.first?.errno == ENOSPC)
    #expect(thrown.first?.file == "/dev/full")
    #expect(writer.failure == thrown.first)
    #expect(thrown.first?.description.hasPrefix("/dev/full: cannot write the trace: ") == true)
  }

  @Test func cannotCreateTheFile() {
    #expect(throws: TraceWriteError.self) { _ = try JSONLinesWriter(path: "/nonexistent-directory/trace.jsonl") }
  }
}
