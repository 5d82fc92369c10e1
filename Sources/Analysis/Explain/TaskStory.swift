import SyscallDecoding
import TraceModel

/// The story of one task in a few plain sentences: how it was made and what it shares, the stack it ran on,
/// what it registered, its name, its execs, how it ended and what the kernel then did, and who joined it.
public enum TaskStory {
  public static func tell(_ record: TaskRecord) -> String {
    var sentences: [String] = [Message.birth(record)]
    if let call = record.creation { sentences.append(Message.sharing(ResourceSharing(call))) }
    if let stack = record.stack, let text = Message.stack(stack) { sentences.append(text) }
    // Registrations are those of the last program (exec resets them), so they come after the execs.
    for exec in record.execs { sentences.append(Message.exec(exec)) }
    if let text = Message.registrations(record.registrations) { sentences.append(text) }
    if let name = record.name, let source = record.nameSource { sentences.append(Message.name(name, source)) }
    sentences.append(Message.end(record))
    if let join = record.joinedBy { sentences.append(Message.join(join)) }
    return sentences.joined(separator: " ")
  }
}

extension TaskStory {
  fileprivate enum Message {
    static func birth(_ record: TaskRecord) -> String {
      let who = "\(record.kind == .thread ? "Thread" : "Task") \(record.tid)"
        + (record.formerTID.map { " (tid \($0) before its exec)" } ?? "")
      guard let call = record.creation, let parent = record.parentTID else {
        if record.kind == .thread {
          return "\(who) of process \(record.tgid) was already running when the trace began (the trace attached to it, or lacks its start); its creation is not in the trace."
        }
        return "\(who) was there when the trace began."
      }
      switch record.kind {
      case .thread: return "\(who) was created by \(parent) with \(call.syscall.rawValue) as a thread of process \(record.tgid)."
      case .vfork: return "\(who) was created by \(parent) with \(call.syscall.rawValue) as a vfork child: \(parent) was suspended until it called execve or exited."
      case .process, .initial: return "\(who) was created by \(parent) with \(call.syscall.rawValue) as a new process."
      }
    }

    static func sharing(_ sharing: ResourceSharing) -> String {
      var clauses: [String] = []
      let shared = sharing.modes.filter { $0.mode == .shared }.map(\.resource.phrase)
      let copied = sharing.modes.filter { $0.mode == .copied }.map(\.resource.phrase)
      if !shared.isEmpty { clauses.append("shares the \(Format.list(shared))") }
      if !copied.isEmpty { clauses.append("got copies of the \(Format.list(copied))") }
      return "It " + clauses.joined(separator: " and ") + "."
    }

    static func stack(_ stack: ThreadStack) -> String? {
      switch stack.source {
      case .unmapped:
        return "Its stack is in memory its runtime manages, not a mapping of its own."
      case .cloneArguments:
        return stack.size.map { "Its stack is \(Format.size($0)) at \(stack.base.map(Format.address) ?? "?"), mapped before the trace began." }
      case .mapping:
        guard let size = stack.size, let base = stack.base else { return nil }
        var text = "It ran on \(Format.article(Format.size(size))) \(Format.size(size)) stack"
        if let guardSize = stack.guardSize {
          text += guardSize == 0 ? " with no guard page" : " above \(Format.article(Format.size(guardSize))) \(Format.size(guardSize)) guard"
        }
        text += " (mapping at \(Format.address(base)))"
        if let runtimeGuard = stack.runtimeGuardSize { text += "; its runtime later made the lowest \(Format.size(runtimeGuard)) a guard zone" }
        if let previous = stack.reusedFromTID { text += ", reused from thread \(previous)" }
        return text + "."
      }
    }

    static func registrations(_ registrations: Registrations) -> String? {
      var items: [String] = []
      if registrations.rseq != nil { items.append("an rseq area") }
      if registrations.robustList != nil { items.append("a robust futex list") }
      if let stack = registrations.signalStack, !stack.disabled {
        let guardText = (stack.guardSize ?? 0) > 0 ? " with a guard page" : ""
        items.append("an alternate signal stack\(guardText)")
      }
      if let cpus = registrations.affinity { items.append("CPU affinity \(cpus)") }
      guard !items.isEmpty else { return nil }
      return "It registered \(Format.list(items))."
    }

    static func name(_ name: String, _ source: TaskRecord.NameSource) -> String {
      switch source {
      case .prctl: return "It named itself \"\(name)\"."
      case .commWrite: return "It was named \"\(name)\" through its /proc comm file."
      }
    }

    static func exec(_ exec: TaskRecord.ExecRecord) -> String {
      let path = exec.path ?? "?"
      if exec.succeeded { return "It ran \(path)." }
      if let errno = exec.errno { return "Running \(path) failed with \(ErrnoNames.name(of: errno) ?? "errno \(errno)")." }
      return "It called execve on \(path), which had not returned when the trace ended."
    }

    static func end(_ record: TaskRecord) -> String {
      guard let end = record.end else { return "It was still alive when the trace ended." }
      var text: String
      switch end {
      case .exited(let code, let cause):
        switch cause {
        case .exit: text = "It exited with status \(code) (exit)"
        case .exitGroup: text = "It ended its process with status \(code) (exit_group)"
        case .groupExit(let by): text = "It ended when thread \(by) called exit_group"
        case .execByOtherThread(let by): text = "It ended when thread \(by) called execve"
        case .unknown: text = "It exited with status \(code)"
        }
      case .killed(let signal, let core):
        text = "It was killed by \(Format.signal(signal))" + (core ? ", with a core dump" : "")
      case .supersededByExec(let by):
        return "It was replaced when thread \(by) called execve and took over its tid."
      }
      if record.clearedChildTIDAtExit { text += "; the kernel then cleared its child_tid word and woke its joiner" }
      return text + "."
    }

    static func join(_ join: TaskRecord.Join) -> String {
      switch join.how {
      case .futexOnChildTID: return "Task \(join.tid) joined it, waiting on its child_tid word (pthread_join)."
      case .wait: return "Task \(join.tid) reaped it with wait."
      }
    }
  }
}
