import CPtraceShim
import Glibc
import SyscallDecoding
import TraceModel

/// How much the tracee stops.
public struct TraceOptions: Hashable, Sendable {
  public enum Mode: Hashable, Sendable {
    /// A seccomp filter stops only the lifecycle calls (`SeccompFilter`).
    case fast
    /// Stop at every syscall entry and exit (PTRACE_SYSCALL), like plain `strace -f`.
    case allSyscalls
  }

  public var mode: Mode
  /// Fast mode: stop at private futex calls too.
  public var allFutex: Bool
  /// Fast mode (and what an attached trace reports): the calls to stop at, instead of the lifecycle set
  /// (`trace -e`/`--syscalls`). Creations, execs and exits are followed whatever the set.
  public var syscalls: Set<String>?

  public init(mode: Mode = .fast, allFutex: Bool = false, syscalls: Set<String>? = nil) {
    self.mode = mode
    self.allFutex = allFutex
    self.syscalls = syscalls
  }
}

/// How a traced session ended.
public struct TraceOutcome: Hashable, Sendable {
  public enum End: Hashable, Sendable {
    case exited(code: Int32)
    case killed(signal: Int32, coreDumped: Bool)
  }

  /// How the launched process ended (its first task's wait status).
  public var end: End?
  /// The launched command could not be started: the child's errno and at which step.
  public var spawnFailure: SpawnFailure?
  /// The signal that interrupted the session (the traced tree was then killed), or nil.
  public var interruptedBy: Int32?
  /// ptrace stops handled.
  public var stops: Int

  /// The exit code a shell would give: the command's, or 128+N after death by signal N.
  public var exitCode: Int32 {
    if let spawnFailure { return spawnFailure.exitCode }
    // The command died of our SIGKILL: say what stopped the tracer, as a shell would for the tracer itself.
    if let interruptedBy { return 128 + interruptedBy }
    switch end {
    case .exited(let code)?: return code
    case .killed(let signal, _)?: return 128 + signal
    case nil: return 1
    }
  }
}

/// The child's report that it could not exec (or install the filter).
public struct SpawnFailure: Hashable, Sendable {
  public enum Stage: Int32, Hashable, Sendable {
    case filter = 1
    case exec = 2
  }

  public var stage: Stage
  public var errno: Int32

  /// As a shell says it: 127 for a command not found, 126 for one found but not runnable.
  public var exitCode: Int32 { stage == .exec && errno == ENOENT ? 127 : 126 }

  public var reason: String {
    let text = String(cString: strerror(errno))
    switch stage {
    case .filter: return "cannot install the seccomp filter: \(text)"
    case .exec:
      switch errno {
      case ENOENT: return "command not found"
      case EACCES: return "permission denied (not executable, or a directory)"
      case ENOEXEC: return "not an executable format (a script without #!?)"
      default: return text
      }
    }
  }
}

/// Launches a command under ptrace and turns its stops into `TraceEvent`s.
///
/// Every ptrace request is made by the thread that calls `start` and `run` (ptrace answers only the thread that
/// attached; another thread's requests fail with ESRCH), so both must run on one OS thread, outside Swift
/// concurrency. The loop blocks only in `waitpid(-1, __WALL)`, and reads tracee memory only at ptrace-stops.
public final class Tracer {
  /// The command to launch; empty when attaching.
  public let command: [String]
  /// The running processes to attach to (`trace -p`); empty when launching.
  public let attachTargets: [Int32]
  public let options: TraceOptions
  /// The launched process, once started.
  public private(set) var pid: Int32 = 0
  /// Takes the creator's stack at clone-family entries (`trace --stacks`); nil: no stacks, no cost.
  public var stacks: StackCollector?

  private var threads: [Int32: ThreadState] = [:]
  private var failureFD: Int32 = -1
  private var outcome = TraceOutcome(end: nil, spawnFailure: nil, interruptedBy: nil, stops: 0)
  private var killing = false
  /// Attach mode: SIGINT/SIGTERM came, every task is being interrupted and let go.
  private var detaching = false
  /// Told what the user should know while the loop runs (the command ended but left processes running).
  public var notice: ((String) -> Void)?
  /// Set by `attach`, given to the sink when `run` starts.
  private var attachEvents: [TraceEvent] = []
  /// The registrations read from the kernel rather than stopped at.
  private let registrationReads: RegistrationReads
  private let contextSwitches = ContextSwitches()
  /// Tasks that ended before any creator claimed them (by tid: their thread group, and the stop count when first
  /// seen): `orphanedThread` may still match one.
  private var endedUnclaimed: [Int32: (tgid: Int32, firstSeenAtStop: Int)] = [:]
  /// Creations entered and not yet completed, by creator tid: the thread group the new task will be in (nil: its
  /// own, a new process). A superset: an entry is checked against the creator's pending call when used.
  private var pendingCreations: [Int32: Int32?] = [:]

