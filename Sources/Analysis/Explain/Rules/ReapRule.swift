import SyscallDecoding
import TraceModel

/// Explains: `wait4`/`waitid` reaping a child process.
struct ReapRule: ExplainRule {
  var scope: RuleScope { .notes(.reaped) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    notes.compactMap { item -> Annotation? in
      guard case .reaped(let target) = item else { return nil }
      return note(Message.reaped(lifecycle.record(target).tid))
    }
  }
}

extension ReapRule {
  fileprivate enum Message {
    static func reaped(_ tid: Int32) -> String {
      "reaps child \(tid): collects its exit status and the kernel frees what was left of it (the zombie)"
    }
  }
}
