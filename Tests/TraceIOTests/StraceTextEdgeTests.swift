import Foundation
import TestSupport
import Testing
import TraceModel

@testable import TraceIO

/// `fixtures/strace/edge/`: each hostile or partial input gives exactly the warnings or the error its
/// `MANIFEST.tsv` row asks for (hard-cases.md §4 T26).
@Suite struct StraceTextEdgeTests {
  private func read(_ name: String) throws -> StraceTest.Output {
    try StraceTest.drain(try TraceInput.open([Fixtures.path("strace/edge/\(name)")]))
  }

  private func refusal(_ name: String) -> TraceReadError? {
    do {
      _ = try read(name)
      return nil
    } catch let error as TraceReadError {
      return error
    } catch {
      return nil
    }
  }

  struct Clean: CustomTestStringConvertible, Sendable {
    var file: String
    var testDescription: String { file }
  }

  @Test(arguments: [
    "crlf.strace", "invalid-utf8.strace", "terminal-escapes.strace", "resume-without-start.strace",
    "start-without-resume.strace", "reused-tid.strace", "unknown-syscall.strace", "personality-switch.strace",
    "restart-syscall.strace", "erestartsys.strace", "nul-byte.strace",
  ])
  func readsWithoutWarnings(_ file: String) throws {
    let output = try read(file)
    #expect(output.warnings.map(\.description) == [])
    #expect(!output.events.isEmpty)
  }

  @Test func killedStraceKeepsTheCutLastCall() throws {
    let output = try read("truncated-killed-strace.strace")
    #expect(output.warnings.count == 1)
    let warning = try #require(output.warnings.first)
    #expect(warning.line == 76)
    #expect(warning.reason.hasPrefix("last line is cut short"))
    let last = try #require(output.events.compactMap(StraceTest.call).first { $0.name == "clock_nanosleep" && $0.completeness == .entryOnly })
    #expect(last.arguments.count == 3)
  }

  @Test func cutMidTokenKeepsTheCompleteLines() throws {
    let output = try read("truncated-mid-token.strace")
    #expect(output.warnings.map(\.line) == [7])
    let calls = output.events.compactMap(StraceTest.call)
    #expect(calls.prefix(6).allSatisfy { $0.completeness == .complete })
    #expect(calls.last?.name == "clone3")
    #expect(calls.last?.completeness == .entryOnly)
  }

  @Test func malformedLineIsReportedAndReadingGoesOn() throws {
    let output = try read("malformed-line.strace")
    #expect(output.warnings.map(\.line) == [6])
    #expect(output.events.contains { $0.origin?.line == 7 })
  }

  @Test func crlfReadsLikeLF() throws {
    let crlf = try read("crlf.strace").events
    #expect(crlf.compactMap(StraceTest.call).allSatisfy { !$0.name.contains("\r") })
    #expect(crlf.contains { if case .exited(0) = $0.body { return true } else { return false } })
  }

  @Test func invalidUTF8StaysBytes() throws {
    let output = try read("invalid-utf8.strace")
    let names = output.events.compactMap(StraceTest.call).filter { $0.name == "prctl" }
      .compactMap { $0.arguments.count > 1 ? $0.arguments[1].value.stringValue?.bytes : nil }
    #expect(names.contains { $0.contains(0xFF) && $0.contains(0xFE) })
    #expect(names.contains(Array("na\u{EF}ve-3".utf8)))
  }

  @Test func nulByteNeverTruncatesTheRest() throws {
    let output = try read("nul-byte.strace")
    #expect(output.events.count == 3)
  }

  @Test func reusedTIDIsTwoLifetimes() throws {
    let events = try read("reused-tid.strace").events
    let exits = events.filter { event in
      if case .exited = event.body { return event.tid == 10095 }
      return false
    }
    #expect(exits.count == 2)
  }

  @Test func unknownSyscallKeepsItsNumber() throws {
    let call = try #require(try read("unknown-syscall.strace").events.compactMap(StraceTest.call).first)
    #expect(call.name == "syscall_0x1f4")
    #expect(call.number == 500)
    #expect(call.result == .failure(errno: 38))
  }

  @Test func personalitySwitchUsesTheI386Table() throws {
    let calls = try read("personality-switch.strace").events.compactMap(StraceTest.call)
    let i386 = calls.filter { $0.architecture == .i386 }
    #expect(i386.map(\.name) == ["getpid", "clone"])
    #expect(i386.map(\.number) == [20, 120])
  }

  @Test func restartsAreNotFinal() throws {
    let events = try read("restart-syscall.strace").events
    let calls = events.compactMap(StraceTest.call)
    #expect(calls.contains { $0.name == "clock_nanosleep" && $0.result == .interrupted(errno: 516) })
    #expect(calls.contains { $0.name == "restart_syscall" })
    #expect(events.contains { if case .groupStop(19) = $0.body { return true } else { return false } })
    let erestartsys = try read("erestartsys.strace").events.compactMap(StraceTest.call)
    #expect(erestartsys.contains { $0.name == "read" && $0.result == .interrupted(errno: 512) })
    #expect(erestartsys.contains { $0.name == "read" && $0.result == .success(1, annotation: nil) })
  }

  struct Refusal: CustomTestStringConvertible, Sendable {
    var file: String
    var kind: TraceReadError.Kind
    var line: Int?
    var reason: String
    var testDescription: String { file }
  }

  @Test(arguments: [
    Refusal(file: "empty.strace", kind: .empty, line: nil, reason: "file is empty"),
    Refusal(file: "summary-c.strace", kind: .straceSummary, line: 1, reason: "this is an strace -c summary"),
    Refusal(
      file: "not-strace.strace", kind: .unrecognizedFormat, line: 1,
      reason: "not an strace log or threadtrace trace: line 1: \"start pid="),
    Refusal(
      file: "not-strace-binary.strace", kind: .unrecognizedFormat, line: 1,
      reason: "not an strace log or threadtrace trace: line 1: \"\\x7fELF"),
  ])
  func refusals(_ refusal: Refusal) throws {
    let error = try #require(self.refusal(refusal.file))
    #expect(error.kind == refusal.kind)
    #expect(error.line == refusal.line)
    #expect(error.reason.hasPrefix(refusal.reason), "\(error.reason)")
    #expect(error.file.hasSuffix(refusal.file))
    #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
  }
}
