import SyscallDecoding
import TraceModel

/// Folds a stream of `TraceEvent`s into the story of every task: the thread story of DESIGN.md §3, as far as
/// the trace shows it. Feed events in order with `apply`, then call `finish` at the end of the input.
///
/// Memory grows with tasks (a record each) and with live address spaces, never with the number of events.
public final class Lifecycle {
  /// Every task seen, by record id - 1 (ids are 1-based, in order of first sight).
  public private(set) var records: [TaskRecord] = []
  /// Every process (thread group lifetime) seen, with its program and runtime fingerprints.
  public private(set) var processes: [ProcessRecord] = []
  public private(set) var counts = Counts()

  /// Live tasks by current tid.
  private var live: [Int32: LiveTask] = [:]
  /// The latest record of every tid ever seen, live or ended, for `wait4` results and comm writes.
  private var latestRecordByTID: [Int32: Int] = [:]
  /// Tasks that appeared with no creating call yet: either present before the trace began, or children whose
  /// first stop came before the parent's clone returned. A later clone returning their tid adopts them.
  private var unclaimed: [Int32: Int] = [:]
  /// Counts events, to order a task's last activity against other tasks' ends.
  private var eventSerial = 0

  public init() {}

  /// The syscalls whose arguments the fold reads. A reader may skip parsing the arguments of every other call
  /// (they are still counted), which is what makes a large log fast to summarise.
  public static let interpretedSyscalls: Set<String> = [
    "clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "mmap", "mmap2", "mprotect",
    "pkey_mprotect", "munmap", "madvise", "set_robust_list", "rseq", "futex", "futex_time64", "futex_waitv",
    "sigaltstack", "prctl", "set_tid_address", "arch_prctl", "sched_setaffinity", "open", "openat", "write",
    "pwrite64", "close", "kill", "tkill", "tgkill", "wait4", "waitpid", "waitid",
  ]

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

  /// The record of task `id`.
  public func record(_ id: Int) -> TaskRecord { records[id - 1] }

  /// The live record for `tid`, if that tid is alive now.
  public func liveRecord(tid: Int32) -> TaskRecord? {
    live[tid].map { records[$0.recordID - 1] }
  }

  /// The most recent record for `tid`, alive or not.
  public func latestRecord(tid: Int32) -> TaskRecord? {
    latestRecordByTID[tid].map { records[$0 - 1] }
  }

  /// The process record of a task.
  public func processRecord(ofTask id: Int) -> ProcessRecord? {
    for process in processes.reversed() where process.tgid == records[id - 1].tgid { return process }
    return nil
  }

  // MARK: - Applying events

  @discardableResult
  public func apply(_ event: TraceEvent) -> [LifecycleNote] {
    let task = liveTask(for: event.tid, time: event.time, tgid: event.tgid)
    eventSerial += 1
    defer { task.lastEventSerial = eventSerial }
    var notes: [LifecycleNote] = []
    update(task) { record in
      if record.firstSeen == nil { record.firstSeen = event.time }
      if let time = event.time { record.lastSeen = time }
    }
    switch event.body {
    case .syscall(let call):
      counts.syscalls += 1
      update(task) { $0.syscallCount += 1 }
      task.lastSyscall = call.name
      applySyscall(call, task: task, event: event, notes: &notes)
    case .exited(let code):
      let cause = exitCause(of: task)
      end(task, .exited(code: code, cause: cause), notes: &notes)
    case .killed(let signal, let coreDumped):
      end(task, .killed(signal: signal, coreDumped: coreDumped), notes: &notes)
    case .execTookOver(let formerTID):
      takeOver(leader: task, formerTID: formerTID, notes: &notes)
    case .signal, .groupStop, .attached, .detached, .personality, .tracerMessage:
      break
    }
    return notes
  }

  /// Ends the input: tasks still alive stay alive (the trace ended first).
  public func finish() {
    // Tasks no clone ever claimed were there before the trace began (attach), or their creator's clone was
    // not in the trace: they are processes or threads of their own as first filed.
    for id in unclaimed.values {
      for index in processes.indices where processes[index].tgid == records[id - 1].tgid {
        processes[index].provisional = false
      }
    }
    unclaimed.removeAll()
  }

