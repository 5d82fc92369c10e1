import SyscallDecoding
import TraceModel

/// Explains: `rseq` registration (glibc ≥ 2.35 registers every thread at start) and its failures.
struct RseqRule: ExplainRule {
  var scope: RuleScope { RuleScope(syscalls: ["rseq"]) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    guard let call = SyscallEvent.of(event), call.name == "rseq", call.result != nil || call.tookEffect else {
      return []
    }
    if case .failure(let errno)? = call.result {
      return [note(Message.failed(errno), tone: .warning)]
    }
    guard case .rseq(let address, let length, let unregister, let signature)? = RegistrationCall(call) else {
      return []
    }
    return [note(unregister ? Message.unregistered : Message.registered(address, length, signature))]
  }
}

extension RseqRule {
  fileprivate enum Message {
    static func registered(_ address: UInt64, _ length: UInt64, _ signature: UInt64) -> String {
      Format.message(
        "registers its rseq area (\(length) bytes at \(address: address), signature \(address: signature)): the kernel keeps the current CPU there and aborts this thread's restartable sequences when it is preempted or signalled")
    }

    static let unregistered = "unregisters its rseq area; the kernel stops updating it"

    static func failed(_ errno: Int32) -> String {
      switch ErrnoNames.name(of: errno) {
      case "EBUSY": return "rseq is already registered for this thread (glibc registers it at thread start)"
      case "ENOSYS": return "the kernel has no rseq (older than 4.18), or a seccomp filter hides it"
      case "EINVAL": return "rseq refused the area: wrong length, alignment or flags"
      case "EPERM": return "rseq refused: the signature differs from the one registered"
      default: return "rseq failed with \(ErrnoNames.name(of: errno) ?? "errno \(errno)")"
      }
    }
  }
}
