import Analysis
import TestSupport
import TraceModel

/// A snippet of strace text run through the lifecycle model and the explainer, as `threadtrace explain` does.
struct Explained {
  let lifecycle = Lifecycle()
  var steps: [(event: TraceEvent, notes: [LifecycleNote], annotations: [Annotation])] = []

  /// The snippet's events; the calls named in `unread` as the live fast path reports them (entry only, result
  /// not read).
  init(_ text: String, resultUnread unread: Set<String> = []) throws {
    var events = try StraceSnippet.events(text)
    for index in events.indices {
      if case .syscall(var call) = events[index].body, unread.contains(call.name) {
        call.result = nil
        call.completeness = .resultUnread
        events[index].body = .syscall(call)
      }
    }
    self.init(events: events)
  }

  /// Events only a live trace has (no strace line reads as them), in order.
  init(events: [TraceEvent]) {
    let explainer = Explainer()
    for event in events {
      let notes = lifecycle.apply(event)
      steps.append((event, notes, explainer.annotate(event, notes: notes, lifecycle: lifecycle)))
    }
    lifecycle.finish()
  }

  /// Every annotation text written by `rule`, in order.
  func messages(of rule: String) -> [String] {
    steps.flatMap { $0.annotations.filter { $0.rule == rule }.map(\.text) }
  }

  /// Annotations on the event read from line `line` of the snippet.
  func annotations(atLine line: Int) -> [Annotation] {
    steps.filter { $0.event.origin?.line == line }.flatMap(\.annotations)
  }

  func task(tid: Int32) -> TaskRecord? {
    lifecycle.records.last(where: { $0.tid == tid })
  }
}

/// A glibc 2.36 pthread created, run and joined, as strace -f -o shows it (addresses shortened).
let glibcThread = """
  100 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f0000000000
  100 mprotect(0x7f0000001000, 8388608, PROT_READ|PROT_WRITE) = 0
  100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f0000800990, parent_tid=0x7f0000800990, exit_signal=0, stack=0x7f0000000000, stack_size=0x7fff80, tls=0x7f00008006c0} => {parent_tid=[101]}, 88) = 101
  101 rseq(0x7f0000800fe0, 0x20, 0, 0x53053053) = 0
  101 set_robust_list(0x7f00008009a0, 24) = 0
  100 futex(0x7f0000800990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 101, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>
  101 madvise(0x7f0000000000, 8368128, MADV_DONTNEED) = 0
  101 exit(0)                           = ?
  101 +++ exited with 0 +++
  100 <... futex resumed>)              = 0
  100 exit_group(0)                     = ?
  100 +++ exited with 0 +++
  """
