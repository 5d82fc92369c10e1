#if canImport(Glibc)
  import Glibc
#endif
import SyscallDecoding
import TraceModel

/// Reads an `strace -ff -o PREFIX` set: one `PREFIX.<pid>` file per task, each read by its own
/// `StraceTextReader` with the pid from its name, merged into one stream.
///
/// With timestamps (`-t`, `-tt`, `-ttt`) the files are merged by time, as `strace-log-merge` does (stable: equal
/// times keep the order of the files). A file is opened only when the merge reaches its first line and closed at
/// its end, so a set of thousands of short-lived threads holds open only the tasks alive at one moment. Without
/// timestamps the order across files is unknown: files are read one after another, with a warning.
///
/// A non-leader's execve appears in two files: its thread's file ends with `execve(… <pid changed to L ...>` and
/// the leader's has `+++ superseded by execve in pid T +++` then `<... execve resumed>) = 0`. The two halves are
/// joined into one complete execve under the leader's pid. Without timestamps the leader's file is read first
/// (lowest pid), so when it reaches the `superseded` line the exec'ing thread's file and those of the other
/// threads of its group (known from the `CLONE_THREAD` clones read so far) are read before it goes on: they
/// ended before the exec completed, and the thread's half of the execve is then waiting to be joined.
public final class StraceFollowForksReader: TraceReader {
  /// One file of the set and the task it holds (nil when the name has no `.<pid>` suffix).
  public struct Member: Hashable, Sendable {
    public var path: String
    public var pid: Int32?

    public init(path: String, pid: Int32?) {
      self.path = path
      self.pid = pid
    }
  }

  public private(set) var header = TraceHeader(schema: "strace")
  /// The member files, in the order used for `Origin.file`.
  public let members: [Member]

  private let options: StraceReadOptions
  private let timed: Bool
  /// Members not yet opened, in order of their first timestamp (or of pid without timestamps).
  private var waiting: [(index: Int, firstTime: Int64)]
  private var nextWaiting = 0
  private var active: [Active] = []
  private var warnings: [InputWarning] = []
  private var execHandoff: [Int32: TraceEvent] = [:]
  private var handoffOrder: [Int32] = []
  private var finishedBytes: Int64 = 0
  /// Without timestamps: the thread-group leader of each thread made by a `CLONE_THREAD` clone read so far.
  private var leaderOf: [Int32: Int32] = [:]
  private let totalBytes: Int64?

  private struct Active {
    var reader: StraceTextReader
    var head: TraceEvent
    var index: Int
    /// Without timestamps: the head is an exec takeover whose thread files were already brought forward.
    var broughtForward = false
    var key: Int64 { head.time?.microseconds ?? Int64.min }
  }

  /// Reads the `NAME.<pid>` files of `directory`.
  public convenience init(directory: String, options: StraceReadOptions = StraceReadOptions()) throws(TraceReadError)
  {
    let members = try Self.members(inDirectory: directory)
    guard !members.isEmpty else {
      throw TraceReadError(
        .unrecognizedFormat, file: directory,
        reason: "no strace -ff files (NAME.<pid>) in this directory")
    }
    try self.init(files: members, options: options)
  }

  public init(files: [Member], options: StraceReadOptions = StraceReadOptions()) throws(TraceReadError) {
    self.members = files
    self.options = options
    var firstTimes: [Int64?] = []
    var total: Int64 = 0
    for member in files {
      let (time, size) = try Self.firstTimestamp(member.path)
      firstTimes.append(time)
      total += size
    }
    totalBytes = total
    let timed = !firstTimes.isEmpty && firstTimes.allSatisfy { $0 != nil }
    self.timed = timed
    waiting = firstTimes.enumerated().map { ($0.offset, $0.element ?? 0) }
    if timed {
      waiting.sort { $0.firstTime != $1.firstTime ? $0.firstTime < $1.firstTime : $0.index < $1.index }
    } else if files.count > 1 {
      warnings.append(
        InputWarning(
          file: files[0].path, line: 1,
          reason: "the -ff files have no timestamps (record with strace -ff -tt), so the order of events across "
            + "files is unknown: reading them one after another"))
    }
  }

  public var progress: (consumed: Int64, total: Int64?) {
    (finishedBytes + active.reduce(0) { $0 + $1.reader.progress.consumed }, totalBytes)
  }

  public func drainWarnings() -> [InputWarning] {
    for member in active { warnings += member.reader.drainWarnings() }
    defer { warnings.removeAll() }
    return warnings
  }