  public init(command: [String], options: TraceOptions = TraceOptions()) {
    precondition(!command.isEmpty, "Tracer needs a command")
    self.command = command
    self.attachTargets = []
    self.options = options
    registrationReads = RegistrationReads(options: options, attaching: false)
  }

  /// A tracer for processes already running. No seccomp filter can be put into a running process, so every
  /// syscall stops; unless `options.mode` is `.allSyscalls`, only the calls the fast path would stop at are
  /// reported.
  public init(attachingTo pids: [Int32], options: TraceOptions = TraceOptions()) {
    precondition(!pids.isEmpty, "Tracer needs a process to attach to")
    self.command = []
    self.attachTargets = pids
    self.options = options
    registrationReads = RegistrationReads(options: options, attaching: true)
  }

  private var attaching: Bool { !attachTargets.isEmpty }
  /// Stop at every syscall entry and exit (PTRACE_SYSCALL): without the fast path's filter.
  private var stepping: Bool { options.mode == .allSyscalls || attaching }

  deinit {
    if failureFD >= 0 { close(failureFD) }
  }

  /// Forks the command, seizes it with EXITKILL (the tracees die with the tracer rather than run on with a
  /// filter nobody answers), and lets it go on to exec.
  public func start() throws(EngineError) {
    let fast = options.mode == .fast
    let filter = fast ? try SeccompFilter.program(allFutex: options.allFutex, calls: options.syscalls) : []
    var spawned = cpt_spawned(pid: 0, release_fd: -1, failure_fd: -1)
    let arguments = command.map { strdup($0) }
    defer { arguments.forEach { free($0) } }
    let argv = arguments + [nil]
    // Found in PATH here, as strace does: the child's execvp would otherwise try every PATH directory, and each
    // failed execve would be traced as the command's own.
    let file = PrivilegeCheck.resolve(command[0]) ?? command[0]
    let result = filter.withUnsafeBytes { program in
      argv.withUnsafeBufferPointer { argv in
        cpt_spawn(file, argv.baseAddress!, fast ? program.baseAddress : nil, UInt16(filter.count / 8), &spawned)
      }
    }
    if result < 0 { throw EngineError(.spawnFailed, request: "fork", errno: -result) }
    pid = spawned.pid
    failureFD = spawned.failure_fd
    do {
      try Ptrace.seize(pid, options: Ptrace.options(traceSeccomp: fast, exitKill: true))
    } catch {
      // The child waits for the release pipe: killing it before it could run anything untraced.
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      close(spawned.release_fd)
      throw error
    }
    let thread = ThreadState(tid: pid, tgid: pid)
    thread.beforeFirstExec = true
    threads[pid] = thread
    if !fast {
      // PTRACE_SYSCALL needs a stop to be given: interrupt the child (blocked in read) and restart it in
      // syscall-stepping mode, so its exec's entry is seen too.
      try Ptrace.interrupt(pid)
      var status: Int32 = 0
      while waitpid(pid, &status, __WALL) < 0 && errno == EINTR {}
      cpt_spawn_release(&spawned)
      try Ptrace.syscall(pid)
    } else {
      cpt_spawn_release(&spawned)
    }
  }

  /// Seizes every thread of each target (without EXITKILL: detaching must leave them running) and interrupts
  /// it, so that the loop can start syscall-stepping it. Threads created meanwhile by a thread not yet seized
  /// are not followed automatically: /proc/PID/task is read again until two reads in a row find nothing new
  /// (as gdb does). Throws on the first target that cannot be seized, after letting go of the others.
  public func attach() throws(EngineError) {
    let options = Ptrace.options(traceSeccomp: false, exitKill: false)
    let now = TraceTime.now()
    for target in attachTargets {
      var quietRounds = 0
      var first = true
      while quietRounds < 2 {
        var found = false
        for tid in AttachCheck.tasks(of: target) where threads[tid] == nil {
          do {
            try Ptrace.seize(tid, options: options)
          } catch {
            // A thread that exited between the read and the seize is no loss (a process that keeps making
            // short-lived threads has some in every listing); the process itself is.
            if error.errno == ESRCH && tid != target { continue }
            detachAll()
            throw error
          }
          try Ptrace.interrupt(tid)
          let thread = ThreadState(tid: tid, tgid: target)
          thread.registrationsBeforeAttach = registrationReads.atAttach
          threads[tid] = thread
          attachEvents.append(TraceEvent(tid: tid, tgid: target, time: now, body: .attached))
          found = true
        }
        if first && !found { throw EngineError(.attachFailed, request: "PTRACE_SEIZE", errno: ESRCH) }
        first = false
        quietRounds = found ? 0 : quietRounds + 1
      }
    }
  }

