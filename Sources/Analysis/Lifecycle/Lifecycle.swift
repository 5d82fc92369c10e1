import SyscallDecoding
import TraceModel

/// Folds a stream of `TraceEvent`s into the story of every task: the thread story of DESIGN.md §3, as far as
/// the trace shows it. Feed events in order with `apply`, then call `finish` at the end of the input.
///
/// Memory grows with tasks (a record each) and with live address spaces, never with the number of events.
// The fold's own state is touched on every event; it is only ever used from one thread and never accessed
// overlappingly, so the runtime's dynamic exclusivity checks (about 5% of `explain --format json`) are off for it.
public final class Lifecycle {
  @exclusivity(unchecked) public private(set) var counts = Counts()

  /// Records not yet handed to the sink (all of them when there is no sink), by id.
  @exclusivity(unchecked) private var store: [Int: TaskBox] = [:]
  @exclusivity(unchecked) private var nextRecordID = 1
  /// Thread groups not yet handed to the sink (all of them when there is no sink), by id.
  @exclusivity(unchecked) private var processStore: [Int: ProcessState] = [:]
  @exclusivity(unchecked) private var nextProcessID = 1
  /// Where finished records go when the caller streams them (`nil`: keep every record for `records`).
  private let taskSink: ((TaskRecord) -> Void)?
  private let processSink: ((ProcessRecord) -> Void)?
  /// Records that can no longer change, handed to the sink at the start of the next event (the explainer
  /// still reads them for the event that finished them).
  @exclusivity(unchecked) private var finishedIDs: [Int] = []
  /// Provisional thread groups that ended, with the event count then (see `settleEndedProvisional`).
  /// (A group is there only while `ended`.)
  @exclusivity(unchecked) private var endedProvisional = EndedGroups() {
    didSet { settleDue = endedProvisional.first.map { $0.1 + Self.adoptionHorizon + 1 } ?? Int.max }
  }
  /// The event count at which the oldest ended provisional group is due to be settled: one comparison per
  /// event instead of a look (and a retain) at the array's first element.
  @exclusivity(unchecked) private var settleDue = Int.max

  /// Live tasks by current tid.
  @exclusivity(unchecked) private var live = LiveTaskTable()
  /// The latest record of every tid ever seen, live or ended, for `wait4` results and comm writes.
  @exclusivity(unchecked) private var latestRecordByTID: [Int32: Int] = [:]
  /// Tasks that appeared with no creating call yet: either present before the trace began, or children whose
  /// first stop came before the parent's clone returned. A later clone returning their tid adopts them.
  @exclusivity(unchecked) private var unclaimed: [Int32: (id: Int, process: ProcessState)] = [:]
  /// Tasks first seen before the trace showed any creation, in order of first sight, until `settleStartup`
  /// decides whether they are the threads of one attached process.
  @exclusivity(unchecked) private var startupTasks: [LiveTask] = []
  @exclusivity(unchecked) private var startupSettled = false
  /// The first record id given after `settleStartup`: a task with a record from then on was not there when the
  /// trace began.
  private var firstRecordIDAfterStartup = Int.max
  /// A thread-making clone that never returned (its creator died in it) and whose child the trace has not shown
  /// yet: see `adoptOrphan`.
  private var orphanClone: (creator: LiveTask, clone: CloneCall, call: SyscallEvent, time: TraceTime?, line: Int?)?
  /// Signs that the trace began by attaching to running tasks (`strace -p`): tasks announced as attached,
  /// and whether a task's first call was one the trace did not see start (a resume, a `restart_syscall`).
  private var attachedTIDs: Set<Int32> = []
  private var sawCallStartedBeforeTrace = false
  /// The task of the previous event (see `liveTask`), and its tid then: the task is let go whenever it ends or
  /// changes tid, so a match of the tid alone finds it, without a look two references deep into its record.
  @exclusivity(unchecked) private var lastTask: LiveTask? {
    didSet {
      lastTID = lastTask?.box.record.tid
      lastTaskReference = lastTask.map { Unmanaged.passUnretained($0) }
    }
  }
  /// `lastTask`, which keeps it alive, reached without a retain (`applyUninterpretedCall`).
  @exclusivity(unchecked) private var lastTaskReference: Unmanaged<LiveTask>?
  @exclusivity(unchecked) private var lastTID: Int32?
  /// Counts events, to order a task's last activity against other tasks' ends.
  @exclusivity(unchecked) private var eventSerial = 0

  /// Keeps every record, for `records` and `processes` (the text summary, tests).
  public init() {
    taskSink = nil
    processSink = nil
  }

  /// Streams records: each task record goes to `taskSink` once nothing can change it any more (its thread group
  /// ended and, for a process, it was reaped or its parent ended), each process record when its group ends.
  /// Memory then grows with live tasks, not with the length of the trace.
  public init(taskSink: @escaping (TaskRecord) -> Void, processSink: @escaping (ProcessRecord) -> Void) {
    self.taskSink = taskSink
    self.processSink = processSink
  }

  /// Every task record still held (every task, when there is no sink), in order of first sight.
  public var records: [TaskRecord] { store.values.map(\.record).sorted { $0.id < $1.id } }

  /// Every thread group still held (every one, when there is no sink), in order of first sight.
  public var processes: [ProcessRecord] { processStore.values.map(\.record).sorted { $0.id < $1.id } }

  /// The syscalls whose arguments the fold reads. A reader may skip parsing the arguments of every other call
  /// (they are still counted), which is what makes a large log fast to summarise.
  public static let interpretedSyscalls: Set<String> = Set(familyByName.keys)

  /// The families of calls the fold reads, looked up once per event (a `switch` over names would compare
  /// strings one by one for every uninterpreted call).
  enum Family {
    case creation, memory, registration, naming, futex, exec, exit, exitGroup, wait, signalSend
  }

  /// The family by syscall number, per ABI: an array index instead of hashing the name of every call.
  static let familyByNumber: [Architecture: [Family?]] = {
    var tables: [Architecture: [Family?]] = [:]
    for architecture in Architecture.allCases {
      tables[architecture] = SyscallTable.tableByNumber(
        familyByName.mapValues { Family?.some($0) }, in: architecture, empty: nil)
    }
    return tables
  }()
  private static let x86_64Families = familyByNumber[.x86_64]!
  private static let i386Families = familyByNumber[.i386]!

  static func family(of call: SyscallEvent) -> Family? {
    if let number = call.number, number >= 0, number < 1024 {
      // The number is the name's number in this ABI whenever the source knew both.
      return call.architecture == .x86_64 ? x86_64Families[Int(number)] : i386Families[Int(number)]
    }
    return familyByName[call.name]
  }

