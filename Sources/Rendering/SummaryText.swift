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
    let counts = lifecycle.counts
    var out = palette.bold("Lifecycle summary") + ": " + Self.countsLine(counts) + "\n"
    for process in lifecycle.processes where !process.provisional && !process.runtimes.isEmpty {
      let runtimes = process.runtimes.map { fingerprint in
        "\(fingerprint.runtime.rawValue) (\(fingerprint.evidence.map(TerminalSafe.escape).joined(separator: "; ")))"
      }
      out += "  process \(process.tgid) \(TerminalSafe.escape(process.program ?? "")): " + runtimes.joined(separator: ", ") + "\n"
    }
    var children: [Int: [Int]] = [:]
    var roots: [Int] = []
    let records = lifecycle.records
    // Threads already running when the trace began (`strace -p`) have no creator in the trace: they hang
    // under their process's leader.
    var leaders: [Int32: Int] = [:]
    for record in records where record.parentID == nil && record.kind != .thread && record.tid == record.tgid {
      if leaders[record.tgid] == nil { leaders[record.tgid] = record.id }
    }
    for record in records {
      if let parent = record.parentID ?? (record.kind == .thread ? leaders[record.tgid] : nil) {
        children[parent, default: []].append(record.id)
      } else {
        roots.append(record.id)
      }
    }
    for root in roots { emit(root, lifecycle: lifecycle, children: children, prefix: "", isLast: true, isRoot: true, into: &out) }
    return out
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

  private func emit(
    _ id: Int, lifecycle: Lifecycle, children: [Int: [Int]], prefix: String, isLast: Bool, isRoot: Bool,
    into out: inout String
  ) {
    let record = lifecycle.record(id)
    let branch = isRoot ? "" : (isLast ? "└─ " : "├─ ")
    out += prefix + branch + line(record) + "\n"
    let childPrefix = isRoot ? "" : prefix + (isLast ? "   " : "│  ")
    if let sharing = sharingLine(record) {
      let bar = (children[id]?.isEmpty ?? true) ? "   " : "│  "
      out += childPrefix + bar + palette.dim(sharing) + "\n"
    }
    let kids = children[id] ?? []
    var index = 0
    while index < kids.count {
      // Fold a run of alike leaf siblings: the first few in full, then one line for the rest.
      var runEnd = index + 1
      if foldAlike && children[kids[index]] == nil {
        let signature = self.signature(lifecycle.record(kids[index]))
        while runEnd < kids.count && children[kids[runEnd]] == nil
          && self.signature(lifecycle.record(kids[runEnd])) == signature
        {
          runEnd += 1
        }
      }
      let runLength = runEnd - index
      if runLength > foldAfter + 1 {
        for offset in 0..<foldAfter {
          emit(kids[index + offset], lifecycle: lifecycle, children: children, prefix: childPrefix, isLast: false, isRoot: false, into: &out)
        }
        let rest = kids[(index + foldAfter)..<runEnd].map { lifecycle.record($0).tid }
        let last = runEnd == kids.count
        out += childPrefix + (last ? "└─ " : "├─ ")
          + palette.dim("… \(rest.count) more like the above (tids \(rest.first!)…\(rest.last!))") + "\n"
      } else {
        for offset in 0..<runLength {
          let child = kids[index + offset]
          emit(child, lifecycle: lifecycle, children: children, prefix: childPrefix, isLast: index + offset == kids.count - 1, isRoot: false, into: &out)
        }
      }
      index = runEnd
    }
  }

  /// What makes two sibling tasks "alike" for folding: everything but ids, addresses and times.
  private func signature(_ record: TaskRecord) -> String {
    [
      record.kind.rawValue, record.creation?.syscall.rawValue ?? "", String(record.creation?.flags.rawValue ?? 0),
      String(record.stack?.size ?? 0), String(record.stack?.guardSize ?? 0), endText(record.end),
      record.name.map { String($0.prefix { !$0.isNumber }) } ?? "", record.joinedBy?.how.rawValue ?? "",
    ].joined(separator: "|")
  }

  func line(_ record: TaskRecord) -> String {
    var parts: [String] = [palette.bold(String(record.tid)), kindText(record.kind)]
    if let former = record.formerTID { parts.append("(was \(former))") }
    if let call = record.creation { parts.append(call.syscall.rawValue) }
    if record.kind == .thread, record.creation == nil { parts.append(palette.dim("(running before the trace; creation not seen)")) }
    if record.kind == .initial, let exec = record.execs.last(where: { $0.succeeded }), let path = exec.path {
      parts.append(TerminalSafe.escape(path))
    }
    if let stack = record.stack { parts.append(stackText(stack)) }
    if let name = record.name { parts.append("\"\(TerminalSafe.escape(name))\"") }
    let execs = record.execs.filter(\.succeeded)
    if record.kind != .initial, let exec = execs.last { parts.append("exec \(TerminalSafe.escape(exec.path ?? "?"))") }
    parts.append(endText(record.end))
    if let join = record.joinedBy {
      parts.append(join.how == .wait ? "reaped by \(join.tid)" : "joined by \(join.tid)")
    }
    return parts.joined(separator: "  ")
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
    switch stack.source {
    case .unmapped: return "stack in runtime-managed memory"
    case .cloneArguments, .mapping:
      var text = "stack " + (stack.size.map(Self.size) ?? "?")
      if let guardSize = stack.guardSize { text += guardSize == 0 ? " no guard" : " + \(Self.size(guardSize)) guard" }
      if let runtimeGuard = stack.runtimeGuardSize { text += ", runtime guard \(Self.size(runtimeGuard))" }
      if let previous = stack.reusedFromTID { text += " (reused from \(previous))" }
      return text
    }
  }

  private func endText(_ end: TaskRecord.End?) -> String {
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

  private func sharingLine(_ record: TaskRecord) -> String? {
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
    if bytes == 0 { return "0" }
    for (unit, name) in [(UInt64(1) << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")] where bytes % unit == 0 {
      return "\(bytes / unit) \(name)"
    }
    return "\(bytes) B"
  }
}
