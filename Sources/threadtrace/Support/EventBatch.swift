import TraceModel

/// Events held for the annotated text and the summary, handed on a batch at a time.
///
/// The tracer and the traced program usually share a CPU. Folding, explaining and printing each event between
/// two ptrace stops kept evicting the program's and the kernel's cache lines, and theirs ours: on 2,000
/// pthreads those steps cost the tracer three times their instruction count in wall time. Run over many events
/// in a row they stay in cache. The output is no later for it: the text was only written when no stop waited,
/// which is when a batch is handed on (`drain`), or when `limit` events are held. The trace file (`-o`) is still
/// written and flushed per event, before the event waits here.
final class EventBatch {
  private var events: [TraceEvent] = []
  private let limit: Int
  private let handle: (TraceEvent) -> Void

  init(limit: Int = 256, handle: @escaping (TraceEvent) -> Void) {
    self.limit = limit
    self.handle = handle
    events.reserveCapacity(limit)
  }

  func add(_ event: TraceEvent) {
    events.append(event)
    if events.count >= limit { drain() }
  }

  func drain() {
    for event in events { handle(event) }
    events.removeAll(keepingCapacity: true)
  }
}