  static let familyByName: [String: Family] = {
    var table: [String: Family] = [:]
    for name in ["clone", "clone3", "fork", "vfork"] { table[name] = .creation }
    for name in ["mmap", "mmap2", "mprotect", "pkey_mprotect", "munmap", "madvise"] { table[name] = .memory }
    for name in ["rseq", "set_robust_list", "set_tid_address", "arch_prctl", "sched_setaffinity", "sigaltstack"] {
      table[name] = .registration
    }
    for name in ["prctl", "open", "openat", "write", "pwrite64", "close"] { table[name] = .naming }
    for name in ["futex", "futex_time64", "futex_waitv"] { table[name] = .futex }
    for name in ["execve", "execveat"] { table[name] = .exec }
    table["exit"] = .exit
    table["exit_group"] = .exitGroup
    for name in ["wait4", "waitpid", "waitid"] { table[name] = .wait }
    for name in ["kill", "tkill", "tgkill"] { table[name] = .signalSend }
    return table
  }()

  public struct Counts: Hashable, Sendable {
    /// Successful creations of each kind.
    public var threads = 0
    public var processes = 0
    public var vforks = 0
    /// Successful `execve`/`execveat`.
    public var execs = 0
    public var failedCreations = 0
    public var failedExecs = 0
    public var tasks = 0
    public var syscalls = 0
  }

  /// One thread group's lifetime: between its creation (or first sight) and its last task's end, or an exec.
  public struct ProcessRecord: Hashable, Sendable {
    public var id: Int
    public var tgid: Int32
    public var program: String?
    public var runtimes: [RuntimeFingerprint] = []
    /// Filed for a task seen before its creator's clone returned; still true only if that task was then
    /// adopted into its creator's thread group, in which case the record stands for nothing.
    public var provisional: Bool = false
  }

  /// The record of task `id`. Records named by the notes of the event just applied are always held.
  public func record(_ id: Int) -> TaskRecord {
    store[id]?.record ?? TaskRecord(id: id, tid: 0, tgid: 0, kind: .initial)
  }

  /// The live record for `tid`, if that tid is alive now.
  public func liveRecord(tid: Int32) -> TaskRecord? { live[tid]?.box.record }

  /// The most recent record for `tid`, alive or not, while it is held.
  public func latestRecord(tid: Int32) -> TaskRecord? {
    latestRecordByTID[tid].flatMap { store[$0]?.record }
  }

  private func box(_ id: Int) -> TaskBox? { store[id] }

  // MARK: - Applying events

  @discardableResult
  public func apply(_ event: TraceEvent) -> [LifecycleNote] {
    var notes = NoteList(collecting: true)
    apply(event, notes: &notes)
    return notes.notes
  }

  /// `apply` for a caller that reads no notes (a summary): the fold's state changes the same way, and the
  /// notes, an array allocated for most lifecycle events, are never made. The event is consumed: a caller that
  /// is done with it hands it over without a copy.
  public func applyWithoutNotes(_ event: consuming TraceEvent) {
    var notes = NoteList(collecting: false)
    apply(event, notes: &notes)
  }

  @inline(__always)
  private func apply(_ event: consuming TraceEvent, notes: inout NoteList) {
    if eventSerial >= settleDue { settleEndedProvisional() }
    if !finishedIDs.isEmpty { handOverFinished() }
    if orphanClone != nil, live[event.tid] == nil { adoptOrphan(event.tid, event: event) }
    let task = liveTask(for: event.tid, time: event.time, tgid: event.tgid)
    if !startupSettled { noteStartup(event, task: task) }
    eventSerial += 1
    defer { task.lastEventSerial = eventSerial }
    update(task) { record in
      if record.firstSeen == nil { record.firstSeen = event.time }
      if let time = event.time { record.lastSeen = time }
    }
    let time = event.time
    let line = event.origin?.line
    // The body is moved out of the event, not copied: a copy of the call went through the runtime's value
    // witnesses, a retain and a release (measured: 2% of the fold's time).
    switch (consume event).body {
    case .syscall(let call):
      counts.syscalls += 1
      update(task) { $0.syscallCount += 1 }
      let family = Self.family(of: call)
      task.lastSyscall = family
      if let family { applySyscall(call, family: family, task: task, time: time, line: line, notes: &notes) }
    case .exited(let code):
      let cause = exitCause(of: task)
      end(task, .exited(code: code, cause: cause), notes: &notes)
    case .killed(let signal, let coreDumped):
      end(task, .killed(signal: signal, coreDumped: coreDumped), notes: &notes)
    case .execTookOver(let formerTID):
      takeOver(leader: task, formerTID: formerTID, notes: &notes)
    case .cost(let cost):
      update(task) { $0.cost = cost }
    case .registrations(let state):
      applyRegistrationState(state, task: task)
    case .signal, .groupStop, .attached, .detached, .personality, .tracerMessage:
      break
    }
  }

  /// What `apply` does with a completed call the fold does not interpret (one whose name is not in
  /// `interpretedSyscalls`), without the event: a reader that knows the call is of no interest to the fold
  /// calls this instead of building an event for it. Most calls of a real log are such calls (read, write to a
  /// pipe, fstat…); this makes them cost a table lookup and a few counters.
  /// `startedBeforeTrace`: the call is a resume whose start the trace lacks, or a `restart_syscall` (a sign
  /// that the trace attached to a running task, when it is the task's first call).
  public func applyUninterpretedCall(tid: Int32, time: TraceTime?, startedBeforeTrace: Bool = false) {
    if eventSerial >= settleDue { settleEndedProvisional() }
    if !finishedIDs.isEmpty { handOverFinished() }
    // The previous event's task, as `liveTask` finds it, without the retain and release (atomic, on most lines of
    // a log) of a strong reference: nothing below lets a task go.
    if lastTID == tid, let task = lastTaskReference {
      task._withUnsafeGuaranteedRef {
        count(uninterpretedCallOf: $0, time: time, startedBeforeTrace: startedBeforeTrace)
      }
    } else {
      let task = liveTask(for: tid, time: time, tgid: nil)
      count(uninterpretedCallOf: task, time: time, startedBeforeTrace: startedBeforeTrace)
    }
  }

  @inline(__always)
  private func count(uninterpretedCallOf task: LiveTask, time: TraceTime?, startedBeforeTrace: Bool) {
    if !startupSettled { noteStartup(task, startedBeforeTrace: startedBeforeTrace) }
    eventSerial += 1
    task.lastEventSerial = eventSerial
    let box = task.box
    if box.record.firstSeen == nil { box.record.firstSeen = time }
    if let time { box.record.lastSeen = time }
    counts.syscalls += 1
    box.record.syscallCount += 1
    task.lastSyscall = nil
  }

  /// Ends the input: tasks still alive stay alive (the trace ended first), unless their calls ended them.
  public func finish() {
    orphanClone = nil
    settleStartup()
    endTasksTheirCallsEnded()
    // Tasks no clone ever claimed were there before the trace began (attach), or their creator's clone was
    // not in the trace: they are processes or threads of their own as first filed.
    let unclaimedIDs = Set(unclaimed.values.map(\.id))
    for process in processStore.values where process.record.provisional {
      if process.recordIDs.contains(where: unclaimedIDs.contains) { process.record.provisional = false }
    }
    for (process, _) in endedProvisional { finishGroup(process) }
    endedProvisional.removeAll()
    unclaimed.removeAll()
    guard taskSink != nil else { return }
    handOverFinished()
    for id in store.keys.sorted() { finishedIDs.append(id) }
    handOverFinished()
    for id in processStore.keys.sorted() { handOverProcess(id) }
  }

