import Foundation
import TestSupport
import Testing
import TraceEngine

#if canImport(Glibc)
  import Glibc
#endif

/// `threadtrace trace --stacks` on `fixtures/programs/creator_stacks.c`: every creation's stack, read back from the
/// JSON Lines file, names libc's creating function, then the program's distinctively named caller, then `main`;
/// and `explain` on the file prints the same frames as the live run. Serialized like the other live tests.
@Suite(
  "Creator stacks (trace --stacks)", .serialized,
  .enabled(if: Live.unavailable == nil, Comment(rawValue: Live.unavailable ?? "")))
struct StackTests {
  struct Frame: Equatable, CustomStringConvertible {
    var pc: String
    var function: String?
    var offset: Int?
    var module: String?
    var moduleOffset: String?

    var description: String { "\(function ?? "?")+\(offset ?? -1) (\(module ?? "?"))" }
  }

  /// Whether libc's separate debug file (Debian's libc6-dbg) is installed: only it names libc's local functions.
  static let libcDebugFileInstalled: Bool = {
    guard let buildID = ElfSymbols(path: "/lib/x86_64-linux-gnu/libc.so.6", debugRoot: nil)?.buildID else { return false }
    return FileManager.default.fileExists(
      atPath: "/usr/lib/debug/.build-id/\(buildID.prefix(2))/\(buildID.dropFirst(2)).debug")
  }()

  /// The fixture, built with `cc -g` (once per test process).
  static func program() throws -> String {
    try Live.program("creator_stacks", flags: ["-g"])
  }

  /// Each syscall event named `name` in the trace file, as its stack (nil: the event has none).
  static func stacks(of name: String, in traceFile: String) throws -> [[Frame]?] {
    let text = try String(contentsOfFile: traceFile, encoding: .utf8)
    return try text.split(separator: "\n").compactMap { line -> [Frame]?? in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
      guard object["type"] as? String == "syscall", object["name"] as? String == name else { return nil }
      guard let frames = object["stack"] as? [[String: Any]] else { return .some(nil) }
      return frames.map {
        Frame(
          pc: $0["pc"] as? String ?? "", function: $0["function"] as? String, offset: $0["offset"] as? Int,
          module: $0["module"] as? String, moduleOffset: $0["module_offset"] as? String)
      }
    }
  }

  /// The frames' functions in order, checked to hold `expected` as a subsequence, each of whose entries lists
  /// the names accepted for it (glibc's aliases).
  static func expectInOrder(
    _ frames: [Frame], _ expected: [Set<String>], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var remaining = expected[...]
    for frame in frames {
      guard let wanted = remaining.first else { break }
      if let function = frame.function, wanted.contains(function) { remaining.removeFirst() }
    }
    #expect(remaining.isEmpty, "missing \(Array(remaining)) in \(frames)", sourceLocation: sourceLocation)
  }

  @Test func everyCreationHasItsCallersStack() throws {
    let program = try Self.program()
    let run = try Live.trace([program], options: ["--stacks"])
    defer { Live.expectClean(run) }
    #expect(run.status == 0, "\(run.stderr)")

    let threads = try Self.stacks(of: "clone3", in: run.traceFile)
    #expect(threads.count == 2)
    // The JSON summary carries each created task's creator stack.
    let summary = try Live.summary(of: run.traceFile)
    #expect(summary.threadTasks.count == 2)
    #expect(summary.threadTasks.allSatisfy { $0.creatorFunctions?.contains("spawn_workers") ?? false }, "\(summary.tasks)")
    for stack in threads {
      let frames = try #require(stack, "a clone3 without a stack")
      // Frame 0 is glibc's clone3 stub, where libunwind has no unwind info. It is local to libc: named from
      // libc's debug file when installed, else nameless (never its exported neighbour, __xmknodat).
      if Self.libcDebugFileInstalled {
        #expect(["__clone3", "clone3"].contains(frames.first?.function ?? ""), "\(frames)")
      } else {
        #expect(frames.first?.function == nil, "\(frames)")
      }
      #expect(frames.first?.module?.hasSuffix("libc.so.6") == true && frames.first?.moduleOffset != nil)
      Self.expectInOrder(
        frames,
        [["pthread_create", "__pthread_create_2_1"], ["spawn_workers"], ["main"]])
      #expect(frames.count <= 16)
      // Frames in the program itself say where in it they are, the same in every run.
      let caller = try #require(frames.first { $0.function == "spawn_workers" })
      #expect(caller.module == program && caller.moduleOffset?.hasPrefix("0x") == true && (caller.offset ?? 0) > 0)
    }

    let forks = try Self.stacks(of: "clone", in: run.traceFile)
    #expect(forks.count == 1)
    let forkFrames = try #require(forks.first ?? nil)
    #expect(["_Fork", "fork", "__libc_fork"].contains(forkFrames.first?.function ?? ""), "\(forkFrames)")
    Self.expectInOrder(forkFrames, [["fork", "__libc_fork", "_Fork"], ["spawn_process"], ["main"]])

    let vforks = try Self.stacks(of: "vfork", in: run.traceFile)
    #expect(vforks.count == 1)
    let vforkFrames = try #require(vforks.first ?? nil)
    Self.expectInOrder(vforkFrames, [["vfork", "__vfork"], ["spawn_vfork"], ["main"]])

    // Other calls carry no stack.
    #expect(try Self.stacks(of: "mmap", in: run.traceFile).allSatisfy { $0 == nil })

    // The live text shows the frames under the call, strace -k style; explain on the file shows the same.
    let liveFrames = run.stderr.split(separator: "\n").filter { $0.hasPrefix("       > ") }
    #expect(liveFrames.count >= 2 * 5 + 4 + 3, "\(run.stderr)")
    #expect(liveFrames.contains { $0.contains("(spawn_workers+0x") && $0.contains(program) })
    let explained = try Live.run(Live.threadtrace.path, ["explain", "--color", "never", run.traceFile], timeout: 30)
    #expect(explained.status == 0, "\(explained.stderr)")
    let replayedFrames = explained.stdout.split(separator: "\n").filter { $0.hasPrefix("       > ") }
    #expect(replayedFrames == liveFrames)
  }

