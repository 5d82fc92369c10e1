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