  /// A log without `+++ exited` lines (`strace -qq`, or cut off before them): `exit` and `exit_group` never
  /// return, so a task whose last call was one of them ended with it, and so did every other task of a group one
  /// of whose tasks called `exit_group`. They end in the order the kernel would report them:
  /// the threads that called `exit`, then those `exit_group` took, then its caller.
  private func endTasksTheirCallsEnded() {
    var ends: [(order: Int, serial: Int, task: LiveTask, end: TaskRecord.End)] = []
    for task in live.all where task.box.record.end == nil {
      switch task.lastSyscall {
      case .exit?:
        if let code = task.exitCode { ends.append((0, task.lastEventSerial, task, .exited(code: code, cause: .exit))) }
      case .exitGroup?:
        if let code = task.exitCode {
          ends.append((2, task.lastEventSerial, task, .exited(code: code, cause: .exitGroup)))
        }
      default:
        // Nothing of a group outlives its exit_group, not even a thread whose blocked call strace showed
        // resuming after it (`<... futex resumed>) = ?`).
        guard let by = task.process.exitGroupBy, by != task.box.record.tid, let code = task.process.exitGroupCode
        else { continue }
        ends.append((1, task.lastEventSerial, task, .exited(code: code, cause: .groupExit(by: by))))
      }
    }
    var ignored = NoteList(collecting: false)
    // (The record id breaks ties: the live tasks come out of a dictionary in no fixed order.)
    for item in ends.sorted(by: { ($0.order, $0.serial, $0.task.recordID) < ($1.order, $1.serial, $1.task.recordID) }) {
      end(item.task, item.end, notes: &ignored)
    }
  }

  /// Hands finished records to the sink and forgets them.
  private func handOverFinished() {
    guard let taskSink else {
      finishedIDs.removeAll()
      return
    }
    for id in finishedIDs {
      guard var box = store.removeValue(forKey: id) else { continue }
      if latestRecordByTID[box.record.tid] == id { latestRecordByTID[box.record.tid] = nil }
      if unclaimed[box.record.tid]?.id == id { unclaimed[box.record.tid] = nil }
      guard isKnownUniquelyReferenced(&box) else {
        taskSink(box.record)
        continue
      }
      // Nothing else holds the box (its task is gone): the record is moved out, not copied with a retain of
      // each of its references.
      var record = TaskRecord(id: 0, tid: 0, tgid: 0, kind: .initial)
      swap(&record, &box.record)
      taskSink(record)
    }
    finishedIDs.removeAll()
  }

  private func handOverProcess(_ id: Int) {
    guard let processSink, let process = processStore.removeValue(forKey: id) else { return }
    if !process.record.provisional { processSink(process.record) }
  }

  /// A process was reaped by `parent`: if its group already ended, its record is final now (otherwise
  /// `groupEnded` sees the join when it comes).
  private func markReaped(_ id: Int, by parent: ProcessState) {
    guard let index = parent.unreapedChildren.firstIndex(of: id) else { return }
    parent.unreapedChildren.remove(at: index)
    finishedIDs.append(id)
  }

  /// A thread group ended: its threads can change no more; its process record waits to be reaped.
  private func groupEnded(_ process: ProcessState) {
    process.ended = true
    if orphanClone?.creator.process === process { orphanClone = nil }
    if process.record.provisional {
      // Its first task may still be claimed by a clone that returns later (the child ran, and even ended,
      // before its parent's clone returned): decide once enough of the trace has gone by.
      endedProvisional.append((process, eventSerial))
      return
    }
    finishGroup(process)
  }

  private func finishGroup(_ process: ProcessState) {
    guard !process.recordIDs.isEmpty else {
      processStore[process.record.id] = nil
      return
    }
    process.record.provisional = false
    for id in process.recordIDs where id != process.representativeID { finishedIDs.append(id) }
    if let representative = process.representativeID {
      let reaped = store[representative]?.record.joinedBy != nil
      if reaped || process.parent?.ended ?? true {
        finishedIDs.append(representative)
      } else {
        process.parent?.unreapedChildren.append(representative)
      }
    }
    // This group can reap nobody any more.
    finishedIDs += process.unreapedChildren
    process.unreapedChildren.removeAll()
    handOverProcess(process.record.id)
  }

  /// Ended provisional groups older than this many events are taken as what they look like: no clone
  /// returning their tid is coming.
  private static let adoptionHorizon = 50_000

  private func settleEndedProvisional() {
    settleStartup()
    while let (process, serial) = endedProvisional.first, eventSerial - serial > Self.adoptionHorizon {
      endedProvisional.removeFirst()
      if process.record.provisional && !process.recordIDs.isEmpty { finishGroup(process) }
    }
  }

  // MARK: - Tasks there before the trace

  private func noteStartup(_ event: TraceEvent, task: LiveTask) {
    if case .attached = event.body { attachedTIDs.insert(event.tid) }
    // Only a task's first event matters (a trace with no creation at all stays undecided to its end).
    guard task.lastEventSerial == 0 else { return }
    var startedBeforeTrace = false
    if case .syscall(let call) = event.body {
      startedBeforeTrace = call.completeness == .exitOnly || call.name == "restart_syscall"
    }
    noteStartup(task, startedBeforeTrace: startedBeforeTrace)
  }

  /// `task`'s event is its first: before any creation, it may be a task there before the trace.
  private func noteStartup(_ task: LiveTask, startedBeforeTrace: Bool) {
    guard task.box.record.syscallCount == 0, task.lastEventSerial == 0,
      unclaimed[task.box.record.tid]?.id == task.recordID
    else { return }
    startupTasks.append(task)
    if startedBeforeTrace { sawCallStartedBeforeTrace = true }
  }

  /// Decides, once, what the tasks seen before any creation are: called at the first creation, when an ended
  /// provisional group is due, and at the end. When the trace attached to running tasks (`strace -f -p PID`:
  /// an `attached` message, or calls that started before the trace) and two or more such tasks were never
  /// claimed by a clone, they are the threads of the attached process, which strace attached to all at once:
  /// one thread group, led by the task strace announced as attached, else by the lowest tid (a leader's tid is
  /// its tgid, allocated before its threads'). They become threads of that process, whose creation the trace
  /// does not show. With several processes announced, which task belongs to which is unknown: left apart.
  private func settleStartup() {
    guard !startupSettled else { return }
    startupSettled = true
    firstRecordIDAfterStartup = nextRecordID
    let candidates = startupTasks.filter { unclaimed[$0.box.record.tid]?.id == $0.recordID }
    startupTasks.removeAll()
    guard candidates.count >= 2 else { return }
    if candidates.contains(where: { $0.box.record.tgid != $0.box.record.tid }) {
      // The source knows each task's thread group (a threadtrace trace): join the tasks of each.
      let groups = Dictionary(grouping: candidates, by: { $0.box.record.tgid }).sorted { $0.key < $1.key }
      for (_, members) in groups where members.count >= 2 {
        let leader = members.first { $0.box.record.tid == $0.box.record.tgid } ?? members[0]
        join(members, into: leader)
      }
      return
    }
    guard sawCallStartedBeforeTrace || !attachedTIDs.isEmpty else { return }
    // A task reaped by `wait`, or whose own `exit_group` left another task going, is a process of its own.
    let lastActivity = candidates.map(\.lastEventSerial).max() ?? 0
    let threads = candidates.filter { task in
      let record = task.box.record
      if record.joinedBy?.how == .wait { return false }
      if case .exited(_, .exitGroup)? = record.end, record.endSerial < lastActivity { return false }
      return true
    }
    guard threads.count >= 2 else { return }
    let announced = threads.filter { attachedTIDs.contains($0.box.record.tid) }
    if attachedTIDs.count > 1 && announced.count > 1 { return }
    guard let leader = announced.first ?? threads.min(by: { $0.box.record.tid < $1.box.record.tid }) else { return }
    join(threads, into: leader)
  }

