import Analysis
import SyscallDecoding

/// `threadtrace diff --format json`: the `threadtrace.diff/1` document of `docs/diff-format.md`.
public enum DiffJSON {
  public static let schema = "threadtrace.diff/1"

  public static func render(_ diff: SetupDiff, fileA: String, fileB: String) -> [UInt8] {
    var json = JSONBytes(capacity: 8192)
    json.openObject()
    json.field("schema", schema)
    json.field("same", diff.isSame)
    json.field("verdict", diff.verdict)
    json.nextLine()
    side(&json, "a", diff.a, file: fileA)
    json.nextLine()
    side(&json, "b", diff.b, file: fileB)
    json.nextLine()
    differences(&json, diff.differences)
    json.openArray("notes")
    for note in diff.notes { json.element(note) }
    json.closeArray()
    json.nextLine()
    json.openArray("groups")
    var groupJSON = JSONBytes(capacity: 2048)
    for (index, group) in diff.groups.enumerated() {
      // One group per line; encoded on its own so that the separator comes first on the line's end.
      groupJSON.reset()
      self.group(&groupJSON, group)
      json.bytes += Array((index == 0 ? "\n    " : ",\n    ").utf8)
      json.bytes += groupJSON.bytes
    }
    json.closeArray()
    json.raw("\n")
    json.closeObject()
    json.raw("\n")
    return json.bytes
  }

  private static func group(_ json: inout JSONBytes, _ group: AlignedGroups) {
    json.openObject()
    let status: String
    switch (group.a, group.b) {
    case (_?, nil): status = "only_a"
    case (nil, _?): status = "only_b"
    default: status = group.isSame ? "same" : "different"
    }
    json.field("status", status)
    recipe(&json, "a", group.a)
    recipe(&json, "b", group.b)
    differences(&json, group.differences)
    json.closeObject()
  }

  private static func side(_ json: inout JSONBytes, _ key: StaticString, _ profile: SetupProfile, file: String) {
    json.openObject(key)
    json.field("file", file)
    json.openObject("counts")
    json.field("initial", profile.counts.initial)
    json.field("threads", profile.counts.threads)
    json.field("processes", profile.counts.processes)
    json.field("vforks", profile.counts.vforks)
    json.field("execs", profile.counts.execs)
    json.closeObject()
    json.openArray("runtimes")
    for runtime in profile.runtimes { json.element(runtime.rawValue) }
    json.closeArray()
    json.openObject("stack_reservation")
    json.field("bytes", profile.reservedStackBytes)
    json.field("mappings", profile.mappedStacks)
    json.field("reused", profile.reusedStacks)
    json.closeObject()
    json.field("groups", profile.groups.count)
    json.closeObject()
  }

  private static func differences(_ json: inout JSONBytes, _ differences: [SetupDifference]) {
    json.openArray("differences")
    for difference in differences {
      json.openObject()
      json.field("aspect", difference.aspect.rawValue)
      json.field("message", difference.message)
      json.closeObject()
    }
    json.closeArray()
  }

  private static func recipe(_ json: inout JSONBytes, _ key: StaticString, _ group: TaskGroup?) {
    guard let group else {
      json.null(key)
      return
    }
    let recipe = group.recipe
    json.openObject(key)
    json.field("count", group.count)
    json.openArray("example_tids")
    for tid in group.exampleTIDs {
      json.separatorForElement()
      json.integer(Int64(tid))
    }
    json.closeArray()
    json.field("kind", recipe.kind.rawValue)
    json.field("created_by", recipe.creator?.rawValue)
    json.openArray("clone_flags")
    if recipe.creator != nil {
      for name in CloneFlags.table.decompose(recipe.flags.rawValue).names { json.element(name) }
    }
    json.closeArray()
    json.field("exit_signal", recipe.exitSignal == 0 ? nil : Signals.name(of: recipe.exitSignal) ?? "\(recipe.exitSignal)")
    json.openObject("stack")
    switch recipe.stack {
    case .mapped(let size, let guardSize, let runtimeGuard):
      json.field("source", "mapping")
      json.field("size", size)
      json.field("guard_size", guardSize)
      json.field("runtime_guard_size", runtimeGuard)
    case .sized(let size):
      json.field("source", "clone_arguments")
      json.field("size", size)
      json.null("guard_size")
      json.null("runtime_guard_size")
    case .unmapped, .inherited:
      json.field("source", recipe.stack == .unmapped ? "unmapped" : "none")
      json.null("size")
      json.null("guard_size")
      json.null("runtime_guard_size")
    }
    json.closeObject()
    json.field("tls", recipe.ownTLS)
    json.field("robust_list", recipe.robustList)
    json.field("rseq", recipe.rseq)
    json.object("sigaltstack", recipe.signalStack) { json, altStack in
      json.field("size", altStack.size)
      json.field("guard_size", altStack.guardSize)
    }
    json.field("name_pattern", recipe.namePattern)
    json.field("runtime", recipe.runtime?.rawValue)
    if let frames = recipe.creatorFrames {
      json.openArray("creator_frames")
      for frame in frames { json.element(frame) }
      json.closeArray()
    } else {
      json.null("creator_frames")
    }
    tally(&json, "execs", group.execs)
    tally(&json, "ends", group.ends)
    tally(&json, "joins", group.joins)
    json.closeObject()
  }

  private static func tally(_ json: inout JSONBytes, _ key: StaticString, _ tally: TaskGroup.Tally) {
    json.openArray(key)
    for entry in tally.entries {
      json.openObject()
      json.field("value", entry.value)
      json.field("count", entry.count)
      json.closeObject()
    }
    json.closeArray()
  }
}

extension JSONBytes {
  /// A comma before an array element written with `integer` or `unsigned`.
  mutating func separatorForElement() {
    if let last = bytes.last, last != UInt8(ascii: "[") { bytes.append(UInt8(ascii: ",")) }
  }
}
