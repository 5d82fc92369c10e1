import SyscallDecoding
import TraceModel

/// Explains: `arch_prctl(ARCH_SET_FS)`, which points the FS register at the thread's TLS block.
struct ThreadPointerRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["arch_prctl"]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    guard let call = SyscallEvent.of(event), call.tookEffect,
      case .threadPointer(let base)? = RegistrationCall(call)
    else { return [] }
    return [note(Message.set(base))]
  }
}

extension ThreadPointerRule {
  fileprivate enum Message {
    static func set(_ base: UInt64) -> String {
      "points the FS register at \(Format.address(base)): this thread's TLS (what CLONE_SETTLS does for a new thread)"
    }
  }
}