  /// Makes `tasks` threads of `leader`'s thread group.
  private func join(_ tasks: [LiveTask], into leader: LiveTask) {
    let group = leader.process
    for task in tasks where task !== leader {
      let old = task.process
      old.members.remove(task.box.record.tid)
      old.recordIDs.removeAll { $0 == task.recordID }
      if old.representativeID == task.recordID { old.representativeID = nil }
      if old.recordIDs.isEmpty {
        processStore[old.record.id] = nil
        if old.ended { endedProvisional.removeAll { $0.0 === old } }
      }
      task.process = group
      group.recordIDs.append(task.recordID)
      if task.box.record.end == nil {
        group.members.insert(task.box.record.tid)
        // Threads share their process's memory and descriptor table.
        task.addressSpace = leader.addressSpace
        task.files = leader.files
      }
      task.box.record.kind = .thread
      task.box.record.tgid = group.tgid
      unclaimed[task.box.record.tid] = (task.recordID, group)
    }
    // A thread that ended before the decision ended its own provisional group, not this one: if every task of
    // the group has ended, the group has.
    if group.members.isEmpty {
      if !group.ended { groupEnded(group) }
    } else if group.ended {
      // The leader ended first, but threads attached with it live on: the group has not ended.
      group.ended = false
      endedProvisional.removeAll { $0.0 === group }
    }
  }

  private func liveTask(for tid: Int32, time: TraceTime?, tgid: Int32?) -> LiveTask {
    // Consecutive events usually come from the same task.
    if lastTID == tid, let task = lastTask { return task }
    if let task = live[tid] {
      lastTask = task
      return task
    }
    // Until a clone claims it, a task seen for the first time is filed as a process of its own, provisionally:
    // the record is dropped if it turns out to be a thread of its creator's group. Even the first task of a
    // trace may be a child: readers emit a split clone at its resume line, after the child's first events.
    let process = newProcess(tgid: tgid ?? tid, provisional: true)
    let box = newRecord(tid: tid, tgid: process.tgid, kind: .initial)
    let id = box.record.id
    process.recordIDs.append(id)
    process.representativeID = id
    let task = LiveTask(box: box, process: process, addressSpace: AddressSpace(), files: FileTable())
    process.members.insert(tid)
    live[tid] = task
    unclaimed[tid] = (id, process)
    return task
  }

  private func newRecord(tid: Int32, tgid: Int32, kind: TaskRecord.Kind) -> TaskBox {
    let id = nextRecordID
    nextRecordID += 1
    let box = TaskBox(TaskRecord(id: id, tid: tid, tgid: tgid, kind: kind))
    store[id] = box
    latestRecordByTID[tid] = id
    counts.tasks += 1
    return box
  }

  private func newProcess(tgid: Int32, provisional: Bool = false, parent: ProcessState? = nil) -> ProcessState {
    let process = ProcessState(ProcessRecord(id: nextProcessID, tgid: tgid, provisional: provisional))
    nextProcessID += 1
    process.parent = parent
    processStore[process.record.id] = process
    return process
  }

  private func update(_ task: LiveTask, _ body: (inout TaskRecord) -> Void) {
    body(&task.box.record)
  }

  private func addEvidence(_ fingerprint: RuntimeFingerprint, to process: ProcessState) {
    var runtimes = process.record.runtimes
    if let index = runtimes.firstIndex(where: { $0.runtime == fingerprint.runtime }) {
      for item in fingerprint.evidence where !runtimes[index].evidence.contains(item) && runtimes[index].evidence.count < 4 {
        runtimes[index].evidence.append(item)
      }
    } else {
      runtimes.append(fingerprint)
    }
    process.record.runtimes = runtimes
  }

  // MARK: - Syscalls

  private func applySyscall(
    _ call: SyscallEvent, family: Family, task: LiveTask, time: TraceTime?, line: Int?, notes: inout NoteList
  ) {
    switch family {
    case .creation:
      if let clone = CloneCall(call) {
        applyCreation(clone, call: call, task: task, time: time, line: line, notes: &notes)
      }
    case .memory:
      if let memory = MemoryCall(call) {
        applyMemory(memory, task: task, returned: call.completeness != .resultUnread, notes: &notes)
      }
    case .registration:
      if call.tookEffect, let registration = RegistrationCall(call) {
        applyRegistration(registration, task: task, call: call, notes: &notes)
      }
    case .naming:
      if let naming = NamingCall(call) { applyNaming(naming, task: task, notes: &notes) }
      if call.name != "write", call.name != "pwrite64", call.name != "close", call.result?.isSuccess ?? false,
        let path = call.argument(at: call.name == "open" ? 0 : 1)?.stringValue?.lossyText,
        let fingerprint = RuntimeFingerprint.fromOpenedFile(path)
      {
        addEvidence(fingerprint, to: task.process)
      }
    case .futex:
      if let futex = FutexCall(call) { applyFutex(futex, call: call, task: task, notes: &notes) }
    case .exec:
      applyExec(call, task: task, time: time, notes: &notes)
    case .exit:
      task.exitCode = ExitCall(call)?.code
    case .exitGroup:
      if let exit = ExitCall(call) {
        let tid = task.box.record.tid
        task.exitCode = exit.code
        task.process.exitGroupBy = tid
        task.process.exitGroupCode = exit.code
        explainEarlierExits(in: task.process, since: task.lastEventSerial, as: .groupExit(by: tid), notes: &notes)
      }
    case .wait:
      if let wait = WaitCall(call), let reaped = wait.reaped, let target = latestRecordByTID[reaped] {
        store[target]?.record.joinedBy = .init(tid: task.box.record.tid, id: task.recordID, how: .wait)
        notes.append(.reaped(target: target))
        markReaped(target, by: task.process)
      }
    default:
      break
    }
  }

  private func applyCreation(
    _ clone: CloneCall, call: SyscallEvent, task: LiveTask, time: TraceTime?, line: Int?, notes: inout NoteList
  ) {
    let childTID: Int32
    switch call.result {
    case .failure(let errno)?:
      counts.failedCreations += 1
      notes.append(.creationFailed(clone, errno: errno))
      return
    case nil, .noReturn?:
      guard clone.flags.contains(.thread), startupSettled else { return }
      guard let orphan = orphanedThread(of: clone, call: call, creator: task) else {
        // Its child may not have shown itself yet: the next task to appear with nothing but its end is it.
        orphanClone = (task, clone, call, time, line)
        return
      }
      childTID = orphan
    default:
      guard let newTID = clone.newTID else { return }
      childTID = newTID
    }
    makeChild(childTID, clone: clone, call: call, creator: task, time: time, line: line, notes: &notes)
  }

