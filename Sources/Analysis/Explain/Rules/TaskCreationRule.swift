import SyscallDecoding
import TraceModel

/// Explains: a successful `clone`, `clone3`, `fork` or `vfork` — what kind of task it made, which stack the new
/// task runs on, and what the kernel will do for it at exit (`CLONE_CHILD_CLEARTID`, the exit signal).
struct TaskCreationRule: ExplainRule {
  var scope: RuleScope { .notes(.created) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    var annotations: [Annotation] = []
    for case .created(let id) in notes {
      let child = lifecycle.record(id)
      guard let call = child.creation else { continue }
      switch child.kind {
      case .thread:
        annotations.append(note(Message.thread(child.tid, process: child.tgid, stack: child.stack)))
      case .vfork:
        annotations.append(note(Message.vfork(child.tid)))
      case .process:
        annotations.append(
          note(call.flags.contains(.vm) ? Message.processSharingMemory(child.tid) : Message.process(child.tid)))
      case .initial:
        continue
      }
      if let stack = child.stack, let previous = stack.reusedFromTID {
        annotations.append(note(Message.reusedStack(previous)))
      }
      if call.flags.contains(.childClearTID), let word = call.childTIDAddress {
        annotations.append(note(Message.clearTIDAtExit(word), tone: .kernel))
      }
      if child.kind != .thread {
        annotations.append(note(Message.exitSignal(call.exitSignal), tone: .kernel))
      }
      // A pattern, not `contains(.adopted(record: id))`: that compared every note by its whole payload.
      if notes.contains(where: { if case .adopted(id) = $0 { return true } else { return false } }) {
        if case .syscall(let creation) = event.body, creation.result == nil || creation.result == .noReturn {
          annotations.append(note(Message.creatorDiedInTheCall(child.tid)))
        } else {
          annotations.append(note(Message.ranFirst(child.tid)))
        }
      }
    }
    return annotations
  }
}

extension TaskCreationRule {
  fileprivate enum Message {
    static func thread(_ tid: Int32, process: Int32, stack: ThreadStack?) -> String {
      Format.message("creates thread \(tid) in process \(process), \(stackPhrase(stack))")
    }

    static func stackPhrase(_ stack: ThreadStack?) -> MessageText {
      guard let stack else { return "on no stack of its own (it starts on a copy of the caller's stack pointer)" }
      switch stack.source {
      case .mapping:
        let base: MessageText = stack.base.map { "\(address: $0)" } ?? "?"
        return "\(mappedStack(size: stack.size, guardSize: stack.guardSize)) (mapping at \(base))"
      case .cloneArguments:
        let size = stack.size.map(Format.sizeText) ?? "?"
        return "running on \(Format.article(size)) \(size) stack at \(stack.base.map(Format.address) ?? "?") (mapped before the trace began)"
      case .unmapped:
        return "running on a stack the trace never saw mapped (inside memory the runtime manages, as Go's are)"
      }
    }

    /// Keyed by the sizes: a program's threads mostly share one stack size, and putting the sizes into words
    /// (and choosing their articles) was most of explaining each clone.
    private struct StackSizes: Hashable, Sendable {
      var size: UInt64?
      var guardSize: UInt64?
    }

    private static let mappedStacks = MessageCache<StackSizes>()

    /// "running on an 8 MiB stack above a 4 KiB guard", or "… with no guard page below it".
    private static func mappedStack(size: UInt64?, guardSize: UInt64?) -> String {
      mappedStacks.text(StackSizes(size: size, guardSize: guardSize)) {
        let size = size.map(Format.sizeText) ?? "?"
        if let guardSize, guardSize > 0 {
          let guardText = Format.sizeText(guardSize)
          return Format.message(
            "running on \(Format.article(size)) \(size) stack above \(Format.article(guardText)) \(guardText) guard")
        }
        return Format.message("running on \(Format.article(size)) \(size) stack with no guard page below it")
      }
    }

    static func vfork(_ tid: Int32) -> String {
      "creates process \(tid) on the caller's memory (CLONE_VM) and suspends the caller until \(tid) calls execve or exits (CLONE_VFORK)"
    }

    static func process(_ tid: Int32) -> String {
      "creates process \(tid): a copy of the caller, memory shared copy-on-write until either side writes"
    }

    static func processSharingMemory(_ tid: Int32) -> String {
      "creates process \(tid) that shares the caller's memory (CLONE_VM without CLONE_THREAD): its own pid, the same address space"
    }

    static func reusedStack(_ previous: Int32) -> String {
      "reuses the stack of exited thread \(previous): glibc caches thread stacks instead of unmapping them"
    }

    private static let clearTIDWords = RecentMessages()

    /// Kept by address: a reused stack's threads have the same word.
    static func clearTIDAtExit(_ word: UInt64) -> String {
      clearTIDWords.text(RecentMessages.Key(address: word)) {
        Format.message(
          "when it exits the kernel zeroes its tid at \(address: word) and wakes that futex (CLONE_CHILD_CLEARTID): what pthread_join waits on")
      }
    }

    static func exitSignal(_ signal: Int32) -> String {
      signal == 0
        ? "no signal reaches the parent when it ends (exit_signal 0): the parent must wait with __WALL or __WCLONE"
        : "when it ends the kernel sends \(Format.signal(signal)) to the parent, which must reap it with wait or it stays a zombie"
    }

    /// The creator died in its clone (another thread's exit_group), after the kernel had made the child: the
    /// call has no result, and the child is the one task seen since that no creation claimed.
    static func creatorDiedInTheCall(_ tid: Int32) -> String {
      "the call never returned: its caller was ended in it, after the kernel had made task \(tid) (the one task "
        + "the trace shows without a creator; its first events appear above)"
    }

    static func ranFirst(_ tid: Int32) -> String {
      "task \(tid) already ran before this call returned to its parent: its first events appear above"
    }
  }
}