  public func next() throws(TraceReadError) -> TraceEvent? {
    while true {
      try openDueMembers()
      guard let slot = minimumSlot() else {
        // Halves of an exec whose leader file never resumed it: keep the entries.
        guard let pid = handoffOrder.first else { return nil }
        handoffOrder.removeFirst()
        if let event = execHandoff.removeValue(forKey: pid) { return event }
        continue
      }
      if !timed, !active[slot].broughtForward, case .execTookOver(let formerTID) = active[slot].head.body {
        active[slot].broughtForward = true
        try bringForward(threadsOf: active[slot].head.tid, execer: formerTID)
        continue
      }
      let event = active[slot].head
      let reader = active[slot].reader
      if let next = try reader.next() {
        active[slot].head = next
      } else {
        warnings += reader.drainWarnings()
        finishedBytes += reader.progress.consumed
        active.remove(at: slot)
      }
      if !timed { noteThread(event) }
      if let joined = joinExec(event, from: reader) { return joined }
    }
  }

  /// Without timestamps: a `CLONE_THREAD` clone's child belongs to its creator's thread group.
  private func noteThread(_ event: TraceEvent) {
    guard case .syscall(let call) = event.body, call.name == "clone" || call.name == "clone3",
      case .success(let value, _)? = call.result, value > 0, value <= Int64(Int32.max),
      let clone = CloneCall(call), clone.flags.contains(.thread)
    else { return }
    leaderOf[Int32(value)] = leaderOf[event.tid] ?? event.tid
  }

  /// Without timestamps: opens, ahead of their turn, the files of the threads of `leader`'s group and of the
  /// thread `execer` whose execve took the group over, so that they are read now, the exec'ing thread's first
  /// (its half of the execve waits for the leader's `<... execve resumed>`).
  private func bringForward(threadsOf leader: Int32, execer: Int32) throws(TraceReadError) {
    var positions: [Int] = []
    for position in nextWaiting..<waiting.count {
      guard let pid = members[waiting[position].index].pid else { continue }
      if pid == execer || (leaderOf[pid] ?? pid) == leader && pid != leader { positions.append(position) }
    }
    // The exec'ing thread last, so that it is on top and read first.
    positions.sort { a, b in
      let aExecer = members[waiting[a].index].pid == execer
      let bExecer = members[waiting[b].index].pid == execer
      return aExecer != bExecer ? bExecer : a < b
    }
    let chosen = positions.map { waiting[$0].index }
    let taken = Set(positions)
    waiting = waiting.enumerated().filter { !taken.contains($0.offset) }.map(\.element)
    for index in chosen { try open(index) }
  }
  /// Opens members whose first line is due: all of them in turn without timestamps, else every member that
  /// starts no later than the earliest pending event.
  private func openDueMembers() throws(TraceReadError) {
    while nextWaiting < waiting.count {
      let candidate = waiting[nextWaiting]
      if !active.isEmpty {
        guard timed, let slot = minimumSlot(), candidate.firstTime <= active[slot].key else { return }
      }
      nextWaiting += 1
      try open(candidate.index)
    }
  }

  /// Opens member `index` and makes it active (on top, the one read next without timestamps).
  private func open(_ index: Int) throws(TraceReadError) {
    let member = members[index]
    let source = try LineSource(path: member.path, chunkSize: 64 << 10)
    let reader = StraceTextReader(
      input: PeekableLineSource(source), options: options, pid: member.pid, fileIndex: Int32(index))
    if let first = try reader.next() {
      active.append(Active(reader: reader, head: first, index: index))
      if header.clock == nil, let clock = reader.header.clock {
        header.clock = clock
        header.startTime = reader.header.startTime
      }
    } else {
      warnings += reader.drainWarnings()
      finishedBytes += reader.progress.consumed
    }
  }

  /// The active member whose next event comes first (earliest time, then lowest file index).
  private func minimumSlot() -> Int? {
    guard !active.isEmpty else { return nil }
    // Without timestamps the active files are a stack: one brought forward is read to its end first.
    if !timed { return active.count - 1 }
    var best = 0
    var bestKey = active[0].key
    var bestIndex = active[0].index
    for slot in 1..<active.count {
      let key = active[slot].key
      if key < bestKey || (key == bestKey && active[slot].index < bestIndex) {
        best = slot
        bestKey = key
        bestIndex = active[slot].index
      }
    }
    return best
  }

