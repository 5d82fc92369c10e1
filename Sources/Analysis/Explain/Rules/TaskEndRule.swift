import SyscallDecoding
import TraceModel

/// Explains: a task's end (`+++ exited`, `+++ killed by`, superseded by another thread's exec) and what the
/// kernel does then without any syscall showing it: clear and wake `child_tid`, walk the robust list, signal
/// the parent.
struct TaskEndRule: ExplainRule {
  var scope: RuleScope { .notes(.earlierExitsExplained, .ended) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    var annotations: [Annotation] = []
    for case .earlierExitsExplained(let ids, let cause) in notes {
      let tids = ids.map { lifecycle.record($0).tid }
      if let text = Message.earlierEnds(tids, cause) { annotations.append(note(text, tone: .kernel)) }
    }
    for case .ended(let id) in notes {
      let record = lifecycle.record(id)
      guard let end = record.end else { continue }
      switch end {
      case .exited(let code, let cause):
        if let causeText = Message.cause(cause) { annotations.append(note(causeText)) }
        annotations.append(
          note(record.endedThreadGroup ? Message.processExited(record, code) : Message.threadGone(record.tid), tone: .kernel))
      case .killed(let signal, let coreDumped):
        annotations.append(note(Message.killed(signal, coreDumped: coreDumped), tone: .kernel))
      case .supersededByExec(let by):
        annotations.append(note(Message.superseded(record.tid, by: by), tone: .kernel))
        continue
      }
      if record.clearedChildTIDAtExit, let word = record.registrations.tidAddress {
        annotations.append(note(Message.clearedTID(word), tone: .kernel))
      }
      if record.registrations.robustList != nil {
        annotations.append(note(Message.robustWalk, tone: .kernel))
      }
    }
    return annotations
  }
}

extension TaskEndRule {
  fileprivate enum Message {
    static func cause(_ cause: TaskRecord.ExitCause) -> String? {
      switch cause {
      case .groupExit(let by): return "ended by exit_group in thread \(by)"
      case .execByOtherThread(let by): return "ended because thread \(by) called execve"
      case .exit, .exitGroup, .unknown: return nil
      }
    }

    static func earlierEnds(_ tids: [Int32], _ cause: TaskRecord.ExitCause) -> String? {
      let who = (tids.count == 1 ? "thread " : "threads ") + Format.list(tids.map(String.init))
      switch cause {
      case .groupExit(let by): return "\(who) ended above because thread \(by) called exit_group"
      case .execByOtherThread(let by): return "\(who) ended above because thread \(by) called execve"
      case .exit, .exitGroup, .unknown: return nil
      }
    }

    static func threadGone(_ tid: Int32) -> String {
      Format.message("thread \(tid) is gone; the process goes on, and no signal goes to its parent")
    }

    static func processExited(_ record: TaskRecord, _ code: Int32) -> String {
      // A thread that exec'd became the leader; de_thread() gives it exit_signal SIGCHLD.
      let signal = record.formerTID != nil ? 17 : record.creation.map { $0.exitSignal } ?? 17
      let parentNote = signal == 0 ? "no signal goes to its parent" : "its parent gets \(Format.signal(signal)) and must reap it with wait"
      return "process \(record.tgid) ended with status \(code): \(parentNote)"
    }

    static func killed(_ signal: Int32, coreDumped: Bool) -> String {
      let what = Signals.description(of: signal).map { " (\($0))" } ?? ""
      return "killed by \(Format.signal(signal))\(what): a fatal signal ends every thread of the process" + (coreDumped ? "; the kernel wrote a core dump" : "")
    }

    static func superseded(_ tid: Int32, by: Int32) -> String {
      "the old main thread \(tid) is gone: thread \(by) exec'd and now carries tid \(tid)"
    }

    private static let clearedTIDs = RecentMessages()

    /// Kept by address: a reused stack's threads have the same word.
    static func clearedTID(_ word: UInt64) -> String {
      clearedTIDs.text(RecentMessages.Key(address: word)) {
        Format.message("the kernel zeroed its child_tid word \(address: word) and woke a futex waiter there (its joiner)")
      }
    }

    static let robustWalk = "the kernel walked its robust futex list: robust mutexes it still held are now FUTEX_OWNER_DIED"
  }
}
