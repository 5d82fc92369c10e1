import Testing
import TraceEngine

/// `Stop.classify` on synthetic wait statuses, as the kernel builds them (`status = sig << 8 | 0x7f | event << 16`).
@Suite("Wait statuses classified")
struct StopTests {
  static func stopped(_ signal: Int32, event: Int32 = 0) -> Int32 { event << 16 | signal << 8 | 0x7f }

  @Test func endsOfTasks() {
    #expect(Stop.classify(status: 42 << 8, eventMessage: { nil }) == .exited(code: 42))
    #expect(Stop.classify(status: 15, eventMessage: { nil }) == .killed(signal: 15, coreDumped: false))
    #expect(Stop.classify(status: 0x8b, eventMessage: { nil }) == .killed(signal: 11, coreDumped: true))
  }

  @Test func syscallAndSignalStops() {
    #expect(Stop.classify(status: Self.stopped(5 | 0x80), eventMessage: { nil }) == .syscall)
    // A plain SIGTRAP is a real signal (kill(self, SIGTRAP)), to be delivered, not swallowed.
    #expect(Stop.classify(status: Self.stopped(5), eventMessage: { nil }) == .signalDelivery(signal: 5))
    #expect(Stop.classify(status: Self.stopped(10), eventMessage: { nil }) == .signalDelivery(signal: 10))
    #expect(Stop.classify(status: Self.stopped(19), eventMessage: { nil }) == .signalDelivery(signal: 19))
  }

  @Test func ptraceEvents() {
    #expect(Stop.classify(status: Self.stopped(5, event: 3), eventMessage: { 1234 }) == .created(kind: .clone, newTID: 1234))
    #expect(Stop.classify(status: Self.stopped(5, event: 1), eventMessage: { 77 }) == .created(kind: .fork, newTID: 77))
    #expect(Stop.classify(status: Self.stopped(5, event: 2), eventMessage: { 78 }) == .created(kind: .vfork, newTID: 78))
    #expect(Stop.classify(status: Self.stopped(5, event: 4), eventMessage: { 4321 }) == .exec(formerTID: 4321))
    #expect(Stop.classify(status: Self.stopped(5, event: 6), eventMessage: { 0x2a00 }) == .exitEvent(status: 0x2a00))
    #expect(Stop.classify(status: Self.stopped(5, event: 7), eventMessage: { nil }) == .seccomp)
    // The creator vanished before its event message could be read: no made-up tid.
    #expect(Stop.classify(status: Self.stopped(5, event: 3), eventMessage: { nil }) == .other(status: Self.stopped(5, event: 3)))
  }

  @Test func seizeStops() {
    // 0x80057f: a new thread's first stop, or PTRACE_INTERRUPT's.
    #expect(Stop.classify(status: 0x0080_057f, eventMessage: { nil }) == .eventStop)
    for signal: Int32 in [19, 20, 21, 22] {
      #expect(Stop.classify(status: Self.stopped(signal, event: 128), eventMessage: { nil }) == .groupStop(signal: signal))
    }
  }

  @Test func theEventMessageIsReadOnlyWhenNeeded() {
    var reads = 0
    _ = Stop.classify(status: Self.stopped(5 | 0x80), eventMessage: { reads += 1; return 0 })
    _ = Stop.classify(status: Self.stopped(5, event: 7), eventMessage: { reads += 1; return 0 })
    #expect(reads == 0)
  }
}