  /// The task `clone` made, `childTID`: a new record, or the one its first events made before the clone's
  /// return adopted; what it shares, its stack, its registrations.
  private func makeChild(
    _ childTID: Int32, clone: CloneCall, call: SyscallEvent, creator task: LiveTask, time: TraceTime?, line: Int?,
    notes: inout NoteList
  ) {
    // The creator's fields, not its whole record: a copy of that retains each of its references.
    let creator = task.box
    let (parentID, parentTID, parentTGID, parentComm) =
      (creator.record.id, creator.record.tid, creator.record.tgid, creator.record.comm)
    let kind: TaskRecord.Kind =
      clone.flags.contains(.thread) ? .thread : clone.flags.contains(.vfork) ? .vfork : .process
    switch kind {
    case .thread: counts.threads += 1
    case .process: counts.processes += 1
    case .vfork: counts.vforks += 1
    case .initial: break
    }

    // The child may already be known: its first events came before this clone returned (the kernel does not
    // order a new task's first stop after its parent's clone event), possibly even its exit.
    let child: LiveTask
    if let (earlyID, provisional) = unclaimed.removeValue(forKey: childTID) {
      let early = live[childTID].flatMap { $0.recordID == earlyID ? $0 : nil }
      let earlyBox = early?.box ?? store[earlyID] ?? newRecord(tid: childTID, tgid: childTID, kind: kind)
      child = early ?? LiveTask(box: earlyBox, process: task.process, addressSpace: task.addressSpace, files: task.files)
      provisional.members.remove(childTID)
      provisional.recordIDs.removeAll { $0 == earlyID }
      if provisional.representativeID == earlyID { provisional.representativeID = nil }
      if provisional.recordIDs.isEmpty {
        processStore[provisional.record.id] = nil
        // Only an ended group waits there (a scan of the queue for every adopted child was measurable).
        if provisional.ended { endedProvisional.removeAll { $0.0 === provisional } }
      }
      notes.append(.adopted(record: earlyID))
    } else {
      if let previous = live[childTID] {
        // The tid is reused while our record of the old task has no end: the trace missed that end.
        previous.release()
        live[childTID] = nil
        lastTask = nil
        previous.process.members.remove(childTID)
      }
      let box = newRecord(tid: childTID, tgid: childTID, kind: kind)
      child = LiveTask(box: box, process: task.process, addressSpace: task.addressSpace, files: task.files)
      live[childTID] = child
      lastTask = nil
    }

    // What the child shares and what it gets a copy of.
    if kind == .thread {
      child.process = task.process
    } else {
      child.process = newProcess(tgid: childTID, parent: task.process)
      child.process.record.program = task.process.record.program
      child.process.representativeID = child.recordID
    }
    child.process.recordIDs.append(child.recordID)
    if child.box.record.end == nil { child.process.members.insert(childTID) }
    child.addressSpace = clone.flags.contains(.vm) ? task.addressSpace : task.addressSpace.copy()
    child.files = clone.flags.contains(.files) ? task.files : task.files.copy()

    let creatorRuntime = RuntimeFingerprint.creator(of: clone)
    if let creatorRuntime { addEvidence(creatorRuntime, to: task.process) }
    var stackNote: ThreadStack?
    update(child) { record in
      record.kind = kind
      record.tgid = kind == .thread ? parentTGID : childTID
      record.parentID = parentID
      record.parentTID = parentTID
      record.creation = clone
      record.creationTime = time
      record.creationLine = line
      record.creatorStack = call.stack
      record.comm = parentComm
      record.createdByRuntime = creatorRuntime
      if clone.flags.contains(.setTLS), let tls = clone.tls { record.registrations.threadPointer = tls }
      // rseq_fork: a child with its own copy of the memory keeps the creator's rseq area (the address is as valid
      // in the copy); a CLONE_VM child starts with none. No child inherits a robust list (futex_init_task).
      // (A child whose own events came before this clone's return may have registered one already.)
      if !clone.flags.contains(.vm), record.registrations.rseq == nil {
        record.registrations.rseq = task.box.record.registrations.rseq
      }
      if record.firstSeen == nil { record.firstSeen = time }
    }
    if clone.flags.contains(.childClearTID), let word = clone.childTIDAddress, word != 0 {
      child.addressSpace.childTIDWords[word] = child.recordID
      update(child) { $0.registrations.tidAddress = word }
    }
    if let stack = resolveStack(clone, in: child.addressSpace, for: child.recordID) {
      stackNote = stack
      update(child) { $0.stack = stack }
    }
    // A thread whose end came before this clone claimed it: its end was filed in a provisional group of its
    // own, where no exit_group could explain it; its process's can.
    if kind == .thread, case .exited(let code, .unknown)? = child.box.record.end {
      if let by = task.process.exitGroupBy, by != childTID {
        update(child) { $0.end = .exited(code: code, cause: .groupExit(by: by)) }
      } else {
        task.process.unexplainedExits.append(child.recordID)
      }
    }
    // A child that already ended before this clone returned holds no address space.
    if child.box.record.end != nil { child.release() }
    if !startupSettled { settleStartup() }
    notes.append(.created(record: child.recordID))
    if let stackNote { notes.append(.stackAssigned(record: child.recordID, stack: stackNote)) }
  }

  /// The child of a thread-making clone that never returned. Its creator died in the call: another thread's
  /// `exit_group` took the group after the kernel made the child but before the clone's return (strace shows
  /// `clone(… <unfinished ...>`, then `<... clone resumed>) = ?`; Go's runtime does this about once in 50
  /// runs). The child may have run meanwhile, and then the trace shows it as a task no clone claimed. It is that
  /// task when exactly one such task appeared after the trace's start (not one there before it) and, where the
  /// trace has times, no earlier than the call. A live trace reports the call complete instead (the engine
  /// knows thread groups).
  private func orphanedThread(of clone: CloneCall, call: SyscallEvent, creator: LiveTask) -> Int32? {
    let creatorTID = creator.box.record.tid
    // One pass that stops at a second candidate and builds nothing: a trace attached to a process of thousands
    // of threads has thousands of unclaimed tasks, and filtering them into a new dictionary per clone made a log
    // of 52,600 unanswered clone3 entries take 200 µs a line.
    var found: (tid: Int32, id: Int)?
    for (tid, entry) in unclaimed
    where tid != creatorTID && entry.id >= firstRecordIDAfterStartup && entry.process.recordIDs.count == 1
      && entry.process.recordIDs[0] == entry.id
    {
      guard found == nil else { return nil }
      found = (tid, entry.id)
    }
    guard let (tid, id) = found else { return nil }
    if let entered = call.entryTime, let first = store[id]?.record.firstSeen, first < entered { return nil }
    return tid
  }

