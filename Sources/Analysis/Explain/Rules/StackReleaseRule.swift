import SyscallDecoding
import TraceModel

/// Explains: `madvise` or `munmap` on the stack of a thread, which frees its memory after it exited.
struct StackReleaseRule: ExplainRule {
  var scope: RuleScope { .notes(.stackReleased) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    notes.compactMap { item -> Annotation? in
      guard case .stackReleased(_, let tid, let unmapped) = item else { return nil }
      return note(unmapped ? Message.unmapped(tid) : Message.released(tid))
    }
  }
}

extension StackReleaseRule {
  fileprivate enum Message {
    static func released(_ tid: Int32) -> String {
      Format.message(
        "gives back the memory of thread \(tid)'s stack but keeps the mapping, so a later thread can reuse it (glibc's stack cache)")
    }

    static func unmapped(_ tid: Int32) -> String { Format.message("unmaps the stack thread \(tid) ran on") }
  }
}
