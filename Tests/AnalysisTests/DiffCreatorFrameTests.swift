@testable import Analysis
import SyscallDecoding
import TestSupport
import Testing
import TraceIO
import TraceModel

/// The creator's stack frames (`trace --stacks`) in the lifecycle model and in `threadtrace diff`: hand-made tasks
/// whose frames differ, agree, or were recorded by one side only, and the recorded `creator_stacks` fixture.
@Suite("Diff: the creator's frames")
struct DiffCreatorFrameTests {
  typealias F = DiffFixture

  /// glibc's pthread_create path, innermost first, up to the program's caller.
  static let glibc = ["clone3", "__clone_internal", "create_thread", "pthread_create"]
  static let outer = ["main", "__libc_start_call_main", "__libc_start_main", "_start"]

  /// Frames as the tracer records them: addresses, offsets and module offsets that differ with `tid`.
  static func stack(_ functions: [String?], tid: Int32) -> [StackFrame] {
    functions.enumerated().map { index, function in
      StackFrame(
        pc: 0x7f00_0000_0000 + UInt64(tid) << 20 + UInt64(index) * 0x40, function: function,
        offset: function == nil ? nil : UInt64(index + Int(tid) % 7), module: "/usr/lib/x86_64-linux-gnu/libc.so.6",
        moduleOffset: UInt64(index) * 0x100 + UInt64(tid))
    }
  }

  /// A job whose `count` workers are made from `functions(index)` (nil: no stack recorded).
  static func job(_ count: Int, tidBase: Int32 = 100, _ functions: @escaping (Int) -> [String]?) -> SetupProfile {
    F.job(count, tidBase: tidBase) { tid, id, index in
      var record = F.thread(tid: tid, id: id, index: index)
      record.creatorStack = functions(index).map { stack($0, tid: tid) }
      return record
    }
  }

  static func via(_ callers: String...) -> [String] { glibc + callers + outer }

  /// The one aligned pair of worker groups.
  private func workers(_ diff: SetupDiff) throws -> AlignedGroups {
    try #require(diff.groups.first { $0.a?.recipe.kind == .thread && $0.b != nil })
  }

  // MARK: The lifecycle model

  @Test func theLifecycleKeepsTheCreatingCallsStack() throws {
    let reader = try TraceInput.open([Fixtures.path("stacks/creator_stacks.jsonl")])
    let lifecycle = Lifecycle()
    while let event = try reader.next() { _ = lifecycle.apply(event) }
    lifecycle.finish()
    let records = lifecycle.records
    #expect(records.count == 5)
    for record in records where record.kind == .thread {
      let frames = try #require(record.creatorStack)
      #expect(frames.compactMap(\.function).contains("spawn_workers"), "\(frames)")
    }
    #expect(records.first { $0.kind == .process }?.creatorStack?.compactMap(\.function).contains("spawn_process") == true)
    #expect(records.first { $0.kind == .vfork }?.creatorStack?.compactMap(\.function).contains("spawn_vfork") == true)
    #expect(records.first { $0.kind == .initial }?.creatorStack == nil)
  }

  // MARK: Recipes

  @Test func recipesKeepFunctionNamesOnlyAndAtMostEightFrames() {
    let named = StackFrame(pc: 0x55_0000_1234, function: "spawn_workers", offset: 0x14, module: "/tmp/a.out", moduleOffset: 0x1234)
    let unnamed = StackFrame(pc: 0x7f00_0001_0000, module: "/usr/lib/libfoo.so.1", moduleOffset: 0x10)
    let nowhere = StackFrame(pc: 0x1000)
    #expect(SetupRecipe.creatorFrameName(named) == "spawn_workers")
    #expect(SetupRecipe.creatorFrameName(unnamed) == "libfoo.so.1+?")
    #expect(SetupRecipe.creatorFrameName(nowhere) == "?")

    var record = F.thread(tid: 101, id: 2)
    record.creatorStack = Self.stack(Self.via("spawn_workers") + ["beyond_eight"], tid: 101)
    #expect(SetupRecipe(record).creatorFrames == Array(Self.via("spawn_workers").prefix(8)))
    record.creatorStack = Self.stack([nil, "pthread_create"], tid: 101)
    #expect(SetupRecipe(record).creatorFrames == ["libc.so.6+?", "pthread_create"])
    record.creatorStack = []
    #expect(SetupRecipe(record).creatorFrames == nil)
    record.creatorStack = nil
    #expect(SetupRecipe(record).creatorFrames == nil)
  }