  // MARK: - Tasks

  private func liveTask(for tid: Int32, time: TraceTime?, tgid: Int32?) -> LiveTask {
    if let task = live[tid] { return task }
    // Until a clone claims it, a task seen for the first time is filed as a process of its own, provisionally:
    // the record is dropped if it turns out to be a thread of its creator's group. Even the first task of a
    // trace may be a child: readers emit a split clone at its resume line, after the child's first events.
    let process = ProcessState(tgid: tgid ?? tid, id: newProcessRecord(tgid: tgid ?? tid, provisional: true))
    let id = newRecord(tid: tid, tgid: process.tgid, kind: .initial)
    let task = LiveTask(recordID: id, process: process, addressSpace: AddressSpace(), files: FileTable())
    process.members.insert(tid)
    live[tid] = task
    unclaimed[tid] = id
    return task
  }

  private func newRecord(tid: Int32, tgid: Int32, kind: TaskRecord.Kind) -> Int {
    let id = records.count + 1
    records.append(TaskRecord(id: id, tid: tid, tgid: tgid, kind: kind))
    latestRecordByTID[tid] = id
    counts.tasks += 1
    return id
  }

  private func newProcessRecord(tgid: Int32, provisional: Bool = false) -> Int {
    processes.append(ProcessRecord(id: processes.count + 1, tgid: tgid, provisional: provisional))
    return processes.count
  }

  private func update(_ task: LiveTask, _ body: (inout TaskRecord) -> Void) {
    body(&records[task.recordID - 1])
  }

  private func addEvidence(_ fingerprint: RuntimeFingerprint, to process: ProcessState) {
    var runtimes = processes[process.id - 1].runtimes
    if let index = runtimes.firstIndex(where: { $0.runtime == fingerprint.runtime }) {
      for item in fingerprint.evidence where !runtimes[index].evidence.contains(item) && runtimes[index].evidence.count < 4 {
        runtimes[index].evidence.append(item)
      }
    } else {
      runtimes.append(fingerprint)
    }
    processes[process.id - 1].runtimes = runtimes
  }

  // MARK: - Syscalls

  private func applySyscall(_ call: SyscallEvent, task: LiveTask, event: TraceEvent, notes: inout [LifecycleNote]) {
    switch call.name {
    case "clone", "clone3", "fork", "vfork":
      if let clone = CloneCall(call) { applyCreation(clone, call: call, task: task, event: event, notes: &notes) }
    case "mmap", "mmap2", "mprotect", "pkey_mprotect", "munmap", "madvise":
      if let memory = MemoryCall(call) { applyMemory(memory, task: task, notes: &notes) }
    case "rseq", "set_robust_list", "set_tid_address", "arch_prctl", "sched_setaffinity", "sigaltstack":
      if call.result?.isSuccess ?? false, let registration = RegistrationCall(call) {
        applyRegistration(registration, task: task, call: call, notes: &notes)
      }
    case "prctl", "open", "openat", "write", "pwrite64", "close":
      if let naming = NamingCall(call) { applyNaming(naming, task: task, notes: &notes) }
      if call.name != "write", call.name != "pwrite64", call.name != "close", call.result?.isSuccess ?? false,
        let path = call.argument(at: call.name == "open" ? 0 : 1)?.stringValue?.lossyText,
        let fingerprint = RuntimeFingerprint.fromPath(path)
      {
        addEvidence(fingerprint, to: task.process)
      }
    case "futex", "futex_time64":
      if let futex = FutexCall(call) { applyFutex(futex, call: call, task: task, notes: &notes) }
    case "execve", "execveat":
      applyExec(call, task: task, event: event, notes: &notes)
    case "exit", "exit_group":
      if let exit = ExitCall(call), exit.wholeGroup {
        let tid = records[task.recordID - 1].tid
        task.process.exitGroupBy = tid
        explainEarlierExits(in: task.process, since: task.lastEventSerial, as: .groupExit(by: tid), notes: &notes)
      }
    case "wait4", "waitpid", "waitid":
      if let wait = WaitCall(call), let reaped = wait.reaped, let target = latestRecordByTID[reaped] {
        records[target - 1].joinedBy = .init(
          tid: records[task.recordID - 1].tid, id: task.recordID, how: .wait)
        notes.append(.reaped(target: target))
      }
    default:
      break
    }
  }

