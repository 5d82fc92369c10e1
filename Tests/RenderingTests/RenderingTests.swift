import Analysis
import Foundation
import Rendering
import Testing
import TestSupport
import TraceIO
import TraceModel

@Suite("Rendering")
struct RenderingTests {
  @Test(arguments: [
    ("plain", "plain"),
    ("\u{1B}[31mred\u{1B}[0m", "\\x1b[31mred\\x1b[0m"),
    ("bell\u{07}", "bell\\x07"),
    ("csi\u{9B}2J", "csi\\x9b2J"),
    ("naïve", "naïve"),
    ("tab\there", "tab\\x09here"),
    ("del\u{7F}", "del\\x7f"),
    ("c1 \u{80}\u{9F} nbsp\u{A0}", "c1 \\x80\\x9f nbsp\u{A0}"),
    ("\u{C2}\u{82}", "\u{C2}\\x82"),
    ("ends in a control\u{1B}", "ends in a control\\x1b"),
  ])
  func terminalSafeEscapesControls(_ input: String, _ expected: String) {
    #expect(TerminalSafe.escape(input) == expected)
  }

  /// `write` skips eight bytes at a time: a control anywhere in a long text, or a character that only looks
  /// like the start of one (0xC2 before a printable), is escaped exactly as scalar by scalar.
  @Test func terminalSafeEscapesAtEveryPosition() {
    let controls: [Unicode.Scalar] = ["\u{00}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9B}", "\u{9F}"]
    let printable: [Unicode.Scalar] = [" ", "~", "\u{A0}", "\u{A2}", "\u{C2}", "é", "€", "😀"]
    func expected(_ text: String) -> String {
      var out = ""
      for scalar in text.unicodeScalars {
        if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F) {
          let hex = String(scalar.value, radix: 16)
          out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
      return out
    }
    for scalar in controls + printable {
      for position in 0..<24 {
        var text = String(repeating: "a", count: position)
        text.unicodeScalars.append(scalar)
        text += String(repeating: "b", count: 23 - position)
        var bytes: [UInt8] = []
        TerminalSafe.write(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected(text), "\(scalar.value) at \(position)")
      }
    }
  }

  @Test func eventTextShowsStringsAsStraceDoes() {
    let event = TraceEvent(
      tid: 7,
      body: .syscall(
        SyscallEvent(
          name: "write", arguments: [Argument(.integer(1)), Argument(.string(StringValue(bytes: [0x68, 0x1B, 0x0A, 0xFF], truncated: true))), Argument(.integer(4))],
          result: .success(4))))
    #expect(EventText().line(event) == "     7 write(1, \"h\\33\\n\\377\"..., 4) = 4")
  }

  /// A live trace's registrations read from the kernel, in the calls' own terms: what was read, `none` for
  /// nothing registered, and nothing at all for what was not read.
  @Test func eventTextShowsRegistrationsAsRead() {
    func line(_ state: RegistrationState) -> String { EventText().line(TraceEvent(tid: 5, body: .registrations(state))) }
    let list = RegistrationState.RobustList(head: 0x7f00_0080_09a0, length: 24)
    let rseq = RegistrationState.Rseq(address: 0x7f00_0080_0fe0, length: 32, signature: 0x5305_3053)
    #expect(
      line(RegistrationState(moment: .exit, robustList: list, rseq: rseq))
        == "     5 (at exit: robust_list=0x7f00008009a0 len 24, rseq=0x7f0000800fe0 len 32 sig 0x53053053)")
    #expect(
      line(RegistrationState(moment: .attach, robustList: .init(head: 0, length: 24), rseq: .init(address: 0, length: 0, signature: 0)))
        == "     5 (at attach: robust_list=none, rseq=none)")
    #expect(line(RegistrationState(moment: .exec, rseq: rseq)) == "     5 (at exec: rseq=0x7f0000800fe0 len 32 sig 0x53053053)")
  }

  @Test func eventTextShowsErrorsAndUnfinishedCalls() {
    let failed = TraceEvent(tid: 1, body: .syscall(SyscallEvent(name: "openat", arguments: [], result: .failure(errno: 2))))
    #expect(EventText().line(failed).hasSuffix("openat() = -1 ENOENT (No such file or directory)"))
    let open = TraceEvent(tid: 1, body: .syscall(SyscallEvent(name: "read", arguments: [Argument(.integer(0))], completeness: .entryOnly)))
    #expect(EventText().line(open).hasSuffix("read(0 <unfinished ...>"))
    // exit never returns: strace's `= ?` rather than a call waiting for its other half.
    let exit = TraceEvent(tid: 1, body: .syscall(SyscallEvent(name: "exit", arguments: [Argument(.integer(0))], completeness: .entryOnly)))
    #expect(EventText().line(exit).hasSuffix("exit(0) = ?"))
    // A call the fast path resumed without its exit stop: no made-up result.
    let unread = TraceEvent(
      tid: 1, body: .syscall(SyscallEvent(name: "mprotect", arguments: [Argument(.integer(0))], completeness: .resultUnread)))
    #expect(EventText().line(unread).hasSuffix("mprotect(0)"))
  }

  @Test func costSummaryCountsStopsAndSwitches() throws {
    let lifecycle = Lifecycle()
    func at(_ microseconds: Int64) -> TraceTime { TraceTime(microseconds: microseconds) }
    lifecycle.apply(TraceEvent(tid: 10, tgid: 10, time: at(1_000), body: .syscall(SyscallEvent(name: "getpid", result: .success(10)))))
    lifecycle.apply(TraceEvent(tid: 11, tgid: 11, time: at(2_000), body: .syscall(SyscallEvent(name: "getpid", result: .success(11)))))
    lifecycle.apply(TraceEvent(tid: 11, tgid: 11, time: at(2_500), body: .cost(TaskCost(stops: 4, voluntarySwitches: 1, involuntarySwitches: 2))))
    lifecycle.apply(TraceEvent(tid: 10, tgid: 10, time: at(1_501_000), body: .cost(TaskCost(stops: 9, voluntarySwitches: 0, involuntarySwitches: 0))))
    lifecycle.finish()
    #expect(
      CostText().render(lifecycle.records) == """
        Tracing cost: 13 ptrace stops over 2 tasks (6.5 each); besides them, 1 voluntary and 2 involuntary context switches
          10: 9 stops, 0 voluntary / 0 involuntary switches, lived 1.5 s
          11: 4 stops, 1 voluntary / 2 involuntary switches, lived 500 µs

        """)
    #expect(CostText().render(Lifecycle().records) == nil)
  }

  /// The tasks listed are the ones that stopped most, ties by tid, as a sort of them all would list them.
  @Test func costSummaryListsTheTasksThatStoppedMost() throws {
    let lifecycle = Lifecycle()
    let stops = [10: 4, 11: 9, 12: 4, 13: 9, 14: 1, 9: 4]
    for (tid, count) in stops.sorted(by: { $0.key > $1.key }) {
      let tid = Int32(tid)
      lifecycle.apply(TraceEvent(tid: tid, tgid: tid, body: .syscall(SyscallEvent(name: "getpid", result: .success(Int64(tid))))))
      lifecycle.apply(TraceEvent(tid: tid, tgid: tid, body: .cost(TaskCost(stops: count, voluntarySwitches: 0, involuntarySwitches: 0))))
    }
    lifecycle.finish()
    let listed = try #require(CostText().render(lifecycle.records)).split(separator: "\n").dropFirst().map { $0.split(separator: ":")[0] }
    #expect(listed == ["  11", "  13", "  9"])
    var four = CostText()
    four.listed = 4
    let fourListed = try #require(four.render(lifecycle.records)).split(separator: "\n").dropFirst().map { $0.split(separator: ":")[0] }
    #expect(fourListed == ["  11", "  13", "  9", "  10"])
  }

  @Test func jsonSummaryIsValidJSONAndEscapesEverything() throws {
    let lifecycle = Lifecycle()
    for event in try StraceSnippet.events("""
      1 prctl(PR_SET_NAME, "\\33]0;x\\7\\302\\233q\\342\\200\\250\\"\\\\") = 0
      1 exit_group(0) = ?
      1 +++ exited with 0 +++
      """)
    {
      lifecycle.apply(event)
    }
    lifecycle.finish()
    let text = SummaryJSON.render(lifecycle, source: .init(files: ["x"], format: "strace"))
    #expect(!text.utf8.contains(0x1B))
    #expect(!text.utf8.contains(0x07))
    let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let task = try #require((document["tasks"] as? [[String: Any]])?.first)
    #expect(task["name"] as? String == "\u{1B}]0;x\u{07}\u{9B}q\u{2028}\"\\")
  }

  @Test func largeSummariesSpillToATemporaryFileAndStayValid() throws {
    var text = ""
    for tid in 2...400 {
      text += "1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0a10) = \(tid)\n"
      text += "\(tid) exit_group(0) = ?\n\(tid) +++ exited with 0 +++\n"
      text += "1 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = \(tid)\n"
    }
    let summary = SummaryJSON(spillAfter: 2048)
    let lifecycle = Lifecycle(taskSink: { summary.add(task: $0) }, processSink: { summary.add(process: $0) })
    for event in try StraceSnippet.events(text) { lifecycle.apply(event) }
    lifecycle.finish()
    var bytes: [UInt8] = []
    summary.finish(counts: lifecycle.counts, source: .init(files: ["big"], format: "strace")) { bytes += $0 }
    let document = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    let tasks = try #require(document["tasks"] as? [[String: Any]])
    #expect(tasks.count == 400)
    #expect(Set(tasks.compactMap { $0["tid"] as? Int }) == Set(1...400))
    #expect(tasks.filter { ($0["joined_by"] as? [String: Any])?["how"] as? String == "wait" }.count == 399)
    #expect((document["processes"] as? [Any])?.count == 400)
  }

  @Test func summaryTreeFoldsRunsOfAlikeThreads() throws {
    var text = ""
    for tid in 2...12 {
      text += "1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x\(tid)990, parent_tid=0x\(tid)990, exit_signal=0, stack=0x\(tid)00000, stack_size=0x3ff80, tls=0x\(tid)6c0} => {parent_tid=[\(tid)]}, 88) = \(tid)\n"
    }
    let lifecycle = Lifecycle()
    for event in try StraceSnippet.events(text) { lifecycle.apply(event) }
    lifecycle.finish()
    let folded = SummaryText().render(lifecycle)
    #expect(folded.contains("… 8 more like the above (tids 5…12)"))
    let full = SummaryText(foldAlike: false).render(lifecycle)
    #expect(full.contains("└─ 12  thread"))
    #expect(!full.contains("more like the above"))
  }

  /// The text summary built from records as the fold hands them over (what `explain` does, to keep memory to
  /// a few lines per task) is the one built from every record kept to the end, stories included; and a reader
  /// that only counts the calls the fold does not interpret leaves the same records.
  @Test(arguments: [
    "strace/default_threads.f-o.strace", "strace/clone_process.f-o.strace", "strace/exec_from_thread.f-o.strace",
    "strace/attach_sleepers.f-p-o.strace", "strace/fork_exec.f-o.strace",
  ])
  func streamedTextSummaryIsTheKeptOne(_ log: String) throws {
    let kept = Lifecycle()
    let all = try TraceInput.open([Fixtures.path(log)])
    while let event = try all.next() { kept.apply(event) }
    kept.finish()
    let expected = SummaryText().render(kept)
    let expectedStories = kept.records.map { "\($0.tid): \(TaskStory.tell($0))" }

    let collector = SummaryTextCollector(summary: SummaryText(), stories: nil)
    let streamed = Lifecycle(taskSink: { collector.add(task: $0) }, processSink: { collector.add(process: $0) })
    let reader = try #require(
      try TraceInput.open([Fixtures.path(log)], options: .parsingArguments(of: Lifecycle.interpretedSyscalls))
        as? StraceTextReader)
    reader.uninterpretedCallSink = { streamed.applyUninterpretedCall(tid: $0, time: $1, startedBeforeTrace: $2) }
    while let event = try reader.next() { streamed.apply(event) }
    streamed.finish()
    var text = ""
    collector.write(counts: streamed.counts) { text += $0 }
    #expect(text == expected)
    #expect(streamed.counts == kept.counts)
    #expect(collector.keptStories.map { "\($0.tid): \($0.text)" } == expectedStories)
  }
}

