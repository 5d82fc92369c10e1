import Analysis
import SyscallDecoding
import TraceModel

/// Writes a trace as Chrome trace-event JSON (the JSON Object Format that chrome://tracing and the Perfetto UI
/// open), streaming: events leave as they come, so memory follows live tasks, never the number of events.
///
/// Per task: `thread_name` (tid and name) and, per thread group, `process_name` metadata (`ph:"M"`); a lifetime
/// slice from first sight to end (`B`/`E`, balanced: every task still open at the end is closed then); a
/// complete slice (`X`) per syscall with its duration when the trace has one (strace `-T`, or entry and exit
/// times), an instant (`i`) otherwise; instants for creation, end, join and reap carrying the explanations as
/// args; and a flow arrow from the creating call to the new task (`s` on the creator, `f` with `bp:"e"` on the
/// child, same `id`). Timestamps are microseconds, never decreasing per thread; a trace with no times gets one
/// microsecond per event (`otherData.clock` says so). See docs/timeline.md.
public final class ChromeTraceWriter {
  /// Where encoded bytes go, in order.
  private let write: ([UInt8]) -> Void
  /// Whether an event's time is when its syscall was entered (strace text prints entry times) rather than when
  /// it returned (threadtrace's own traces).
  private let timeIsEntry: Bool
  private let lifecycle = Lifecycle(taskSink: { _ in }, processSink: { _ in })
  private let explainer = Explainer()
  /// The event being encoded (each starts afresh, so no separator state crosses events).
  private var json = JSONBytes(capacity: 512)
  /// Encoded events not yet written.
  private var out: [UInt8] = []
  private var tracks: [Int32: Track] = [:]
  private var namedProcesses: Set<Int32> = []
  private var lastTime: Int64 = 0
  private var sawTime = false
  private var sawUntimed = false
  private var eventCount = 0
  private var first = true
  /// Events written so far.
  public private(set) var written = 0
  /// Tasks whose lifetime slice is open: what the writer holds in memory besides one buffer.
  public var openTracks: Int { tracks.count }

  /// A task's row in the timeline while its lifetime slice is open.
  private struct Track {
    var tid: Int32
    var pid: Int32
    var recordID: Int
    var last: Int64
  }

  public init(timeIsEntry: Bool, write: @escaping ([UInt8]) -> Void) {
    self.timeIsEntry = timeIsEntry
    self.write = write
    out.reserveCapacity(1 << 16)
    out += Array("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[".utf8)
    flush()
  }

  // MARK: - Events

  public func take(_ event: TraceEvent) {
    eventCount += 1
    let notes = lifecycle.apply(event)
    let now = clock(event.time)
    // An event the source could not attribute to a task (tid 0) has no track to go on.
    guard event.tid != 0 else { return }
    var start = now
    var duration: Int64?
    if case .syscall(let call) = event.body, event.time != nil {
      (start, duration) = span(call, time: now)
    }

    // Tasks whose track ends with this event, and tids reused by a new task.
    let explanations = needsExplanations(notes) ? explainer.annotate(event, notes: notes, lifecycle: lifecycle).map(\.text) : []
    for case .execTookOver(let record, let formerTID) in notes {
      close(tid: formerTID, at: now, ifRecord: record)
    }
    let task = lifecycle.liveRecord(tid: event.tid) ?? lifecycle.latestRecord(tid: event.tid)
    let track = open(tid: event.tid, record: task, pid: task?.tgid ?? event.tgid ?? event.tid, at: start)

    switch event.body {
    case .syscall(let call):
      syscall(call, event: event, track: track, start: start, duration: duration)
    case .signal(let signal):
      instant(Signals.name(of: signal.signal) ?? "signal \(signal.signal)", category: "signal", track, at: now, explanations: [])
    case .exited(let code):
      instant("exit \(code)", category: "lifecycle", track, at: now, explanations: explanations)
    case .killed(let signal, _):
      instant("killed by \(Signals.name(of: signal) ?? "signal \(signal)")", category: "lifecycle", track, at: now, explanations: explanations)
    case .execTookOver(let formerTID):
      instant("exec took over from \(formerTID)", category: "lifecycle", track, at: now, explanations: explanations)
    case .groupStop, .attached, .detached, .personality, .tracerMessage, .cost, .registrations:
      break
    }

    let end = start + (duration ?? 0)
    for note in notes {
      switch note {
      case .created(let id):
        created(lifecycle.record(id), by: track, cloneStart: start, cloneEnd: end, explanations: explanations)
      case .named(let id, let name, _):
        let record = lifecycle.record(id)
        if let child = tracks[record.tid], child.recordID == id { threadName(record.tid, child.pid, kind: record.kind, name: name) }
      case .joinWait(let target, completed: true):
        instant("joins \(lifecycle.record(target).tid)", category: "lifecycle", track, at: end, explanations: explanations)
      case .reaped(let target):
        instant("reaps \(lifecycle.record(target).tid)", category: "lifecycle", track, at: end, explanations: explanations)
      case .execSucceeded(let id):
        let record = lifecycle.record(id)
        processName(track.pid, program: record.execs.last?.path, force: true)
      case .ended(let id):
        let record = lifecycle.record(id)
        close(tid: record.tid, at: max(now, end), ifRecord: id)
      case .execTookOver(let id, _):
        let record = lifecycle.record(id)
        _ = open(tid: record.tid, record: record, pid: record.tgid, at: now)
      default:
        break
      }
    }
    if out.count >= 1 << 16 { flush() }
  }

