import SyscallDecoding
import TraceModel

/// Explains: a `clone`/`clone3`/`fork`/`vfork` that failed, and what the errno means for task creation.
struct CreationFailureRule: ExplainRule {
  var scope: RuleScope { .notes(.creationFailed) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    notes.compactMap { item -> Annotation? in
      guard case .creationFailed(let call, let errno) = item else { return nil }
      return note(Message.failed(call.syscall.rawValue, errno: errno), tone: .warning)
    }
  }
}

extension CreationFailureRule {
  fileprivate enum Message {
    static func failed(_ syscall: String, errno: Int32) -> String {
      let name = ErrnoNames.name(of: errno) ?? "errno \(errno)"
      let reason: String
      switch name {
      case "EAGAIN":
        reason = "a task limit was reached (RLIMIT_NPROC, kernel.threads-max, pid_max or the cgroup's pids.max)"
      case "ENOMEM": reason = "the kernel could not allocate the new task"
      case "EINVAL": reason = "the flags or clone_args are invalid"
      case "ENOSYS": reason = "\(syscall) is not available (an old kernel, or a seccomp filter); glibc then falls back to clone"
      case "EPERM": reason = "a flag needs a privilege the caller lacks (for example CAP_SYS_ADMIN for a new namespace)"
      case "EUSERS": reason = "too many nested user namespaces"
      case "ENOSPC": reason = "a namespace count limit was reached"
      default: reason = ErrnoNames.message(of: errno) ?? "see the errno"
      }
      return "no task was created: \(syscall) failed with \(name): \(reason)"
    }
  }
}
