import SyscallDecoding
import TraceModel

/// Explains: `set_robust_list`, which tells the kernel where this thread's robust mutexes are listed.
struct RobustListRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["set_robust_list"]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    guard let call = SyscallEvent.of(event), call.tookEffect,
      case .robustList(let head, _)? = RegistrationCall(call)
    else { return [] }
    return [note(Message.registered(head))]
  }
}

extension RobustListRule {
  fileprivate enum Message {
    static func registered(_ head: UInt64) -> String {
      Format.message(
        "registers its robust futex list at \(address: head): if the thread exits or dies holding a robust mutex, the kernel marks it FUTEX_OWNER_DIED and wakes a waiter")
    }
  }
}