  /// Lets go of every seized task without waiting: for a failed attach, before any stop was handled.
  private func detachAll() {
    for tid in threads.keys {
      if !((try? Ptrace.detach(tid)) ?? false) {
        // Not stopped yet: interrupt, wait for that stop, detach.
        _ = try? Ptrace.interrupt(tid)
        var status: Int32 = 0
        var waited = waitpid(tid, &status, __WALL)
        // An interrupt's wake-up SIGALRM (Interrupts.swift) must not leave the task stopped and traced.
        while waited < 0 && errno == EINTR { waited = waitpid(tid, &status, __WALL) }
        if waited == tid, cpt_wifstopped(status) { _ = try? Ptrace.detach(tid) }
      }
    }
    threads.removeAll()
  }

  /// Runs until every tracee is gone, giving each event to `sink` as it happens. `idle` is called whenever no
  /// stop is waiting, right before the loop blocks: the moment to flush output, so that it is live without a
  /// write per event while the tracee waits.
  public func run(idle: () -> Void = {}, _ sink: (TraceEvent) -> Void) throws(EngineError) -> TraceOutcome {
    var status: Int32 = 0
    for event in attachEvents { sink(event) }
    attachEvents.removeAll()
    while true {
      let interrupt = InterruptSignals.pending
      if interrupt != 0 {
        InterruptSignals.acknowledge()
        if !killing, !detaching {
          outcome.interruptedBy = interrupt
          if attaching { beginDetach() } else { killTree() }
        }
      }
      var tid = waitpid(-1, &status, __WALL | WNOHANG)
      if tid == 0 {
        idle()
        tid = waitpid(-1, &status, __WALL)
      }
      if tid < 0 {
        let error = errno
        if error == EINTR { continue }
        if error == ECHILD { break }
        throw EngineError(.ptraceRequestFailed, request: "waitpid", errno: error)
      }
      outcome.stops += 1
      try handle(tid: tid, status: status, sink: sink)
    }
    return outcome
  }

  // MARK: Stops