  /// `tid`'s first event, when a clone whose creator died in it still waits for its child (`orphanClone`): a
  /// task whose whole life in the trace is its end (`+++ exited with 0 +++`: the child never reached a
  /// syscall before the exit_group took it), while the creator's process lives, is that child.
  private func adoptOrphan(_ tid: Int32, event: TraceEvent) {
    guard let orphan = orphanClone else { return }
    orphanClone = nil
    switch event.body {
    case .exited, .killed: break
    default: return
    }
    guard !orphan.creator.process.ended else { return }
    var ignored = NoteList(collecting: false)
    makeChild(
      tid, clone: orphan.clone, call: orphan.call, creator: orphan.creator, time: orphan.time, line: orphan.line,
      notes: &ignored)
  }

  /// Finds the new task's stack: the mapping holding clone3's `stack` or ending at clone's stack pointer.
  private func resolveStack(_ clone: CloneCall, in space: AddressSpace, for recordID: Int) -> ThreadStack? {
    guard let pointer = clone.stack, pointer != 0 else { return nil }
    let layout: AddressSpace.MappingLayout?
    switch clone.syscall {
    case .clone3:
      layout = space.layout(containing: pointer)
    default:
      // clone's argument is the initial stack pointer: the top of the stack, or a little below it when the
      // caller already pushed something (glibc's posix_spawn does not; Go's stacks are in its heap).
      layout = space.layout(endingAt: pointer) ?? space.layout(containing: pointer - 1).flatMap { candidate in
        candidate.stackHint && candidate.end - pointer < 4096 ? candidate : nil
      }
    }
    guard let layout, layout.stackHint || clone.syscall == .clone3 || layout.end == pointer else {
      if clone.syscall == .clone3, let size = clone.stackSize {
        return ThreadStack(base: pointer, size: size, guardSize: nil, source: .cloneArguments)
      }
      return ThreadStack(base: nil, size: nil, guardSize: nil, source: .unmapped)
    }
    var stack = ThreadStack(
      base: layout.base, size: layout.accessible, guardSize: layout.lowGuard, source: .mapping)
    if let previous = space.stackUsers[layout.mappingID], previous.id != recordID {
      stack.reusedFromID = previous.id
      stack.reusedFromTID = tid(ofStackUser: previous)
    }
    space.stackUsers[layout.mappingID] = (recordID, store[recordID]?.record.tid ?? 0)
    return stack
  }

  /// `returned`: the call is reported at its return, not at its entry (the fast path's `result_unread`).
  private func applyMemory(_ memory: MemoryCall, task: LiveTask, returned: Bool, notes: inout NoteList) {
    let space = task.addressSpace
    switch memory {
    case .map(let address, let length, let protection, let flags, let fd):
      guard let address, flags.contains(.anonymous) || fd < 0 else { return }
      if protection == .none, flags.contains(.fixed) { noteRuntimeGuard(at: address, length: length, in: space, notes: &notes) }
      space.map(
        start: address, length: length, protection: protection, stackHint: flags.contains(.stack),
        fixed: flags.contains(.fixed), origin: .init(serial: eventSerial, task: task.recordID))
      if flags.contains(.stack) {
        notes.append(.stackReserved(base: address, length: length, accessible: protection != .none))
      }
    case .protect(let address, let length, let protection):
      guard space.regionIndex(containing: address) != nil else { return }
      if protection == .none { noteRuntimeGuard(at: address, length: length, in: space, notes: &notes) }
      space.protect(start: address, length: length, protection: protection)
      if protection != .none, let layout = space.layout(containing: address), layout.stackHint,
        layout.lowGuard > 0, layout.base + layout.lowGuard == address
      {
        notes.append(.stackGuardLaidOut(base: layout.base, guardSize: layout.lowGuard, usable: layout.accessible))
      }
    case .unmap(let address, let length):
      if let layout = space.layout(containing: address), let owner = space.stackUsers[layout.mappingID] {
        notes.append(.stackReleased(owner: owner.id, ownerTID: tid(ofStackUser: owner), unmapped: true))
      }
      // Reported at its return (strace, --all-syscalls): mappings made while it was in flight are spared.
      // The fast path reports it at its entry, before it takes effect.
      space.unmap(start: address, length: length, sparing: returned ? (task.lastEventSerial, task.recordID) : nil)
    case .advise(let address, _, let advice):
      if advice == Advice.dontNeed || advice == Advice.free, let layout = space.layout(containing: address),
        let owner = space.stackUsers[layout.mappingID]
      {
        notes.append(.stackReleased(owner: owner.id, ownerTID: tid(ofStackUser: owner), unmapped: false))
      }
    }
  }

  /// A runtime making the low end of a thread's stack inaccessible after the thread started: its own guard
  /// zone (HotSpot gives its threads no glibc guard and protects yellow/red pages itself).
  private func noteRuntimeGuard(at address: UInt64, length: UInt64, in space: AddressSpace, notes: inout NoteList) {
    guard let layout = space.layout(containing: address), layout.base + layout.lowGuard == address,
      let owner = space.stackUsers[layout.mappingID]?.id, let box = store[owner], box.record.stack != nil
    else { return }
    let size = max(box.record.stack?.runtimeGuardSize ?? 0, length)
    box.record.stack?.runtimeGuardSize = size
    notes.append(.runtimeGuard(owner: owner, size: size))
  }

  /// The current tid of a stack's user while its record is held (an exec may have changed it), else the tid
  /// it had when it took the stack.
  private func tid(ofStackUser user: (id: Int, tid: Int32)) -> Int32 {
    store[user.id]?.record.tid ?? user.tid
  }

  /// What the kernel held for the task, read by a live tracer instead of stopping at the calls: the same record
  /// fields the calls fill. Unread parts change nothing; a 0 address means none is registered (any more).
  private func applyRegistrationState(_ state: RegistrationState, task: LiveTask) {
    update(task) { record in
      if let list = state.robustList {
        record.registrations.robustList = list.head == 0 ? nil : .init(head: list.head, length: list.length)
      }
      if let rseq = state.rseq {
        record.registrations.rseq =
          rseq.address == 0
          ? nil : .init(address: rseq.address, length: UInt64(rseq.length), signature: UInt64(rseq.signature))
      }
    }
  }

  private func applyRegistration(
    _ registration: RegistrationCall, task: LiveTask, call: SyscallEvent, notes: inout NoteList
  ) {
    switch registration {
    case .rseq(let address, let length, let unregister, let signature):
      update(task) { $0.registrations.rseq = unregister ? nil : .init(address: address, length: length, signature: signature) }
    case .robustList(let head, let length):
      update(task) { $0.registrations.robustList = .init(head: head, length: length) }
    case .tidAddress(let address):
      update(task) { $0.registrations.tidAddress = address }
      if address != 0 { task.addressSpace.childTIDWords[address] = task.recordID }
    case .threadPointer(let base):
      update(task) { $0.registrations.threadPointer = base }
    case .affinity(let target, let cpus):
      let targetID = target == 0 ? task.recordID : live[target]?.recordID
      if let targetID { store[targetID]?.record.registrations.affinity = cpus }
    case .signalStack(let base, let size, let disable):
      var stack = Registrations.SignalStack(base: base, size: size, guardSize: nil, disabled: disable)
      if !disable, let base, let layout = task.addressSpace.layout(containing: base), layout.base + layout.lowGuard == base {
        stack.guardSize = layout.lowGuard
      }
      if disable, let existing = task.box.record.registrations.signalStack {
        stack = existing
        stack.disabled = true
      }
      update(task) { $0.registrations.signalStack = stack }
      notes.append(.signalStackSet(record: task.recordID, stack: stack))
      if !disable, let guardSize = stack.guardSize, guardSize > 0, task.process.sawGuardedAltStack.insert(task.recordID).inserted,
        task.process.sawGuardedAltStack.count >= 2
      {
        addEvidence(
          RuntimeFingerprint(.rust, evidence: ["each thread installs a guarded sigaltstack (std's stack-overflow handler)"]),
          to: task.process)
      }
      return
    }
    notes.append(.registered(record: task.recordID))
  }