  private func applyCreation(
    _ clone: CloneCall, call: SyscallEvent, task: LiveTask, event: TraceEvent, notes: inout [LifecycleNote]
  ) {
    guard let result = call.result else { return }
    if case .failure(let errno) = result {
      counts.failedCreations += 1
      notes.append(.creationFailed(clone, errno: errno))
      return
    }
    guard let childTID = clone.newTID else { return }
    let parent = records[task.recordID - 1]
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
    if let earlyID = unclaimed.removeValue(forKey: childTID) {
      let early = live[childTID].flatMap { $0.recordID == earlyID ? $0 : nil }
      child = early ?? LiveTask(recordID: earlyID, process: task.process, addressSpace: task.addressSpace, files: task.files)
      child.process.members.remove(childTID)
      notes.append(.adopted(record: earlyID))
    } else {
      if let previous = live[childTID] {
        // The tid is reused while our record of the old task has no end: the trace missed that end.
        previous.release()
        live[childTID] = nil
        previous.process.members.remove(childTID)
      }
      let id = newRecord(tid: childTID, tgid: childTID, kind: kind)
      child = LiveTask(recordID: id, process: task.process, addressSpace: task.addressSpace, files: task.files)
      live[childTID] = child
    }

    // What the child shares and what it gets a copy of.
    if kind == .thread {
      child.process = task.process
    } else {
      child.process = ProcessState(tgid: childTID, id: newProcessRecord(tgid: childTID))
      processes[child.process.id - 1].program = processes[task.process.id - 1].program
    }
    if records[child.recordID - 1].end == nil { child.process.members.insert(childTID) }
    child.addressSpace = clone.flags.contains(.vm) ? task.addressSpace : task.addressSpace.copy()
    child.files = clone.flags.contains(.files) ? task.files : task.files.copy()

    let creatorRuntime = RuntimeFingerprint.creator(of: clone)
    if let creatorRuntime { addEvidence(creatorRuntime, to: task.process) }
    var stackNote: ThreadStack?
    update(child) { record in
      record.kind = kind
      record.tgid = kind == .thread ? parent.tgid : childTID
      record.parentID = parent.id
      record.parentTID = parent.tid
      record.creation = clone
      record.creationTime = event.time
      record.creationLine = event.origin?.line
      record.comm = parent.comm
      record.createdByRuntime = creatorRuntime
      if clone.flags.contains(.setTLS), let tls = clone.tls { record.registrations.threadPointer = tls }
      if record.firstSeen == nil { record.firstSeen = event.time }
    }
    if clone.flags.contains(.childClearTID), let word = clone.childTIDAddress, word != 0 {
      child.addressSpace.childTIDWords[word] = child.recordID
      update(child) { $0.registrations.tidAddress = word }
    }
    if let stack = resolveStack(clone, in: child.addressSpace, for: child.recordID) {
      stackNote = stack
      update(child) { $0.stack = stack }
    }
    notes.append(.created(record: child.recordID))
    if let stackNote { notes.append(.stackAssigned(record: child.recordID, stack: stackNote)) }
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
    if let previous = space.stackUsers[layout.mappingID], previous != recordID {
      stack.reusedFromID = previous
      stack.reusedFromTID = records[previous - 1].tid
    }
    space.stackUsers[layout.mappingID] = recordID
    return stack
  }