  private func handle(tid: Int32, status: Int32, sink: (TraceEvent) -> Void) throws(EngineError) {
    let now = TraceTime.now()
    let thread = threads[tid] ?? firstSight(tid)
    if killing, !thread.killed {
      // A task first seen after the kill (a child whose fork raced it) goes too.
      thread.killed = true
      kill(tid, SIGKILL)
    }
    thread.stops += 1
    func emit(_ body: TraceEvent.Body) { sink(TraceEvent(tid: tid, tgid: thread.tgid, time: now, body: body)) }
    let stop = Stop.classify(status: status, eventMessage: { Ptrace.eventMessage(tid) })
    if detaching {
      try letGo(thread, stop, time: now, sink: sink)
      return
    }
    if thread.registrationsBeforeAttach {
      switch stop {
      case .exited, .killed: break
      default:
        // Its first stop since the attach: ptrace reads need the task stopped.
        thread.registrationsBeforeAttach = false
        readRegistrations(thread, at: .attach, time: now, sink: sink)
      }
    }
    switch stop {
    case .exited(let code):
      flushPending(thread, time: now, sink: sink)
      emit(.exited(code: code))
      ended(thread, .exited(code: code))
    case .killed(let signal, let core):
      flushPending(thread, time: now, sink: sink)
      emit(.killed(signal: signal, coreDumped: core))
      ended(thread, .killed(signal: signal, coreDumped: core))
    case .syscall:
      guard let info = Ptrace.syscallInfo(tid) else { return }  // gone; waitpid reports how
      switch info.op {
      case 1: beginCall(thread, info, time: now, sink: sink)
      case 2: finishCall(thread, info, time: now, sink: sink)
      default: break
      }
      try resume(thread)
    case .seccomp:
      guard let info = Ptrace.syscallInfo(tid) else { return }
      if info.op == 3 { beginCall(thread, info, time: now, sink: sink) }
      try resume(thread)
    case .created(let kind, let newTID):
      var tgid = newTID
      if kind == .clone, let pending = thread.pending, let clone = CloneCall(pending.event) {
        if clone.createsThread { tgid = thread.tgid }
      } else if kind == .clone {
        // The call was not stopped at (a --syscalls set without it): the kernel knows the new task's group.
        tgid = ProcFiles.statusField("Tgid", of: newTID).map { Int32(truncatingIfNeeded: $0) } ?? newTID
      }
      // The creator's call returns the new task's pid in the creator's PID namespace (1, 2 … inside
      // `unshare -p`); the event message is the tracer's view, the tid every record uses: the return value is
      // recorded as that (fault test T25), as strace --pidns-translation shows it. The fast path completes the
      // call here with that tid; --all-syscalls completes it at its exit stop, which reads this.
      thread.pending?.createdTID = newTID
      if let early = threads[newTID] {
        early.tgid = tgid  // its first stop came before this event (rule 4): claim it
        early.awaitingCreator = false
      } else if endedUnclaimed.removeValue(forKey: newTID) != nil {
        // Its whole life came before this event: there is nothing left of it to follow.
      } else {
        threads[newTID] = ThreadState(tid: newTID, tgid: tgid)
      }
      // The parent's return value is the new tid (in our namespace, as the event message is); the exit stop
      // would say nothing more. Failed creations have no event and still reach their exit stop.
      completeAtEvent(thread, result: .success(Int64(newTID)), time: now, sink: sink)
      try resume(thread)
    case .exec(let formerTID):
      stacks?.addressSpaceReplaced(tgid: thread.tgid)
      execTookOver(thread, formerTID: formerTID, time: now, sink: sink)
      completeAtEvent(thread, result: .success(0), time: now, sink: sink)
      try resume(thread)
    case .exitEvent(let status):
      // Before the exit is reported: at this stop the kernel has not yet walked the robust list (exit_mm).
      if registrationReads.atStops { readRegistrations(thread, at: .exit, time: now, sink: sink) }
      exiting(thread, status: status, time: now, sink: sink)
      if let cost = cost(of: thread) { emit(.cost(cost)) }
      // Sticky since Linux 6.1: only a resume lets the task finish dying, SIGKILL or not.
      try Ptrace.cont(tid)
    case .groupStop(let signal):
      emit(.groupStop(signal: signal))
      // LISTEN keeps it stopped, as untraced, yet lets it report SIGCONT; CONT would end the stop.
      try Ptrace.listen(tid)
    case .eventStop:
      try resume(thread)
    case .signalDelivery(let signal):
      let info = Ptrace.signalInfo(tid)
      emit(.signal(Self.signalEvent(signal, info)))
      try resume(thread, signal: signal)
    case .other:
      try resume(thread)
    }
  }

  /// A tid never seen before: a new task whose creator's event has not come yet. Its thread group comes from the
  /// creations in flight (`groupOfUnclaimed`), else from /proc; the creation event, when it comes, confirms it.
  private func firstSight(_ tid: Int32) -> ThreadState {
    let tgid =
      groupOfUnclaimed(tid) ?? ProcFiles.statusField("Tgid", of: tid).map { Int32(truncatingIfNeeded: $0) } ?? tid
    let thread = ThreadState(tid: tid, tgid: tgid)
    thread.awaitingCreator = true
    thread.firstSeenAtStop = outcome.stops
    threads[tid] = thread
    return thread
  }

  /// The thread group of a task that stopped before its creator's clone event, from the creations in progress,
  /// without reading /proc/TID/status: that costs 4.6 µs of the kernel's formatting plus the parse, for nearly
  /// every thread a Go program makes (its new threads usually stop first), about 3 ms of a 500-thread run.
  ///
  /// The new task comes from one of the creations entered and not yet completed, provided the tracer stops at
  /// every creation's entry: a launched command (every call since its exec was seen) under the default filter,
  /// a `--syscalls` set with the whole clone family, or every syscall. If those creations all put the new task
  /// in the same group, that is its group. Otherwise (creations of threads of two processes, or of a thread and
  /// a process at once; an attached process, whose calls in progress at the attach were not seen): nil.
  private func groupOfUnclaimed(_ tid: Int32) -> Int32? {
    guard !attaching, stopsAtEveryCreation else { return nil }
    var group: Int32?
    var stale: [Int32] = []
    for (creator, implied) in pendingCreations {
      // Every change of a pending call goes through `complete` or `flushPending`, which drop the entry: a creator
      // still holding a call without its event holds that creation. Entries of tasks gone unreported are stale.
      guard let pending = threads[creator]?.pending, pending.createdTID == nil else {
        stale.append(creator)
        continue
      }
      let newGroup = implied ?? tid
      if let known = group, known != newGroup { return nil }
      group = newGroup
    }
    for creator in stale { pendingCreations[creator] = nil }
    return group
  }

