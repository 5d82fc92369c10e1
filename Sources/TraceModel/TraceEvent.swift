/// One thing that happened to one task, as the live engine sees it or as a recorded trace shows it.
///
/// The live tracer and every reader produce these same values, so everything downstream (the lifecycle fold,
/// the explainer, the renderers, the differ) is tested from files and never knows where events came from.
public struct TraceEvent: Hashable, Sendable {
  // The optionals are kept as a value and a flag bit each, packed so that every field sits at its natural
  // alignment: with `Int32?`, `TraceTime?` and `Origin?` stored as such, their tags fell on odd offsets, and
  // each copy of an event (every one is moved several times on its way out of a reader) stalled on misaligned
  // loads of freshly stored bytes (measured: a tenth of strace reading time). Absent values are stored as 0
  // so that the synthesized `==` and `hash(into:)` over these fields mean the same as over the optionals.
  // (`@usableFromInline` so that the accessors and the initialiser can be inlined into readers and consumers:
  // a call per field on every event is measurable.)
  @usableFromInline var storedTime: Int64
  @usableFromInline var storedOriginLine: Int
  /// The task (thread id) the event belongs to. 0 when the source did not say (a `-f` log before any clone).
  public var tid: Int32
  @usableFromInline var storedTGID: Int32
  @usableFromInline var storedOriginFile: Int32
  @usableFromInline var present: Present
  public var body: Body

  @usableFromInline struct Present: OptionSet, Hashable, Sendable {
    @usableFromInline var rawValue: UInt8
    @inlinable init(rawValue: UInt8) { self.rawValue = rawValue }
    @inlinable static var tgid: Present { Present(rawValue: 1) }
    @inlinable static var time: Present { Present(rawValue: 2) }
    @inlinable static var origin: Present { Present(rawValue: 4) }
  }

  /// The thread group (process) of the task, when the source knows it (the live engine does; strace text
  /// does not, and the lifecycle model infers it from the clone flags).
  public var tgid: Int32? {
    @inlinable get { present.contains(.tgid) ? storedTGID : nil }
    @inlinable set {
      storedTGID = newValue ?? 0
      if newValue == nil { present.remove(.tgid) } else { present.insert(.tgid) }
    }
  }

  /// When it happened; for a syscall, when it returned (strace prints exit times on resumed lines).
  public var time: TraceTime? {
    @inlinable get { present.contains(.time) ? TraceTime(microseconds: storedTime) : nil }
    @inlinable set {
      storedTime = newValue?.microseconds ?? 0
      if newValue == nil { present.remove(.time) } else { present.insert(.time) }
    }
  }

  /// Where the event came from in its input, for warnings and for `explain` to point back at the log.
  public var origin: Origin? {
    @inlinable get { present.contains(.origin) ? Origin(file: storedOriginFile, line: storedOriginLine) : nil }
    @inlinable set {
      storedOriginFile = newValue?.file ?? 0
      storedOriginLine = newValue?.line ?? 0
      if newValue == nil { present.remove(.origin) } else { present.insert(.origin) }
    }
  }

  @inlinable
  public init(tid: Int32, tgid: Int32? = nil, time: TraceTime? = nil, body: Body, origin: Origin? = nil) {
    self.tid = tid
    self.body = body
    storedTGID = tgid ?? 0
    storedTime = time?.microseconds ?? 0
    storedOriginFile = origin?.file ?? 0
    storedOriginLine = origin?.line ?? 0
    var present = Present()
    if tgid != nil { present.insert(.tgid) }
    if time != nil { present.insert(.time) }
    if origin != nil { present.insert(.origin) }
    self.present = present
  }

  public enum Body: Hashable, Sendable {
    /// A system call: complete, or only its entry or only its exit when the source lost the other half.
    case syscall(SyscallEvent)
    /// A signal-delivery stop: strace's `--- SIGCHLD {si_signo=…} ---`.
    case signal(SignalEvent)
    /// A group-stop (`--- stopped by SIGSTOP ---`): the task stopped, nothing delivered.
    case groupStop(signal: Int32)
    /// The task ended with `exit`/`exit_group`: strace's `+++ exited with N +++`.
    case exited(code: Int32)
    /// The task was killed by a signal: `+++ killed by SIGSEGV (core dumped) +++`.
    case killed(signal: Int32, coreDumped: Bool)
    /// A non-leader thread `formerTID` called `execve`; the kernel gave it the leader's tid (this event's tid)
    /// and every other thread of the group is gone. strace: `+++ superseded by execve in pid FORMER +++`;
    /// ptrace: `PTRACE_EVENT_EXEC` with `PTRACE_GETEVENTMSG` = the former tid.
    case execTookOver(formerTID: Int32)
    /// The tracer attached to or detached from the task (`strace: Process N attached`).
    case attached
    case detached
    /// The task switched syscall personality (`[ Process PID=N runs in 32 bit mode. ]`).
    case personality(Architecture)
    /// A message of the tracer itself, kept for the record (`strace: …`).
    case tracerMessage(String)
    /// What tracing cost the task, read at its exit stop (live traces only; comes right before its end).
    case cost(TaskCost)
    /// The robust list and rseq area the kernel holds for the task, read instead of stopping at the calls that
    /// set them (live traces only).
    case registrations(RegistrationState)
  }

  /// Where in an input an event was read.
  public struct Origin: Hashable, Sendable {
    /// Index of the input file (0 for a single file; a `-ff` set numbers its files).
    public var file: Int32
    /// 1-based line number in that file.
    public var line: Int

    @inlinable
    public init(file: Int32 = 0, line: Int) {
      self.file = file
      self.line = line
    }
  }
}

extension TraceEvent: CustomReflectable {
  /// The fields as declared, not their packed storage (test failures, `dump`).
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "tid": tid, "tgid": tgid as Any, "time": time as Any, "body": body, "origin": origin as Any,
      ], displayStyle: .struct)
  }
}

/// A point in time in microseconds. What the zero is depends on the source (see `TraceClock`).
public struct TraceTime: Hashable, Comparable, Sendable {
  public var microseconds: Int64

  @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

  public static func < (lhs: TraceTime, rhs: TraceTime) -> Bool { lhs.microseconds < rhs.microseconds }
}

/// What a trace's timestamps count from.
public enum TraceClock: String, Hashable, Sendable, Codable {
  /// Microseconds since the Unix epoch (strace `-ttt`, threadtrace's own traces).
  case epoch
  /// Microseconds since midnight, unrolled past midnight (strace `-t`/`-tt`).
  case timeOfDay
  /// Microseconds since the first event (strace `-r`, summed).
  case relative
}

/// The syscall ABI a call was made through. A 64-bit task may use the i386 ABI with `int 0x80`.
public enum Architecture: String, Hashable, Sendable, Codable, CaseIterable {
  case x86_64
  case i386
}
