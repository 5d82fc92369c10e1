import SyscallDecoding
import TraceModel

/// Explains: `set_tid_address`, which sets the word the kernel clears and wakes when this task exits.
struct TidAddressRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["set_tid_address"]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    // set_tid_address returns the caller's tid, which is also what a fast-path trace that skipped its return knows.
    guard let call = SyscallEvent.of(event), let tid = call.result?.value ?? (call.tookEffect ? Int64(event.tid) : nil),
      case .tidAddress(let address)? = RegistrationCall(call)
    else { return [] }
    return [note(Message.set(address, tid: tid))]
  }
}

extension TidAddressRule {
  fileprivate enum Message {
    static func set(_ address: UInt64, tid: Int64) -> String {
      "sets clear_child_tid to \(Format.address(address)) and learns its tid \(tid): when it exits while other tasks share its memory, the kernel writes 0 there and wakes one futex waiter"
    }
  }
}