  private var stopsAtEveryCreation: Bool {
    guard options.mode == .fast, let calls = options.syscalls else { return true }
    return ["clone", "clone3", "fork", "vfork"].allSatisfy(calls.contains)
  }

  private func resume(_ thread: ThreadState, signal: Int32 = 0) throws(EngineError) {
    // Fast mode steps to the syscall exit only while a call waits for its result.
    if stepping || thread.pending != nil {
      try Ptrace.syscall(thread.tid, signal: signal)
    } else {
      try Ptrace.cont(thread.tid, signal: signal)
    }
  }

  private func ended(_ thread: ThreadState, _ end: TraceOutcome.End) {
    threads[thread.tid] = nil
    if thread.awaitingCreator { endedUnclaimed[thread.tid] = (thread.tgid, thread.firstSeenAtStop) }
    guard thread.tid == pid, outcome.end == nil else { return }
    outcome.end = end
    // Hard-cases T24: the command is done but left processes behind (`cmd &`, a daemon). Following them until
    // they end is strace -f's behaviour; detaching is not an option in fast mode (their filter would make every
    // traced call fail with ENOSYS). Never wait silently: say who is still followed.
    // Its own threads are going with it (exit_group), even if the tracer still holds state for them (a Go
    // program's last clone, whose child the exit_group took before its first stop).
    let left = Set(threads.values.filter { !$0.killed && $0.tgid != thread.tgid }.map(\.tgid)).sorted()
    if !left.isEmpty, !killing {
      let shown = left.prefix(5).map { tgid in
        "\(tgid)" + (AttachCheck.command(of: tgid).map { " (\(String($0.prefix(40))))" } ?? "")
      }
      let one = left.count == 1
      notice?(
        "\(command.first ?? "the command") ended; still following the \(one ? "process" : "\(left.count) processes") "
          + "it left running: \(shown.joined(separator: ", "))\(left.count > 5 ? " …" : ""), "
          + "until \(one ? "it ends" : "they end") (as strace -f does); Ctrl-C ends \(one ? "it" : "them")")
    }
    if failureFD >= 0 {
      var failure = cpt_spawn_failure()
      if cpt_spawn_read_failure(failureFD, &failure) == 1, let stage = SpawnFailure.Stage(rawValue: failure.stage) {
        outcome.spawnFailure = SpawnFailure(stage: stage, errno: failure.error)
      }
      close(failureFD)
      failureFD = -1
    }
  }

  // MARK: Syscalls

  private func beginCall(_ thread: ThreadState, _ info: cpt_syscall_info, time: TraceTime, sink: (TraceEvent) -> Void) {
    flushPending(thread, time: time, sink: sink)
    let architecture: Architecture = info.arch == cpt_audit_arch_i386 ? .i386 : .x86_64
    let number = Int32(truncatingIfNeeded: info.nr)
    let name = SyscallDecoder.name(of: number, in: architecture)
    let args = withUnsafeBytes(of: info.args) { Array($0.bindMemory(to: UInt64.self)) }
    if architecture != thread.architecture {
      // A 64-bit task calling through int 0x80, or back (strace: `[ Process PID=N runs in 32 bit mode. ]`).
      thread.architecture = architecture
      if !thread.beforeFirstExec {
        sink(TraceEvent(tid: thread.tid, tgid: thread.tgid, time: time, body: .personality(architecture)))
      }
    }
    // Attached, every call stops; report what the fast path's filter would have stopped at.
    if attaching, options.mode != .allSyscalls,
      !SeccompFilter.traces(name: name, args: args, allFutex: options.allFutex, calls: options.syscalls)
    {
      return
    }
    let arguments = SyscallDecoder.entry(
      name: name, architecture: architecture, args: args, memory: LiveMemory(tid: thread.tid))
    var event = SyscallEvent(name: name, number: number, architecture: architecture, arguments: arguments)
    if name == "restart_syscall", let original = thread.restartableCall {
      // The kernel resumes a call cut short with ERESTART_RESTARTBLOCK (nanosleep, poll, futex …) through
      // restart_syscall, which has no arguments of its own: say which call it continues, in strace's words, so
      // it reads like a logged `restart_syscall(<... resuming interrupted clock_nanosleep ...>)` (T10).
      event.arguments = [Argument(.text("<... resuming interrupted \(original) ...>"))]
    }
    if let stacks, architecture == .x86_64, StackCollector.records(name) {
      event.stack = stacks.capture(tid: thread.tid, tgid: thread.tgid, instructionPointer: info.instruction_pointer)
    }
    if name == "execve" || name == "execveat" {
      // What the old program registered, before exec clears it (exec_mm_release, rseq_execve). The launched
      // child's first execve has nothing of the command's to show.
      if registrationReads.atStops, !thread.beforeFirstExec {
        readRegistrations(thread, at: .exec, time: time, sink: sink)
      }
      thread.beforeFirstExec = false
    }
    if name == "exit" || name == "exit_group" {
      // These never return: the next thing the task reports is its PTRACE_EVENT_EXIT.
      event.completeness = .entryOnly
      thread.exitReported = true
      emit(event, thread: thread, time: time, sink: sink)
      return
    }
    if !stepping, !ExitStops.needed(name: name, args: args) {
      event.completeness = .resultUnread
      emit(event, thread: thread, time: time, sink: sink)
      return
    }
    thread.pending = PendingCall(event: event, args: args, entryTime: time, entryStop: outcome.stops)
    if let clone = CloneCall(event) {
      // updateValue, not a subscript: nil (a new process) is a value here, not a removal.
      pendingCreations.updateValue(clone.createsThread ? thread.tgid : nil, forKey: thread.tid)
    }
  }

