import ArgumentParser
import Testing

@testable import threadtrace

/// `trace` reads its usual command lines without ArgumentParser (start-up time); these check that the two readings
/// never differ, and that everything else still goes to ArgumentParser.
@Suite("threadtrace trace: the direct reading of its command line")
struct TraceDirectParseTests {
  static let accepted: [[String]] = [
    ["--", "true"],
    ["true"],
    ["ls", "-l", "--quiet"],
    ["--", "--quiet"],
    ["--", "-x", "y"],
    ["--quiet", "--summary", "none", "--", "/bin/true"],
    ["--summary=json", "--summary-output=/tmp/summary.json", "sh", "-c", "exit 3"],
    ["-o", "trace.jsonl", "--output-text", "events.txt", "--timeline", "timeline.json", "make", "-j2"],
    ["--output-text=events.txt", "--color", "always", "--xlat", "verbose", "--", "prog", "--", "arg"],
    ["--color=never", "--xlat=raw", "--repeat-explanations", "cmd"],
    ["--all-syscalls", "--stacks", "--stack-depth", "4", "--", "cmd"],
    ["--stacks", "--stack-depth=256", "cmd"],
    ["--all-futex", "cmd"],
    ["-e", "clone,futex", "cmd"],
    ["--syscalls", "trace=%process", "cmd"],
    ["--syscalls=%memory", "cmd"],
    ["-o", "a b.jsonl", "cmd with spaces"],
    ["-o", "", "cmd"],
  ]

  @Test(arguments: accepted)
  func readsLikeArgumentParser(_ line: [String]) throws {
    var direct = try #require(ThreadTrace.Trace.parseDirectly(line[...]))
    try direct.validate()
    let parsed = try #require(try ThreadTrace.parseAsRoot(["trace"] + line) as? ThreadTrace.Trace)
    #expect(Self.fields(of: direct) == Self.fields(of: parsed))
    #expect(!Self.fields(of: direct).contains { $0.contains("*definition*") })
  }

  static let refused: [[String]] = [
    ["--help"],
    ["-h"],
    ["--version"],
    ["-o"],
    ["--summary", "bogus", "cmd"],
    ["--quiet", "--quiet", "cmd"],
    ["-e", "clone", "--syscalls", "futex", "cmd"],
    ["--output-text", "-", "cmd"],
    ["-o", "--quiet", "cmd"],
    ["--stack-depth", "three", "cmd"],
    ["--quiet=yes", "cmd"],
    ["--unknown", "cmd"],
    ["-otrace.jsonl", "cmd"],
    ["-o=trace.jsonl", "cmd"],
    ["-p", "1"],
    ["--color"],
  ]

  @Test(arguments: refused)
  func leavesTheRestToArgumentParser(_ line: [String]) {
    #expect(ThreadTrace.Trace.parseDirectly(line[...]) == nil)
  }

  /// Read, but not valid: `main` then hands them to ArgumentParser, which shows the help or says why.
  @Test(arguments: [[], ["--quiet"], ["--stack-depth", "3", "cmd"], ["--all-futex", "--all-syscalls", "cmd"]])
  func invalidLinesFailValidationAsWithArgumentParser(_ line: [String]) throws {
    var direct = try #require(ThreadTrace.Trace.parseDirectly(line[...]))
    #expect(throws: (any Error).self) { try direct.validate() }
    #expect(throws: (any Error).self) { try ThreadTrace.parseAsRoot(["trace"] + line) }
  }

  private static func fields(of trace: ThreadTrace.Trace) -> [String] {
    Mirror(reflecting: trace).children.map { "\($0.label ?? "?")=\(String(describing: $0.value))" }
  }
}
