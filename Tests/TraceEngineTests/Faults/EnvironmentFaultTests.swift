import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension Faults {
  /// Where the tracer runs: privileges, a ptrace-less sandbox, outputs that fail.
  @Suite("Privileges, sandboxes and failing outputs")
  struct Environment {
    static let strace: String? = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let setpriv: String? = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Root can make a setuid-root binary and drop to nobody (uid 65534).
    static let canDropToNobody = geteuid() == 0 && setpriv != nil

    @Test(
      "T15 a setuid target traced by an unprivileged user: warned before it starts, runs unprivileged",
      .enabled(if: canDropToNobody, "needs root (to make a setuid-root binary) and setpriv (to trace as nobody)"),
      arguments: [[], ["--all-syscalls"]])
    func t15SetuidTargetUnprivileged(_ options: [String]) throws {
      // A program printing its uid and euid, setuid root, in a directory the user nobody can write to.
      let directory = Live.workDirectory.appendingPathComponent("setuid-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      chmod(directory.path, 0o777)
      let binary = directory.appendingPathComponent("ids").path
      let compile = try Live.run(
        "/usr/bin/env", ["cc", "-O1", "-o", binary, Fixtures.path("programs/fault_print_ids.c")], timeout: 60)
      try #require(compile.status == 0, "\(compile.stderr)")
      #expect(chown(binary, 0, 0) == 0 && chmod(binary, 0o4755) == 0)
      let traceFile = directory.appendingPathComponent("trace.jsonl").path
      let asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]
      let untraced = try Live.run(Self.setpriv!, asNobody + [binary], timeout: 20)
      #expect(untraced.stdout.contains("uid=65534 euid=0 "), "the setuid bit works untraced: \(untraced.stdout)")
      let run = try Live.run(
        Self.setpriv!,
        asNobody + [Live.threadtrace.path, "trace", "--summary", "none", "--color", "never", "-o", traceFile] + options
          + ["--", binary],
        timeout: 30)
      var traced = run
      traced.traceFile = traceFile
      Fault.finish(traced)
      #expect(run.status == 0)
      #expect(run.stdout.contains("uid=65534 euid=65534 "))
      // The warning is the first thing said, before any event.
      let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
      #expect(first.contains("warning") && first.contains("set-user-ID"), "first line: \(first)")
    }

    @Test(
      "T15 the fast path sets NO_NEW_PRIVS only without CAP_SYS_ADMIN; --all-syscalls and an untraced run never",
      .enabled(if: canDropToNobody, "needs root and setpriv (to run without CAP_SYS_ADMIN)"))
    func t15NoNewPrivs() throws {
      let program = try Live.program("fault_print_ids")
      let untraced = try Live.run(program, [], timeout: 20)
      #expect(untraced.stdout.contains("no_new_privs=0"))
      // Root installs the filter as it is: a setuid program would keep its privileges.
      let fast = try Live.trace([program], options: ["--summary", "none"])
      Fault.finish(fast)
      #expect(fast.stdout.contains("no_new_privs=0"), "\(fast.stdout)")
      // Without CAP_SYS_ADMIN the kernel wants NO_NEW_PRIVS first.
      let withoutAdmin = try Live.run(
        Self.setpriv!, ["--inh-caps=-sys_admin", "--bounding-set=-sys_admin", Live.threadtrace.path, "trace", "--summary", "none", "--", program],
        timeout: 30)
      Live.expectClean(withoutAdmin)
      #expect(withoutAdmin.stdout.contains("no_new_privs=1"), "\(withoutAdmin.stdout) \(withoutAdmin.stderr)")
      let all = try Live.trace([program], options: ["--all-syscalls", "--summary", "none"])
      Fault.finish(all)
      #expect(all.stdout.contains("no_new_privs=0"))
    }

    @Test(
      "T18 ptrace refused everywhere (simulated with strace's fault injection): one message, no child left",
      .enabled(if: strace != nil, "strace is not installed"))
    func t18PtraceBlocked() throws {
      let marker = Fault.marker()
      let run = try Live.run(
        Self.strace!,
        ["-qq", "-o", "/dev/null", "-e", "trace=ptrace", "-e", "inject=ptrace:error=EPERM",
         Live.threadtrace.path, "trace", "--summary", "none", "--", "sh", "-c", "sleep 100", marker],
        timeout: 30)
      Live.expectClean(run)
      #expect(run.status == 1)
      #expect(run.stderr.contains("ptrace is not permitted here"))
      #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("threadtrace:") }.count == 1, "\(run.stderr)")
      #expect(Fault.processes(withArgument: marker).isEmpty, "the launched child was left behind")
    }

    @Test("T22 -o on a full disk: reported once, exit 3, the tracee runs to its end")
    func t22FullDisk() throws {
      let run = try Live.run(
        Live.threadtrace.path,
        ["trace", "--summary", "none", "--color", "never", "-o", "/dev/full", "--", try Live.program("stress_many_threads"), "20"],
        timeout: 30)
      Live.expectClean(run)
      #expect(run.status == 3)
      #expect(run.stdout.contains("done threads=20 progressed=20"))
      let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("threadtrace:") }
      #expect(errors.count == 1 && errors.first?.contains("No space left on device") == true, "\(errors)")
    }

    @Test("T22 --output-text on a full disk: reported once, exit 3")
    func t22TextFullDisk() throws {
      let run = try Live.trace(
        [try Live.program("stress_many_threads"), "20"], options: ["--summary", "text", "--output-text", "/dev/full"])
      Fault.finish(run)
      #expect(run.status == 3)
      let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("threadtrace:") }
      #expect(errors.count == 1 && errors.first?.contains("No space left on device") == true, "\(errors)")
    }

    @Test("T22 -o into a closed pipe: reported once, exit 3; SIGPIPE does not kill the tracer")
    func t22ClosedPipe() throws {
      var fds: [Int32] = [0, 0]
      try #require(pipe(&fds) == 0)
      close(fds[0])
      defer { close(fds[1]) }
      let process = Process()
      process.executableURL = Live.threadtrace
      // The tracee writes nothing to standard output: only the trace goes into the closed pipe.
      process.arguments = ["trace", "--summary", "none", "-o", "/dev/stdout", "--", "sh", "-c", "exit 0"]
      process.standardOutput = FileHandle(fileDescriptor: fds[1], closeOnDealloc: false)
      let errors = Pipe()
      process.standardError = errors
      process.standardInput = FileHandle.nullDevice
      try process.run()
      let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let finished = Fault.eventually(timeout: 20) { !process.isRunning }
      if !finished { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
      #expect(finished, "the watchdog fired")
      #expect(process.terminationReason == .exit && process.terminationStatus == 3)
      let lines = stderr.split(separator: "\n").filter { $0.hasPrefix("threadtrace:") }
      #expect(lines.count == 1 && lines.first?.contains("Broken pipe") == true, "\(stderr)")
    }

    @Test("T22 -o in a directory that cannot be written: refused before anything starts, exit 2")
    func t22UnwritableDirectory() throws {
      let marker = Fault.marker()
      let run = try Live.run(
        Live.threadtrace.path,
        ["trace", "-o", "/proc/threadtrace-no-such-dir/trace.jsonl", "--", "sh", "-c", "sleep 100", marker], timeout: 20)
      Live.expectClean(run)
      #expect(run.status == 2)
      #expect(run.stderr.contains("cannot create"))
      #expect(Fault.processes(withArgument: marker).isEmpty)
    }
  }
}
