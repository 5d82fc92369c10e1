import Analysis
import SyscallDecoding
import TraceModel

/// The lifecycle summary for people: counts, then a tree of tasks (who made whom), one line per task with its
/// kind, stack and guard, what it shares, name, end and joiner. Runs of alike siblings are folded so that a
/// service with thousands of threads stays readable; `foldAlike: false` prints every task.
public struct SummaryText {
  public var palette: Palette
  public var foldAlike: Bool
  /// Siblings shown before a run of alike ones is folded.
  public var foldAfter = 3

  public init(palette: Palette = .plain, foldAlike: Bool = true) {
    self.palette = palette
    self.foldAlike = foldAlike
  }

  public func render(_ lifecycle: Lifecycle) -> String {
    var out = ""
    write(records: lifecycle.records, processes: lifecycle.processes, counts: lifecycle.counts) { out += $0 }
    return out
  }

  /// `render` of a fold's `records` and `processes`, written in pieces: a caller that also needs the records
  /// (the cost, the stories) sorts them once, and the text goes out without being gathered first.
  public func write(
    records: [TaskRecord], processes: [Lifecycle.ProcessRecord], counts: Lifecycle.Counts, to output: (String) -> Void
  ) {
    let collector = SummaryTextCollector(summary: self)
    // The caller has the records for the cost: the collector need not copy them.
    collector.keepsCostedRecords = false
    collector.reserve(tasks: records.count)
    for process in processes { collector.add(process: process) }
    for record in records { collector.add(task: record) }
    collector.write(counts: counts, to: output)
  }

  static func countsLine(_ counts: Lifecycle.Counts) -> String {
    func plural(_ n: Int, _ word: String, _ plural: String? = nil) -> String {
      "\(n) \(n == 1 ? word : plural ?? word + "s")"
    }
    var parts = [
      plural(counts.threads, "thread"), plural(counts.processes, "process", "processes"),
      plural(counts.vforks, "vfork"), plural(counts.execs, "exec"),
    ]
    if counts.failedCreations > 0 { parts.append("\(counts.failedCreations) failed creations") }
    if counts.failedExecs > 0 { parts.append("\(counts.failedExecs) failed execs") }
    return parts.joined(separator: ", ") + " (\(counts.tasks) tasks, \(counts.syscalls) syscalls)"
  }

  /// What makes two sibling tasks "alike" for folding: everything but ids, addresses and times.
  // The fields themselves, hashed as they are: no text is made for them, once per task (measured: a String put
  // together per task was a quarter of the summary collector's work on 2,000 pthreads).
  struct Signature: Hashable {
    var kind: TaskRecord.Kind
    var syscall: CloneCall.Syscall?
    var flags: UInt64
    var stackSize: UInt64
    var guardSize: UInt64
    var end: TaskRecord.End?
    /// The name up to its first digit: `worker-1` and `worker-2` are alike (and so are `1` and no name).
    var namePrefix: Substring
    var join: TaskRecord.Join.How?
  }

  func signature(_ record: TaskRecord) -> Signature {
    Signature(
      kind: record.kind, syscall: record.creation?.syscall, flags: record.creation?.flags.rawValue ?? 0,
      stackSize: record.stack?.size ?? 0, guardSize: record.stack?.guardSize ?? 0, end: record.end,
      namePrefix: record.name.map { $0.prefix { !$0.isNumber } } ?? "", join: record.joinedBy?.how)
  }