  private func applyNaming(_ naming: NamingCall, task: LiveTask, notes: inout NoteList) {
    switch naming {
    case .setOwnName(let name):
      setName(task.recordID, name, source: .prctl, notes: &notes)
    case .openComm(let target, let fd):
      task.files.commFiles[fd] = resolve(target, caller: task)
    case .write(let fd, let path, let bytes):
      let target = path.flatMap(CommTarget.init(path:)).map { resolve($0, caller: task) } ?? task.files.commFiles[fd]
      guard let target, let id = live[target]?.recordID ?? latestRecordByTID[target] else { return }
      setName(id, NamingCall.commText(bytes), source: .commWrite, notes: &notes)
    case .close(let fd):
      task.files.commFiles[fd] = nil
    }
  }

  private func resolve(_ target: CommTarget, caller: LiveTask) -> Int32 {
    switch target {
    case .thread(let tid): return tid
    case .processLeader(let pid): return pid ?? caller.process.tgid
    case .caller: return caller.box.record.tid
    }
  }

  private func setName(_ id: Int, _ name: String, source: TaskRecord.NameSource, notes: inout NoteList) {
    guard let box = store[id] else { return }
    box.record.name = name
    box.record.nameSource = source
    box.record.comm = name
    notes.append(.named(record: id, name: name, source: source))
    if let fingerprint = RuntimeFingerprint.fromThreadName(name), let task = live[box.record.tid] {
      addEvidence(fingerprint, to: task.process)
    }
  }

  private func applyFutex(_ futex: FutexCall, call: SyscallEvent, task: LiveTask, notes: inout NoteList) {
    guard futex.isWait, let target = task.addressSpace.childTIDWords[futex.address], target != task.recordID else {
      return
    }
    // The wait returns 0 when the kernel's exit-time wake arrives, or EAGAIN when the word already changed
    // (the thread had exited by the time the joiner looked): both are a completed join.
    let completed: Bool
    switch call.result {
    case .success?: completed = true
    case .failure(let errno)? where errno == 11: completed = true
    default: completed = false
    }
    if completed {
      store[target]?.record.joinedBy = .init(tid: task.box.record.tid, id: task.recordID, how: .futexOnChildTID)
    }
    notes.append(.joinWait(target: target, completed: completed))
  }

  private func applyExec(_ call: SyscallEvent, task: LiveTask, time: TraceTime?, notes: inout NoteList) {
    guard let exec = ExecCall(call) else { return }
    var record = TaskRecord.ExecRecord(
      path: exec.path, arguments: exec.arguments, succeeded: false, errno: nil, time: time)
    switch call.result {
    case .success?:
      record.succeeded = true
    case .failure(let errno)?:
      record.errno = errno
      counts.failedExecs += 1
    default:
      // No return: the exec is still pending (another thread's exec may take over), or the log ended.
      task.process.execBy = task.box.record.tid
      update(task) { $0.execs.append(record) }
      return
    }
    if record.succeeded {
      counts.execs += 1
      // The kernel gives the process a fresh address space and, for the program, a new comm: the file name.
      task.addressSpace = AddressSpace()
      task.files = task.files.copy()
      task.process.execBy = nil
      let program = exec.path
      task.process.record.program = program
      task.process.record.runtimes = []
      if let program, let fingerprint = RuntimeFingerprint.fromProgram(program) {
        addEvidence(fingerprint, to: task.process)
      }
      let comm = program.map(execComm)
      update(task) { recordValue in
        if let pending = recordValue.execs.last, !pending.succeeded, pending.errno == nil, pending.path == exec.path {
          recordValue.execs.removeLast()
        }
        recordValue.execs.append(record)
        // exec releases the old mm (mm_release clears clear_child_tid and the robust list), unregisters rseq
        // and drops the alternate signal stack; only the CPU affinity survives.
        let affinity = recordValue.registrations.affinity
        recordValue.registrations = Registrations()
        recordValue.registrations.affinity = affinity
        if let comm { recordValue.comm = comm }
      }
      notes.append(.execSucceeded(record: task.recordID))
    } else {
      update(task) { $0.execs.append(record) }
    }
  }

  /// The comm `execve` gives a task running `program`, for the last program exec'd: a trace that runs one
  /// program many times asks for the same one again and again.
  private var lastExecComm: (program: String, comm: String)?

  private func execComm(_ program: String) -> String {
    if let last = lastExecComm, last.program == program { return last.comm }
    let comm = NamingCall.commText(Array((RuntimeFingerprint.lastComponent(program) ?? "").utf8))
    lastExecComm = (program, comm)
    return comm
  }

  // MARK: - Ends

  private func exitCause(of task: LiveTask) -> TaskRecord.ExitCause {
    let tid = task.box.record.tid
    switch task.lastSyscall {
    case .exit?: return .exit
    case .exitGroup?: return .exitGroup
    default: break
    }
    if let by = task.process.execBy, by != tid { return .execByOtherThread(by: by) }
    if let by = task.process.exitGroupBy, by != tid { return .groupExit(by: by) }
    return .unknown
  }

  private func end(_ task: LiveTask, _ end: TaskRecord.End, notes: inout NoteList) {
    let tid = task.box.record.tid
    // mm_release() clears and wakes clear_child_tid only while other tasks still use the memory; the last one
    // leaving an address space has nobody to wake.
    let othersShareMemory = task.addressSpace.users > 1
    update(task) { record in
      record.end = end
      record.endSerial = eventSerial
      record.clearedChildTIDAtExit = othersShareMemory && record.registrations.tidAddress != nil
    }
    if case .exited(_, .unknown) = end { task.process.unexplainedExits.append(task.recordID) }
    task.release()
    live[tid] = nil
    lastTask = nil
    task.process.members.remove(tid)
    update(task) { $0.endedThreadGroup = task.process.members.isEmpty }
    if task.process.members.isEmpty { groupEnded(task.process) }
    notes.append(.ended(record: task.recordID))
  }