  /// Ends the timeline: closes the lifetime of every task still alive and the document.
  public func finish() {
    lifecycle.finish()
    for tid in tracks.keys.sorted() {
      if let track = tracks[tid] { end(tid: tid, track, at: track.last) }
    }
    tracks.removeAll()
    commit()
    json.reset()
    json.raw("\n],\"otherData\":{")
    json.field("generator", "threadtrace")
    json.field("clock", sawUntimed && !sawTime ? "event order (the trace has no timestamps: 1 us per event)" : "trace timestamps (us)")
    json.field("events", eventCount)
    json.raw("}}\n")
    out += json.bytes
    json.reset()
    flush()
  }

  // MARK: - Time

  /// The event's time in microseconds; one past the previous when the trace has none.
  private func clock(_ time: TraceTime?) -> Int64 {
    if let time {
      sawTime = true
      lastTime = time.microseconds
    } else {
      sawUntimed = true
      lastTime += 1
    }
    return lastTime
  }

  /// A syscall's start and duration, from what the event holds.
  private func span(_ call: SyscallEvent, time: Int64) -> (Int64, Int64?) {
    if let entry = call.entryTime?.microseconds {
      return (entry, call.durationMicroseconds ?? max(0, time - entry))
    }
    if let duration = call.durationMicroseconds {
      return timeIsEntry ? (time, duration) : (time - duration, duration)
    }
    return (time, nil)
  }

  // MARK: - Tracks

  private func open(tid: Int32, record: TaskRecord?, pid: Int32, at time: Int64) -> Track {
    if let track = tracks[tid], record == nil || track.recordID == record?.id { return track }
    if let track = tracks[tid] { end(tid: tid, track, at: max(track.last, time)) }
    let track = Track(tid: tid, pid: pid, recordID: record?.id ?? 0, last: time)
    tracks[tid] = track
    processName(pid, program: nil, force: false)
    threadName(tid, pid, kind: record?.kind ?? .initial, name: record?.name)
    begin(tid: tid, track, name: "\(record?.kind == .thread ? "thread" : "task") \(tid)", at: time)
    return tracks[tid] ?? track
  }

  private func close(tid: Int32, at time: Int64, ifRecord id: Int) {
    guard let track = tracks[tid], track.recordID == id else { return }
    end(tid: tid, track, at: max(time, track.last))
    tracks[tid] = nil
  }

  /// The time an event on `tid` is stamped with: never before the track's previous event.
  private func stamp(_ tid: Int32, _ time: Int64) -> Int64 {
    guard var track = tracks[tid] else { return time }
    let stamped = max(time, track.last)
    track.last = stamped
    tracks[tid] = track
    return stamped
  }

  private func created(
    _ child: TaskRecord, by creator: Track, cloneStart: Int64, cloneEnd: Int64, explanations: [String]
  ) {
    let creatorTID = creator.tid
    let noun = child.kind == .thread ? "thread" : child.kind == .vfork ? "vfork child" : "process"
    // A child that already ended (it ran to its end before the clone returned) gets no arrow: nothing to land on.
    if child.end == nil {
      // The arrow leaves from inside the creating call's slice and lands one microsecond into the child's
      // lifetime slice, so that each end binds to a slice.
      let from = stamp(creatorTID, cloneStart + (cloneEnd - cloneStart) / 2)
      flow("s", id: child.id, pid: creator.pid, tid: creatorTID, at: from)
      let childTrack = open(tid: child.tid, record: child, pid: child.tgid, at: max(from, cloneEnd))
      let to = stamp(child.tid, max(from, childTrack.last) + 1)
      flow("f", id: child.id, pid: childTrack.pid, tid: child.tid, at: to)
    }
    instant("creates \(noun) \(child.tid)", category: "lifecycle", creator, tid: creatorTID, at: cloneEnd, explanations: explanations)
  }

  // MARK: - Encoding

