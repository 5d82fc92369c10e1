import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension LiveTraceTests {
  /// The interrupt that lands after the loop has checked for one and before it blocks in `waitpid` (CI hit this
  /// once in `interruptingTheTracerKillsTheTracedTree`: the tracer waited until the watchdog killed it, because
  /// every tracee was asleep and nothing else would end the wait).
  ///
  /// The window is made wide and certain: the tracer's stderr is a pipe the test has filled, every tracee is
  /// asleep, and a signal to one of them makes the tracer print a line, so it blocks writing it in the flush that
  /// comes right before its blocking `waitpid`. SIGTERM then interrupts the write, which is retried, and the test
  /// empties the pipe: the flush ends and the loop goes on to wait with the request already taken.
  @Test func anInterruptWhileTheOutputIsBlockedStillEndsTheTrace() throws {
    let traceFile = Live.workDirectory.appendingPathComponent("trace-\(UUID().uuidString).jsonl").path
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    let (readEnd, writeEnd) = (ends[0], ends[1])
    defer { close(readEnd) }
    _ = fcntl(readEnd, F_SETFL, O_NONBLOCK)
    _ = fcntl(writeEnd, 1031 /* F_SETPIPE_SZ */, 4096)
    // The test's own way to fill the pipe: a file description of its own, so that O_NONBLOCK does not reach the
    // tracer's (which shares the one `writeEnd` names).
    let filler = open("/proc/self/fd/\(writeEnd)", O_WRONLY | O_NONBLOCK)
    try #require(filler >= 0)
    defer { close(filler) }

    let process = Process()
    process.executableURL = Live.threadtrace
    process.arguments = ["trace", "--color", "never", "--summary", "none", "-o", traceFile, "--", "sh", "-c", "sleep 100 & sleep 100"]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle(fileDescriptor: writeEnd, closeOnDealloc: true)
    try process.run()
    let tracer = process.processIdentifier
    var stderr: [UInt8] = []
    func drain() {
      var chunk = [UInt8](repeating: 0, count: 65536)
      while true {
        let got = read(readEnd, &chunk, chunk.count)
        if got <= 0 { return }
        stderr += chunk[..<got]
      }
    }
    /// Polls `condition` for up to 5 s, emptying the pipe between looks when `draining`.
    func until(draining: Bool, _ condition: () -> Bool) -> Bool {
      for _ in 0..<1000 {
        if draining { drain() }
        if condition() { return true }
        usleep(5_000)
      }
      return false
    }
    var tracees: [Int32] = []
    var sleeper: Int32 = 0
    let asleep = until(draining: true) {
      tracees = Self.tracees(of: tracer)
      let sleeping = tracees.filter { [230, 35].contains(Self.syscall(of: $0)) }  // clock_nanosleep, nanosleep
      sleeper = sleeping.first ?? 0
      return sleeping.count == 2 && Self.tracerThreads(tracer).contains { Self.syscall(of: $0) == 61 }  // wait4
    }
    var blocked = false
    if asleep {
      // A byte at a time: a pipe of one page takes a write only if all of it fits in what is left of that page.
      var dot = UInt8(ascii: ".")
      while write(filler, &dot, 1) == 1 {}
      kill(sleeper, SIGWINCH)
      blocked = until(draining: false) { Self.tracerThreads(tracer).contains { Self.syscall(of: $0) == 1 } }  // write
      // The sleeper back in its sleep (or restarting it), so that no tracee stop is left to end the coming wait.
      _ = until(draining: false) { [230, 35, 219].contains(Self.syscall(of: sleeper)) }
      kill(tracer, SIGTERM)
      usleep(50_000)
    }
    let deadline = Date().addingTimeInterval(10)
    while process.isRunning && Date() < deadline {
      drain()
      usleep(5_000)
    }
    let timedOut = process.isRunning
    if timedOut { kill(tracer, SIGKILL) }
    process.waitUntilExit()
    drain()
    let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    let text = String(decoding: stderr, as: UTF8.self)
    Live.expectClean(
      Live.Run(status: status, stdout: "", stderr: text, traceFile: traceFile, timedOut: timedOut, tracerPID: tracer),
      extraPIDs: tracees)
    #expect(asleep && blocked, "the tracer never reached a blocked flush with its tracees asleep")
    #expect(status == 143)
    #expect(text.contains("--- SIGWINCH"))
    let lines = try String(contentsOfFile: traceFile, encoding: .utf8).split(separator: "\n")
    #expect(lines.last?.contains("\"interrupted\":true") == true)
  }

  /// The number of the syscall `tid` is blocked in (`/proc/TID/syscall`), -1 when running, -2 when unreadable.
  static func syscall(of tid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(tid)/syscall", encoding: .utf8) else { return -2 }
    return text.split(separator: " ").first.flatMap { Int($0) } ?? -1
  }

  /// The threads of the tracer process (the loop need not run on its main thread).
  static func tracerThreads(_ tracer: Int32) -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(tracer)/task")) ?? []).compactMap(Int32.init)
  }
}
