import SyscallDecoding
import TraceModel

/// Explains: `sched_setaffinity`, which limits the CPUs a task may run on.
struct AffinityRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["sched_setaffinity"]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    guard let call = SyscallEvent.of(event), call.tookEffect,
      case .affinity(let target, let cpus)? = RegistrationCall(call)
    else { return [] }
    return [note(Message.set(target: target, cpus: cpus))]
  }
}

extension AffinityRule {
  fileprivate enum Message {
    static func set(target: Int32, cpus: String?) -> String {
      let who = target == 0 ? "itself" : "task \(target)"
      return "restricts \(who) to CPUs \(cpus ?? "(mask not shown)"); the scheduler will not run it elsewhere"
    }
  }
}