  /// `threadtrace diff` on live `--stacks` traces: the program against another run of itself is the same setup;
  /// built with -DOTHER_CALLER, its threads come from start_pool instead of spawn_workers: still paired with the
  /// first build's threads, and the call site is their one difference. Against a run without --stacks, frames are
  /// not compared, and the report says so.
  /// `diff --stacks --run A --run B` records the creators' stacks itself; without --stacks the same two
  /// builds are the same setup.
  @Test func diffRunWithStacksTellsCallSitesApart() throws {
    let program = try Self.program()
    let otherCaller = try Live.program("creator_stacks", flags: ["-g", "-DOTHER_CALLER"])
    let withStacks = try Live.run(
      Live.threadtrace.path, ["diff", "--color", "never", "--stacks", "--run", program, "--run", otherCaller], timeout: 60)
    #expect(withStacks.status == 1, "\(withStacks.stderr)")
    #expect(withStacks.stdout.contains("↳ created from other code: A via spawn_workers ← main, B via start_pool ← main"))
    let without = try Live.run(
      Live.threadtrace.path, ["diff", "--color", "never", "--run", program, "--run", otherCaller], timeout: 60)
    #expect(without.status == 0, "\(without.stdout)")
    #expect(without.stdout.hasPrefix("same setup: "))
  }