  private func applyMemory(_ memory: MemoryCall, task: LiveTask, notes: inout [LifecycleNote]) {
    let space = task.addressSpace
    switch memory {
    case .map(let address, let length, let protection, let flags, let fd):
      guard let address, flags.contains(.anonymous) || fd < 0 else { return }
      space.map(start: address, length: length, protection: protection, stackHint: flags.contains(.stack))
      if flags.contains(.stack) {
        notes.append(.stackReserved(base: address, length: length, accessible: protection != .none))
      }
    case .protect(let address, let length, let protection):
      guard space.regionIndex(containing: address) != nil else { return }
      space.protect(start: address, length: length, protection: protection)
      if protection != .none, let layout = space.layout(containing: address), layout.stackHint,
        layout.lowGuard > 0, layout.base + layout.lowGuard == address
      {
        notes.append(.stackGuardLaidOut(base: layout.base, guardSize: layout.lowGuard, usable: layout.accessible))
      }
    case .unmap(let address, let length):
      if let layout = space.layout(containing: address), let owner = space.stackUsers[layout.mappingID] {
        notes.append(.stackReleased(owner: owner, unmapped: true))
      }
      space.unmap(start: address, length: length)
    case .advise(let address, _, let advice):
      if advice == Advice.dontNeed || advice == Advice.free, let layout = space.layout(containing: address),
        let owner = space.stackUsers[layout.mappingID]
      {
        notes.append(.stackReleased(owner: owner, unmapped: false))
      }
    }
  }

  private func applyRegistration(
    _ registration: RegistrationCall, task: LiveTask, call: SyscallEvent, notes: inout [LifecycleNote]
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
      if let targetID { records[targetID - 1].registrations.affinity = cpus }
    case .signalStack(let base, let size, let disable):
      var stack = Registrations.SignalStack(base: base, size: size, guardSize: nil, disabled: disable)
      if !disable, let base, let layout = task.addressSpace.layout(containing: base), layout.base + layout.lowGuard == base {
        stack.guardSize = layout.lowGuard
      }
      if disable, let existing = records[task.recordID - 1].registrations.signalStack {
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

  private func applyNaming(_ naming: NamingCall, task: LiveTask, notes: inout [LifecycleNote]) {
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
    case .caller: return records[caller.recordID - 1].tid
    }
  }

  private func setName(_ id: Int, _ name: String, source: TaskRecord.NameSource, notes: inout [LifecycleNote]) {
    records[id - 1].name = name
    records[id - 1].nameSource = source
    records[id - 1].comm = name
    notes.append(.named(record: id, name: name, source: source))
    if let fingerprint = RuntimeFingerprint.fromThreadName(name), let task = live[records[id - 1].tid] {
      addEvidence(fingerprint, to: task.process)
    }
  }

  private func applyFutex(_ futex: FutexCall, call: SyscallEvent, task: LiveTask, notes: inout [LifecycleNote]) {
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
      records[target - 1].joinedBy = .init(tid: records[task.recordID - 1].tid, id: task.recordID, how: .futexOnChildTID)
    }
    notes.append(.joinWait(target: target, completed: completed))
  }

