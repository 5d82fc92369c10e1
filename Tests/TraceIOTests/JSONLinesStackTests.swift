import Testing
import TraceModel

@testable import TraceIO

/// The `stack` member of syscall events (`trace --stacks`, docs/trace-format.md §4.3): written and read back
/// unchanged, absent when there is none, and a broken frame costs its event only.
@Suite struct JSONLinesStackTests {
  static func clone3(stack: [StackFrame]?) -> TraceEvent {
    var call = SyscallEvent(
      name: "clone3", number: 435, arguments: [Argument(name: "size", .integer(88))], result: .success(5489))
    call.stack = stack
    return TraceEvent(tid: 5488, tgid: 5488, time: TraceTime(microseconds: 1_732_330_000_001_447), body: .syscall(call))
  }

  static let frames: [StackFrame] = [
    StackFrame(
      pc: 0x7f20_2965_68d9, function: "clone3", offset: 25, module: "/usr/lib/x86_64-linux-gnu/libc.so.6",
      moduleOffset: 0x10_98d9),
    StackFrame(pc: 0x7f20_2965_693d, module: "/usr/lib/x86_64-linux-gnu/libc.so.6", moduleOffset: 0x10_993d),
    StackFrame(pc: 0x5624_353e_220f, function: "spawn \"workers\"\u{1b}[0m", offset: 0, module: "/tmp/caf\u{e9}"),
    StackFrame(pc: 0x7ffd_0000_0010, module: "[vdso]"),
    StackFrame(pc: 0),
    StackFrame(pc: UInt64.max, function: "f", offset: UInt64(1 << 53) + 1, moduleOffset: 1 << 63),
  ]

  @Test func stacksComeBackAsWritten() throws {
    let events = [Self.clone3(stack: Self.frames), Self.clone3(stack: []), Self.clone3(stack: nil)]
    let trace = try readJSONLines(try writeJSONLines(events))
    #expect(trace.warnings == [])
    #expect(trace.events == events)
    guard case .syscall(let call) = trace.events.first?.body else {
      Issue.record("no syscall read back")
      return
    }
    #expect(call.stack == Self.frames)
  }

  @Test func theWrittenFormIsTheDocumentedOne() throws {
    let line = String(decoding: try writeJSONLines([Self.clone3(stack: Array(Self.frames.prefix(2)))]), as: UTF8.self)
      .split(separator: "\n")[1]
    #expect(
      line.hasSuffix(
        #","stack":[{"pc":"0x7f20296568d9","function":"clone3","offset":25,"module":"/usr/lib/x86_64-linux-gnu/libc.so.6","module_offset":"0x1098d9"},"#
          + #"{"pc":"0x7f202965693d","module":"/usr/lib/x86_64-linux-gnu/libc.so.6","module_offset":"0x10993d"}]}"#))
    // No stack, no member: traces without --stacks are unchanged.
    let plain = String(decoding: try writeJSONLines([Self.clone3(stack: nil)]), as: UTF8.self)
    #expect(!plain.contains("stack"))
  }

  @Test func aBrokenFrameSkipsItsEventWithAWarning() throws {
    let header = #"{"schema":"threadtrace/1","arch":"x86_64"}"#
    let good = #"{"type":"syscall","tid":1,"name":"vfork","stack":[{"pc":"0x10","function":"vfork","offset":8}]}"#
    for broken in [
      #"{"type":"syscall","tid":1,"name":"vfork","stack":[{"function":"vfork"}]}"#,
      #"{"type":"syscall","tid":1,"name":"vfork","stack":[{"pc":"nowhere"}]}"#,
      #"{"type":"syscall","tid":1,"name":"vfork","stack":{"pc":"0x10"}}"#,
      #"{"type":"syscall","tid":1,"name":"vfork","stack":[{"pc":"0x10","offset":-1}]}"#,
    ] {
      let trace = try readJSONLines([header, broken, good].joined(separator: "\n") + "\n")
      #expect(trace.warnings.count == 1, "\(broken)")
      #expect(trace.events.count == 1)
      guard case .syscall(let call) = trace.events.first?.body else { continue }
      #expect(call.stack == [StackFrame(pc: 0x10, function: "vfork", offset: 8)])
    }
  }
}