  private func syscall(_ call: SyscallEvent, event: TraceEvent, track: Track, start: Int64, duration: Int64?) {
    let tid = event.tid
    let ts = stamp(tid, start)
    next()
    json.openObject()
    json.field("name", call.name)
    json.field("cat", "syscall")
    if let duration {
      json.field("ph", "X")
      json.field("ts", ts)
      json.field("dur", max(0, duration - (ts - start)))
    } else {
      json.field("ph", "i")
      json.field("s", "t")
      json.field("ts", ts)
    }
    json.field("pid", track.pid)
    json.field("tid", tid)
    json.openObject("args")
    json.field("result", call.completeness == .resultUnread ? "(not read: the fast path skips this call's return)" : Self.result(call.result))
    if let line = event.origin?.line { json.field("line", line) }
    json.closeObject()
    json.closeObject()
  }

  static func result(_ result: SyscallResult?) -> String {
    switch result {
    case .success(let value, _)?: return value >= 1 << 32 ? "0x" + String(value, radix: 16) : "\(value)"
    case .failure(let errno)?: return "-1 " + (ErrnoNames.name(of: errno) ?? "errno \(errno)")
    case .interrupted(let errno)?: return "? " + (ErrnoNames.name(of: errno) ?? "errno \(errno)")
    case .noReturn?: return "? (no return)"
    case nil: return "(unfinished)"
    }
  }

  private func instant(_ name: String, category: StaticString, _ track: Track, tid: Int32? = nil, at time: Int64, explanations: [String]) {
    let tid = tid ?? track.tid
    let ts = stamp(tid, time)
    next()
    json.openObject()
    json.field("name", name)
    json.field("cat", category)
    json.field("ph", "i")
    json.field("s", "t")
    json.field("ts", ts)
    json.field("pid", track.pid)
    json.field("tid", tid)
    json.openObject("args")
    json.openArray("explanations")
    for text in explanations { json.element(text) }
    json.closeArray()
    json.closeObject()
    json.closeObject()
  }

  private func flow(_ phase: StaticString, id: Int, pid: Int32, tid: Int32, at time: Int64) {
    next()
    json.openObject()
    json.field("name", "creates")
    json.field("cat", "flow")
    json.field("ph", phase)
    if phase.utf8CodeUnitCount == 1, phase.utf8Start.pointee == UInt8(ascii: "f") { json.field("bp", "e") }
    json.field("id", id)
    json.field("ts", time)
    json.field("pid", pid)
    json.field("tid", tid)
    json.closeObject()
  }

  private func begin(tid: Int32, _ track: Track, name: String, at time: Int64) {
    next()
    json.openObject()
    json.field("name", name)
    json.field("cat", "lifetime")
    json.field("ph", "B")
    json.field("ts", time)
    json.field("pid", track.pid)
    json.field("tid", tid)
    json.closeObject()
  }

  private func end(tid: Int32, _ track: Track, at time: Int64) {
    next()
    json.openObject()
    json.field("ph", "E")
    json.field("ts", max(time, track.last))
    json.field("pid", track.pid)
    json.field("tid", tid)
    json.closeObject()
  }

  private func threadName(_ tid: Int32, _ pid: Int32, kind: TaskRecord.Kind, name: String?) {
    metadata("thread_name", pid: pid, tid: tid, name: "\(tid)" + (name.map { " \($0)" } ?? ""))
  }

  private func processName(_ pid: Int32, program: String?, force: Bool) {
    guard force || !namedProcesses.contains(pid) else { return }
    namedProcesses.insert(pid)
    metadata("process_name", pid: pid, tid: pid, name: "\(pid)" + (program.map { " \($0)" } ?? ""))
  }

  private func metadata(_ kind: StaticString, pid: Int32, tid: Int32, name: String) {
    next()
    json.openObject()
    json.field("name", String(describing: kind))
    json.field("ph", "M")
    json.field("pid", pid)
    json.field("tid", tid)
    json.openObject("args")
    json.field("name", name)
    json.closeObject()
    json.closeObject()
  }

  private func field(_ key: StaticString, _ value: StaticString) {
    json.field(key, String(describing: value))
  }

  /// Starts the next event: the previous one goes to the output, after a comma and a new line.
  private func next() {
    commit()
    written += 1
  }

  private func commit() {
    guard !json.bytes.isEmpty else { return }
    out += first ? [0x0A] : [0x2C, 0x0A]
    first = false
    out += json.bytes
    json.reset()
  }

  private func flush() {
    commit()
    guard !out.isEmpty else { return }
    write(out)
    out.removeAll(keepingCapacity: true)
  }

  private func needsExplanations(_ notes: [LifecycleNote]) -> Bool {
    notes.contains { note in
      switch note {
      case .created, .ended, .joinWait, .reaped, .execTookOver: return true
      default: return false
      }
    }
  }
}

extension JSONBytes {
  fileprivate mutating func field(_ key: StaticString, _ value: StaticString) {
    field(key, String(describing: value))
  }
}
