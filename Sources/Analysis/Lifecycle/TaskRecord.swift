import SyscallDecoding
import TraceModel

/// Everything the trace showed about one task's life: how it was made, what it registered, how it ended.
///
/// A tid can be reused within one trace; `id` tells the lifetimes apart.
public struct TaskRecord: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// Present when the trace began (the traced command, or an attached task).
    case initial
    /// A thread: `CLONE_THREAD`, same thread group as its creator.
    case thread
    /// A new process: `fork`, or `clone` without `CLONE_THREAD`.
    case process
    /// A process made with `CLONE_VFORK` (`vfork`, `posix_spawn`): the parent is suspended until it execs or exits.
    case vfork
  }

  /// Order of first sight in the trace, 1-based; unique per lifetime even when tids are reused.
  public var id: Int
  /// The current tid (a thread that exec'd takes the leader's tid; `formerTID` keeps the old one).
  public var tid: Int32
  public var formerTID: Int32?
  public var tgid: Int32
  /// The creating task's record id and tid.
  public var parentID: Int?
  public var parentTID: Int32?
  public var kind: Kind
  public var creation: CloneCall?
  public var creationTime: TraceTime?
  public var creationLine: Int?
  /// The creator's user stack at the creating call, innermost frame first (`trace --stacks`); nil when not recorded.
  public var creatorStack: [StackFrame]?
  public var stack: ThreadStack?
  /// The name set explicitly (prctl, comm write), however it was set, and how.
  public var name: String?
  public var nameSource: NameSource?
  /// The name the kernel shows for the task (`comm`): an explicit name, else inherited from the creator or set by
  /// `execve` to the program's file name.
  public var comm: String?
  public var registrations = Registrations()
  public var execs: [ExecRecord] = []
  public var end: End?
  /// Who waited for this task's end: the futex wait on its `child_tid` word (pthread_join) or `wait4`.
  public var joinedBy: Join?
  /// At exit the kernel zeroed the `clear_child_tid` word and woke its futex (it does so only while other tasks
  /// still share the memory).
  public var clearedChildTIDAtExit = false
  /// The lifecycle model's event count when the task ended (orders ends against other tasks' activity).
  public var endSerial = 0
  /// It was the last task of its thread group to end: the process ended with it.
  public var endedThreadGroup = false
  public var syscallCount = 0
  /// What tracing cost it, from a live trace (`TraceEvent.Body.cost`).
  public var cost: TaskCost?
  public var firstSeen: TraceTime?
  public var lastSeen: TraceTime?
  /// The runtime whose thread-creation pattern made this task, with the evidence.
  public var createdByRuntime: RuntimeFingerprint?

  public init(id: Int, tid: Int32, tgid: Int32, kind: Kind) {
    self.id = id
    self.tid = tid
    self.tgid = tgid
    self.kind = kind
  }

  public enum NameSource: String, Hashable, Sendable {
    /// `prctl(PR_SET_NAME)` by the thread itself (what `pthread_setname_np(pthread_self(), …)` does).
    case prctl
    /// A write to `/proc/<pid>/task/<tid>/comm` (what `pthread_setname_np` does for another thread).
    case commWrite = "comm_write"
  }

  public struct ExecRecord: Hashable, Sendable {
    public var path: String?
    public var arguments: [String]
    public var succeeded: Bool
    public var errno: Int32?
    public var time: TraceTime?
  }

  public struct Join: Hashable, Sendable {
    public enum How: String, Hashable, Sendable {
      /// A futex wait on the `child_tid` word the kernel clears and wakes at exit (`pthread_join`).
      case futexOnChildTID = "futex_child_tid"
      /// `wait4`/`waitid` reaped the process.
      case wait
    }
    public var tid: Int32
    public var id: Int
    public var how: How

    public init(tid: Int32, id: Int, how: How) {
      self.tid = tid
      self.id = id
      self.how = how
    }
  }

  public enum End: Hashable, Sendable {
    /// `+++ exited with N +++`; `cause` says which call made it happen.
    case exited(code: Int32, cause: ExitCause)
    case killed(signal: Int32, coreDumped: Bool)
    /// The old thread-group leader, replaced when thread `by` called execve.
    case supersededByExec(by: Int32)
  }

  public enum ExitCause: Hashable, Sendable {
    /// The task's own `exit` (one thread).
    case exit
    /// The task's own `exit_group`.
    case exitGroup
    /// Another thread of the group called `exit_group`.
    case groupExit(by: Int32)
    /// Another thread of the group called `execve`, which ends every other thread.
    case execByOtherThread(by: Int32)
    /// The trace shows no call that explains it (the call was filtered out, or returned from main via a path
    /// strace did not show).
    case unknown
  }

  /// Alive when the trace ended.
  public var isAlive: Bool { end == nil }
}

/// A thread's stack as the trace shows it.
public struct ThreadStack: Hashable, Sendable {
  /// Start of the whole mapping, guard included (nil when no mapping was seen).
  public var base: UInt64?
  /// The usable (read-write) part.
  public var size: UInt64?
  /// The inaccessible (`PROT_NONE`) part below the usable part; 0 when there is none.
  public var guardSize: UInt64?
  /// Bytes at the low end of the stack a runtime made inaccessible after the thread started (the JVM's guard
  /// zones), beyond `guardSize`; nil when none.
  public var runtimeGuardSize: UInt64?
  /// Where the size came from.
  public var source: Source
  /// The id of an earlier task that ran on the same mapping (a stack cached and reused by glibc).
  public var reusedFromID: Int?
  public var reusedFromTID: Int32?

  public enum Source: String, Hashable, Sendable {
    /// Matched to an `mmap` (and `mprotect`) seen in the trace.
    case mapping
    /// Only the clone3 `stack`/`stack_size` arguments: the mapping was made before the trace or not shown.
    case cloneArguments = "clone_arguments"
    /// clone's stack pointer lies in memory the trace never showed being mapped for a stack (a runtime's heap).
    case unmapped
  }

  public init(
    base: UInt64?, size: UInt64?, guardSize: UInt64?, source: Source, reusedFromID: Int? = nil,
    reusedFromTID: Int32? = nil
  ) {
    self.base = base
    self.size = size
    self.guardSize = guardSize
    self.source = source
    self.reusedFromID = reusedFromID
    self.reusedFromTID = reusedFromTID
  }
}

/// What a task registered with the kernel about itself.
public struct Registrations: Hashable, Sendable {
  public var rseq: Rseq?
  public var robustList: RobustList?
  public var signalStack: SignalStack?
  public var tidAddress: UInt64?
  public var threadPointer: UInt64?
  public var affinity: String?

  public init() {}

  public struct Rseq: Hashable, Sendable {
    public var address: UInt64
    public var length: UInt64
    public var signature: UInt64
  }

  public struct RobustList: Hashable, Sendable {
    public var head: UInt64
    public var length: UInt64
  }

  public struct SignalStack: Hashable, Sendable {
    public var base: UInt64?
    public var size: UInt64?
    /// A `PROT_NONE` range right below the alternate stack (Rust std puts one page there).
    public var guardSize: UInt64?
    public var disabled: Bool
  }
}
