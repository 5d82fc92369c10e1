import Foundation
import Testing
import TraceModel

@testable import TraceIO

/// The version rule, the header, and what the reader does with lines it cannot use.
@Suite struct JSONLinesReaderTests {
  // MARK: Header and version

  @Test func newerMajorVersionIsRefused() throws {
    let text = #"{"schema":"threadtrace/2","tool_version":"2.0.0","arch":"x86_64"}"# + "\n"
    let error = try #require(try readJSONLinesError(text))
    #expect(error.kind == .unsupportedVersion)
    #expect(error.line == 1)
    #expect(
      error.reason
        == "this trace is threadtrace/2 (written by threadtrace 2.0.0 in a newer format), but this threadtrace reads "
        + "threadtrace/1 only: upgrade threadtrace to read it")
  }

  @Test(arguments: ["threadtrace/0", "threadtrace/3.1", "threadtrace/10"])
  func otherMajorVersionsAreRefused(_ schema: String) {
    #expect(throws: TraceReadError.self) { _ = try readJSONLines("{\"schema\":\"\(schema)\",\"arch\":\"x86_64\"}\n") }
    let error = try? readJSONLinesError("{\"schema\":\"\(schema)\"}\n")
    #expect(error?.kind == .unsupportedVersion)
  }

  @Test func newerMinorVersionIsRead() throws {
    let trace = try readJSONLines(
      #"{"schema":"threadtrace/1.7","arch":"x86_64","new_member":{"deep":[1,2,{"x":null}]}}"# + "\n"
        + #"{"type":"exited","tid":5,"code":0,"new":"ignored"}"# + "\n")
    #expect(trace.header.schema == "threadtrace/1.7")
    #expect(trace.events == [TraceEvent(tid: 5, body: .exited(code: 0))])
    #expect(trace.warnings == [])
  }

  static let badHeaderCases: [(String, TraceReadError.Kind)] = [
    ("", .empty),
    ("\n  \n", .empty),
    ("not json\n", .unrecognizedFormat),
    ("[1,2]\n", .unrecognizedFormat),
    ("{\"schema\":\"strace/1\"}\n", .unrecognizedFormat),
    ("{\"schema\":\"threadtrace/x\"}\n", .unrecognizedFormat),
    ("{\"schema\":1}\n", .unrecognizedFormat),
    ("{\"schema\":\"threadtrace/1\",\"arch\":\"aarch64\"}\n", .unrecognizedFormat),
    ("{\"schema\":\"threadtrace/1\",\"ar", .unrecognizedFormat),
  ]

  @Test(arguments: badHeaderCases)
  func badHeaders(_ text: String, _ kind: TraceReadError.Kind) throws {
    let error = try #require(try readJSONLinesError(text))
    #expect(error.kind == kind)
    if kind != .empty { #expect(error.line == 1) }
  }

  @Test(arguments: [
    (#"{"schema":"threadtrace/1","arch":"x86_64"}"#, true),
    (#"  {"arch":"i386","schema":"threadtrace/2"}  "#, true),
    ("\u{feff}{\"schema\":\"threadtrace/1\"}", true),
    (#"{"schema":"strace"}"#, false),
    (#"{"type":"syscall","tid":1}"#, false),
    (#"{"schema":"threadtrace/1""#, false),
    ("[pid  5488] clone3({flags=CLONE_VM}, 88) = 5489", false),
    ("", false),
  ])
  func headerDetection(_ line: String, _ isHeader: Bool) {
    #expect(Array(line.utf8).withUnsafeBufferPointer { JSONLinesReader.isHeaderLine($0) } == isHeader)
  }

  @Test func blankLinesBeforeTheHeaderAreSkipped() throws {
    let trace = try readJSONLines("\n\n" + jsonLinesHeaderLine + "\n" + #"{"type":"attached","tid":1}"# + "\n")
    #expect(trace.events == [TraceEvent(tid: 1, body: .attached)])
    #expect(trace.origins == [4])
    let error = try #require(try readJSONLinesError("\n" + #"{"type":"attached","tid":1}"# + "\n"))
    #expect(error.line == 2)
  }

  @Test func headerLineAlreadyTakenByFormatDetection() throws {
    // Through a pipe, as `threadtrace explain - < trace.jsonl` reads it: the header line cannot be read twice.
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let text = jsonLinesHeaderLine + "\n" + #"{"type":"attached","tid":1}"# + "\n"
    #expect(write(fds[1], text, text.utf8.count) == text.utf8.count)
    close(fds[1])
    let source = LineSource(fileDescriptor: fds[0], name: "<stdin>", ownsDescriptor: true)
    let headerLine = try #require(try source.withNextLine { Array($0) })
    let reader = try JSONLinesReader(source: source, headerLine: headerLine)
    #expect(reader.header.architecture == .x86_64)
    let event = try reader.next()
    #expect(event == TraceEvent(tid: 1, body: .attached, origin: TraceEvent.Origin(line: 2)))
    #expect(try reader.next() == nil)
    #expect(reader.drainWarnings() == [])
  }

  @Test func missingHeaderNamesLine1() throws {
    let error = try #require(try readJSONLinesError(#"{"type":"syscall","tid":1,"name":"getpid"}"# + "\n"))
    #expect(error.kind == .unrecognizedFormat)
    #expect(error.line == 1)
    #expect(error.reason.contains("missing header"))
    #expect(error.reason.contains("\"syscall\""))
    #expect(error.description.hasPrefix("test.jsonl: line 1: "))
  }

  @Test func headerFieldsOfTheWrongTypeAreWarnings() throws {
    let trace = try readJSONLines(
      #"{"schema":"threadtrace/1","command":"ls","start_time_us":1.5,"clock":"tai"}"# + "\n")
    #expect(trace.header.command == nil)
    #expect(trace.header.startTime == nil)
    #expect(trace.header.clock == nil)
    let reasons = trace.warnings.map(\.reason)
    #expect(reasons.contains { $0.contains("\"command\"") })
    #expect(reasons.contains { $0.contains("\"start_time_us\"") })
    #expect(reasons.contains { $0.contains("\"clock\"") })
    #expect(reasons.contains { $0.contains("missing field \"arch\"") })
    #expect(trace.warnings.allSatisfy { $0.line == 1 })
  }

  @Test func byteOrderMarkAndCRLF() throws {
    let trace = try readJSONLines(
      [0xEF, 0xBB, 0xBF] + Array((jsonLinesHeaderLine + "\r\n{\"type\":\"attached\",\"tid\":3}\r\n").utf8))
    #expect(trace.events == [TraceEvent(tid: 3, body: .attached)])
    #expect(trace.warnings == [])
  }

  // MARK: Bad lines

  @Test(arguments: [
    ("{\"type\":\"exited\",\"tid\":5,\"code\":0", "malformed JSON"),
    ("{\"type\":\"exited\" \"tid\":5}", "expected ',' or '}'"),
    ("{\"type\":\"exited\",\"tid\":05,\"code\":0}", "leading zero"),
    ("{\"type\":\"exited\",\"tid\":5,\"code\":0}}", "after the value"),
    ("{\"type\":\"exited\",\"tid\":5,\"code\":0,}", "expected a key"),
    ("{\"type\":\"message\",\"tid\":0,\"text\":\"a\tb\"}", "control character"),
    ("{\"type\":\"message\",\"tid\":0,\"text\":\"\\x41\"}", "invalid escape"),
    ("{\"type\":\"message\",\"tid\":0,\"text\":\"\\u12G4\"}", "invalid \\u escape"),
    ("{\"type\":\"message\",\"tid\":0,\"text\":\"\\ud83d\"}", "unpaired surrogate"),
    ("{\"type\":\"message\",\"tid\":0,\"text\":\"\\ude00x\"}", "unpaired surrogate"),
    ("{\"type\":\"message\",\"tid\":0,\"text\":\"\\ud83d\\u0041\"}", "unpaired surrogate"),
    ("{\"type\":\"exited\",\"tid\":nul}", "unexpected"),
    ("{\"type\":\"exited\",\"tid\":-}", "invalid number"),
    ("{\"type\":\"exited\",\"tid\":1.}", "invalid number"),
    ("\"just a string\"", "not a JSON object"),
    ("{\"tid\":5}", "missing field \"type\""),
    ("{\"type\":5,\"tid\":5}", "\"type\""),
    ("{\"type\":\"exited\",\"code\":0}", "missing field \"tid\""),
    ("{\"type\":\"exited\",\"tid\":null,\"code\":0}", "missing field \"tid\""),
    ("{\"type\":\"exited\",\"tid\":\"5\",\"code\":0}", "field \"tid\" is not a 32-bit integer"),
    ("{\"type\":\"exited\",\"tid\":2147483648,\"code\":0}", "field \"tid\" is not a 32-bit integer"),
    ("{\"type\":\"exited\",\"tid\":1.0,\"code\":0}", "field \"tid\" is not a 32-bit integer"),
    ("{\"type\":\"exited\",\"tid\":1e3,\"code\":0}", "field \"tid\" is not a 32-bit integer"),
    ("{\"type\":\"exited\",\"tid\":1}", "missing field \"code\""),
    ("{\"type\":\"syscall\",\"tid\":1}", "missing field \"name\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":{}}", "field \"args\" is not an array"),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[5]}", "field \"args\" is not an object"),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"name\":\"a\"}]}", "has no tag"),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"int\":\"five\"}]}", "field \"int\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"int\":18446744073709551616}]}", "field \"int\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"addr\":-1}]}", "field \"addr\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"addr\":\"0x10000000000000000\"}]}", "field \"addr\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"bytes_b64\":\"a\"}]}", "base64"),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"bytes_b64\":\"a*==\"}]}", "base64"),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"changed\":{\"from\":{\"int\":1}}}]}", "\"to\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"completeness\":\"half\"}", "\"completeness\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"arch\":\"arm\"}", "\"arch\""),
    ("{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"errno\":\"ENOENT\"}", "\"errno\""),
    ("{\"type\":\"killed\",\"tid\":1,\"signal\":9,\"core_dumped\":1}", "\"core_dumped\""),
    ("{\"type\":\"personality\",\"tid\":1}", "missing field \"arch\""),
  ])
  func malformedLineIsAWarningAndReadingGoesOn(_ line: String, _ reasonPart: String) throws {
    let trace = try readJSONLines(
      jsonLinesHeaderLine + "\n" + line + "\n" + #"{"type":"exited","tid":7,"code":0}"# + "\n")
    #expect(trace.events == [TraceEvent(tid: 7, body: .exited(code: 0))])
    #expect(trace.warnings.count == 1)
    let warning = try #require(trace.warnings.first)
    #expect(warning.line == 2)
    #expect(warning.file == "test.jsonl")
    #expect(warning.reason.contains(reasonPart), "\(warning.reason)")
  }

  @Test func missingTidNamesTheField() throws {
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + #"{"type":"syscall","name":"getpid","ret":5}"# + "\n")
    #expect(trace.events == [])
    #expect(trace.warnings.map(\.description) == [#"test.jsonl:2: syscall event skipped: missing field "tid""#])
  }

  @Test func truncatedLastLine() throws {
    let good = #"{"type":"exited","tid":7,"code":0}"#
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + good + "\n" + #"{"type":"syscall","tid":7,"name":"wri"#)
    #expect(trace.events == [TraceEvent(tid: 7, body: .exited(code: 0))])
    #expect(
      trace.warnings == [
        InputWarning(file: "test.jsonl", line: 3, reason: "truncated last line (the tracer was probably killed)")
      ])
    #expect(trace.header.interrupted)
  }

  @Test func completeLastLineWithoutNewlineIsUsed() throws {
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + #"{"type":"exited","tid":7,"code":0}"#)
    #expect(trace.events == [TraceEvent(tid: 7, body: .exited(code: 0))])
    #expect(trace.warnings == [])
  }

  @Test func everyPrefixOfAWrittenTraceReadsWithoutCrashing() throws {
    let events = JSONLinesRoundTripTests.bodies
    let bytes = try writeJSONLines(events)
    let headerEnd = bytes.firstIndex(of: 0x0A)! + 1
    for cut in stride(from: headerEnd, through: bytes.count, by: 7) {
      let trace = try readJSONLines(Array(bytes[..<cut]))
      // Every complete line is used, and a last line cut just before its newline is complete too.
      var usableLines = bytes[headerEnd..<cut].filter { $0 == 0x0A }.count
      if cut < bytes.count && bytes[cut] == 0x0A { usableLines += 1 }
      #expect(trace.events == Array(events.prefix(min(usableLines, events.count))))
      #expect(trace.warnings.count <= 1)
      if cut < bytes.count - 1 { #expect(trace.header.interrupted) }
    }
  }

  @Test func deeplyNestedLineIsRejectedNotACrash() throws {
    let deep = String(repeating: "[", count: 100_000)
    let deepObjects = String(repeating: "{\"a\":", count: 100_000)
    let trace = try readJSONLines(
      jsonLinesHeaderLine + "\n" + deep + "\n" + deepObjects + "\n"
        + "{\"type\":\"syscall\",\"tid\":1,\"name\":\"x\",\"args\":[{\"array\":"
        + String(repeating: "[", count: 100_000) + "}]}\n" + #"{"type":"attached","tid":1}"# + "\n")
    #expect(trace.events == [TraceEvent(tid: 1, body: .attached)])
    #expect(trace.warnings.count == 3)
    #expect(trace.warnings.allSatisfy { $0.reason.contains("nested deeper than 512 levels") })
    #expect(trace.warnings.map(\.line) == [2, 3, 4])
  }

  @Test func nestingJustInsideTheLimitIsRead() throws {
    // 512 levels: the event object, "args", then value objects and arrays.
    var value = #"{"int":1}"#
    for _ in 0..<254 { value = #"{"array":["# + value + "]}" }
    let line = #"{"type":"syscall","tid":1,"name":"x","args":["# + value + "]}"
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + line + "\n")
    #expect(trace.warnings == [])
    #expect(trace.events.count == 1)
  }

  @Test func tooManyValuesOnALine() throws {
    var tape = JSONTape(maximumNesting: 512, maximumTokens: 100)
    let line = Array(("[" + Array(repeating: "1", count: 100).joined(separator: ",") + "]").utf8)
    let error = line.withUnsafeBufferPointer { buffer -> JSONTape.SyntaxError? in
      do throws(JSONTape.SyntaxError) {
        try tape.parse(buffer)
        return nil
      } catch { return error }
    }
    #expect(error?.reason.contains("more than 100 values") == true)
  }

  @Test func overlongLineIsSkippedWithAWarning() throws {
    let long = #"{"type":"message","tid":0,"text":""# + String(repeating: "x", count: 5000) + #""}"#
    let trace = try readJSONLines(
      Array((jsonLinesHeaderLine + "\n" + long + "\n" + #"{"type":"attached","tid":1}"# + "\n").utf8), lineLimit: 1024)
    #expect(trace.events == [TraceEvent(tid: 1, body: .attached)])
    #expect(trace.warnings.count == 1, "\(trace.warnings)")
    #expect(trace.warnings.first?.reason.contains("longer than 1024 bytes") == true)
    #expect(trace.warnings.first?.line == 2)
  }

  @Test func randomBytesNeverCrash() throws {
    var generator = JSONLinesRandom(seed: 42)
    let alphabet = Array(#"{}[]":,\-+.0123456789eEtrufalsn "u\/dcDbfa"#.utf8) + [0x00, 0x0D, 0x1B, 0x80, 0xFF, 0xC3]
    var text = Array((jsonLinesHeaderLine + "\n").utf8)
    for _ in 0..<3000 {
      for _ in 0..<generator.below(40) { text.append(alphabet[generator.below(alphabet.count)]) }
      text.append(0x0A)
    }
    let trace = try readJSONLines(text)
    #expect(trace.warnings.count + trace.events.count <= 3000)
  }

  @Test func mutatedLinesNeverCrash() throws {
    var generator = JSONLinesRandom(seed: 7)
    let bytes = try writeJSONLines(JSONLinesRoundTripTests.bodies)
    let headerEnd = bytes.firstIndex(of: 0x0A)! + 1
    for _ in 0..<300 {
      var mutated = bytes
      for _ in 0..<1 + generator.below(4) {
        let position = headerEnd + generator.below(bytes.count - headerEnd)
        mutated[position] = UInt8(truncatingIfNeeded: generator.next())
      }
      _ = try readJSONLines(mutated)
    }
  }

  // MARK: Version rule and unknowns

  @Test func unknownEventTypeIsSkippedWithOneWarning() throws {
    let trace = try readJSONLines(
      jsonLinesHeaderLine + "\n" + #"{"type":"cgroup_move","tid":1,"to":"/a"}"# + "\n"
        + #"{"type":"cgroup_move","tid":2}"#
        + "\n" + #"{"type":"attached","tid":3}"# + "\n")
    #expect(trace.events == [TraceEvent(tid: 3, body: .attached)])
    #expect(trace.warnings.count == 1)
    #expect(trace.warnings.first?.line == 2)
    #expect(trace.warnings.first?.reason.contains("unknown event type \"cgroup_move\"") == true)
  }

  @Test func unknownMembersAreIgnoredAtEveryLevel() throws {
    let line =
      #"{"type":"syscall","x":1,"tid":1,"name":"close","args":[{"name":"fd","fd":3,"path":"/a","future":[{}]},"#
      + #"{"struct":[{"name":"f","int":1,"hint":"y"}],"z":null}],"ret":0,"ret_kind":"fd","completeness":"complete"}"#
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + line + "\n")
    #expect(trace.warnings == [])
    #expect(
      trace.events == [
        TraceEvent(
          tid: 1,
          body: .syscall(
            SyscallEvent(
              name: "close",
              arguments: [
                Argument(name: "fd", .fileDescriptor(3, path: "/a")),
                Argument(.structure([Argument(name: "f", .integer(1))])),
              ], result: .success(0))))
      ])
  }

  @Test func unknownValueTagIsKeptAsText() throws {
    let line =
      #"{"type":"syscall","tid":1,"name":"x","args":[{"name":"a","sigset":["SIGINT"]},{"name":"b","sigset":[]}]}"#
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + line + "\n" + line + "\n")
    #expect(trace.events.count == 2)
    guard case .syscall(let call) = trace.events.first?.body else {
      Issue.record("not a syscall")
      return
    }
    #expect(call.arguments.first == Argument(name: "a", .text(#"{"name":"a","sigset":["SIGINT"]}"#)))
    #expect(trace.warnings.count == 1)
    #expect(trace.warnings.first?.reason.contains("unknown argument value \"sigset\"") == true)
  }

  // MARK: Values

  @Test func escapesAndNumbersDecode() throws {
    let line =
      #"{"type":"syscall","tid":-0,"name":"\u0078\/y","args":["#
      + #"{"str":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t\u0000\u001b"},"#
      + #"{"int":18446744073709551615},{"int":"0xffffffffffffffff"},{"int":-9223372036854775808},"#
      + #"{"addr":18446744073709551615},{"addr":"0XFFFFFFFFFFFFFFFF"},{"addr":"0x0"},"#
      + #"{"sym":["A"],"raw":12},{"bytes_b64":"/w"},{"bytes_b64":""},"#
      + #"{"array":[],"trunc":false},{"str":"x","trunc":null}"#
      + #"],"ret":"0x8000000000000000"}"#
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + line + "\n")
    #expect(trace.warnings == [])
    let call = try #require(
      trace.events.first.flatMap { event -> SyscallEvent? in
        if case .syscall(let call) = event.body { return call }
        return nil
      })
    #expect(trace.events.first?.tid == 0)
    #expect(call.name == "x/y")
    #expect(
      call.arguments.map(\.value) == [
        .string(
          StringValue(bytes: [
            0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0x22, 0x5C, 0x2F, 0x08, 0x0C, 0x0A, 0x0D, 0x09, 0x00, 0x1B,
          ])),
        .integer(-1), .integer(-1), .integer(Int64.min),
        .address(UInt64.max), .address(UInt64.max), .address(0),
        .symbolic(Symbolic(parts: ["A"], raw: 12)), .string(StringValue(bytes: [0xFF])),
        .string(StringValue(bytes: [])),
        .array([], truncated: false), .string(StringValue("x")),
      ])
    #expect(call.result == .success(Int64.min))
  }

  @Test func rawInvalidUTF8InAStrValueIsKeptAsBytes() throws {
    let line =
      Array(#"{"type":"syscall","tid":1,"name":"x","args":[{"str":"a"#.utf8) + [0xFF, 0xE9]
      + Array(#""}]}"#.utf8)
    let trace = try readJSONLines(Array((jsonLinesHeaderLine + "\n").utf8) + line + [0x0A])
    #expect(trace.warnings == [])
    guard case .syscall(let call)? = trace.events.first?.body else {
      Issue.record("no syscall")
      return
    }
    #expect(call.arguments.first?.value == .string(StringValue(bytes: [0x61, 0xFF, 0xE9])))
  }

  @Test func integerMembersAcceptTheHexForm() throws {
    let trace = try readJSONLines(
      jsonLinesHeaderLine + "\n" + #"{"type":"exited","tid":"0x10","code":"0xffffffffffffffff"}"# + "\n")
    #expect(trace.events == [TraceEvent(tid: 16, body: .exited(code: -1))])
    #expect(trace.warnings == [])
  }

  @Test func duplicateKeysUseTheFirst() throws {
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + #"{"type":"exited","tid":1,"tid":2,"code":3}"# + "\n")
    #expect(trace.events == [TraceEvent(tid: 1, body: .exited(code: 3))])
  }

  @Test func resultForms() throws {
    let lines = [
      #"{"type":"syscall","tid":1,"name":"a","ret":-2,"errno":2,"errno_name":"ENOENT"}"#,
      #"{"type":"syscall","tid":1,"name":"a","errno":2}"#,
      #"{"type":"syscall","tid":1,"name":"a","ret":-512,"errno":512,"restart":true}"#,
      #"{"type":"syscall","tid":1,"name":"a","no_return":true}"#,
      #"{"type":"syscall","tid":1,"name":"a","ret":7,"ret_note":"</tmp/x>"}"#,
      #"{"type":"syscall","tid":1,"name":"a","ret":null,"no_return":false}"#,
    ]
    let trace = try readJSONLines(([jsonLinesHeaderLine] + lines).joined(separator: "\n") + "\n")
    #expect(trace.warnings == [])
    let results = trace.events.map { event -> SyscallResult? in
      if case .syscall(let call) = event.body { return call.result }
      return nil
    }
    #expect(
      results == [
        .failure(errno: 2), .failure(errno: 2), .interrupted(errno: 512), .noReturn,
        .success(7, annotation: "</tmp/x>"), nil,
      ])
  }

  @Test func syscallArchDefaultsToTheHeaders() throws {
    let trace = try readJSONLines(
      #"{"schema":"threadtrace/1","arch":"i386"}"# + "\n" + #"{"type":"syscall","tid":1,"name":"a"}"# + "\n")
    guard case .syscall(let call)? = trace.events.first?.body else {
      Issue.record("no syscall")
      return
    }
    #expect(call.architecture == .i386)
    #expect(call.completeness == .complete)
    #expect(call.arguments == [])
  }

  // MARK: Lines around the events

  @Test func blankLinesAreIgnoredAndOriginsCountThem() throws {
    let trace = try readJSONLines(
      jsonLinesHeaderLine + "\n\n  \n" + #"{"type":"attached","tid":1}"# + "\n\n" + #"{"type":"detached","tid":1}"#
        + "\n")
    #expect(trace.events == [TraceEvent(tid: 1, body: .attached), TraceEvent(tid: 1, body: .detached)])
    #expect(trace.origins == [4, 6])
    #expect(trace.warnings == [])
  }

  @Test func noEndRecordMeansInterrupted() throws {
    let trace = try readJSONLines(jsonLinesHeaderLine + "\n" + #"{"type":"attached","tid":1}"# + "\n")
    #expect(trace.end == nil)
    #expect(trace.header.interrupted)
    #expect(trace.warnings == [])
  }

  @Test func endRecordChecks() throws {
    let trace = try readJSONLines(
      [
        jsonLinesHeaderLine,
        #"{"type":"attached","tid":1}"#,
        #"{"type":"end","interrupted":false,"events":2}"#,
        #"{"schema":"threadtrace/1","arch":"x86_64"}"#,
        #"{"type":"attached","tid":2}"#,
        #"{"type":"end","interrupted":true}"#,
        #"{"type":"end"}"#,
      ].joined(separator: "\n") + "\n")
    #expect(trace.events == [TraceEvent(tid: 1, body: .attached), TraceEvent(tid: 2, body: .attached)])
    #expect(trace.end == JSONLinesEnd(interrupted: true))
    #expect(trace.header.interrupted)
    let reasons = trace.warnings.map { "\($0.line): \($0.reason)" }
    #expect(reasons.count == 5, "\(reasons)")
    #expect(reasons[0].hasPrefix("3: the end record counts 2 events but 1 event lines"))
    #expect(reasons[1].hasPrefix("4: a second header"))
    #expect(reasons[2].hasPrefix("5: events after the end record"))
    #expect(reasons[3].hasPrefix("6: a second end record"))
    #expect(reasons[4].hasPrefix("7: end record ignored: missing field \"interrupted\""))
  }

  @Test func progressReachesTheFileSize() throws {
    let bytes = try writeJSONLines(JSONLinesRoundTripTests.bodies)
    let file = JSONLinesTempFile(bytes)
    let reader = try JSONLinesReader(source: LineSource(path: file.path))
    while try reader.next() != nil {}
    #expect(reader.progress.consumed == Int64(bytes.count))
    #expect(reader.progress.total == Int64(bytes.count))
  }
}

/// The error reading `text` throws, or nil when it reads.
func readJSONLinesError(_ text: String) throws -> TraceReadError? {
  do {
    _ = try readJSONLines(text)
    return nil
  } catch {
    return error
  }
}
