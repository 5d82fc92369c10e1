import SyscallDecoding
import TraceModel

/// Explains: a task's name being set, by `prctl(PR_SET_NAME)` on itself or by writing a `comm` file in /proc
/// (what glibc's `pthread_setname_np` does for another thread).
struct ThreadNameRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["open", "openat"], notes: [.named]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    var annotations: [Annotation] = []
    for case .named(let id, let name, let source) in notes {
      let record = lifecycle.record(id)
      switch source {
      case .prctl: annotations.append(note(Message.ownName(name)))
      case .commWrite: annotations.append(note(Message.commWrite(record.tid, name)))
      }
    }
    if annotations.isEmpty, let call = SyscallEvent.of(event), call.name == "openat" || call.name == "open",
      case .openComm(let target, _)? = NamingCall(call)
    {
      annotations.append(note(Message.opened(target)))
    }
    return annotations
  }
}

extension ThreadNameRule {
  fileprivate enum Message {
    static func ownName(_ name: String) -> String {
      "names itself \"\(name)\" (PR_SET_NAME sets the kernel's comm, at most 15 bytes, shown by ps, top and /proc)"
    }

    static func commWrite(_ tid: Int32, _ name: String) -> String {
      "names thread \(tid) \"\(name)\" by writing its /proc comm file (pthread_setname_np on another thread)"
    }

    static func opened(_ target: CommTarget) -> String {
      switch target {
      case .thread(let tid): return "opens thread \(tid)'s comm file, to read or set its name"
      case .processLeader(let pid): return "opens the comm file of process \(pid.map(String.init) ?? "self")'s main thread"
      case .caller: return "opens its own comm file"
      }
    }
  }
}
