import SyscallDecoding
import TraceModel

/// Explains: clone flag combinations the kernel refuses (each an EINVAL), and flags that change who is the
/// parent or whether a tracer follows the child.
struct CloneFlagRulesRule: ExplainRule {
  // The names of CloneCall.Syscall.
  var scope: RuleScope { RuleScope(syscalls: ["clone", "clone3", "fork", "vfork"]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    guard let call = SyscallEvent.of(event), let clone = CloneCall(call) else { return [] }
    var annotations = ResourceSharing.ruleViolations(clone).map { note(Message.broken($0), tone: .warning) }
    if clone.flags.contains(.parent) { annotations.append(note(Message.parent)) }
    if clone.flags.contains(.untraced) { annotations.append(note(Message.untraced, tone: .warning)) }
    if clone.flags.contains(.pidfd) { annotations.append(note(Message.pidfd)) }
    if clone.flags.contains(.intoCgroup) { annotations.append(note(Message.intoCgroup)) }
    return annotations
  }
}

extension CloneFlagRulesRule {
  fileprivate enum Message {
    static func broken(_ rule: String) -> String { "the kernel refuses this: \(rule)" }
    static let parent = "CLONE_PARENT: the new task's parent is the caller's parent, not the caller"
    static let untraced = "CLONE_UNTRACED: a tracer cannot follow this child automatically"
    static let pidfd = "CLONE_PIDFD: the caller also gets a pidfd for the child, usable with poll and pidfd_send_signal"
    static let intoCgroup = "CLONE_INTO_CGROUP: the child starts in the cgroup given by clone_args.cgroup"
  }
}
