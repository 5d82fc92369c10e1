import SyscallDecoding
import TraceModel

/// What the lifecycle model learned from one event: the links it made between this event and others. The
/// explainer's rules read these instead of re-deriving them.
public enum LifecycleNote: Hashable, Sendable {
  /// A task was created; `record` is the new task's record id.
  case created(record: Int)
  /// A creating call failed; nothing was created.
  case creationFailed(CloneCall, errno: Int32)
  /// A task seen before its creator's clone returned (the child ran first) was linked to its creator.
  case adopted(record: Int)
  /// An anonymous mapping that looks like a thread stack was made: `MAP_STACK`, or `PROT_NONE` to be split.
  case stackReserved(base: UInt64, length: UInt64, accessible: Bool)
  /// `mprotect` opened the upper part of a reserved stack, leaving `guard` bytes `PROT_NONE` below it.
  case stackGuardLaidOut(base: UInt64, guardSize: UInt64, usable: UInt64)
  /// The creating call's stack was matched to a mapping (or only known from its arguments).
  case stackAssigned(record: Int, stack: ThreadStack)
  /// A runtime made the low end of task `owner`'s stack inaccessible after the task started (its own guard).
  case runtimeGuard(owner: Int, size: UInt64)
  /// A registration call of the task itself (rseq, robust list, TLS …).
  case registered(record: Int)
  /// The task's alternate signal stack, with the guard found below it.
  case signalStackSet(record: Int, stack: Registrations.SignalStack)
  case named(record: Int, name: String, source: TaskRecord.NameSource)
  /// A futex wait on the `child_tid` word of task `record`: a join. `completed` once the wait returned.
  case joinWait(target: Int, completed: Bool)
  /// `wait4`/`waitid` reaped task `record`.
  case reaped(target: Int)
  /// A stack that task `owner` (tid `ownerTID`) ran on was released (`madvise`) or unmapped (`munmap`). The
  /// owner may have ended long before, its record handed over and gone: its tid travels with the note.
  case stackReleased(owner: Int, ownerTID: Int32, unmapped: Bool)
  /// The task ended (exit, death, or superseded).
  case ended(record: Int)
  /// Tasks whose ends came before the call that caused them in the trace (strace prints a split `execve` or
  /// `exit_group` when it returns), now known to have ended of `cause`.
  case earlierExitsExplained(records: [Int], cause: TaskRecord.ExitCause)
  /// A successful `execve`: the address space and program are new.
  case execSucceeded(record: Int)
  /// A non-leader thread's exec took over the leader's tid.
  case execTookOver(record: Int, formerTID: Int32)
}