@Suite("Explanations said once")
struct ExplanationMemoryTests {
  static let sharing = Annotation(rule: "ResourceSharingRule", "shares address space, file descriptor table")
  static let warning = Annotation(rule: "CreationFailureRule", "the creation failed: EAGAIN", tone: .warning)

  /// What `memory` answers for each annotation in turn.
  static func answers(_ memory: inout ExplanationMemory, _ annotations: [Annotation]) -> [Bool] {
    annotations.map { memory.shouldPrint($0) }
  }

  @Test func aRepeatIsWithheldAndCounted() {
    var memory = ExplanationMemory()
    let threads = [12, 13].map { Annotation(rule: "TaskCreationRule", "creates thread \($0) in process 10") }
    let printed = Self.answers(&memory, [Self.sharing, Self.sharing, Self.sharing] + threads)
    #expect(printed == [true, false, false, true, true])
    #expect(memory.withheld == 2)
  }

  @Test func warningsAreAlwaysPrinted() {
    var memory = ExplanationMemory()
    #expect(Self.answers(&memory, [Self.warning, Self.warning]) == [true, true])
    #expect(memory.withheld == 0)
  }

  /// A bounded memory: a text seen once whose slot another took since is printed again; a text seen twice is
  /// kept for good, whatever comes between.
  @Test func aTextPushedOutOfItsSlotIsPrintedAgainUntilItRepeats() {
    var memory = ExplanationMemory(slots: 1)
    let other = Annotation(rule: "ExitCallRule", "ends this thread only (exit)")
    let printed = Self.answers(&memory, [Self.sharing, other, Self.sharing, Self.sharing, other, Self.sharing])
    #expect(printed == [true, true, true, false, true, false])
    #expect(memory.withheld == 2)
  }

  /// The repeated set grows as texts repeat (it starts at 64 entries) and keeps every one through the growth.
  @Test func theRepeatedSetKeepsEveryTextAsItGrows() {
    var memory = ExplanationMemory(slots: 1)
    let texts = (0..<200).map { Annotation(rule: "ExitCallRule", "text \($0)") }
    let twice = Self.answers(&memory, texts.flatMap { [$0, $0] })
    #expect(twice == Array(repeating: [true, false], count: 200).flatMap { $0 })
    #expect(Self.answers(&memory, texts) == Array(repeating: false, count: 200))
    #expect(memory.withheld == 400)
  }

  /// The repeated set is bounded too: past its limit a repeat is withheld only while it holds its slot.
  @Test func theRepeatedSetIsBounded() {
    var memory = ExplanationMemory(slots: 1, repeatedLimit: 1)
    let other = Annotation(rule: "ExitCallRule", "ends this thread only (exit)")
    let third = Annotation(rule: "ExitCallRule", "ends every thread of process 1")
    let printed = Self.answers(&memory, [Self.sharing, Self.sharing, other, other, Self.sharing, third, other])
    #expect(printed == [true, false, true, false, false, true, true])
  }
}
