import Foundation

#if canImport(Glibc)
  import Glibc
#endif
import TestSupport
import Testing
import TraceModel

@testable import TraceIO

/// `TraceInput.open`: which reader a path gets, and what each kind of wrong input says.
@Suite struct TraceInputTests {
  private func temporaryDirectory() throws -> String {
    let path = Scratch.path("traceinput-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  private func write(_ text: String, to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
  }

  private func openError(_ paths: [String]) -> TraceReadError? {
    do {
      _ = try TraceInput.open(paths)
      return nil
    } catch {
      return error
    }
  }

  @Test func straceTextGetsTheStraceReader() throws {
    let reader = try TraceInput.open([Fixtures.path("strace/default_threads.f-o.strace")])
    #expect(reader is StraceTextReader)
  }

  @Test func firstLinesThatAreNotEventsDoNotHideAnStraceLog() throws {
    let directory = try temporaryDirectory()
    let path = directory + "/messages-first.strace"
    let hugeArgv = (0..<20_000).map { "\"arg\($0)\"" }.joined(separator: ", ")
    write(
      "strace: Process 4242 attached\n\n4242  execve(\"/bin/x\", [\(hugeArgv)], 0x7ffc /* 3 vars */) = 0\n"
        + "4242  exit_group(0) = ?\n", to: path)
    let output = try StraceTest.drain(try TraceInput.open([path]))
    #expect(output.events.map { StraceTest.describe($0) } == ["4242 attached", "4242 execve = 0", "4242 exit_group = ?"])
  }

  @Test func standardInputIsPeekedAndReplayed() throws {
    // The same path as `-`, but through a pipe: detection peeks lines that the reader must see again.
    let fds = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
    defer { fds.deallocate() }
    #expect(pipe(fds) == 0)
    let text = "5 getpid() = 5\n5 exit_group(0) = ?\n5 +++ exited with 0 +++\n"
    _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fds[1], $0.baseAddress, $0.count - 1) }
    close(fds[1])
    let reader = try TraceInput.open(
      descriptor: fds[0], name: "<stdin>", owns: true, options: StraceReadOptions())
    let output = try StraceTest.drain(reader)
    #expect(output.events.map { StraceTest.describe($0) } == ["5 getpid = 5", "5 exit_group = ?", "5 +++ exited 0"])
  }

  @Test func aDirectoryIsAFollowForksSet() throws {
    let reader = try TraceInput.open([Fixtures.path("strace/fork_exec.ff-tt")])
    #expect(reader is StraceFollowForksReader)
  }

  @Test func thePrefixGivenToStraceNamesTheSet() throws {
    let directory = try temporaryDirectory()
    write("10:00:00.000001 clone(child_stack=NULL, flags=SIGCHLD) = 11\n10:00:00.000009 +++ exited with 0 +++\n", to: directory + "/trace.10")
    write("10:00:00.000005 exit_group(0) = ?\n10:00:00.000006 +++ exited with 0 +++\n", to: directory + "/trace.11")
    let output = try StraceTest.drain(try TraceInput.open([directory + "/trace"]))
    #expect(
      output.events.map { StraceTest.describe($0) } == [
        "10 clone = 11", "11 exit_group = ?", "11 +++ exited 0", "10 +++ exited 0",
      ])
    #expect(output.warnings.isEmpty)
  }

  @Test func severalPathsAreASet() throws {
    let directory = try temporaryDirectory()
    write("exit_group(0) = ?\n", to: directory + "/a.20")
    write("exit_group(1) = ?\n", to: directory + "/a.21")
    let output = try StraceTest.drain(try TraceInput.open([directory + "/a.21", directory + "/a.20"]))
    #expect(output.events.map(\.tid) == [21, 20])
    #expect(output.warnings.count == 1)  // no timestamps: order across files unknown
  }

  @Test func followForksExecChangesPidAcrossFiles() throws {
    let output = try StraceTest.drain(try TraceInput.open([Fixtures.path("strace/exec_from_thread.ff-tt")]))
    let execs = output.events.filter { StraceTest.call($0)?.name == "execve" }
    #expect(execs.count == 2)
    let second = try #require(execs.last.flatMap(StraceTest.call))
    #expect(second.completeness == .complete)
    #expect(second.result == .success(0, annotation: nil))
    #expect(second.arguments.count == 3)
    #expect(execs.last?.tid == 10280)
    #expect(output.events.contains { $0.tid == 10280 && $0.body == .execTookOver(formerTID: 10283) })
  }

  /// Without timestamps the files are read one after another, but the exec'ing thread's file and its group's
  /// other thread files are read when the leader's file reaches `+++ superseded by execve in pid T +++`: the
  /// two halves of the execve join, and the other threads end before the exec completes.
  @Test func followForksExecWithoutTimestampsJoinsTheHalves() throws {
    let output = try StraceTest.drain(try TraceInput.open([Fixtures.path("strace/exec_from_thread.ff")]))
    let execs = output.events.filter { StraceTest.call($0)?.name == "execve" }
    #expect(execs.count == 2)
    let second = try #require(execs.last.flatMap(StraceTest.call))
    #expect(second.completeness == .complete)
    #expect(second.result == .success(0, annotation: nil))
    #expect(second.arguments.count == 3)
    #expect(execs.last?.tid == 10271)
    let takeover = try #require(output.events.firstIndex { $0.body == .execTookOver(formerTID: 10273) })
    #expect(output.events[takeover].tid == 10271)
    // The other thread's life and the exec'ing thread's came before the takeover, nothing of theirs after.
    let siblingExit = try #require(output.events.firstIndex { $0.tid == 10272 && $0.body == .exited(code: 0) })
    #expect(siblingExit < takeover)
    #expect(!output.events[takeover...].contains { $0.tid == 10272 || $0.tid == 10273 })
    #expect(output.events.filter { $0.tid == 10273 }.count == 6)  // its execve went to the leader's tid
  }

  struct Bad: CustomTestStringConvertible, Sendable {
    var name: String
    var content: [UInt8]?
    var kind: TraceReadError.Kind
    var line: Int?
    var reason: String
    var testDescription: String { name }
  }

  @Test(arguments: [
    Bad(name: "empty", content: [], kind: .empty, line: nil, reason: "file is empty"),
    Bad(name: "blank", content: Array("\n  \n\n".utf8), kind: .empty, line: 1, reason: "file is empty (only blank lines)"),
    Bad(
      name: "prose", content: Array("Hello,\nthis is a note\nabout threads\n".utf8), kind: .unrecognizedFormat,
      line: 1, reason: "not an strace log or threadtrace trace: line 1: \"Hello,\""),
    Bad(
      name: "escapes", content: Array("\u{1B}[2Jgotcha\n".utf8), kind: .unrecognizedFormat, line: 1,
      reason: "not an strace log or threadtrace trace: line 1: \"\\x1b[2Jgotcha\""),
    Bad(
      name: "summary", content: Array("% time     seconds  usecs/call     calls    errors syscall\n".utf8),
      kind: .straceSummary, line: 1, reason: "this is an strace -c summary"),
    Bad(name: "missing", content: nil, kind: .io, line: nil, reason: "cannot open: No such file or directory"),
  ])
  func badInput(_ bad: Bad) throws {
    let directory = try temporaryDirectory()
    let path = directory + "/" + bad.name
    if let content = bad.content { _ = FileManager.default.createFile(atPath: path, contents: Data(content)) }
    let error = try #require(openError([path]))
    #expect(error.kind == bad.kind)
    #expect(error.file == path)
    #expect(error.line == bad.line)
    #expect(error.reason.hasPrefix(bad.reason), "\(error.reason)")
  }

  @Test func anEmptyDirectoryIsRefused() throws {
    let directory = try temporaryDirectory()
    let error = try #require(openError([directory]))
    #expect(error.kind == .unrecognizedFormat)
    #expect(error.reason == "no strace -ff files (NAME.<pid>) in this directory")
  }

  // MARK: LineSource

  /// Every line `source` hands out, with the number it gave each.
  private func lines(_ source: LineSource) throws -> [(Int, String)] {
    var lines: [(Int, String)] = []
    while let line = try source.withNextLine({ String(decoding: $0, as: UTF8.self) }) {
      lines.append((source.lineNumber, line))
    }
    return lines
  }

  private func lineSource(_ text: String, chunkSize: Int, limit: Int) -> LineSource {
    let path = StraceTest.temporaryFile(Array(text.utf8))
    let fd = open(path, O_RDONLY)
    unlink(path)
    return LineSource(fileDescriptor: fd, name: "lines", ownsDescriptor: true, chunkSize: chunkSize, maximumLineLength: limit)
  }

  @Test func anOverlongLineIsDroppedCountedAndRecordedOnce() throws {
    // The long line spans many buffer-fulls of the 16-byte limit: still one record, and the lines after it
    // keep their true numbers.
    let source = lineSource("one\n" + String(repeating: "x", count: 100) + "\nthree\r\nfour", chunkSize: 8, limit: 16)
    let read = try lines(source)
    #expect(read.map(\.0) == [1, 3, 4])
    #expect(read.map(\.1) == ["one", "three", "four"])
    #expect(source.overlongLines == [2])
    #expect(source.lastLineWasUnterminated)
    #expect(source.consumed == Int64(4 + 101 + 7 + 4))
  }

  @Test func anOverlongLastLineWithoutNewlineIsDropped() throws {
    let source = lineSource("one\n" + String(repeating: "y", count: 40), chunkSize: 16, limit: 16)
    let read = try lines(source)
    #expect(read.map(\.1) == ["one"])
    #expect(source.overlongLines == [2])
    #expect(source.consumed == 44)
  }

  @Test func aLineOfExactlyTheLimitIsKept() throws {
    let source = lineSource("0123456789abcdef\n" + "short\n", chunkSize: 4, limit: 17)
    #expect(try lines(source).map(\.1) == ["0123456789abcdef", "short"])
    #expect(source.overlongLines == [])
  }

  @Test func theStraceReaderWarnsAboutADroppedLineAndKeepsLineNumbers() throws {
    let text = "5 getpid() = 5\n5 write(1, \"" + String(repeating: "z", count: 300) + "\", 300) = 300\n5 exit_group(0) = ?\n"
    let source = lineSource(text, chunkSize: 64, limit: 128)
    let output = try StraceTest.drain(StraceTextReader(source: source))
    #expect(output.events.map { StraceTest.describe($0) } == ["5 getpid = 5", "5 exit_group = ?"])
    #expect(output.events.map { $0.origin?.line } == [1, 3])
    #expect(output.warnings.map(\.line) == [2])
    #expect(output.warnings.first?.reason == "line longer than 128 bytes was skipped")
  }
}