  @Test func tasksFromOtherCallSitesAreOtherGroups() {
    let profile = Self.job(3) { $0 == 2 ? Self.via("start_pool") : Self.via("spawn_workers") }
    let threads = profile.orderedGroups.filter { $0.recipe.kind == .thread }
    #expect(threads.map(\.count) == [2, 1])
    #expect(threads.map { $0.recipe.creatorFrames?[4] } == ["spawn_workers", "start_pool"])
    #expect(profile.recordsCreatorFrames)
    #expect(!F.job(3).recordsCreatorFrames)
  }

  // MARK: Differences

  @Test func sameFramesAtOtherAddressesAreTheSameSetup() {
    let a = Self.job(4, tidBase: 100) { _ in Self.via("spawn_workers") }
    let b = Self.job(4, tidBase: 7000) { _ in Self.via("spawn_workers") }
    let diff = SetupDiff(a, b)
    #expect(diff.isSame)
    #expect(diff.notes.isEmpty)
    #expect(diff.verdict == "same setup: 1 initial, 4 threads in 2 recipes; only tids, addresses and times differ")
  }

  @Test func framesThatDifferSayWhereEachSideCreatesThem() throws {
    let a = Self.job(2) { _ in Self.via("spawn_workers") }
    let b = Self.job(2) { _ in Self.via("start_pool") }
    let diff = SetupDiff(a, b)
    #expect(diff.verdict == "the setups differ: 1 difference in 1 group of alike tasks")
    let workers = try workers(diff)
    #expect(workers.differences == [
      SetupDifference(
        .creatorFrames, "created from other code: A via spawn_workers ← main, B via start_pool ← main (both call pthread_create)")
    ])
    let row = try #require(workers.rows.first { $0.aspect == .creatorFrames })
    #expect(row.a == "… ← pthread_create ← spawn_workers ← main")
    #expect(row.b == "… ← pthread_create ← start_pool ← main")
    #expect(row.differs)
    // Tasks with no recorded frames on either side (the initial one) get no such row.
    let initialRow = diff.groups.first { $0.a?.recipe.kind == .initial }?.rows.first { $0.aspect == .creatorFrames }
    #expect(initialRow == nil)
  }

  @Test func callPathsOfOtherLengthsAreShownToWhereTheyMeet() throws {
    let a = Self.job(1) { _ in Self.via("spawn_workers") }
    let deeper = Self.job(1) { _ in Self.via("start_pool", "init_pools") }
    #expect(try workers(SetupDiff(a, deeper)).differences.map(\.message) == [
      "created from other code: A via spawn_workers ← main, B via start_pool ← init_pools ← main (both call pthread_create)"
    ])
    // More than three frames before they meet: the rest is cut.
    let near = Self.job(1) { _ in ["clone3", "pthread_create", "spawn_workers", "main"] }
    let far = Self.job(1) { _ in ["clone3", "pthread_create", "a1", "a2", "a3", "a4", "main"] }
    #expect(try workers(SetupDiff(near, far)).differences.map(\.message) == [
      "created from other code: A via spawn_workers ← main, B via a1 ← a2 ← a3 ← … (both call pthread_create)"
    ])
    // They do not meet within the eight frames kept: both are cut.
    let beyond = Self.job(1) { _ in Self.glibc + ["a1", "a2", "a3", "a4", "main"] }
    #expect(try workers(SetupDiff(a, beyond)).differences.map(\.message) == [
      "created from other code: A via spawn_workers ← main ← __libc_start_call_main ← …, B via a1 ← a2 ← a3 ← … (both call pthread_create)"
    ])
    // Nothing shared at the innermost end: no common call to name.
    let raw = Self.job(1) { _ in ["clone", "run", "main", "__libc_start_call_main"] }
    let messages = try workers(SetupDiff(raw, a)).differences.filter { $0.aspect == .creatorFrames }.map(\.message)
    #expect(messages == ["created from other code: A via clone ← run ← main, B via clone3 ← __clone_internal ← create_thread ← …"])
    let row = try #require(try workers(SetupDiff(raw, a)).rows.first { $0.aspect == .creatorFrames })
    #expect(row.a == "clone ← run ← main" && row.b == "clone3 ← __clone_internal ← create_thread ← …")
  }

  @Test func framesRecordedLessDeepOnOneSideAreNoDifference() throws {
    let full = Self.job(2) { _ in Self.via("spawn_workers") }
    let shallow = Self.job(2) { _ in Array(Self.via("spawn_workers").prefix(3)) }
    let diff = SetupDiff(full, shallow)
    #expect(diff.isSame, "\(diff.allDifferences)")
    #expect(diff.notes.isEmpty)
    let row = try #require(try workers(diff).rows.first { $0.aspect == .creatorFrames })
    #expect(row.b == "clone3 ← __clone_internal ← create_thread" && !row.differs)
  }

  @Test func framesRecordedByOneSideOnlyAreNotCompared() throws {
    // A made its workers from two call sites: without B's frames to compare, they are one group.
    let a = Self.job(3) { $0 == 2 ? Self.via("start_pool") : Self.via("spawn_workers") }
    let b = F.job(3)
    let diff = SetupDiff(a, b)
    #expect(diff.isSame, "\(diff.allDifferences)")
    #expect(diff.notes == ["the creators' stacks were not compared: only A recorded them (trace --stacks), not B"])
    #expect(diff.a.groups.count == 2)
    let workers = try workers(diff)
    #expect(workers.a?.count == 3 && workers.a?.exampleTIDs == [101, 102, 103])
    #expect(workers.a?.recipe.creatorFrames == nil)
    #expect(!workers.rows.contains { $0.aspect == .creatorFrames })
    #expect(diff.verdict == "same setup: 1 initial, 3 threads in 2 recipes; only tids, addresses and times differ")

    let reversed = SetupDiff(F.job(2), Self.job(3) { _ in Self.via("spawn_workers") })
    #expect(reversed.notes == ["the creators' stacks were not compared: only B recorded them (trace --stacks), not A"])
    #expect(reversed.allDifferences.map(\.aspect) == [.tasks, .stackReservation, .count])
    #expect(SetupDiff(F.job(2), F.job(2)).notes.isEmpty)
  }

  @Test func mergedGroupsAddUpWhatTheirTasksDid() throws {
    let a = Self.job(3) { $0 == 0 ? Self.via("start_pool") : Self.via("spawn_workers") }
    let killed = F.job(3) { tid, id, index in
      var record = F.thread(tid: tid, id: id, index: index)
      if index == 0 { record.end = .killed(signal: 9, coreDumped: false) }
      return record
    }
    let merged = a.withoutCreatorFrames()
    let workers = try #require(merged.groups.first { $0.recipe.kind == .thread })
    #expect(workers.count == 3 && workers.firstID == 2)
    #expect(workers.ends.entries.map(\.value) == ["exit"] && workers.ends.entries.map(\.count) == [3])
    #expect(F.messages(SetupDiff(a, killed), .end) == ["they end: A exit; B killed by SIGKILL ×1, exit ×2"])
  }

  // MARK: Alignment

  @Test func groupsThatDifferOnlyByCallSitePairUp() {
    let a = Self.job(2) { _ in Self.via("spawn_workers") }
    let b = Self.job(2) { _ in Self.via("start_pool") }
    let diff = SetupDiff(a, b)
    #expect(diff.groups.count == 2)
    #expect(diff.groups.allSatisfy { $0.a != nil && $0.b != nil })
  }

  @Test func alignmentPrefersTheSameCallSiteWhenAllElseIsEqual() {
    func group(_ caller: String, flags: CloneFlagSet, firstID: Int) -> TaskGroup {
      TaskGroup(
        recipe: SetupRecipe(kind: .thread, creator: .clone3, flags: flags, creatorFrames: Self.via(caller)), firstID: firstID)
    }
    let io = F.glibcFlags.union(.io)
    // B's groups differ from A's by a flag each, so none is identical; listed in the other order.
    let pairs = RecipeAlignment.align(
      [group("spawn_workers", flags: F.glibcFlags, firstID: 2), group("start_pool", flags: F.glibcFlags, firstID: 3)],
      [group("start_pool", flags: io, firstID: 2), group("spawn_workers", flags: io, firstID: 3)])
    #expect(pairs.count == 2)
    for pair in pairs { #expect(pair.a?.recipe.creatorFrames == pair.b?.recipe.creatorFrames) }
  }
}