  @Test func diffTellsCallSitesApart() throws {
    let program = try Self.program()
    let otherCaller = try Live.program("creator_stacks", flags: ["-g", "-DOTHER_CALLER"])
    let first = try Live.trace([program], options: ["--stacks"])
    defer { Live.expectClean(first) }
    let again = try Live.trace([program], options: ["--stacks"])
    defer { Live.expectClean(again) }
    let moved = try Live.trace([otherCaller], options: ["--stacks"])
    defer { Live.expectClean(moved) }
    let plain = try Live.trace([otherCaller])
    defer { Live.expectClean(plain) }
    #expect([first, again, moved, plain].allSatisfy { $0.status == 0 })
    let sameSetup =
      "same setup: 1 initial, 2 threads, 1 process, 1 vfork child in 4 recipes; only tids, addresses and times differ\n"

    let same = try Live.run(Live.threadtrace.path, ["diff", first.traceFile, again.traceFile], timeout: 30)
    #expect(same.status == 0, "\(same.stdout)")
    #expect(same.stdout == sameSetup)

    // What spawn_workers calls, as this machine's symbols name it (pthread_create, or glibc's own name for it).
    let frames = try #require(try Self.stacks(of: "clone3", in: first.traceFile).first ?? nil)
    let caller = try #require(frames.firstIndex { $0.function == "spawn_workers" })
    let creating = try #require(caller > 0 ? frames[caller - 1].function : nil)
    let differ = try Live.run(
      Live.threadtrace.path, ["diff", "--color", "never", first.traceFile, moved.traceFile], timeout: 30)
    #expect(differ.status == 1)
    #expect(differ.stdout.hasPrefix("the setups differ: 1 difference in 1 group of alike tasks\n"), "\(differ.stdout)")
    #expect(differ.stdout.contains(
      "  ↳ created from other code: A via spawn_workers ← main, B via start_pool ← main (both call \(creating))\n"),
      "\(differ.stdout)")
    for group in ["initial task", "processes (clone)", "vfork children (vfork)"] {
      #expect(differ.stdout.contains("\n= \(group): same in both\n"), "\(group)")
    }
    #expect(!differ.stdout.contains("only in"))

    let unstacked = try Live.run(Live.threadtrace.path, ["diff", first.traceFile, plain.traceFile], timeout: 30)
    #expect(unstacked.status == 0, "\(unstacked.stdout)")
    #expect(unstacked.stdout
      == sameSetup + "the creators' stacks were not compared: only A recorded them (trace --stacks), not B\n")
  }

  /// After an exec the process's old mappings and unwind info are thrown away: with address randomisation off
  /// (`setarch -R`) the new program loads where the old one was, so anything kept would name the new code
  /// after the old program's functions.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setarch")))
  func afterAnExecTheNewProgramIsNamed() throws {
    let first = try Self.program()
    let second = try Live.program("creator_stacks", flags: ["-DAFTER_EXEC"])
    let run = try Live.trace(["/usr/bin/setarch", "-R", first, "exec", second], options: ["--stacks"])
    defer { Live.expectClean(run) }
    #expect(run.status == 0, "\(run.stderr)")
    let stacks = try Self.stacks(of: "clone3", in: run.traceFile).map { $0 ?? [] }
    #expect(stacks.count == 3)
    guard stacks.count == 3 else { return }
    for before in stacks.prefix(2) {
      Self.expectInOrder(before, [["pthread_create", "__pthread_create_2_1"], ["spawn_workers"], ["main"]])
    }
    let after = stacks[2]
    Self.expectInOrder(after, [["pthread_create", "__pthread_create_2_1"], ["spawn_after_exec"], ["main"]])
    #expect(after.allSatisfy { $0.module != first }, "\(after)")
    // The test means something only if both programs were loaded at one address.
    func loadAddress(_ frames: [Frame], _ module: String) -> UInt64? {
      guard let main = frames.first(where: { $0.function == "main" && $0.module == module }),
        let pc = UInt64(main.pc.dropFirst(2), radix: 16), let offset = main.moduleOffset.flatMap({ UInt64($0.dropFirst(2), radix: 16) })
      else { return nil }
      return pc - offset
    }
    #expect(loadAddress(stacks[0], first) != nil && loadAddress(stacks[0], first) == loadAddress(after, second))
  }

  /// glibc's clone() wrapper (__clone) also ends its unwind info before the `syscall`: the stack still goes on to
  /// the program's caller (clone_process.c calls it from `run`).
  @Test func glibcsCloneWrapperIsUnwoundToItsCaller() throws {
    let run = try Live.trace([try Live.program("clone_process")], options: ["--stacks"])
    defer { Live.expectClean(run) }
    #expect(run.status == 0)
    let stacks = try Self.stacks(of: "clone", in: run.traceFile)
    #expect(stacks.count >= 2)
    for stack in stacks {
      let frames = stack ?? []
      #expect(["clone", "__clone"].contains(frames.first?.function ?? ""), "\(frames)")
      Self.expectInOrder(frames, [["clone", "__clone"], ["run"], ["main"]])
    }
  }

  @Test func depthIsBoundedAndStacksAreOffByDefault() throws {
    let program = try Self.program()
    let shallow = try Live.trace([program], options: ["--stacks", "--stack-depth", "3"])
    defer { Live.expectClean(shallow) }
    #expect(shallow.status == 0)
    let stacks = try Self.stacks(of: "clone3", in: shallow.traceFile)
    #expect(!stacks.isEmpty)
    for stack in stacks { #expect(stack?.count == 3, "\(String(describing: stack))") }

    let plain = try Live.trace([program])
    defer { Live.expectClean(plain) }
    #expect(plain.status == 0)
    let unstacked = try Self.stacks(of: "clone3", in: plain.traceFile)
    #expect(unstacked.count == 2 && unstacked.allSatisfy { $0 == nil })
    #expect(!plain.stderr.contains("       > "))
  }

  @Test func stackDepthNeedsStacks() throws {
    let run = try Live.run(Live.threadtrace.path, ["trace", "--stack-depth", "4", "--", "/bin/true"], timeout: 30)
    #expect(run.status != 0)
    #expect(run.stderr.contains("--stack-depth applies with --stacks only"))
  }
}
