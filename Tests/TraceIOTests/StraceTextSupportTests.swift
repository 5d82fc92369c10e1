import Foundation
import TestSupport
import Testing
import TraceModel

@testable import TraceIO

/// Helpers for the strace reader tests: run text or a file through a reader, and print events in one compact
/// line each so tables of expectations stay readable.
enum StraceTest {
  struct Output {
    var events: [TraceEvent]
    var warnings: [InputWarning]
    var header: TraceHeader
  }

  /// Writes `text` to a temporary file (LineSource reads descriptors) and reads it all.
  static func read(
    _ text: String, options: StraceReadOptions = StraceReadOptions(), pid: Int32? = nil
  ) throws -> Output {
    try read(bytes: Array(text.utf8), options: options, pid: pid)
  }

  static func read(bytes: [UInt8], options: StraceReadOptions = StraceReadOptions(), pid: Int32? = nil) throws
    -> Output
  {
    let path = temporaryFile(bytes)
    defer { unlink(path) }
    return try read(path: path, options: options, pid: pid)
  }

  static func read(path: String, options: StraceReadOptions = StraceReadOptions(), pid: Int32? = nil) throws
    -> Output
  {
    let reader = try StraceTextReader(path: path, options: options, pid: pid)
    return try drain(reader)
  }

  static func drain(_ reader: any TraceReader) throws -> Output {
    var events: [TraceEvent] = []
    var warnings: [InputWarning] = []
    while let event = try reader.next() {
      events.append(event)
      warnings += reader.drainWarnings()
    }
    warnings += reader.drainWarnings()
    return Output(events: events, warnings: warnings, header: reader.header)
  }

  nonisolated(unsafe) static var counter = 0
  static let lock = NSLock()

  static func temporaryFile(_ bytes: [UInt8], name: String? = nil) -> String {
    lock.lock()
    counter += 1
    let number = counter
    lock.unlock()
    let path = Scratch.path(name ?? "strace-test-\(number).txt")
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  /// `TID name(args) = result [completeness]`, `TID +++ exited 0`, … with times when present.
  static func describe(_ event: TraceEvent, arguments: Bool = false) -> String {
    var text = "\(event.tid) "
    switch event.body {
    case .syscall(let call):
      text += call.name
      if arguments { text += "(" + call.arguments.map(describe).joined(separator: ", ") + ")" }
      switch call.result {
      case .none: text += " …"
      case .success(let value, let annotation)?:
        text += " = \(value)"
        if let annotation { text += " <\(annotation)>" }
      case .failure(let errno)?: text += " = -1 errno \(errno)"
      case .interrupted(let errno)?: text += " = ? restart \(errno)"
      case .noReturn?: text += " = ?"
      }
      if call.completeness != .complete { text += " [\(call.completeness.rawValue)]" }
    case .signal(let signal): text += "--- \(signal.signal)"
    case .groupStop(let signal): text += "stopped \(signal)"
    case .exited(let code): text += "+++ exited \(code)"
    case .killed(let signal, let core): text += "+++ killed \(signal)\(core ? " core" : "")"
    case .execTookOver(let former): text += "+++ exec took over from \(former)"
    case .attached: text += "attached"
    case .detached: text += "detached"
    case .cost(let cost): text += "cost \(cost.stops) stops"
    case .registrations(let state): text += "registrations at \(state.moment.rawValue)"
    case .personality(let architecture): text += "personality \(architecture.rawValue)"
    case .tracerMessage(let message): text += "strace: \(message)"
    }
    return text
  }

  static func describe(_ argument: Argument) -> String {
    (argument.name.map { "\($0)=" } ?? "") + describe(argument.value)
  }

  static func describe(_ value: ArgValue) -> String {
    switch value {
    case .integer(let number): return "\(number)"
    case .address(let address): return "0x" + String(address, radix: 16)
    case .symbolic(let symbolic):
      return symbolic.parts.joined(separator: "|") + (symbolic.raw.map { "#" + String($0, radix: 16) } ?? "#?")
    case .string(let string): return "\"\(string.lossyText)\"" + (string.truncated ? "..." : "")
    case .structure(let fields): return "{" + fields.map(describe).joined(separator: ", ") + "}"
    case .array(let elements, let truncated):
      return "[" + elements.map(describe).joined(separator: ", ") + (truncated ? ", ..." : "") + "]"
    case .fileDescriptor(let fd, let path): return "fd \(fd)" + (path.map { "<\($0)>" } ?? "")
    case .changed(let from, let to): return describe(from) + " => " + describe(to)
    case .text(let text): return "text(\(text))"
    }
  }

  static func call(_ event: TraceEvent) -> SyscallEvent? {
    if case .syscall(let call) = event.body { return call }
    return nil
  }
}

@Suite struct StraceTextSupportTests {
  /// `STRACE_DUMP=path swift test --filter dumpForDebugging` prints every event of a log.
  @Test func dumpForDebugging() throws {
    guard let path = ProcessInfo.processInfo.environment["STRACE_DUMP"] else { return }
    let output = try StraceTest.drain(try TraceInput.open(path.split(separator: ",").map(String.init)))
    for event in output.events {
      let time = event.time.map { " @\($0.microseconds)" } ?? ""
      let file = event.origin.map { "\($0.file):\($0.line)" } ?? "-"
      print("\(file)\(time): \(StraceTest.describe(event, arguments: true))")
    }
    for warning in output.warnings { print("warning: \(warning)") }
  }
}
