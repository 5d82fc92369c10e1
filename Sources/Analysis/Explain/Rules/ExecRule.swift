import SyscallDecoding
import TraceModel

/// Explains: `execve`/`execveat` — a successful program change and what survives it, a failed attempt, and
/// an exec from a non-leader thread taking over the leader's tid.
struct ExecRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["execve", "execveat"], notes: [.execTookOver]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    var annotations: [Annotation] = []
    for item in notes {
      if case .execTookOver(_, let formerTID) = item {
        annotations.append(note(Message.tookOver(formerTID, event.tid), tone: .kernel))
      }
    }
    guard let call = SyscallEvent.of(event), let exec = ExecCall(call) else { return annotations }
    let path = exec.path ?? "?"
    switch call.result {
    case .success?:
      annotations.append(note(Message.replaced(path)))
    case .failure(let errno)?:
      annotations.append(note(Message.failed(path, errno)))
    default:
      break
    }
    return annotations
  }
}

extension ExecRule {
  fileprivate enum Message {
    static func replaced(_ path: String) -> String {
      "runs \(path) in place of the old program: a new address space, every other thread gone, caught signals reset to default, close-on-exec descriptors closed; same pid"
    }

    static func failed(_ path: String, _ errno: Int32) -> String {
      "could not run \(path) (\(ErrnoNames.name(of: errno) ?? "errno \(errno)"): \(ErrnoNames.message(of: errno) ?? "")); the old program goes on"
    }

    static func tookOver(_ former: Int32, _ leader: Int32) -> String {
      "thread \(former) called execve from outside the main thread: the kernel killed the other threads and gave \(former) the leader's tid \(leader)"
    }
  }
}
