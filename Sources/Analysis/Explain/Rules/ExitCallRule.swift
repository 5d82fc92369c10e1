import SyscallDecoding
import TraceModel

/// Explains: `exit` (one thread) and `exit_group` (the whole process).
struct ExitCallRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["exit", "exit_group"]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    guard let call = SyscallEvent.of(event), let exit = ExitCall(call) else { return [] }
    let tgid = lifecycle.liveRecord(tid: event.tid)?.tgid ?? lifecycle.latestRecord(tid: event.tid)?.tgid ?? event.tid
    return [note(exit.wholeGroup ? Message.group(tgid, exit.code) : Message.thread)]
  }
}

extension ExitCallRule {
  fileprivate enum Message {
    static let thread = "ends this thread only (exit); the process lives on while it has other threads"

    static func group(_ tgid: Int32, _ code: Int32) -> String {
      "ends every thread of process \(tgid) with status \(code) (exit_group: what exit() and returning from main do)"
    }
  }
}
