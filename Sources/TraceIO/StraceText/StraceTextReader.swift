import TraceModel

/// Reads strace's text output (`-f`, `-o FILE`, one file of a `-ff` set; any of `-t/-tt/-ttt/-r`, `-T`, `-y/-yy`,
/// `-X`, `-i`, `-n`, `-k`, `-Y`) as a stream of `TraceEvent`s, line by line.
///
/// Memory is the open calls and the live tasks, never the file: a call strace split across lines
/// (`<unfinished ...>` … `<... NAME resumed>`) waits per task and is emitted, whole, at its resume line.
/// Events come out in file order. A malformed line is a warning, never an error; only input that is not a trace
/// at all (an `strace -c` table) throws.
public final class StraceTextReader: TraceReader {
  public private(set) var header = TraceHeader(schema: "strace")

  private let input: PeekableLineSource
  private let options: StraceReadOptions
  private let fileIndex: Int32
  /// With `-ff` strace prints no pid: the file name carries it.
  private let filePID: Int32?
  private let names: SyscallNameCache
  private let symbols = SymbolCache()
  private let errnos = ErrnoNameCache()

  // The reader runs on one thread and never re-enters itself, so the runtime's dynamic exclusivity checks on
  // these properties (a tenth of the reading time, measured) buy nothing: they are off.

  /// Tasks seen and not yet ended, with the call each has in flight.
  private let tasks = TaskTable<TaskState>(filler: TaskState())
  /// The next event to hand out when `queue` is empty: most lines make one event, and a slot is cheaper than
  /// an array's append and remove.
  @exclusivity(unchecked) private var ready: TraceEvent?
  @exclusivity(unchecked) private var queue: [TraceEvent] = []
  @exclusivity(unchecked) private var queueHead = 0
  @exclusivity(unchecked) private var warnings: [InputWarning] = []
  @exclusivity(unchecked) private var warningCount = 0
  @exclusivity(unchecked) private var finished = false
  @exclusivity(unchecked) private var sawEvent = false
  @exclusivity(unchecked) private var pendingError: TraceReadError?
  /// How many of the source's dropped overlong lines have been warned about.
  @exclusivity(unchecked) private var overlongLinesReported = 0

  @exclusivity(unchecked) private var lastTimeOfDay: Int64 = -1
  @exclusivity(unchecked) private var dayOffset: Int64 = 0
  @exclusivity(unchecked) private var relativeSum: Int64 = 0
  @exclusivity(unchecked) private var firstTimeOfDay: Int64?
  @exclusivity(unchecked) private var clockKnown = false

  /// The task whose lines carry no pid (strace `-f` to stderr prefixes lines only while two tasks live).
  @exclusivity(unchecked) private var owner: Int32?
  /// While `owner` is unknown, events wait here (in order) for it to be learned.
  @exclusivity(unchecked) private var holding = false
  @exclusivity(unchecked) private var held: [TraceEvent] = []
  /// Children created while `owner` is unknown: a prefixed line from any other pid is the owner's.
  @exclusivity(unchecked) private var announcedChildren: Set<Int32> = []
  private static let unknownOwner = Int32.min
  /// A line strace's own message cut in two, waiting for the rest on the next line.
  @exclusivity(unchecked) private var cut: CutLine?
  /// `-ff`: lines whose execve ended with `<pid changed to N ...>`, for `StraceFollowForksReader`.
  private(set) var pidChanges: [Int: Int32] = [:]

  /// `-k`: strace prints the caller's stack on the lines after each call. The log has shown such lines; from
  /// then on a creation (clone, clone3, fork, vfork) is handed out only once the line after it is read, with the
  /// stack lines in between as its creator's stack. Other calls' stacks are skipped: the story reads creators'.
  @exclusivity(unchecked) private var sawStackLines = false
  /// The creation waiting for its stack lines, while they may still come.
  @exclusivity(unchecked) private var waitingForStack: TraceEvent?
  @exclusivity(unchecked) private var stackLinesGoToWaiting = false
  /// The event read after `waitingForStack`, handed out next.
  @exclusivity(unchecked) private var readAhead: TraceEvent?
  /// More frames than any useful stack (strace -k prints up to 256).
  static let maximumStackLines = 64

  func forgetPIDChange(line: Int) { pidChanges.removeValue(forKey: line) }

  /// When set, a completed call whose arguments the options do not want (`StraceReadOptions.parseArguments`
  /// false for its name) makes no event: its task and time go here instead, in file order, at the point its
  /// event would have been handed out. For a consumer that only counts such calls (`Lifecycle`'s
  /// `applyUninterpretedCall`); `startedBeforeTrace` says the call is a resume whose start the log lacks or a
  /// `restart_syscall` (what a task's first call looks like when strace attached to it). Most lines of a real log are such calls, and building, handing out and
  /// dropping an event for each is most of the cost of reading them.
  @exclusivity(unchecked) public var uninterpretedCallSink: ((_ tid: Int32, _ time: TraceTime?, _ startedBeforeTrace: Bool) -> Void)? {
    didSet {
      sink = uninterpretedCallSink.map(CallSink.init)
      sinkReference = sink.map { Unmanaged.passUnretained($0) }
    }
  }

  /// `uninterpretedCallSink`, boxed and reached without reference counting: a call through the optional
  /// closure retained and released its context, two atomic operations for most lines of a log (measured: a
  /// tenth of the time of such a line). The box is owned by `sink`, which changes only with the public
  /// property, never while the sink runs.
  private final class CallSink {
    typealias Call = (_ tid: Int32, _ time: TraceTime?, _ startedBeforeTrace: Bool) -> Void
    let call: Call
    init(_ call: @escaping Call) { self.call = call }
  }
  private var sink: CallSink?
  @exclusivity(unchecked) private var sinkReference: Unmanaged<CallSink>?

  struct TaskState {
    var architecture: Architecture = .x86_64
    var pending: PendingCall?
  }

  struct PendingCall {
    var info: SyscallNameInfo
    /// The argument text printed at entry, kept only when the caller wants arguments.
    var arguments: [UInt8]?
    var entryTime: TraceTime?
    var line: Int
  }

