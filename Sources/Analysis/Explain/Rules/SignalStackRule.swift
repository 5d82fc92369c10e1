import SyscallDecoding
import TraceModel

/// Explains: `sigaltstack` — the alternate stack signal handlers run on, and the guard page below it if any
/// (Rust's std gives every thread one, to report stack overflows).
struct SignalStackRule: ExplainRule {
  var scope: RuleScope { .notes(.signalStackSet) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    notes.compactMap { item -> Annotation? in
      guard case .signalStackSet(_, let stack) = item else { return nil }
      if stack.disabled { return note(Message.disabled) }
      return note(Message.installed(size: stack.size, base: stack.base, guardSize: stack.guardSize))
    }
  }
}

extension SignalStackRule {
  fileprivate enum Message {
    static let disabled = "turns its alternate signal stack off (SS_DISABLE), as done before freeing it"

    static func installed(size: UInt64?, base: UInt64?, guardSize: UInt64?) -> String {
      let sizeText = size.map(Format.size) ?? "?"
      let what = "installs \(Format.article(sizeText)) \(sizeText) alternate signal stack at \(base.map(Format.address) ?? "?"): handlers registered with SA_ONSTACK run there, even after the normal stack overflowed"
      guard let guardSize, guardSize > 0 else { return what }
      return what + ", with a \(Format.size(guardSize)) PROT_NONE guard below it"
    }
  }
}
