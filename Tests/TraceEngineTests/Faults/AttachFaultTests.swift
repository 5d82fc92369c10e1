import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension Faults {
  /// `trace -p PID`: targets that must be refused, and refusals that must explain themselves.
  @Suite("Attaching to running processes")
  struct Attach {
    static let strace: String? = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let setpriv: String? = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A `sleep` the test owns (not traced), tagged with `marker`; killed and reaped by `stop`.
    final class Sleeper {
      let process = Process()
      init(_ marker: String) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // exec: the shell becomes the sleep, so the pid is the sleeping process; the marker is the shell's $0.
        process.arguments = ["-c", "exec sleep 100", marker]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = Fault.eventually { Fault.threadStates(self.pid)[self.pid] == "S" }
      }
      var pid: Int32 { process.processIdentifier }
      func stop() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
      }
    }

    static func tracerPID(of pid: Int32) -> Int32? {
      guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("TracerPid:") })
      else { return nil }
      return Int32(line.dropFirst(10).trimmingCharacters(in: .whitespaces))
    }

    /// `threadtrace trace -o FILE -p PID` (or any other arguments) under the watchdog.
    static func attach(_ arguments: [String], via wrapper: [String] = [], timeout: TimeInterval = 20) throws -> Live.Run {
      let traceFile = Live.workDirectory.appendingPathComponent("attach-\(UUID().uuidString).jsonl").path
      let command = [Live.threadtrace.path, "trace", "--color", "never", "--summary", "none", "-o", traceFile] + arguments
      var run = try Live.run(wrapper.first ?? command[0], Array((wrapper + command).dropFirst()), timeout: timeout)
      run.traceFile = traceFile
      return run
    }

    static func errorLines(_ run: Live.Run) -> [Substring] {
      run.stderr.split(separator: "\n").filter { $0.hasPrefix("threadtrace:") }
    }

    /// The checks after a refused attach: nothing left behind, and a trace file, if one was made, valid.
    static func finishRefused(_ run: Live.Run, sourceLocation: SourceLocation = #_sourceLocation) {
      Live.expectClean(run, sourceLocation: sourceLocation)
      if FileManager.default.fileExists(atPath: run.traceFile) {
        let size = (try? FileManager.default.attributesOfItem(atPath: run.traceFile)[.size] as? Int) ?? 0
        if size > 0 { Fault.expectValidTrace(run.traceFile, sourceLocation: sourceLocation) }
      }
    }

    @Test("T16 a process already traced (by strace) is refused, named with its tracer; it stays undisturbed",
      .enabled(if: strace != nil, "strace is not installed"))
    func t16AlreadyTraced() throws {
      let sleeper = try Sleeper(Fault.marker())
      defer { sleeper.stop() }
      let other = Process()
      other.executableURL = URL(fileURLWithPath: Self.strace!)
      other.arguments = ["-qq", "-o", "/dev/null", "-p", String(sleeper.pid)]
      other.standardInput = FileHandle.nullDevice
      other.standardOutput = FileHandle.nullDevice
      other.standardError = FileHandle.nullDevice
      try other.run()
      defer {
        kill(other.processIdentifier, SIGKILL)
        other.waitUntilExit()
      }
      try #require(Fault.eventually { Self.tracerPID(of: sleeper.pid) == other.processIdentifier }, "strace did not attach")
      let run = try Self.attach(["-p", String(sleeper.pid)])
      Self.finishRefused(run)
      #expect(run.status == 2)
      let errors = Self.errorLines(run)
      #expect(errors.count == 1, "\(run.stderr)")
      #expect(errors.first?.contains("already traced by pid \(other.processIdentifier)") == true)
      #expect(errors.first?.contains("strace") == true)
      // Undisturbed: still traced by strace, still asleep.
      #expect(Self.tracerPID(of: sleeper.pid) == other.processIdentifier)
      #expect(Fault.threadStates(sleeper.pid)[sleeper.pid] == "S")
    }

    @Test("T17 attaching without CAP_SYS_PTRACE to another root process: one line naming the cause",
      .enabled(if: geteuid() == 0 && setpriv != nil, "needs root and setpriv (to drop CAP_SYS_PTRACE)"))
    func t17PermissionDenied() throws {
      let sleeper = try Sleeper(Fault.marker())
      defer { sleeper.stop() }
      let run = try Self.attach(
        ["-p", String(sleeper.pid)], via: [Self.setpriv!, "--inh-caps=-sys_ptrace", "--bounding-set=-sys_ptrace"])
      Self.finishRefused(run)
      #expect(run.status == 1)
      let errors = Self.errorLines(run)
      #expect(errors.count == 1, "\(run.stderr)")
      #expect(errors.first?.contains("not permitted to trace process \(sleeper.pid)") == true)
      #expect(errors.first?.contains("CAP_SYS_PTRACE") == true)
      #expect(Self.tracerPID(of: sleeper.pid) == 0 && Fault.threadStates(sleeper.pid)[sleeper.pid] == "S")
    }

    @Test("T17 attaching as another user: one line naming the owner",
      .enabled(if: geteuid() == 0 && setpriv != nil, "needs root and setpriv (to run as nobody)"))
    func t17OtherUser() throws {
      let sleeper = try Sleeper(Fault.marker())
      defer { sleeper.stop() }
      let directory = Live.workDirectory.appendingPathComponent("attach-nobody-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      chmod(directory.path, 0o777)
      let traceFile = directory.appendingPathComponent("trace.jsonl").path
      var run = try Live.run(
        Self.setpriv!,
        ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", Live.threadtrace.path, "trace",
         "--summary", "none", "-o", traceFile, "-p", String(sleeper.pid)],
        timeout: 20)
      run.traceFile = traceFile
      Self.finishRefused(run)
      #expect(run.status == 1)
      let errors = Self.errorLines(run)
      #expect(errors.count == 1 && errors.first?.contains("uid 0") == true, "\(run.stderr)")
    }

    @Test("T17 Yama ptrace_scope",
      .enabled(if: FileManager.default.fileExists(atPath: "/proc/sys/kernel/yama/ptrace_scope"),
        "no Yama LSM on this kernel (/proc/sys/kernel/yama absent)"))
    func t17Yama() throws {
      let scope = (try? String(contentsOfFile: "/proc/sys/kernel/yama/ptrace_scope", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      let sleeper = try Sleeper(Fault.marker())
      defer { sleeper.stop() }
      // As nobody, the sleeper (root's) is never traceable; the line must name Yama when its scope is the cause.
      let run = try Live.run(
        Self.setpriv!,
        ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", Live.threadtrace.path, "trace",
         "--summary", "none", "-p", String(sleeper.pid)],
        timeout: 20)
      Live.expectClean(run)
      #expect(run.status == 1)
      if scope != "0" { #expect(run.stderr.contains("ptrace_scope is \(scope)")) }
    }

    @Test("T19 threadtrace refuses to attach to itself, and to its own tracer; neither hangs")
    func t19SelfAndMutual() throws {
      // exec: the shell's pid becomes threadtrace's, so $$ names threadtrace itself.
      let selfRun = try Live.run(
        "/bin/sh", ["-c", "exec \"$0\" trace --summary none -p $$", Live.threadtrace.path], timeout: 20)
      Live.expectClean(selfRun)
      #expect(selfRun.status == 2)
      #expect(selfRun.stderr.contains("threadtrace itself"), "\(selfRun.stderr)")
      // Mutual: the traced shell becomes a second threadtrace and asks to attach to its own tracer ($PPID).
      let mutual = try Live.trace(
        ["sh", "-c", "exec \"$0\" trace --summary none -p $PPID", Live.threadtrace.path], options: ["--summary", "none"])
      Fault.finish(mutual)
      #expect(mutual.status == 2)
      #expect(mutual.stderr.contains("traces threadtrace"), "\(mutual.stderr.suffix(1500))")
    }
  }
}