  private struct CutLine {
    var body: [UInt8]
    var tid: Int32
    var prefixed: Bool
    var time: TraceTime?
    var line: Int
  }

  /// Reads `source` from its current position. `pid` is the task of every line when the file is one of a `-ff`
  /// set (strace prints no pid there); `fileIndex` goes into each event's origin.
  public convenience init(
    source: LineSource, options: StraceReadOptions = StraceReadOptions(), pid: Int32? = nil, fileIndex: Int32 = 0
  ) {
    self.init(input: PeekableLineSource(source), options: options, pid: pid, fileIndex: fileIndex)
  }

  /// Opens and reads `path`.
  public convenience init(
    path: String, options: StraceReadOptions = StraceReadOptions(), pid: Int32? = nil, fileIndex: Int32 = 0
  ) throws(TraceReadError) {
    self.init(source: try LineSource(path: path), options: options, pid: pid, fileIndex: fileIndex)
  }

  init(input: PeekableLineSource, options: StraceReadOptions, pid: Int32?, fileIndex: Int32) {
    self.input = input
    self.options = options
    self.filePID = pid
    self.fileIndex = fileIndex
    self.names = SyscallNameCache(parseArguments: options.parseArguments)
  }

  static let summaryReason =
    "this is an strace -c summary (a table of syscall counts), not a trace: record with strace -f -tt -T -o FILE"

  public var progress: (consumed: Int64, total: Int64?) { (input.source.consumed, input.source.totalSize) }

  public func drainWarnings() -> [InputWarning] {
    defer { warnings.removeAll() }
    return warnings
  }

  public func next() throws(TraceReadError) -> TraceEvent? {
    let event: TraceEvent
    if let ahead = readAhead.take() {
      event = ahead
    } else {
      guard let read = try nextEvent() else { return nil }
      event = read
    }
    guard sawStackLines, case .syscall(let call) = event.body, Self.recordsCreatorStack(call.name) else { return event }
    waitingForStack = event
    stackLinesGoToWaiting = true
    defer { stackLinesGoToWaiting = false }
    readAhead = try nextEvent()
    return waitingForStack.take() ?? event
  }

  static func recordsCreatorStack(_ name: String) -> Bool {
    name == "clone3" || name == "clone" || name == "fork" || name == "vfork"
  }

  private func nextEvent() throws(TraceReadError) -> TraceEvent? {
    while true {
      if let event = ready.take() { return event }
      if queueHead < queue.count {
        let event = queue[queueHead]
        queueHead += 1
        if queueHead == queue.count {
          queue.removeAll(keepingCapacity: true)
          queueHead = 0
        }
        return event
      }
      if finished { return nil }
      let outcome: FastOutcome? = try input.withNextLine { line in
        if input.source.overlongLines.count > overlongLinesReported { reportOverlongLines() }
        // Only the lines right after a creation are its stack.
        if stackLinesGoToWaiting, !(line.count > 3 && line[0] == ASCII.space && line.has(" > ", at: 0)) {
          stackLinesGoToWaiting = false
        }
        let outcome = fastLine(line)
        if case .fallBack = outcome { process(line) }
        return outcome
      }
      if case .event? = outcome, let event = ready.take() {
        sawEvent = true
        return event
      }
      if input.source.overlongLines.count > overlongLinesReported { reportOverlongLines() }
      if let error = pendingError {
        pendingError = nil
        finished = true
        throw error
      }
      if outcome == nil || finished { finish() }
    }
  }

  // MARK: The common lines

  /// The call of the last event the fast path made, kept to be refilled for the next: once the consumer has
  /// dropped that event this is the only reference, and `refill` reuses its box and argument array in place.
  @exclusivity(unchecked) private var recycled: SyscallEvent?

  /// `info` is read in place (`SyscallNameCache.find`).
  @inline(__always)
  private func recycledCall(
    _ info: UnsafePointer<SyscallNameInfo>, _ tail: StraceCallTail, _ line: Bytes,
    completeness: SyscallEvent.Completeness, entryTime: TraceTime?
  ) -> SyscallEvent {
    var call = recycled.take() ?? SyscallEvent(name: info.pointee.name)
    let (code, value, annotation) = tail.storedResult(line)
    call.refill(
      name: info.pointee.name, number: info.pointee.number, architecture: info.pointee.architecture,
      completeness: completeness, entryTime: entryTime, durationMicroseconds: tail.duration, result: code, value,
      annotation: annotation)
    return call
  }

  /// Puts the fast path's event in `ready`, which is empty then (`nextEvent` takes it before reading a line).
  /// An assignment would first destroy the old `TraceEvent?`, and that destroy goes through the runtime's
  /// generic enum witnesses even for nil (measured: about 2% of reading a Java log); initializing the empty
  /// slot in place has nothing to destroy.
  @inline(__always)
  private func fill(_ event: consuming TraceEvent) {
    assert(ready == nil, "the fast path's slot is taken before each line")
    withUnsafeMutablePointer(to: &ready) { $0.initialize(to: event) }
  }

  private enum FastOutcome {
    /// The line made one event, which is in `ready` (moved there and out, never copied: a copy of an event is
    /// a retain and a release of its call).
    case event
    /// The line was read and made no event (a call left unfinished).
    case consumed
    /// Not a common line: `process` reads it. Nothing was changed that `process` would not change the same way.
    case fallBack
  }

  /// The lines that make up nearly all of a log — a call with its result, a call left `<unfinished ...>`, the
  /// resume of the call its task has in flight — read straight into the one event they make, with no stop in
  /// `ready` or `queue`. Anything else, or any doubt, falls back to `process`, which handles every line.
  ///
  /// The clock (`resolveTime`) changes state, so it runs only once the line is known to be taken here.
  @inline(__always)
  private func fastLine(_ line: Bytes) -> FastOutcome {
    guard cut == nil, !holding else { return .fallBack }
    let end = line.count
    let prefix = StraceLinePrefix.parse(line)
    let body = prefix.bodyStart
    guard body < end else { return .fallBack }
    // Without `holding`, `taskID` gives the prefix's pid, the `-ff` file's, or the owner's; with none known it
    // would start holding: the general path does that.
    let tid: Int32
    if let pid = prefix.pid {
      tid = pid
    } else if let filePID {
      tid = filePID
    } else if let owner {
      tid = owner
    } else {
      return .fallBack
    }
    let first = line[body]
    if ASCII.isIdentifierStart(first) {
      var nameEnd = body + 1
      while nameEnd < end, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
      // `strace: …` and `Process …` lines are identifiers followed by something else than `(`.
      guard nameEnd < end, line[nameEnd] == ASCII.openParen else { return .fallBack }
      return fastCall(line, prefix, tid: tid, name: body, nameEnd: nameEnd)
    }
    if first == ASCII.less, line.has("<... ", at: body) {
      return fastResumed(line, prefix, tid: tid, body: body)
    }
    return .fallBack
  }