  /// Fast mode: a creation or exec whose event stop already gave its result. The call is reported complete
  /// now and the task resumed with PTRACE_CONT, which skips the stop at its exit. An attached trace steps to the
  /// exit anyway, but reports the creation here too: before the new task's own first events, more often than
  /// not, rather than after a whole short life of it (the parent's exit stop can come last).
  private func completeAtEvent(_ thread: ThreadState, result: SyscallResult, time: TraceTime, sink: (TraceEvent) -> Void) {
    guard options.mode != .allSyscalls, let pending = thread.pending else { return }
    switch pending.event.name {
    case "clone", "clone3", "fork", "vfork", "execve", "execveat": break
    default: return
    }
    complete(thread, pending, result: result, time: time, sink: sink)
  }

  /// PTRACE_EVENT_EXIT. The fast path's filter lets `exit` through unstopped (a thread's end is reported here
  /// anyway): when the registers say the task is in `exit`, the call is reported from this stop.
  private func exiting(_ thread: ThreadState, status: Int32, time: TraceTime, sink: (TraceEvent) -> Void) {
    guard !thread.exitReported, status & 0x7f == 0 else { return }
    thread.exitReported = true
    var registers = cpt_regs()
    guard cpt_getregs(thread.tid, &registers) == 0 else { return }
    // orig_rax is the number in the ABI the call came through: 60 is exit for x86_64, 1 for i386 (int 0x80),
    // where 60 is umask. A thread zapped by another's exit_group while blocked in a call also has a plain exit
    // status, so only the ABI of the call in progress tells i386 exit from x86_64 write (1).
    let architecture: Architecture
    switch registers.orig_rax {
    case 60:
      architecture = .x86_64
    case 1:
      guard let info = Ptrace.syscallInfo(thread.tid), info.arch == cpt_audit_arch_i386 else { return }
      architecture = .i386
    default:
      return
    }
    // The status argument as the call received it, from the wait status (its low byte is all the kernel keeps).
    let args = [UInt64((status >> 8) & 0xff), 0, 0, 0, 0, 0]
    let arguments = SyscallDecoder.entry(
      name: "exit", architecture: architecture, args: args, memory: LiveMemory(tid: thread.tid))
    var event = SyscallEvent(
      name: "exit", number: Int32(registers.orig_rax), architecture: architecture, arguments: arguments)
    event.completeness = .entryOnly
    emit(event, thread: thread, time: time, sink: sink)
  }

  private func finishCall(_ thread: ThreadState, _ info: cpt_syscall_info, time: TraceTime, sink: (TraceEvent) -> Void) {
    guard let pending = thread.pending else { return }  // an exit whose entry we never saw (none in launch mode)
    complete(thread, pending, result: Self.result(rval: info.rval, isError: info.is_error != 0), time: time, sink: sink)
  }

  private func complete(
    _ thread: ThreadState, _ pending: PendingCall, result: SyscallResult, time: TraceTime, sink: (TraceEvent) -> Void
  ) {
    thread.pending = nil
    pendingCreations[thread.tid] = nil
    var event = pending.event
    var result = result
    if let created = pending.createdTID, case .success(let value, _) = result, value > 0, value != Int64(created) {
      result = .success(Int64(created))
    }
    if case .interrupted(errno: 516) = result {  // ERESTART_RESTARTBLOCK: restart_syscall will continue it
      if event.name != "restart_syscall" { thread.restartableCall = event.name }
    } else if event.name == "restart_syscall" {
      thread.restartableCall = nil
    }
    event.result = result
    event.arguments = SyscallDecoder.exit(
      name: event.name, architecture: event.architecture, args: pending.args, arguments: event.arguments,
      result: result, memory: LiveMemory(tid: thread.tid))
    if pending.entryTime != time { event.entryTime = pending.entryTime }
    emit(event, thread: thread, time: time, sink: sink)
  }