  /// Holds the thread's half of a pid-changing execve and completes it with the leader's `<... execve resumed>`.
  private func joinExec(_ event: TraceEvent, from reader: StraceTextReader) -> TraceEvent? {
    guard case .syscall(let call) = event.body, call.name == "execve" || call.name == "execveat" else { return event }
    if call.completeness == .entryOnly, let line = event.origin?.line, let leader = reader.pidChanges[line] {
      reader.forgetPIDChange(line: line)
      if let older = execHandoff.updateValue(event, forKey: leader) { warnings.append(lostExec(older)) }
      handoffOrder.append(leader)
      return nil
    }
    guard call.completeness == .exitOnly, let entry = execHandoff.removeValue(forKey: event.tid),
      case .syscall(let entryCall) = entry.body
    else { return event }
    handoffOrder.removeAll { $0 == event.tid }
    var joined = entryCall
    joined.result = call.result
    joined.completeness = .complete
    joined.entryTime = entry.time
    joined.durationMicroseconds = call.durationMicroseconds
    joined.arguments = entryCall.arguments + call.arguments
    return TraceEvent(tid: event.tid, time: event.time, body: .syscall(joined), origin: entry.origin)
  }

  private func lostExec(_ event: TraceEvent) -> InputWarning {
    let file = event.origin.map { members[Int($0.file)].path } ?? members[0].path
    return InputWarning(
      file: file, line: event.origin?.line ?? 0, reason: "two execve calls changed to the same pid; the first is kept as unfinished")
  }

  // MARK: Finding the files

  /// The `NAME.<pid>` files directly in `directory`, ordered by pid.
  public static func members(inDirectory directory: String) throws(TraceReadError) -> [Member] {
    guard let stream = opendir(directory) else {
      throw TraceReadError(.io, file: directory, reason: "cannot open: \(String(cString: strerror(errno)))")
    }
    defer { closedir(stream) }
    var found: [Member] = []
    let base = directory.hasSuffix("/") ? directory : directory + "/"
    while let entry = readdir(stream) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      guard let pid = pidSuffix(name) else { continue }
      var info = stat()
      guard stat(base + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
      found.append(Member(path: base + name, pid: pid))
    }
    return sorted(found)
  }

  /// The `PREFIX.<pid>` files beside `prefix` (what was given to `strace -ff -o PREFIX`).
  public static func members(prefix: String) throws(TraceReadError) -> [Member] {
    let slash = prefix.lastIndex(of: "/")
    let directory = slash.map { String(prefix[...$0]) } ?? "./"
    let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
    guard !stem.isEmpty else { return [] }
    return try members(inDirectory: directory).filter { member in
      let name = member.path.split(separator: "/").last ?? ""
      return name.count > stem.count + 1 && name.hasPrefix(stem + ".") && pidSuffix(String(name)) != nil
        && name.dropFirst(stem.count + 1).allSatisfy { $0.isASCII && $0.isNumber }
    }
  }

  /// Members for files named one by one; the pid comes from a `.<digits>` suffix when there is one.
  public static func members(_ paths: [String]) -> [Member] {
    paths.map { path in Member(path: path, pid: pidSuffix(path.split(separator: "/").last.map(String.init) ?? path)) }
  }

  private static func sorted(_ members: [Member]) -> [Member] {
    members.sorted { ($0.pid ?? Int32.max, $0.path) < ($1.pid ?? Int32.max, $1.path) }
  }

  static func pidSuffix(_ name: String) -> Int32? {
    guard let dot = name.lastIndex(of: ".") else { return nil }
    let digits = name[name.index(after: dot)...]
    guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int32(digits)
  }

  /// The time on the first line of `path` (as the reader will compute it for its first line) and the file size.
  private static func firstTimestamp(_ path: String) throws(TraceReadError) -> (Int64?, Int64) {
    let source = try LineSource(path: path, chunkSize: 4096)
    let stamp: StraceLinePrefix.Stamp? = try source.withNextLine { StraceLinePrefix.parse($0).stamp }
    let size = source.totalSize ?? 0
    // An empty member sorts first and ends at once.
    guard let stamp else { return (Int64.min, size) }
    switch stamp {
    case .timeOfDay(let micros), .epoch(let micros): return (micros, size)
    // -r deltas count from each file's own start: there is no common clock across files.
    case .relative, .none: return (nil, size)
    }
  }
}