  /// `NAME(ARGS) = RESULT` or `NAME(ARGS <unfinished ...>` of a task with no call in flight: as `processCall`.
  @inline(__always)
  private func fastCall(_ line: Bytes, _ prefix: StraceLinePrefix, tid: Int32, name: Int, nameEnd: Int) -> FastOutcome {
    let slot = tasks.slot(inserting: tid) { TaskState() }
    // A call left open before this one is emitted first: two events, for the general path.
    guard tasks[slot: slot].pending == nil else { return .fallBack }
    let info = names.find(line, from: name, to: nameEnd, architecture: tasks[slot: slot].architecture)
    let argumentsStart = nameEnd + 1
    let tail = StraceCallTail.parse(
      line, from: argumentsStart, to: line.count, wantAnnotation: info.pointee.parseArguments, errnos: errnos)
    let lineNumber = input.lineNumber
    switch tail.kind {
    case .complete, .diedInCall:
      let time = resolveTime(prefix)
      if info.pointee.uninterpreted, let sink = sinkReference {
        sawEvent = true
        sink._withUnsafeGuaranteedRef { $0.call(tid, time, info.pointee.isRestart) }
        return .consumed
      }
      var call = recycledCall(info, tail, line, completeness: .complete, entryTime: nil)
      if info.pointee.parseArguments {
        StraceArgumentParser.overwriteArguments(
          line, from: argumentsStart, to: tail.argumentsEnd, symbols: symbols, in: &call.arguments)
      } else {
        StraceArgumentParser.truncate(&call.arguments, to: 0)
      }
      recycled = call
      fill(
        TraceEvent(
          tid: tid, time: time, body: .syscall(call), origin: TraceEvent.Origin(file: fileIndex, line: lineNumber)))
      return .event
    case .unfinished:
      let time = resolveTime(prefix)
      var text: [UInt8]?
      if info.pointee.parseArguments {
        var kept = spareTexts.popLast() ?? []
        kept.append(contentsOf: UnsafeBufferPointer(rebasing: line[argumentsStart..<tail.argumentsEnd]))
        text = kept
      }
      tasks[slot: slot].pending = PendingCall(
        info: info.pointee, arguments: text, entryTime: time, line: lineNumber)
      return .consumed
    case .detached, .pidChanged, .incomplete:
      return .fallBack
    }
  }

  /// `<... NAME resumed>REST) = RESULT` closing the task's call in flight (or with none in flight, the exit half
  /// of a call whose start the log lacks): as `processResumed`.
  @inline(__always)
  private func fastResumed(_ line: Bytes, _ prefix: StraceLinePrefix, tid: Int32, body: Int) -> FastOutcome {
    let end = line.count
    let nameStart = body + 5
    var nameEnd = nameStart
    while nameEnd < end, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
    guard nameEnd > nameStart, line.has(" resumed>", at: nameEnd) else { return .fallBack }
    let restStart = nameEnd + 9
    let slot = tasks.slot(inserting: tid) { TaskState() }
    // Moved out of the table, not copied (reading fields of it in place copied it whole, with a retain of its
    // argument text), and put back when the line falls back.
    var pending = tasks[slot: slot].pending.take()
    let architecture = pending?.info.architecture ?? tasks[slot: slot].architecture
    let info = names.find(line, from: nameStart, to: nameEnd, architecture: architecture)
    let tail = StraceCallTail.parse(
      line, from: restStart, to: end, wantAnnotation: info.pointee.parseArguments, errnos: errnos)
    // (Another call than the one in flight: strace lost track; two events, for the general path.)
    guard tail.kind == .complete || tail.kind == .diedInCall, pending == nil || pending?.info.name == info.pointee.name
    else {
      tasks[slot: slot].pending = pending
      return .fallBack
    }
    let time = resolveTime(prefix)
    if info.pointee.uninterpreted, let sink = sinkReference {
      sawEvent = true
      sink._withUnsafeGuaranteedRef { $0.call(tid, time, pending == nil || info.pointee.isRestart) }
      return .consumed
    }
    var call = recycledCall(
      info, tail, line, completeness: pending == nil ? .exitOnly : .complete, entryTime: pending?.entryTime)
    if info.pointee.parseArguments {
      var entry = pending?.arguments.take()
      overwriteJoinedArguments(entry, line, from: restStart, to: tail.argumentsEnd, in: &call.arguments)
      // Moved out of `entry`, so that emptying it keeps its buffer rather than allocating another.
      if var spare = entry.take(), spare.capacity <= 4096, spareTexts.count < 64 {
        spare.removeAll(keepingCapacity: true)
        spareTexts.append(spare)
      }
    } else {
      StraceArgumentParser.truncate(&call.arguments, to: 0)
    }
    recycled = call
    let origin = TraceEvent.Origin(file: fileIndex, line: pending?.line ?? input.lineNumber)
    fill(TraceEvent(tid: tid, time: time, body: .syscall(call), origin: origin))
    return .event
  }

  // MARK: Lines