  /// A call that will never see its exit (the task died or exec'd in it): reported as entered only.
  private func flushPending(_ thread: ThreadState, time: TraceTime, sink: (TraceEvent) -> Void) {
    guard let pending = thread.pending else { return }
    thread.pending = nil
    pendingCreations[thread.tid] = nil
    var event = pending.event
    if let child = orphanedThread(of: thread, pending) {
      // The clone did create it: report the call complete, with the child's tid, as its event would have.
      event.result = .success(Int64(child))
      if pending.entryTime != time { event.entryTime = pending.entryTime }
      emit(event, thread: thread, time: time, sink: sink)
      return
    }
    event.completeness = .entryOnly
    emit(event, thread: thread, time: pending.entryTime, sink: sink)
  }

  private func emit(_ call: SyscallEvent, thread: ThreadState, time: TraceTime, sink: (TraceEvent) -> Void) {
    // The launched child's own set-up between fork and exec is ours, not the command's.
    if thread.beforeFirstExec { return }
    sink(TraceEvent(tid: thread.tid, tgid: thread.tgid, time: time, body: .syscall(call)))
  }

  /// The thread a creator's `clone` made when the creator died before its clone event: another thread's
  /// `exit_group` came between the creation and PTRACE_EVENT_CLONE (no event stop is reported once a fatal signal
  /// is pending), while the new thread, whose first stop came first, ran on. It is the one thread of the
  /// creator's group first seen without a creator (alive, or already ended), if there is exactly one.
  private func orphanedThread(of creator: ThreadState, _ pending: PendingCall) -> Int32? {
    guard pending.createdTID == nil, let clone = CloneCall(pending.event), clone.createsThread else { return nil }
    // Seen after the clone was entered, in the creator's group.
    var candidates = threads.values.filter {
      $0.awaitingCreator && $0.tgid == creator.tgid && $0.firstSeenAtStop > pending.entryStop
    }.map(\.tid)
    candidates += endedUnclaimed.filter { $0.value.tgid == creator.tgid && $0.value.firstSeenAtStop > pending.entryStop }
      .map(\.key)
    guard candidates.count == 1, let child = candidates.first else { return nil }
    threads[child]?.awaitingCreator = false
    endedUnclaimed[child] = nil
    return child
  }

  /// PTRACE_EVENT_EXEC. When a non-leader execs, the kernel has already torn down the other threads (they
  /// reported their exits) and gives the execing thread the leader's tid: its pending execve moves to the leader,
  /// whose own pending call never returns.
  private func execTookOver(_ leader: ThreadState, formerTID: Int32, time: TraceTime, sink: (TraceEvent) -> Void) {
    leader.beforeFirstExec = false
    if leader.tid == pid, failureFD >= 0 {
      close(failureFD)
      failureFD = -1
    }
    guard formerTID != 0, formerTID != leader.tid else { return }
    flushPending(leader, time: time, sink: sink)
    if let former = threads.removeValue(forKey: formerTID) {
      leader.pending = former.pending
    }
    sink(TraceEvent(tid: leader.tid, tgid: leader.tgid, time: time, body: .execTookOver(formerTID: formerTID)))
    for (tid, other) in threads where other.tgid == leader.tgid && tid != leader.tid {
      threads[tid] = nil  // gone without a report (ptrace(2) BUGS)
    }
  }

  /// Reads the task's robust list and rseq registration (the task is stopped) and reports them.
  private func readRegistrations(
    _ thread: ThreadState, at moment: RegistrationState.Moment, time: TraceTime, sink: (TraceEvent) -> Void
  ) {
    guard !thread.beforeFirstExec,
      let state = registrationReads.read(thread.tid, at: moment, architecture: thread.architecture)
    else { return }
    sink(TraceEvent(tid: thread.tid, tgid: thread.tgid, time: time, body: .registrations(state)))
  }

  /// The task's context switches, read at its exit stop, less the ones its ptrace stops account for.
  private func cost(of thread: ThreadState) -> TaskCost? {
    guard let (voluntary, involuntary) = contextSwitches.read(tgid: thread.tgid, tid: thread.tid) else { return nil }
    return TaskCost(
      stops: thread.stops, voluntarySwitches: max(0, voluntary - thread.stops), involuntarySwitches: involuntary)
  }