  private func applyExec(_ call: SyscallEvent, task: LiveTask, event: TraceEvent, notes: inout [LifecycleNote]) {
    guard let exec = ExecCall(call) else { return }
    var record = TaskRecord.ExecRecord(
      path: exec.path, arguments: exec.arguments, succeeded: false, errno: nil, time: event.time)
    switch call.result {
    case .success?:
      record.succeeded = true
    case .failure(let errno)?:
      record.errno = errno
      counts.failedExecs += 1
    default:
      // No return: the exec is still pending (another thread's exec may take over), or the log ended.
      task.process.execBy = records[task.recordID - 1].tid
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
      processes[task.process.id - 1].program = program
      processes[task.process.id - 1].runtimes = []
      if let program, let fingerprint = RuntimeFingerprint.fromPath(program) {
        addEvidence(fingerprint, to: task.process)
      }
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
        if let program { recordValue.comm = NamingCall.commText(Array((program.split(separator: "/").last ?? "").utf8)) }
      }
      notes.append(.execSucceeded(record: task.recordID))
    } else {
      update(task) { $0.execs.append(record) }
    }
  }

  // MARK: - Ends

  private func exitCause(of task: LiveTask) -> TaskRecord.ExitCause {
    let tid = records[task.recordID - 1].tid
    switch task.lastSyscall {
    case "exit": return .exit
    case "exit_group": return .exitGroup
    default: break
    }
    if let by = task.process.execBy, by != tid { return .execByOtherThread(by: by) }
    if let by = task.process.exitGroupBy, by != tid { return .groupExit(by: by) }
    return .unknown
  }

  private func end(_ task: LiveTask, _ end: TaskRecord.End, notes: inout [LifecycleNote]) {
    let tid = records[task.recordID - 1].tid
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
    task.process.members.remove(tid)
    update(task) { $0.endedThreadGroup = task.process.members.isEmpty }
    notes.append(.ended(record: task.recordID))
  }

  /// Exits the trace showed before the call that caused them: strace prints a split `execve` or `exit_group`
  /// only when it returns, after the other threads' `+++ exited` lines. Threads of the group that exited with no
  /// call of their own since the causing task's previous event died of it.
  private func explainEarlierExits(
    in process: ProcessState, since serial: Int, as cause: TaskRecord.ExitCause, notes: inout [LifecycleNote]
  ) {
    var explained: [Int] = []
    for id in process.unexplainedExits where records[id - 1].endSerial > serial {
      if case .exited(let code, .unknown)? = records[id - 1].end {
        records[id - 1].end = .exited(code: code, cause: cause)
        explained.append(id)
      }
    }
    process.unexplainedExits.removeAll()
    if !explained.isEmpty { notes.append(.earlierExitsExplained(records: explained, cause: cause)) }
  }

  private func takeOver(leader: LiveTask, formerTID: Int32, notes: inout [LifecycleNote]) {
    let leaderTID = records[leader.recordID - 1].tid
    guard let thread = live[formerTID], formerTID != leaderTID else { return }
    explainEarlierExits(
      in: thread.process, since: thread.lastEventSerial, as: .execByOtherThread(by: formerTID), notes: &notes)
    // The old leader's story ends here; the exec'ing thread continues under the leader's tid.
    update(leader) { $0.end = .supersededByExec(by: formerTID) }
    leader.release()
    notes.append(.ended(record: leader.recordID))
    leader.process.members.remove(leaderTID)
    live[formerTID] = nil
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
  let recordID: Int
  var process: ProcessState
  /// Counted in the address space's `users`, as the kernel counts `mm_users`.
  var addressSpace: AddressSpace {
    didSet {
      oldValue.users -= 1
      addressSpace.users += 1
    }
  }
  var files: FileTable
  var lastSyscall: String?
  var lastEventSerial = 0

  init(recordID: Int, process: ProcessState, addressSpace: AddressSpace, files: FileTable) {
    self.recordID = recordID
    self.process = process
    self.addressSpace = addressSpace
    self.files = files
    addressSpace.users += 1
  }

  /// The task is gone: it no longer uses its address space.
  func release() { addressSpace.users -= 1 }

  func tid(in records: [TaskRecord]) -> Int32 { records[recordID - 1].tid }
}

/// A thread group while it lives.
final class ProcessState {
  let tgid: Int32
  /// Index + 1 into `Lifecycle.processes`.
  let id: Int
  var members: Set<Int32> = []
  /// A thread of the group called `exit_group`: the others' exits follow from it.
  var exitGroupBy: Int32?
  /// A thread of the group is in `execve`: if it succeeds, the others are killed.
  var execBy: Int32?
  var sawGuardedAltStack: Set<Int> = []
  /// Threads that ended with no call of their own to explain it (see `explainEarlierExits`).
  var unexplainedExits: [Int] = []

  init(tgid: Int32, id: Int) {
    self.tgid = tgid
    self.id = id
  }
}

/// The part of a file descriptor table the fold follows: descriptors open on a `comm` file.
final class FileTable {
  var commFiles: [Int32: Int32] = [:]

  func copy() -> FileTable {
    let copy = FileTable()
    copy.commFiles = commFiles
    return copy
  }
}