  private func process(_ line: Bytes) {
    let lineNumber = input.lineNumber
    let end = line.count
    if let pendingCut = cut, !line.has("strace: ", at: 0) {
      // (Another strace message on a line of its own may come before the rest: the cut stays open.)
      cut = nil
      if end > 0, (line[0] == ASCII.space && !line.has(" > ", at: 0)) || line[0] == ASCII.closeParen
        || line[0] == ASCII.comma
      {
        // strace resumes the interrupted line after its message: ` => {parent_tid=[29220]}, 88) = 29220`.
        var joined = pendingCut.body
        joined.append(contentsOf: line)
        joined.withUnsafeBufferPointer { joinedLine in
          processBody(
            joinedLine, from: 0, tid: pendingCut.tid, prefixed: pendingCut.prefixed, time: pendingCut.time,
            line: pendingCut.line)
        }
        return
      }
      // The rest never came (another task's line is next): the call is in flight.
      var joined = pendingCut.body
      joined.append(contentsOf: " <unfinished ...>".utf8)
      joined.withUnsafeBufferPointer { joinedLine in
        processBody(
          joinedLine, from: 0, tid: pendingCut.tid, prefixed: pendingCut.prefixed, time: pendingCut.time,
          line: pendingCut.line)
      }
    }
    guard end > 0 else { return }
    // `-k`: the caller's stack after each event, ` > /usr/lib/…/libc.so.6(syscall+0x19) [0x101829]`.
    if line[0] == ASCII.space, line.has(" > ", at: 0) {
      sawStackLines = true
      if stackLinesGoToWaiting, case .syscall(var call)? = waitingForStack?.body,
        (call.stack?.count ?? 0) < Self.maximumStackLines, let frame = StraceStackLine.frame(line)
      {
        call.stack = (call.stack ?? []) + [frame]
        waitingForStack?.body = .syscall(call)
      }
      return
    }
    let prefix = StraceLinePrefix.parse(line)
    let body = prefix.bodyStart
    guard body < end else {
      if prefix.pid != nil || !isBlank(line) { warn(lineNumber, "nothing after the line's prefix", line, 0, end) }
      return
    }
    let time = resolveTime(prefix)
    if line[body] == ASCII.percent, line.has("% time", at: body) {
      if sawEvent {
        // `strace -C` appends the `-c` table after the trace: the trace is over.
        finished = true
      } else {
        pendingError = TraceReadError(
          .straceSummary, file: input.name, line: lineNumber,
          reason: Self.summaryReason)
      }
      return
    }
    let tid = taskID(prefixed: prefix.pid)
    processBody(line, from: body, tid: tid, prefixed: prefix.pid != nil, time: time, line: lineNumber)
  }

  /// Everything after the prefix: a call, a resumed call, an exit or signal line, a personality switch, or a
  /// message of strace itself.
  private func processBody(_ line: Bytes, from body: Int, tid: Int32, prefixed: Bool, time: TraceTime?, line lineNumber: Int) {
    let end = line.count
    let first = line[body]
    var outcome = Outcome.done
    switch first {
    case ASCII.plus where line.has("+++ ", at: body):
      processExit(line, from: body + 4, to: end, tid: tid, time: time, line: lineNumber)
    case ASCII.minus where line.has("--- ", at: body):
      processSignal(line, from: body + 4, to: end, tid: tid, time: time, line: lineNumber)
    case ASCII.less where line.has("<... ", at: body):
      outcome = processResumed(line, from: body, to: end, tid: tid, prefixed: prefixed, time: time, line: lineNumber)
    case ASCII.openBracket where line.has("[ Process PID=", at: body):
      processPersonality(line, from: body + 14, to: end, prefixed: prefixed, time: time, line: lineNumber)
    case UInt8(ascii: "s") where line.has("strace: ", at: body):
      processMessage(line, from: body + 8, to: end, tid: prefixed ? tid : 0, time: time, line: lineNumber)
    case UInt8(ascii: "P") where line.has("Process ", at: body):
      processMessage(line, from: body, to: end, tid: prefixed ? tid : 0, time: time, line: lineNumber)
    case _ where ASCII.isIdentifierStart(first):
      var nameEnd = body
      while nameEnd < end, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
      if nameEnd < end, line[nameEnd] == ASCII.openParen {
        outcome = processCall(
          line, name: body, nameEnd: nameEnd, to: end, tid: tid, prefixed: prefixed, time: time, line: lineNumber)
      } else {
        warn(lineNumber, "not an strace line", line, body, end)
      }
    default:
      warn(lineNumber, "not an strace line", line, body, end)
    }
    guard outcome == .incomplete else { return }
    // strace's own message printed into the middle of a call (tracing to stderr): split it off and wait for the
    // rest of the call on the next line.
    if let message = line.lastIndex(of: "strace: ", from: body + 1, to: end) {
      processMessage(line, from: message + 8, to: end, tid: 0, time: time, line: lineNumber)
      cut = CutLine(body: Array(line[body..<message]), tid: tid, prefixed: prefixed, time: time, line: lineNumber)
      return
    }
    let reason =
      input.lastLineWasUnterminated
      ? "last line is cut short (strace was killed?); kept as an unfinished call"
      : "call without a result; kept as an unfinished call"
    warn(lineNumber, reason, line, body, end)
    // Keep what there is, as if strace had printed ` <unfinished ...>` and the task then vanished.
    var joined = Array(line[body..<end])
    joined.append(contentsOf: " <unfinished ...>".utf8)
    joined.withUnsafeBufferPointer { joinedLine in
      processBody(joinedLine, from: 0, tid: tid, prefixed: prefixed, time: time, line: lineNumber)
    }
    if let pending = takePending(tid) { emitEntryOnly(pending, tid: tid) }
  }

  private enum Outcome { case done, incomplete }

  // MARK: Calls

