import SyscallDecoding
import TraceModel

/// Explains: `futex` — a join (a wait on another thread's `child_tid` word), waits on private words (mutexes,
/// condition variables), shared words, and wakes.
struct FutexRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["futex", "futex_time64"], notes: [.joinWait]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    for case .joinWait(let target, let completed) in notes {
      let record = lifecycle.record(target)
      guard let call = SyscallEvent.of(event), let futex = FutexCall(call) else { continue }
      if case .failure(let errno)? = call.result, ErrnoNames.name(of: errno) == "EAGAIN" {
        return [note(Message.joinAlreadyExited(record.tid, futex.address))]
      }
      return [note(completed ? Message.joined(record.tid, futex.address) : Message.joinWaiting(record.tid, futex.address))]
    }
    guard let call = SyscallEvent.of(event), let futex = FutexCall(call), let command = futex.command else { return [] }
    switch command {
    case .wait, .waitBitset:
      if case .failure(let errno)? = call.result, ErrnoNames.name(of: errno) == "ETIMEDOUT" {
        return [note(Message.timedOut(futex.address))]
      }
      if case .failure(let errno)? = call.result, ErrnoNames.name(of: errno) == "EAGAIN" {
        return [note(Message.valueChanged(futex.address))]
      }
      return [note(futex.isPrivate ? Message.waitPrivate(futex.address) : Message.waitShared(futex.address))]
    case .wake, .wakeBitset:
      guard let woken = call.result?.value else { return [] }
      return [note(Message.wake(woken: woken, of: futex.value, futex.address))]
    case .lockPI, .lockPI2, .trylockPI:
      return [note(Message.lockPI(futex.address))]
    case .unlockPI:
      return [note(Message.unlockPI(futex.address))]
    case .requeue, .cmpRequeue, .cmpRequeuePI, .waitRequeuePI:
      return [note(Message.requeue(futex.address))]
    case .wakeOp, .fd:
      return []
    }
  }
}

extension FutexRule {
  fileprivate enum Message {
    static func joined(_ tid: Int32, _ address: UInt64) -> String {
      "waits for thread \(tid) to exit (pthread_join): \(Format.address(address)) is its child_tid word, which the kernel zeroed and woke when \(tid) exited"
    }

    static func joinWaiting(_ tid: Int32, _ address: UInt64) -> String {
      "waits for thread \(tid) to exit (pthread_join) on its child_tid word \(Format.address(address)); the wait had not returned when the trace ended"
    }

    static func joinAlreadyExited(_ tid: Int32, _ address: UInt64) -> String {
      "joins thread \(tid): its child_tid word \(Format.address(address)) had already changed, so it had exited and no sleep was needed"
    }

    static func waitPrivate(_ address: UInt64) -> String {
      "sleeps until another thread of this process wakes \(Format.address(address)) (a private futex: a mutex, condition variable or semaphore)"
    }

    static func waitShared(_ address: UInt64) -> String {
      "sleeps on the shared futex \(Format.address(address)) (no FUTEX_PRIVATE_FLAG: another process may wake it)"
    }

    static func timedOut(_ address: UInt64) -> String { "the wait on \(Format.address(address)) timed out" }

    static func valueChanged(_ address: UInt64) -> String {
      "did not sleep: the word at \(Format.address(address)) no longer held the expected value (EAGAIN)"
    }

    static func wake(woken: Int64, of limit: Int64?, _ address: UInt64) -> String {
      let limitText = limit.map { $0 == Int64(Int32.max) ? "all" : "up to \($0)" } ?? "some"
      return "wakes \(limitText) waiters on \(Format.address(address)); \(woken) woke"
    }

    static func lockPI(_ address: UInt64) -> String {
      "takes the priority-inheritance lock \(Format.address(address)): the owner runs at the waiter's priority until it unlocks"
    }

    static func unlockPI(_ address: UInt64) -> String { "releases the priority-inheritance lock \(Format.address(address))" }

    static func requeue(_ address: UInt64) -> String {
      "moves waiters from \(Format.address(address)) to another futex without waking them all (a condition variable broadcast)"
    }
  }
}