  func line(_ record: TaskRecord) -> String {
    var bytes: [UInt8] = []
    writeLine(record, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `line` as UTF-8 appended to `out`: the collector puts every task's line in its arena, and gathering the
  /// parts as Strings to join them was most of the summary's cost per task.
  func writeLine(_ record: TaskRecord, to out: inout [UInt8]) {
    palette.start(Palette.boldCode, &out)
    TextBytes.decimal(Int64(record.tid), to: &out)
    palette.end(&out)
    TextBytes.append("  ", to: &out)
    TextBytes.append(kindText(record.kind), to: &out)
    if let former = record.formerTID {
      TextBytes.append("  (was ", to: &out)
      TextBytes.decimal(Int64(former), to: &out)
      out.append(UInt8(ascii: ")"))
    }
    if let call = record.creation {
      TextBytes.append("  ", to: &out)
      TextBytes.append(call.syscall.rawValue, to: &out)
    }
    if record.kind == .thread, record.creation == nil {
      TextBytes.append("  ", to: &out)
      palette.start(Palette.dimCode, &out)
      TextBytes.append("(running before the trace; creation not seen)", to: &out)
      palette.end(&out)
    }
    if record.kind == .initial, let exec = record.execs.last(where: { $0.succeeded }), let path = exec.path {
      TextBytes.append("  ", to: &out)
      TerminalSafe.write(path, to: &out)
    }
    if let stack = record.stack {
      TextBytes.append("  ", to: &out)
      writeStack(stack, to: &out)
    }
    if let name = record.name {
      TextBytes.append("  \"", to: &out)
      TerminalSafe.write(name, to: &out)
      out.append(UInt8(ascii: "\""))
    }
    if record.kind != .initial, let exec = record.execs.last(where: { $0.succeeded }) {
      TextBytes.append("  exec ", to: &out)
      TerminalSafe.write(exec.path ?? "?", to: &out)
    }
    TextBytes.append("  ", to: &out)
    TextBytes.append(endText(record.end), to: &out)
    if let join = record.joinedBy {
      TextBytes.append(join.how == .wait ? "  reaped by " : "  joined by ", to: &out)
      TextBytes.decimal(Int64(join.tid), to: &out)
    }
  }

  private func kindText(_ kind: TaskRecord.Kind) -> String {
    switch kind {
    case .initial: return palette.cyan("initial")
    case .thread: return palette.green("thread")
    case .process: return palette.yellow("process")
    case .vfork: return palette.magenta("vfork")
    }
  }

  func stackText(_ stack: ThreadStack) -> String {
    var bytes: [UInt8] = []
    writeStack(stack, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  func writeStack(_ stack: ThreadStack, to out: inout [UInt8]) {
    switch stack.source {
    case .unmapped: TextBytes.append("stack in runtime-managed memory", to: &out)
    case .cloneArguments, .mapping:
      TextBytes.append("stack ", to: &out)
      if let size = stack.size { Self.writeSize(size, to: &out) } else { out.append(UInt8(ascii: "?")) }
      if let guardSize = stack.guardSize {
        if guardSize == 0 {
          TextBytes.append(" no guard", to: &out)
        } else {
          TextBytes.append(" + ", to: &out)
          Self.writeSize(guardSize, to: &out)
          TextBytes.append(" guard", to: &out)
        }
      }
      if let runtimeGuard = stack.runtimeGuardSize {
        TextBytes.append(", runtime guard ", to: &out)
        Self.writeSize(runtimeGuard, to: &out)
      }
      if let previous = stack.reusedFromTID {
        TextBytes.append(" (reused from ", to: &out)
        TextBytes.decimal(Int64(previous), to: &out)
        out.append(UInt8(ascii: ")"))
      }
    }
  }

  func endText(_ end: TaskRecord.End?) -> String {
    guard let end else { return palette.dim("alive at end of trace") }
    switch end {
    case .exited(let code, let cause):
      let how: String
      switch cause {
      case .exit: how = "exit"
      case .exitGroup: how = "exit_group"
      case .groupExit(let by): how = "exit_group by \(by)"
      case .execByOtherThread(let by): how = "execve by \(by)"
      case .unknown: how = ""
      }
      return "exited \(code)" + (how.isEmpty ? "" : " (\(how))")
    case .killed(let signal, let core):
      return palette.red("killed by \(Signals.name(of: signal) ?? String(signal))" + (core ? " (core dumped)" : ""))
    case .supersededByExec(let by):
      return "replaced by \(by)'s execve"
    }
  }

  func sharingLine(_ record: TaskRecord) -> String? {
    guard let call = record.creation else { return nil }
    let sharing = ResourceSharing(call)
    let short: [ResourceSharing.Resource: String] = [
      .addressSpace: "memory", .fileDescriptors: "fds", .filesystemInfo: "fs", .signalHandlers: "handlers",
      .threadGroup: "pid", .semaphoreUndo: "semundo", .namespaces: "namespaces", .tls: "tls", .ioContext: "io",
    ]
    var parts: [String] = []
    for mode in [ResourceSharing.Mode.shared, .copied, .new] {
      let names = sharing.modes.filter { $0.mode == mode }.compactMap { short[$0.resource] }
      if !names.isEmpty { parts.append("\(mode.rawValue): \(names.joined(separator: " "))") }
    }
    return parts.joined(separator: "; ")
  }

  static func size(_ bytes: UInt64) -> String {
    var text: [UInt8] = []
    writeSize(bytes, to: &text)
    return String(decoding: text, as: UTF8.self)
  }

  /// `0`, `8 MiB`, `4 KiB`, `12345 B`: in the largest binary unit that divides the size.
  static func writeSize(_ bytes: UInt64, to out: inout [UInt8]) {
    if bytes == 0 {
      out.append(UInt8(ascii: "0"))
    } else if bytes % (1 << 30) == 0 {
      TextBytes.decimal(unsigned: bytes >> 30, to: &out)
      TextBytes.append(" GiB", to: &out)
    } else if bytes % (1 << 20) == 0 {
      TextBytes.decimal(unsigned: bytes >> 20, to: &out)
      TextBytes.append(" MiB", to: &out)
    } else if bytes % (1 << 10) == 0 {
      TextBytes.decimal(unsigned: bytes >> 10, to: &out)
      TextBytes.append(" KiB", to: &out)
    } else {
      TextBytes.decimal(unsigned: bytes, to: &out)
      TextBytes.append(" B", to: &out)
    }
  }
}

/// The text summary built as the lifecycle model hands over finished records (`Lifecycle(taskSink:…)`), so a
/// long trace needs no `TaskRecord` per task until the end: each task keeps only its two printed lines (in one
/// byte arena), its place in the tree and an interned fold signature — about a tenth of a record. The stories
/// after the tree are kept only while they may be printed.
public final class SummaryTextCollector {
  private let summary: SummaryText
  /// Every task's printed text, one after another.
  private var arena: [UInt8] = []
  private var nodes: [Node] = []
  private var processLines: [(id: Int, text: String)] = []
  private var signatures: [SummaryText.Signature: Int32] = [:]
  private let keepStories: Bool?
  private var stories: [(id: Int, text: String)] = []
  private var storiesDropped = false
  /// Records with a tracing cost (live traces), for `CostText`.
  private var costed: [TaskRecord] = []
  /// Whether `costedRecords` is wanted: every task of a live trace has a cost, and appending each record to an
  /// array (a copy of every field, the array moved as it grows) is work only the streaming summary needs.
  var keepsCostedRecords = true
  /// Sharing lines by clone flag set: few distinct sets, many tasks.
  private var sharingByFlags: [UInt64: String?] = [:]

  private struct Node {
    var id: Int
    var parentID: Int?
    var tid: Int32
    var tgid: Int32
    var isThread: Bool
    var mayLead: Bool
    var signature: Int32
    var lineStart: Int
    var lineEnd: Int
    var sharingEnd: Int
    var hasSharing: Bool
  }

  /// `stories`: keep every task's story (true), none (false), or while there are at most
  /// `storiesUpTo` tasks (nil).
  public init(summary: SummaryText, stories: Bool? = false, storiesUpTo: Int = 12) {
    self.summary = summary
    keepStories = stories
    self.storiesUpTo = storiesUpTo
  }

  private let storiesUpTo: Int

  /// Room for `tasks` more tasks, when the caller knows how many will come: the arena then grows once rather
  /// than by doubling, each time copying every line so far.
  public func reserve(tasks: Int) {
    arena.reserveCapacity(arena.count + tasks * Self.bytesPerTask)
    nodes.reserveCapacity(nodes.count + tasks)
  }

  /// About a thread's two lines (task and sharing), with colour.
  static let bytesPerTask = 160

  public func add(process: Lifecycle.ProcessRecord) {
    guard !process.provisional, !process.runtimes.isEmpty else { return }
    let runtimes = process.runtimes.map { fingerprint in
      "\(fingerprint.runtime.rawValue) (\(fingerprint.evidence.map(TerminalSafe.escape).joined(separator: "; ")))"
    }
    processLines.append(
      (process.id, "  process \(process.tgid) \(TerminalSafe.escape(process.program ?? "")): " + runtimes.joined(separator: ", ") + "\n"))
  }

  public func add(task record: TaskRecord) {
    var signature: Int32 = 0
    if summary.foldAlike {
      let key = summary.signature(record)
      if let known = signatures[key] {
        signature = known
      } else {
        signature = Int32(signatures.count)
        signatures[key] = signature
      }
    }
    let lineStart = arena.count
    summary.writeLine(record, to: &arena)
    let lineEnd = arena.count
    let sharing: String?
    if let call = record.creation {
      if let cached = sharingByFlags[call.flags.rawValue] {
        sharing = cached
      } else {
        sharing = summary.sharingLine(record)
        sharingByFlags[call.flags.rawValue] = sharing
      }
    } else {
      sharing = nil
    }
    if let sharing { arena += summary.palette.dim(sharing).utf8 }
    nodes.append(
      Node(
        id: record.id, parentID: record.parentID, tid: record.tid, tgid: record.tgid, isThread: record.kind == .thread,
        mayLead: record.parentID == nil && record.kind != .thread && record.tid == record.tgid, signature: signature,
        lineStart: lineStart, lineEnd: lineEnd, sharingEnd: arena.count, hasSharing: sharing != nil))
    if keepsCostedRecords, record.cost != nil { costed.append(record) }
    if keepStories != false, !storiesDropped {
      if keepStories == nil, nodes.count > storiesUpTo {
        storiesDropped = true
        stories = []
      } else {
        stories.append((record.id, TaskStory.tell(record)))
      }
    }
  }

  /// The records that carry a tracing cost, in order of first sight.
  public var costedRecords: [TaskRecord] { costed.sorted { $0.id < $1.id } }

  /// The stories to print after the tree, in order of first sight (empty when not kept).
  public var keptStories: [(id: Int, tid: Int32, text: String)] {
    let tids = Dictionary(nodes.map { ($0.id, $0.tid) }, uniquingKeysWith: { a, _ in a })
    return stories.sorted { $0.id < $1.id }.map { ($0.id, tids[$0.id] ?? 0, $0.text) }
  }

  /// Writes the summary (counts, runtimes, tree) in pieces.
  public func write(counts: Lifecycle.Counts, to output: (String) -> Void) {
    let palette = summary.palette
    output(palette.bold("Lifecycle summary") + ": " + SummaryText.countsLine(counts) + "\n")
    for line in processLines.sorted(by: { $0.id < $1.id }) { output(line.text) }
    nodes.sort { $0.id < $1.id }
    var indexByID: [Int: Int] = [:]
    indexByID.reserveCapacity(nodes.count)
    for (index, node) in nodes.enumerated() { indexByID[node.id] = index }
    // Threads already running when the trace began (`strace -p`) have no creator in the trace: they hang
    // under their process's leader.
    var leaders: [Int32: Int] = [:]
    for node in nodes where node.mayLead && leaders[node.tgid] == nil { leaders[node.tgid] = node.id }
    var children: [Int: [Int]] = [:]
    var roots: [Int] = []
    for node in nodes {
      if let parent = node.parentID ?? (node.isThread ? leaders[node.tgid] : nil) {
        children[parent, default: []].append(node.id)
      } else {
        roots.append(node.id)
      }
    }
    var out = ""
    for root in roots {
      emit(root, indexByID: indexByID, children: children, prefix: "", isLast: true, isRoot: true, into: &out)
      if out.utf8.count > 1 << 16 {
        output(out)
        out = ""
      }
    }
    output(out)
  }

  private func text(_ start: Int, _ end: Int) -> String {
    arena.withUnsafeBufferPointer { String(decoding: $0[start..<end], as: UTF8.self) }
  }

  private func emit(
    _ id: Int, indexByID: [Int: Int], children: [Int: [Int]], prefix: String, isLast: Bool, isRoot: Bool,
    into out: inout String
  ) {
    guard let index = indexByID[id] else { return }
    let node = nodes[index]
    let branch = isRoot ? "" : (isLast ? "└─ " : "├─ ")
    out += prefix + branch + text(node.lineStart, node.lineEnd) + "\n"
    let childPrefix = isRoot ? "" : prefix + (isLast ? "   " : "│  ")
    if node.hasSharing {
      let bar = (children[id]?.isEmpty ?? true) ? "   " : "│  "
      out += childPrefix + bar + text(node.lineEnd, node.sharingEnd) + "\n"
    }
    let kids = children[id] ?? []
    var kidIndex = 0
    while kidIndex < kids.count {
      // Fold a run of alike leaf siblings: the first few in full, then one line for the rest.
      var runEnd = kidIndex + 1
      if summary.foldAlike && children[kids[kidIndex]] == nil, let first = indexByID[kids[kidIndex]] {
        let signature = nodes[first].signature
        while runEnd < kids.count && children[kids[runEnd]] == nil
          && indexByID[kids[runEnd]].map({ nodes[$0].signature }) == signature
        {
          runEnd += 1
        }
      }
      let runLength = runEnd - kidIndex
      if runLength > summary.foldAfter + 1 {
        for offset in 0..<summary.foldAfter {
          emit(kids[kidIndex + offset], indexByID: indexByID, children: children, prefix: childPrefix, isLast: false, isRoot: false, into: &out)
        }
        let rest = kids[(kidIndex + summary.foldAfter)..<runEnd].compactMap { indexByID[$0].map { nodes[$0].tid } }
        let last = runEnd == kids.count
        out += childPrefix + (last ? "└─ " : "├─ ")
          + summary.palette.dim("… \(rest.count) more like the above (tids \(rest.first!)…\(rest.last!))") + "\n"
      } else {
        for offset in 0..<runLength {
          let child = kids[kidIndex + offset]
          emit(child, indexByID: indexByID, children: children, prefix: childPrefix, isLast: kidIndex + offset == kids.count - 1, isRoot: false, into: &out)
        }
      }
      kidIndex = runEnd
    }
  }
}
