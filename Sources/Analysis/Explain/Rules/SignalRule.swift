import SyscallDecoding
import TraceModel

/// Explains: a signal delivered to a task, and a group-stop.
struct SignalRule: ExplainRule {
  var scope: RuleScope { RuleScope(otherEvents: true) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    switch event.body {
    case .signal(let signal):
      if Signals.name(of: signal.signal) == "SIGCHLD" {
        return [note(Message.childChanged(signal.senderPID))]
      }
      return [note(Message.delivered(signal.signal))]
    case .groupStop(let signal):
      return [note(Message.groupStop(signal))]
    default:
      return []
    }
  }
}

extension SignalRule {
  fileprivate enum Message {
    static func childChanged(_ pid: Int32?) -> String {
      "SIGCHLD: child \(pid.map(String.init) ?? "?") exited, was killed or stopped"
    }

    static func delivered(_ signal: Int32) -> String {
      let description = Signals.description(of: signal).map { ": \($0)" } ?? ""
      return "\(Format.signal(signal)) is delivered\(description)"
    }

    static func groupStop(_ signal: Int32) -> String {
      "stopped by \(Format.signal(signal)): every thread of the process stops until SIGCONT"
    }
  }
}
