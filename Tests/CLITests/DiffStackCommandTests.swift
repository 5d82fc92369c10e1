import Foundation
import Testing
import TestSupport

/// `threadtrace diff` on traces recorded with `trace --stacks` (fixtures/stacks): `creator_stacks` built as it is
/// and with -DOTHER_CALLER, whose threads are made from start_pool instead of spawn_workers.
@Suite("threadtrace diff: the creator's frames, as a user runs it")
struct DiffStackCommandTests {
  static let spawnWorkers = "fixtures/stacks/creator_stacks.jsonl"
  static let startPool = "fixtures/stacks/creator_stacks_other_caller.jsonl"

  @Test func otherCallSitesAreReportedSideBySide() throws {
    let result = try Command.run(["diff", "--color", "never", Self.spawnWorkers, Self.startPool])
    #expect(result.status == 1)
    let expected = try String(contentsOfFile: Fixtures.path("stacks/diff-call-site.txt"), encoding: .utf8)
    #expect(result.output == expected)
    #expect(result.output.contains(
      "  ↳ created from other code: A via spawn_workers ← main, B via start_pool ← main (both call pthread_create)\n"))
    #expect(result.output.contains("\n= processes (clone): same in both\n"))
  }

  @Test func aStackedTraceAgainstItselfIsTheSameSetup() throws {
    let result = try Command.run(["diff", Self.startPool, Self.startPool])
    #expect(result.status == 0)
    #expect(result.output
      == "same setup: 1 initial, 2 threads, 1 process, 1 vfork child in 4 recipes; only tids, addresses and times differ\n")
  }

  @Test func jsonHasEachRecipesFramesAndTheDifference() throws {
    let result = try Command.run(["diff", "--format", "json", Self.spawnWorkers, Self.startPool])
    #expect(result.status == 1)
    let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(document["notes"] as? [String] == [])
    let groups = try #require(document["groups"] as? [[String: Any]])
    #expect(groups.compactMap { $0["status"] as? String } == ["same", "different", "same", "same"])
    let threads = groups[1]
    let a = try #require((threads["a"] as? [String: Any])?["creator_frames"] as? [String])
    let b = try #require((threads["b"] as? [String: Any])?["creator_frames"] as? [String])
    #expect(a.count == 8 && b.count == 8)
    #expect(Array(a.prefix(4)) == Array(b.prefix(4)))
    #expect(a[3] == "pthread_create" && a[4] == "spawn_workers" && b[4] == "start_pool" && a[5] == "main")
    let differences = try #require(threads["differences"] as? [[String: Any]])
    #expect(differences.compactMap { $0["aspect"] as? String } == ["creator_frames"])
    // The initial task has no creator: null, not an empty list.
    #expect((groups[0]["a"] as? [String: Any])?["creator_frames"] is NSNull)
    #expect(((groups[2]["a"] as? [String: Any])?["creator_frames"] as? [String])?.contains("spawn_process") == true)
  }

  @Test func aTraceWithoutStacksIsComparedWithoutFramesAndSaysSo() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-stacks-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // The other build's trace with its stacks taken out, as `trace` without --stacks writes it.
    let unstacked = directory.appendingPathComponent("unstacked.jsonl")
    let lines = try String(contentsOfFile: Fixtures.path("stacks/creator_stacks_other_caller.jsonl"), encoding: .utf8)
      .split(separator: "\n")
    var stripped = ""
    var removed = 0
    for line in lines {
      var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      if object.removeValue(forKey: "stack") != nil { removed += 1 }
      stripped += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
    }
    #expect(removed == 4)
    try stripped.write(to: unstacked, atomically: true, encoding: .utf8)

    let result = try Command.run(["diff", Self.spawnWorkers, unstacked.path])
    #expect(result.status == 0)
    #expect(result.output == """
      same setup: 1 initial, 2 threads, 1 process, 1 vfork child in 4 recipes; only tids, addresses and times differ
      the creators' stacks were not compared: only A recorded them (trace --stacks), not B

      """)
    let json = try Command.run(["diff", "--format", "json", unstacked.path, Self.spawnWorkers])
    #expect(json.status == 0)
    let document = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
    #expect(document["notes"] as? [String] == ["the creators' stacks were not compared: only B recorded them (trace --stacks), not A"])
    let groups = try #require(document["groups"] as? [[String: Any]])
    #expect(groups.allSatisfy { ($0["b"] as? [String: Any])?["creator_frames"] is NSNull })
  }
}
