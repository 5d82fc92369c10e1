import TraceModel

/// Explains: the robust list and rseq area a live tracer read from the kernel (at the task's exit, before an
/// exec, or on attaching) instead of stopping at `set_robust_list` and `rseq`.
struct RegistrationStateRule: ExplainRule {
  var scope: RuleScope { RuleScope(otherEvents: true) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    guard case .registrations(let state) = event.body else { return [] }
    var annotations: [Annotation] = []
    if let list = state.robustList {
      annotations.append(note(list.head == 0 ? Message.noRobustList : Message.robustList(list.head, state.moment)))
    }
    if let rseq = state.rseq {
      annotations.append(
        note(rseq.address == 0 ? Message.noRseq : Message.rseq(rseq.address, rseq.length, rseq.signature, state.moment)))
    }
    return annotations
  }
}

extension RegistrationStateRule {
  fileprivate enum Message {
    // Built as `MessageText`, not `String` interpolation, and kept by address: both are said at every thread's
    // exit stop, mostly for the areas of a reused stack.
    private static let recent = RecentMessages()

    static func robustList(_ head: UInt64, _ moment: RegistrationState.Moment) -> String {
      recent.text(RecentMessages.Key(address: head, variant: moment.variant)) { makeRobustList(head, moment) }
    }

    private static func makeRobustList(_ head: UInt64, _ moment: RegistrationState.Moment) -> String {
      switch moment {
      case .exit:
        return Format.message(
          "its robust futex list is at \(address: head), registered with set_robust_list (read at its exit stop instead of stopping at the call)")
      case .exec:
        return Format.message(
          "its robust futex list is at \(address: head) (set_robust_list); exec forgets it and the new program registers its own")
      case .attach:
        return Format.message("its robust futex list is at \(address: head), registered with set_robust_list before the attach")
      }
    }

    static let noRobustList =
      "no robust futex list registered: if the thread dies holding a robust mutex, the kernel cannot mark it FUTEX_OWNER_DIED"

    static func rseq(_ address: UInt64, _ length: UInt32, _ signature: UInt32, _ moment: RegistrationState.Moment) -> String {
      // Variants 3…5: the robust list's messages share the cache.
      let key = RecentMessages.Key(
        address: address, detail: UInt64(length) << 32 | UInt64(signature), variant: 3 + moment.variant)
      return recent.text(key) { makeRseq(address, length, signature, moment) }
    }

    private static func makeRseq(_ address: UInt64, _ length: UInt32, _ signature: UInt32, _ moment: RegistrationState.Moment) -> String {
      let area: MessageText =
        "its rseq area is \(length) bytes at \(address: address), signature \(address: UInt64(signature))"
      switch moment {
      case .exit: return Format.message("\(area): the kernel kept the thread's current CPU there; exit unregisters it")
      case .exec: return Format.message("\(area); exec unregisters it")
      case .attach: return Format.message("\(area): the kernel keeps the thread's current CPU there")
      }
    }

    static let noRseq = "no rseq area registered (glibc before 2.35, or turned off with glibc.pthread.rseq=0)"
  }
}

extension RegistrationState.Moment {
  fileprivate var variant: UInt8 {
    switch self {
    case .exit: return 0
    case .exec: return 1
    case .attach: return 2
    }
  }
}