  static func result(rval: Int64, isError: Bool) -> SyscallResult {
    guard isError else { return .success(rval) }
    let code = Int32(truncatingIfNeeded: -rval)
    // ERESTARTSYS … ERESTART_RESTARTBLOCK (512…516): kernel-internal, the call will be restarted.
    return (512...516).contains(code) ? .interrupted(errno: code) : .failure(errno: code)
  }

  static func signalEvent(_ signal: Int32, _ info: cpt_siginfo?) -> SignalEvent {
    guard let info else { return SignalEvent(signal: signal) }
    let name = Signals.name(of: info.signo) ?? "\(info.signo)"
    var details = "si_signo=\(name), si_code=\(info.code)"
    var sender: Int32?
    if info.code <= 0 || info.signo == SIGCHLD {
      sender = info.sender_pid
      details += ", si_pid=\(info.sender_pid), si_uid=\(info.sender_uid)"
    } else if [SIGSEGV, SIGBUS, SIGILL, SIGFPE].contains(info.signo) {
      details += ", si_addr=" + (info.fault_address == 0 ? "NULL" : "0x" + String(info.fault_address, radix: 16))
    }
    return SignalEvent(signal: signal, code: String(info.code), senderPID: sender, details: details)
  }

  // MARK: Interrupt

  /// Attach mode: interrupts every task; each is detached at its next stop (`letGo`), and the loop ends when
  /// none is left. A running tracee cannot be detached (ptrace(2): interrupt it, wait for the stop, detach).
  private func beginDetach() {
    detaching = true
    for tid in threads.keys { _ = try? Ptrace.interrupt(tid) }
  }

  /// Detaches `thread` at this stop, handing on a signal that was about to be delivered; a group-stopped task
  /// stays stopped, as it would be untraced.
  private func letGo(_ thread: ThreadState, _ stop: Stop, time: TraceTime, sink: (TraceEvent) -> Void) throws(EngineError) {
    let tid = thread.tid
    switch stop {
    case .exited, .killed:
      flushPending(thread, time: time, sink: sink)
      threads[tid] = nil
      return
    case .exitEvent:
      // Dying anyway: it must be resumed (sticky), and waitpid will report its end.
      try Ptrace.cont(tid)
      return
    case .signalDelivery(let signal):
      try Ptrace.detach(tid, signal: signal)
    default:
      try Ptrace.detach(tid)
    }
    flushPending(thread, time: time, sink: sink)
    sink(TraceEvent(tid: tid, tgid: thread.tgid, time: time, body: .detached))
    threads[tid] = nil
  }

  /// Kills every traced process: in fast mode detaching would leave them with a filter whose traced calls fail
  /// with ENOSYS. The loop goes on reaping (and resuming exit stops) until none is left.
  private func killTree() {
    killing = true
    var groups = Set<Int32>()
    for thread in threads.values {
      thread.killed = true
      groups.insert(thread.tgid)
    }
    for tgid in groups { kill(tgid, SIGKILL) }
  }
}

/// What the engine knows of one task. A class: the loop updates it in place from several helpers.
final class ThreadState {
  let tid: Int32
  var tgid: Int32
  /// The call entered and not yet returned; fast mode steps to its exit.
  var pending: PendingCall?
  /// The launched child between fork and its first execve: its calls are the spawn's, not the command's.
  var beforeFirstExec = false
  var killed = false
  var stops = 0
  /// Its `exit`/`exit_group` was reported (at the entry, or synthesised at PTRACE_EVENT_EXIT).
  var exitReported = false
  /// The call last cut short with ERESTART_RESTARTBLOCK: what a following restart_syscall continues.
  var restartableCall: String?
  /// The ABI of its last syscall: a change is reported as a personality event.
  var architecture = Architecture.x86_64
  /// Attached to while running: its registrations are read at its first stop.
  var registrationsBeforeAttach = false
  /// First seen at its own first stop, before its creator's clone event claimed it.
  var awaitingCreator = false
  /// The stop count when it was first seen.
  var firstSeenAtStop = 0

  init(tid: Int32, tgid: Int32) {
    self.tid = tid
    self.tgid = tgid
  }
}

struct PendingCall {
  var event: SyscallEvent
  var args: [UInt64]
  var entryTime: TraceTime
  /// The stop count at its entry.
  var entryStop = 0
  /// The task this call created (PTRACE_EVENT_FORK/VFORK/CLONE's message), in the tracer's PID namespace.
  var createdTID: Int32?
}

extension TraceTime {
  /// Now, in microseconds since the epoch (the clock of threadtrace's own traces).
  static func now() -> TraceTime {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return TraceTime(microseconds: Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000)
  }
}
