import SyscallDecoding
import TraceModel

/// Explains: the mappings that become thread stacks — a `PROT_NONE` reservation and the `mprotect` that opens
/// its upper part, leaving the guard below (glibc ≥ 2.34 order), or a stack mapped read-write with no guard.
struct ThreadStackRule: ExplainRule {
  var scope: RuleScope { .notes(.stackReserved, .stackGuardLaidOut, .runtimeGuard) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    notes.compactMap { item -> Annotation? in
      switch item {
      case .stackReserved(_, let length, let accessible):
        return note(accessible ? Message.mappedUsable(length) : Message.reserved(length))
      case .stackGuardLaidOut(_, let guardSize, let usable):
        return note(Message.guardLaidOut(usable: usable, guardSize: guardSize))
      case .runtimeGuard(let owner, let size):
        return note(Message.runtimeGuard(lifecycle.record(owner).tid, size))
      default:
        return nil
      }
    }
  }
}

extension ThreadStackRule {
  fileprivate enum Message {
    /// Keyed by the message and its sizes: one stack size for all of a program's threads.
    private struct Key: Hashable, Sendable {
      var message: UInt8
      var size: UInt64
      var guardSize: UInt64 = 0
    }

    private static let texts = MessageCache<Key>()

    static func reserved(_ length: UInt64) -> String {
      texts.text(Key(message: 0, size: length)) { reservedText(length) }
    }

    static func mappedUsable(_ length: UInt64) -> String {
      texts.text(Key(message: 1, size: length)) { mappedUsableText(length) }
    }

    static func guardLaidOut(usable: UInt64, guardSize: UInt64) -> String {
      texts.text(Key(message: 2, size: usable, guardSize: guardSize)) { guardLaidOutText(usable: usable, guardSize: guardSize) }
    }

    private static func reservedText(_ length: UInt64) -> String {
      Format.message("reserves \(size: length) for a stack (MAP_STACK) with no access yet: address space only, no memory committed")
    }

    private static func mappedUsableText(_ length: UInt64) -> String {
      "maps \(Format.size(length)) read-write for a stack (MAP_STACK) with no guard page below it"
    }

    static func runtimeGuard(_ tid: Int32, _ size: UInt64) -> String {
      "makes the lowest \(Format.size(size)) of thread \(tid)'s stack PROT_NONE after it started: a guard zone of the runtime's own (the JVM's yellow and red pages)"
    }

    private static func guardLaidOutText(usable: UInt64, guardSize: UInt64) -> String {
      Format.message(
        "opens the upper \(size: usable) for the stack; the lowest \(size: guardSize) stays PROT_NONE as a guard, so an overflow faults (SIGSEGV) instead of overwriting other memory")
    }
  }
}
