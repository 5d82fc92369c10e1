import CPtraceShim
import Foundation
import Testing

@testable import TraceEngine

@Suite("Context switches of a task")
struct ContextSwitchesTests {
  /// A thread of this process blocked in `read` on a pipe, so its counters hold still while both sources read
  /// them; `body` gets its tid.
  static func withBlockedThread(_ body: (Int32) -> Void) {
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else {
      Issue.record("pipe: \(errno)")
      return
    }
    let readEnd = pipeEnds[0]
    let started = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var tid: Int32 = 0
    let thread = Thread {
      // gettid(2) is neither in Swift's Glibc module nor callable through the variadic syscall(2).
      let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
      tid = link.split(separator: "/").last.flatMap { Int32($0) } ?? 0
      started.signal()
      var byte: UInt8 = 0
      _ = read(readEnd, &byte, 1)
    }
    thread.start()
    started.wait()
    // Let it reach its read: a thread still on its way there would switch between the two reads.
    var state = ""
    for _ in 0..<500 where !state.hasPrefix("S") {
      usleep(2_000)
      state = (ProcFiles.read("/proc/self/task/\(tid)/stat") ?? "").split(separator: ")").last.map {
        String($0.dropFirst())
      } ?? ""
    }
    body(tid)
    var byte: UInt8 = 1
    _ = write(pipeEnds[1], &byte, 1)
    close(pipeEnds[1])
    usleep(10_000)
    close(pipeEnds[0])
  }

  @Test func taskstatsAndProcAgree() {
    Self.withBlockedThread { tid in
      let fromProc = ContextSwitches(.procOnly).read(tgid: getpid(), tid: tid)
      let switches = ContextSwitches()
      let automatic = switches.read(tgid: getpid(), tid: tid)
      // Root has CAP_NET_ADMIN: taskstats answered, unless the kernel has none (no TASKSTATS family).
      var family: UInt16 = 0
      let socket = cpt_taskstats_open(&family)
      if socket >= 0 { close(socket) }
      if getuid() == 0, socket != -ENOENT { #expect(switches.readsTaskstats) }
      #expect(fromProc != nil && automatic != nil)
      if let fromProc, let automatic {
        #expect(fromProc.voluntary == automatic.voluntary && fromProc.involuntary == automatic.involuntary)
        #expect(fromProc.voluntary >= 1, "a thread blocked in read has switched out voluntarily at least once")
      }
    }
  }

  @Test func aTaskThatIsGoneHasNoCounts() {
    // A tid no task has: pid_max is at most 2^22.
    #expect(ContextSwitches().read(tgid: getpid(), tid: 1 << 23) == nil)
    #expect(ContextSwitches(.procOnly).read(tgid: getpid(), tid: 1 << 23) == nil)
  }
}