  private func processCall(
    _ line: Bytes, name: Int, nameEnd: Int, to end: Int, tid: Int32, prefixed: Bool, time: TraceTime?,
    line lineNumber: Int
  ) -> Outcome {
    let (architecture, previous) = enter(tid)
    let info = names.lookup(line, from: name, to: nameEnd, architecture: architecture)
    let argumentsStart = nameEnd + 1
    let tail = StraceCallTail.parse(
      line, from: argumentsStart, to: end, wantAnnotation: info.parseArguments, errnos: errnos)
    if tail.kind == .incomplete {
      if let previous { restorePending(previous, tid: tid) }
      return .incomplete
    }
    // At most one call is in flight per task: one left open was lost (its task went on without strace
    // printing its end).
    if let previous { emitEntryOnly(previous, tid: tid) }
    let origin = TraceEvent.Origin(file: fileIndex, line: lineNumber)
    let argumentsEnd = tail.argumentsEnd
    switch tail.kind {
    case .complete:
      let arguments =
        info.parseArguments ? StraceArgumentParser.parseArguments(line, from: argumentsStart, to: argumentsEnd, symbols: symbols) : []
      let result = tail.result(line)
      emitCall(tid, time, origin, info, arguments, result, .complete, entryTime: nil, tail.duration)
      if holding, !prefixed { learnFromResult(info, result) }
      if holding { noteChild(info, result) }
    case .diedInCall:
      let arguments =
        info.parseArguments ? StraceArgumentParser.parseArguments(line, from: argumentsStart, to: argumentsEnd, symbols: symbols) : []
      emitCall(tid, time, origin, info, arguments, .noReturn, .complete, entryTime: nil, tail.duration)
    case .unfinished:
      let text = info.parseArguments ? Array(line[argumentsStart..<argumentsEnd]) : nil
      setPending(PendingCall(info: info, arguments: text, entryTime: time, line: lineNumber), tid: tid)
    case .detached:
      let text = info.parseArguments ? Array(line[argumentsStart..<argumentsEnd]) : nil
      emitEntryOnly(PendingCall(info: info, arguments: text, entryTime: time, line: lineNumber), tid: tid)
    case .pidChanged:
      let text = info.parseArguments ? Array(line[argumentsStart..<argumentsEnd]) : nil
      let call = PendingCall(info: info, arguments: text, entryTime: time, line: lineNumber)
      changePID(of: call, from: tid, to: tail.newPID)
    case .incomplete:
      break
    }
    return .done
  }

  /// `<... NAME resumed>REST`: the second half of a call whose first half is pending on the same task.
  private func processResumed(
    _ line: Bytes, from body: Int, to end: Int, tid: Int32, prefixed: Bool, time: TraceTime?, line lineNumber: Int
  ) -> Outcome {
    let nameStart = body + 5
    var nameEnd = nameStart
    while nameEnd < end, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
    guard nameEnd > nameStart, line.has(" resumed>", at: nameEnd) else {
      warn(lineNumber, "malformed resumed line", line, body, end)
      return .done
    }
    let restStart = nameEnd + 9
    let (architecture, found) = enter(tid)
    let info = names.lookup(line, from: nameStart, to: nameEnd, architecture: found?.info.architecture ?? architecture)
    let tail = StraceCallTail.parse(line, from: restStart, to: end, wantAnnotation: info.parseArguments, errnos: errnos)
    if tail.kind == .incomplete {
      if let found { restorePending(found, tid: tid) }
      return .incomplete
    }
    var pending = found
    if let open = pending, open.info.name != info.name {
      // Another call than the one in flight: strace lost track (or the log was cut); keep both halves apart.
      emitEntryOnly(open, tid: tid)
      pending = nil
    }
    let origin = TraceEvent.Origin(file: fileIndex, line: pending?.line ?? lineNumber)
    let completeness: SyscallEvent.Completeness = pending == nil ? .exitOnly : .complete
    let argumentsEnd = tail.argumentsEnd
    switch tail.kind {
    case .complete:
      let arguments = joinedArguments(pending, line, from: restStart, to: argumentsEnd, parse: info.parseArguments)
      let result = tail.result(line)
      emitCall(tid, time, origin, info, arguments, result, completeness, entryTime: pending?.entryTime, tail.duration)
      if holding, !prefixed { learnFromResult(info, result) }
      if holding { noteChild(info, result) }
    case .diedInCall:
      let arguments = joinedArguments(pending, line, from: restStart, to: argumentsEnd, parse: info.parseArguments)
      emitCall(
        tid, time, origin, info, arguments, .noReturn, completeness, entryTime: pending?.entryTime, tail.duration)
    case .unfinished, .detached, .pidChanged:
      var call = pending ?? PendingCall(info: info, arguments: nil, entryTime: time, line: lineNumber)
      if info.parseArguments {
        call.arguments = (call.arguments ?? []) + Array(line[restStart..<argumentsEnd])
      }
      switch tail.kind {
      case .unfinished: setPending(call, tid: tid)
      case .pidChanged: changePID(of: call, from: tid, to: tail.newPID)
      default: emitEntryOnly(call, tid: tid)
      }
    case .incomplete:
      break
    }
    return .done
  }

  private func joinedArguments(_ pending: PendingCall?, _ line: Bytes, from start: Int, to end: Int, parse: Bool)
    -> [Argument]
  {
    guard parse else { return [] }
    var arguments: [Argument] = []
    overwriteJoinedArguments(pending?.arguments, line, from: start, to: end, in: &arguments)
    return arguments
  }