  /// Exits the trace showed before the call that caused them: strace prints a split `execve` or `exit_group`
  /// only when it returns, after the other threads' `+++ exited` lines. Threads of the group that exited with no
  /// call of their own since the causing task's previous event died of it.
  private func explainEarlierExits(
    in process: ProcessState, since serial: Int, as cause: TaskRecord.ExitCause, notes: inout NoteList
  ) {
    var explained: [Int] = []
    for id in process.unexplainedExits where (store[id]?.record.endSerial ?? 0) > serial {
      if case .exited(let code, .unknown)? = store[id]?.record.end {
        store[id]?.record.end = .exited(code: code, cause: cause)
        explained.append(id)
      }
    }
    process.unexplainedExits.removeAll()
    if !explained.isEmpty { notes.append(.earlierExitsExplained(records: explained, cause: cause)) }
  }

  private func takeOver(leader: LiveTask, formerTID: Int32, notes: inout NoteList) {
    let leaderTID = leader.box.record.tid
    guard let thread = live[formerTID], formerTID != leaderTID else { return }
    explainEarlierExits(
      in: thread.process, since: thread.lastEventSerial, as: .execByOtherThread(by: formerTID), notes: &notes)
    // The old leader's story ends here; the exec'ing thread continues under the leader's tid.
    update(leader) { $0.end = .supersededByExec(by: formerTID) }
    leader.release()
    notes.append(.ended(record: leader.recordID))
    leader.process.members.remove(leaderTID)
    live[formerTID] = nil
    lastTask = nil
    thread.process.members.remove(formerTID)
    thread.process.members.insert(leaderTID)
    live[leaderTID] = thread
    latestRecordByTID[leaderTID] = thread.recordID
    update(thread) { record in
      record.formerTID = formerTID
      record.tid = leaderTID
    }
    notes.append(.execTookOver(record: thread.recordID, formerTID: formerTID))
  }
}

/// The state the fold keeps for a task while it lives.
final class LiveTask {
  /// The task's record, shared with the fold's store so updates need no lookup.
  let box: TaskBox
  var recordID: Int { box.record.id }
  // Read and written only by the fold, one call at a time, never from inside a mutation of the same field
  // (`addressSpace`'s `didSet` touches the spaces' counts, not this field): the dynamic exclusivity checks, a
  // runtime call per access on every event, are skipped.
  @exclusivity(unchecked) var process: ProcessState
  /// Counted in the address space's `users`, as the kernel counts `mm_users`.
  @exclusivity(unchecked) var addressSpace: AddressSpace {
    didSet {
      oldValue.users -= 1
      addressSpace.users += 1
    }
  }
  @exclusivity(unchecked) var files: FileTable
  @exclusivity(unchecked) var lastSyscall: Lifecycle.Family?
  /// The status its last `exit`/`exit_group` call passed.
  @exclusivity(unchecked) var exitCode: Int32?
  @exclusivity(unchecked) var lastEventSerial = 0

  init(box: TaskBox, process: ProcessState, addressSpace: AddressSpace, files: FileTable) {
    self.box = box
    self.process = process
    self.addressSpace = addressSpace
    self.files = files
    addressSpace.users += 1
  }

  /// The task is gone: it no longer uses its address space.
  func release() { addressSpace.users -= 1 }

}

/// A thread group while it lives.
/// A task record behind a reference, so that the live task and the store share one copy.
final class TaskBox {
  // Updated on every event through `Lifecycle.update`, whose closures touch no other box: no overlapping
  // access is possible, so the dynamic exclusivity check is skipped.
  @exclusivity(unchecked) var record: TaskRecord
  init(_ record: TaskRecord) { self.record = record }
}

final class ProcessState {
  // Read and written only by the fold, one call at a time; the closures that run during a mutation of a field
  // (`removeAll`'s predicates) read other values: the dynamic exclusivity checks, a runtime call per access at
  // every creation and end, are skipped.
  @exclusivity(unchecked) var record: Lifecycle.ProcessRecord
  var tgid: Int32 { record.tgid }
  /// Every task record of this thread group lifetime.
  @exclusivity(unchecked) var recordIDs: [Int] = []
  /// The record that stands for the process (its first task): the one a parent reaps.
  @exclusivity(unchecked) var representativeID: Int?
  /// The thread group that created this one (nil for a task present when the trace began).
  @exclusivity(unchecked) var parent: ProcessState?
  @exclusivity(unchecked) var ended = false
  /// Children that ended and wait to be reaped (by `wait4`) before their records are final.
  @exclusivity(unchecked) var unreapedChildren: [Int] = []
  @exclusivity(unchecked) var members: Set<Int32> = []
  /// A thread of the group called `exit_group`: the others' exits follow from it.
  @exclusivity(unchecked) var exitGroupBy: Int32?
  /// The status that `exit_group` passed: every thread of the group exits with it.
  @exclusivity(unchecked) var exitGroupCode: Int32?
  /// A thread of the group is in `execve`: if it succeeds, the others are killed.
  @exclusivity(unchecked) var execBy: Int32?
  @exclusivity(unchecked) var sawGuardedAltStack: Set<Int> = []
  /// Threads that ended with no call of their own to explain it (see `explainEarlierExits`).
  @exclusivity(unchecked) var unexplainedExits: [Int] = []

  init(_ record: Lifecycle.ProcessRecord) { self.record = record }
}

/// The part of a file descriptor table the fold follows: descriptors open on a `comm` file.
final class FileTable {
  /// Read and written only by the fold, one call at a time: no dynamic exclusivity check (every `write`,
  /// `openat` and `close` touches it).
  @exclusivity(unchecked) var commFiles: [Int32: Int32] = [:]

  func copy() -> FileTable {
    let copy = FileTable()
    copy.commFiles = commFiles
    return copy
  }
}

/// The notes of the event being applied, or nothing when the caller reads none (`applyWithoutNotes`).
struct NoteList {
  let collecting: Bool
  var notes: [LifecycleNote] = []

  init(collecting: Bool) { self.collecting = collecting }

  @inline(__always) mutating func append(_ note: @autoclosure () -> LifecycleNote) {
    guard collecting else { return }
    // Room for the few notes one event makes (a clone's `created` and `stackAssigned`, a mapping's and its
    // guard's): one allocation per event, not one per note.
    if notes.capacity == 0 { notes.reserveCapacity(4) }
    notes.append(note())
  }
}

/// Ended provisional thread groups in the order they ended, with the event count then: a queue whose front is
/// taken without moving the rest (an array's `removeFirst` moved every later element, once per ended process).
struct EndedGroups: Sequence {
  private var elements: [(ProcessState, Int)] = []
  private var head = 0

  var first: (ProcessState, Int)? { head < elements.count ? elements[head] : nil }

  mutating func append(_ element: (ProcessState, Int)) { elements.append(element) }

  mutating func removeFirst() {
    head += 1
    if head == elements.count {
      elements.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 1024, head * 2 >= elements.count {
      elements.removeFirst(head)
      head = 0
    }
  }

  mutating func removeAll() {
    elements.removeAll()
    head = 0
  }

  mutating func removeAll(where shouldBeRemoved: ((ProcessState, Int)) -> Bool) {
    guard elements[head...].contains(where: shouldBeRemoved) else { return }
    elements.removeFirst(head)
    head = 0
    elements.removeAll(where: shouldBeRemoved)
  }

  func makeIterator() -> ArraySlice<(ProcessState, Int)>.Iterator { elements[head...].makeIterator() }
}