  /// The arguments of a call split across lines (the text kept at entry and the rest on the resume line), put
  /// over those in `arguments` as `StraceArgumentParser.overwriteArguments` does.
  private func overwriteJoinedArguments(
    _ entry: [UInt8]?, _ line: Bytes, from start: Int, to end: Int, in arguments: inout [Argument]
  ) {
    guard let entry, !entry.isEmpty else {
      StraceArgumentParser.overwriteArguments(line, from: start, to: end, symbols: symbols, in: &arguments)
      return
    }
    // Parsed once, joined: `SIG_SETMASK, [], ` + `NULL, 8`, or `{flags=…}` + ` => {parent_tid=[7]}, 88`. The
    // join is made in a buffer kept for it, so it costs no allocation.
    let rest = end - start
    let length = entry.count + rest
    if joinBuffer.count < length {
      joinBuffer.deallocate()
      joinBuffer = .allocate(capacity: max(length, 256))
    }
    let base = joinBuffer.baseAddress!
    entry.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: $0.count) }
    if rest > 0 { (base + entry.count).update(from: line.baseAddress! + start, count: rest) }
    let joined = UnsafeBufferPointer(start: base, count: length)
    StraceArgumentParser.overwriteArguments(joined, from: 0, to: length, symbols: symbols, in: &arguments)
    // A call's whole argument text can be as long as a line: do not keep a huge buffer for the rest of the run.
    if joinBuffer.count > 1 << 16 {
      joinBuffer.deallocate()
      joinBuffer = .allocate(capacity: 256)
    }
  }

  /// Emptied buffers of argument text kept at entry, for the next calls left unfinished: most of a thread-heavy
  /// log's calls are split, and each kept its text in a new allocation.
  @exclusivity(unchecked) private var spareTexts: [[UInt8]] = []

  /// Where the two halves of a split call's arguments are joined to be parsed: memory the reader manages
  /// itself, as an array it was retained and released (twice) for every split call.
  @exclusivity(unchecked) private var joinBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)

  deinit { joinBuffer.deallocate() }

  /// A non-leader's execve took the leader's pid. In one file (`-f`) the leader's `<... execve resumed>` closes
  /// it; in a `-ff` file the rest is in the leader's file, so the entry goes out now for the merger to join.
  private func changePID(of call: PendingCall, from tid: Int32, to newPID: Int32) {
    if filePID != nil {
      pidChanges[call.line] = newPID
      emitEntryOnly(call, tid: tid)
      return
    }
    let architecture = tasks.removeValue(forKey: tid)?.architecture ?? .x86_64
    if let open = takePending(newPID) { emitEntryOnly(open, tid: newPID) }
    tasks[newPID, default: TaskState(architecture: architecture)].pending = call
  }

  // MARK: Exits, signals, messages

  private func processExit(_ line: Bytes, from start: Int, to end: Int, tid: Int32, time: TraceTime?, line lineNumber: Int) {
    let origin = TraceEvent.Origin(file: fileIndex, line: lineNumber)
    if line.has("exited with ", at: start) {
      let number = line.skipSpaces(from: start + 12, to: end)
      let negative = number < end && line[number] == ASCII.minus
      guard let (code, _) = line.decimal(at: negative ? number + 1 : number, to: end) else {
        warn(lineNumber, "malformed exit line", line, start - 4, end)
        return
      }
      endTask(tid)
      let value = Int32(truncatingIfNeeded: code)
      emit(TraceEvent(tid: tid, time: time, body: .exited(code: negative ? -value : value), origin: origin))
      taskEnded(tid)
    } else if line.has("killed by ", at: start) {
      let nameStart = start + 10
      var nameEnd = nameStart
      while nameEnd < end, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
      guard let signal = signalNumber(line, from: nameStart, to: nameEnd) else {
        warn(lineNumber, "unknown signal in kill line", line, start - 4, end)
        return
      }
      let cored = line.firstIndex(of: "(core dumped)", from: nameEnd, to: end) != nil
      endTask(tid)
      emit(TraceEvent(tid: tid, time: time, body: .killed(signal: signal, coreDumped: cored), origin: origin))
      taskEnded(tid)
    } else if line.has("superseded by execve in pid ", at: start) {
      guard let (former, _) = line.decimal(at: start + 28, to: end) else {
        warn(lineNumber, "malformed exec line", line, start - 4, end)
        return
      }
      let formerTID = Int32(truncatingIfNeeded: former)
      // The leader's own call never returns: the exec tore it down.
      if let open = takePending(tid) { emitEntryOnly(open, tid: tid) }
      if formerTID != tid, let thread = tasks.removeValue(forKey: formerTID) {
        // The exec'ing thread's execve continues as the leader's: its `<... execve resumed>` comes under this tid.
        tasks[tid, default: TaskState()].architecture = thread.architecture
        if let call = thread.pending { tasks[tid, default: TaskState()].pending = call }
      }
      if owner == formerTID { owner = tid }
      emit(TraceEvent(tid: tid, time: time, body: .execTookOver(formerTID: formerTID), origin: origin))
    } else {
      warn(lineNumber, "unknown +++ line", line, start - 4, end)
    }
  }

  private func processSignal(_ line: Bytes, from start: Int, to end: Int, tid: Int32, time: TraceTime?, line lineNumber: Int) {
    let origin = TraceEvent.Origin(file: fileIndex, line: lineNumber)
    var close = line.trimSpaces(before: end, from: start)
    if line.hasSuffix("---", before: close) { close = line.trimSpaces(before: close - 3, from: start) }
    if line.has("stopped by ", at: start) {
      let nameStart = start + 11
      var nameEnd = nameStart
      while nameEnd < end, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
      guard let signal = signalNumber(line, from: nameStart, to: nameEnd) else {
        warn(lineNumber, "unknown signal in stop line", line, start - 4, end)
        return
      }
      emit(TraceEvent(tid: tid, time: time, body: .groupStop(signal: signal), origin: origin))
      return
    }
    var nameEnd = start
    while nameEnd < end, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
    guard let signal = signalNumber(line, from: start, to: nameEnd) else {
      warn(lineNumber, "unknown signal", line, start - 4, end)
      return
    }
    var event = SignalEvent(signal: signal)
    let detailsStart = line.skipSpaces(from: nameEnd, to: close)
    if detailsStart < close {
      event.details = line.string(detailsStart, close)
      if let code = line.firstIndex(of: "si_code=", from: detailsStart, to: close) {
        var codeEnd = code + 8
        while codeEnd < close, line[codeEnd] != ASCII.comma, line[codeEnd] != ASCII.closeBrace { codeEnd += 1 }
        event.code = line.string(code + 8, codeEnd)
      }
      if let pid = line.firstIndex(of: "si_pid=", from: detailsStart, to: close),
        let (value, _) = line.decimal(at: pid + 7, to: close)
      {
        event.senderPID = Int32(truncatingIfNeeded: value)
      }
    }
    emit(TraceEvent(tid: tid, time: time, body: .signal(event), origin: origin))
  }

  /// `[ Process PID=11325 runs in 32 bit mode. ]`: the task now makes i386 syscalls (`int 0x80`).
  private func processPersonality(
    _ line: Bytes, from start: Int, to end: Int, prefixed: Bool, time: TraceTime?, line lineNumber: Int
  ) {
    guard let (pidValue, after) = line.decimal(at: start, to: end) else {
      warn(lineNumber, "malformed personality line", line, start - 14, end)
      return
    }
    let pid = Int32(truncatingIfNeeded: pidValue)
    // strace announces the switch of the task it is printing: unprefixed, that is the unprefixed task.
    if !prefixed, filePID == nil, owner == nil { learnOwner(pid) }
    let architecture: Architecture
    if line.has(" runs in 32 bit mode", at: after) {
      architecture = .i386
    } else if line.has(" runs in 64 bit mode", at: after) {
      architecture = .x86_64
    } else {
      // x32 (or a future ABI) has no table here; keep the note.
      emit(TraceEvent(tid: pid, time: time, body: .tracerMessage(line.string(start - 14, end)), origin: origin(lineNumber)))
      return
    }
    tasks[pid, default: TaskState()].architecture = architecture
    emit(TraceEvent(tid: pid, time: time, body: .personality(architecture), origin: origin(lineNumber)))
  }

  /// strace's own messages: `Process N attached`, `Process N detached`, and anything else kept as text.
  private func processMessage(_ line: Bytes, from start: Int, to end: Int, tid: Int32, time: TraceTime?, line lineNumber: Int) {
    if line.has("Process ", at: start), let (pidValue, after) = line.decimal(at: start + 8, to: end) {
      let pid = Int32(truncatingIfNeeded: pidValue)
      if line.has(" attached", at: after) {
        if owner == nil, filePID == nil, !sawEvent, !holding {
          owner = pid  // `strace -p N`: the attached task is the one whose lines have no prefix
        } else if holding || owner == nil {
          announcedChildren.insert(pid)
        }
        emit(TraceEvent(tid: pid, time: time, body: .attached, origin: origin(lineNumber)))
        return
      }
      if line.has(" detached", at: after) {
        emit(TraceEvent(tid: pid, time: time, body: .detached, origin: origin(lineNumber)))
        return
      }
    }
    emit(TraceEvent(tid: tid, time: time, body: .tracerMessage(line.string(start, end)), origin: origin(lineNumber)))
  }

  private func signalNumber(_ line: Bytes, from start: Int, to end: Int) -> Int32? {
    guard end > start else { return nil }
    return StraceSymbols.signal(named: Substring(line.string(start, end)))
  }

  // MARK: Tasks

  /// Marks `tid` live and takes the call it has in flight, in one hash lookup.
  @inline(__always) private func enter(_ tid: Int32) -> (Architecture, PendingCall?) {
    let slot = tasks.slot(inserting: tid) { TaskState() }
    return Self.takeAndRead(&tasks[slot: slot])
  }

  @inline(__always) private static func takeAndRead(_ state: inout TaskState) -> (Architecture, PendingCall?) {
    let pending = state.pending
    if pending != nil { state.pending = nil }
    return (state.architecture, pending)
  }

  private func takePending(_ tid: Int32) -> PendingCall? {
    guard tasks[tid]?.pending != nil else { return nil }
    let pending = tasks[tid]?.pending
    tasks[tid]?.pending = nil
    return pending
  }

  private func setPending(_ call: PendingCall, tid: Int32) {
    tasks[tid, default: TaskState()].pending = call
  }

  private func restorePending(_ call: PendingCall, tid: Int32) {
    tasks[tid, default: TaskState()].pending = call
  }

  /// The task's `+++` line: a call still open never returned.
  private func endTask(_ tid: Int32) {
    if let open = takePending(tid) { emitEntryOnly(open, tid: tid) }
  }

  private func taskEnded(_ tid: Int32) {
    tasks.removeValue(forKey: tid)
    announcedChildren.remove(tid)
    // strace drops the `[pid N]` prefix again once one task is left: its lines are then unprefixed.
    if filePID == nil, !holding, tasks.count == 1, let survivor = tasks.keysPresent.first { owner = survivor }
  }

  /// The task of a line: its prefix, the `-ff` file's pid, or the one task whose lines have no prefix.
  @inline(__always) private func taskID(prefixed pid: Int32?) -> Int32 {
    if let pid {
      if holding, !announcedChildren.contains(pid), tasks[pid] == nil { learnOwner(pid) }
      return pid
    }
    if let filePID { return filePID }
    if let owner { return owner }
    holding = true
    return Self.unknownOwner
  }

  /// `set_tid_address` returns the caller's tid, `gettid`/`getpid` the obvious: the unprefixed task's pid.
  private func learnFromResult(_ info: SyscallNameInfo, _ result: SyscallResult) {
    guard owner == nil, let value = result.value, value > 0, value <= Int64(Int32.max) else { return }
    switch info.name {
    case "set_tid_address", "gettid", "getpid": learnOwner(Int32(value))
    default: break
    }
  }

  private func noteChild(_ info: SyscallNameInfo, _ result: SyscallResult) {
    guard let value = result.value, value > 0, value <= Int64(Int32.max) else { return }
    switch info.name {
    case "clone", "clone3", "fork", "vfork": announcedChildren.insert(Int32(value))
    default: break
    }
  }

  private func learnOwner(_ pid: Int32) {
    owner = pid
    release(as: pid)
  }

  private func release(as pid: Int32) {
    holding = false
    announcedChildren.removeAll()
    if let state = tasks.removeValue(forKey: Self.unknownOwner) {
      if let existing = tasks[pid] {
        var merged = existing
        merged.pending = state.pending ?? existing.pending
        tasks[pid] = merged
      } else {
        tasks[pid] = state
      }
    }
    if cut?.tid == Self.unknownOwner { cut?.tid = pid }
    for var event in held {
      if event.tid == Self.unknownOwner { event.tid = pid }
      if ready == nil && queueHead == queue.count { ready = event } else { queue.append(event) }
    }
    held.removeAll()
  }

  private func giveUpOnOwner(line: Int, reason: String) {
    owner = 0
    warn(line, reason)
    release(as: 0)
  }

  // MARK: Output

  @inline(__always) private func emit(_ event: TraceEvent) {
    sawEvent = true
    if holding {
      held.append(event)
      if held.count > options.unknownPIDHoldLimit {
        giveUpOnOwner(
          line: input.lineNumber,
          reason: "the pid of the unprefixed lines is not known after \(options.unknownPIDHoldLimit) events "
            + "(strace -f to stderr prints no pid while one task lives); using tid 0")
      }
    } else if ready == nil && queueHead == queue.count {
      ready = event
    } else {
      queue.append(event)
    }
  }

  @inline(__always) private func emitCall(
    _ tid: Int32, _ time: TraceTime?, _ origin: TraceEvent.Origin, _ info: SyscallNameInfo, _ arguments: [Argument],
    _ result: SyscallResult?, _ completeness: SyscallEvent.Completeness, entryTime: TraceTime?, _ duration: Int64?
  ) {
    let call = SyscallEvent(
      name: info.name, number: info.number, architecture: info.architecture, arguments: arguments, result: result,
      completeness: completeness, entryTime: entryTime, durationMicroseconds: duration)
    emit(TraceEvent(tid: tid, time: time, body: .syscall(call), origin: origin))
  }

  private func emitEntryOnly(_ call: PendingCall, tid: Int32) {
    let arguments =
      call.arguments.map { text in
        text.withUnsafeBufferPointer { StraceArgumentParser.parseArguments($0, from: 0, to: $0.count, symbols: symbols) }
      } ?? []
    emitCall(
      tid, call.entryTime, TraceEvent.Origin(file: fileIndex, line: call.line), call.info, arguments, nil, .entryOnly,
      entryTime: nil, nil)
  }

  private func origin(_ line: Int) -> TraceEvent.Origin { TraceEvent.Origin(file: fileIndex, line: line) }

  private func finish() {
    finished = true
    if let pendingCut = cut {
      cut = nil
      var joined = pendingCut.body
      joined.append(contentsOf: " <unfinished ...>".utf8)
      joined.withUnsafeBufferPointer { joinedLine in
        processBody(
          joinedLine, from: 0, tid: pendingCut.tid, prefixed: pendingCut.prefixed, time: pendingCut.time,
          line: pendingCut.line)
      }
    }
    // Calls still open at the end never returned in the log: emit their entries, oldest first.
    let open = tasks.entries.compactMap { tid, state in state.pending.map { (tid, $0) } }.sorted { $0.1.line < $1.1.line }
    for (tid, call) in open {
      tasks[tid]?.pending = nil
      emitEntryOnly(call, tid: tid)
    }
    if holding, !held.contains(where: { $0.tid == Self.unknownOwner }) {
      release(as: 0)  // only lines that were no events had no pid
    } else if holding {
      giveUpOnOwner(
        line: input.lineNumber,
        reason: "the pid of the unprefixed lines is never printed nor returned by set_tid_address/getpid/gettid; "
          + "using tid 0")
    }
    if warningCount > options.warningLimit {
      warnings.append(
        InputWarning(
          file: input.name, line: input.lineNumber,
          reason: "\(warningCount - options.warningLimit) more warnings not shown"))
    }
  }

  // MARK: Time

  private func resolveTime(_ prefix: StraceLinePrefix) -> TraceTime? {
    switch prefix.stamp {
    case .none:
      return nil
    case .timeOfDay(let micros):
      // -t/-tt print the wall clock's time of day: a step back of hours is the next day.
      if lastTimeOfDay >= 0, micros + 3_600_000_000 < lastTimeOfDay { dayOffset += 86_400_000_000 }
      lastTimeOfDay = micros
      if !clockKnown { setClock(.timeOfDay) }
      if let delta = prefix.relativeToo {
        // -t -r: whole seconds of day plus a microsecond delta; the sum of deltas keeps the fractions.
        relativeSum += delta
        if firstTimeOfDay == nil { firstTimeOfDay = micros + dayOffset }
        return TraceTime(microseconds: firstTimeOfDay! + relativeSum)
      }
      return TraceTime(microseconds: micros + dayOffset)
    case .epoch(let micros):
      if !clockKnown {
        setClock(.epoch)
        header.startTime = TraceTime(microseconds: micros)
      }
      return TraceTime(microseconds: micros)
    case .relative(let delta):
      if !clockKnown { setClock(.relative) }
      relativeSum += delta
      return TraceTime(microseconds: relativeSum)
    }
  }

  private func setClock(_ clock: TraceClock) {
    clockKnown = true
    header.clock = clock
  }

  // MARK: Warnings

  private func warn(_ line: Int, _ reason: String, _ bytes: Bytes, _ from: Int, _ to: Int) {
    warn(line, "\(reason): \(StraceExcerpt.make(bytes, from: from, to: to))")
  }

  private func warn(_ line: Int, _ reason: String) {
    warningCount += 1
    guard warningCount <= options.warningLimit else { return }
    warnings.append(InputWarning(file: input.name, line: line, reason: reason))
  }

  /// Lines the source dropped for their length: whatever call they held is lost, so say which.
  private func reportOverlongLines() {
    let overlong = input.source.overlongLines
    while overlongLinesReported < overlong.count {
      warn(overlong[overlongLinesReported], "line longer than \(input.source.maximumLineLength) bytes was skipped")
      overlongLinesReported += 1
    }
  }

  private func isBlank(_ line: Bytes) -> Bool {
    line.allSatisfy { $0 == ASCII.space || $0 == ASCII.tab }
  }
}

/// Short, printable excerpts of untrusted input for messages: control bytes and invalid UTF-8 escaped, so a
/// hostile log cannot drive the terminal.
enum StraceExcerpt {
  static func make(_ bytes: Bytes, from start: Int, to end: Int, limit: Int = 60) -> String {
    var out = "\""
    var index = max(0, start)
    let stop = min(end, bytes.count)
    var shown = 0
    while index < stop, shown < limit {
      let byte = bytes[index]
      if byte >= 0x20 && byte < 0x7F && byte != ASCII.quote && byte != ASCII.backslash {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        switch byte {
        case ASCII.quote: out += "\\\""
        case ASCII.backslash: out += "\\\\"
        default:
          let hex = String(byte, radix: 16)
          out += byte < 16 ? "\\x0\(hex)" : "\\x\(hex)"
        }
      }
      shown += 1
      index += 1
    }
    out += index < stop ? "\"…" : "\""
    return out
  }
}
