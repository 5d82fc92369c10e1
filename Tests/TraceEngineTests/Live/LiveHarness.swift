import CPtraceShim
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs `threadtrace trace` on real programs for the live tests.
///
/// The tracer runs as its own process: its `waitpid(-1)` would otherwise reap the children of whatever else the
/// test process runs in parallel. Every run is under a watchdog (SIGKILL to the tracer; EXITKILL then kills its
/// tracees), and ends with a check that nothing it started is left alive, stopped or traced.
enum Live {
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var traceFile: String
    var timedOut: Bool
    var tracerPID: Int32

    /// The program's `event key=value …` oracle lines.
    func oracle(_ event: String) -> [[String: String]] {
      stdout.split(separator: "\n").compactMap { line in
        let words = line.split(separator: " ")
        guard words.first.map(String.init) == event else { return nil }
        var fields: [String: String] = [:]
        for word in words.dropFirst() {
          let pair = word.split(separator: "=", maxSplits: 1)
          if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        return fields
      }
    }
  }

  static let threadtrace: URL = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("threadtrace")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return Fixtures.directory.deletingLastPathComponent().appendingPathComponent(".build/debug/threadtrace")
  }()

  static let workDirectory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-live-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    // Compiled fixtures and trace files are this test process's alone: gone when it exits, not left in /tmp.
    atexit { Live.removeWorkDirectory() }
    return url
  }()

  static func removeWorkDirectory() {
    try? FileManager.default.removeItem(at: workDirectory)
  }

  /// Why live tests cannot run here, or nil: ptrace must be permitted (we trace our own child, so Yama 1 is fine).
  static let unavailable: String? = {
    let pid = fork()
    if pid == 0 {
      raise(SIGSTOP)
      _exit(0)
    }
    var status: Int32 = 0
    waitpid(pid, &status, WUNTRACED)
    defer {
      kill(pid, SIGKILL)
      waitpid(pid, &status, 0)
    }
    let result = cpt_seize(pid, 0)
    if result != 0 { return "ptrace is not permitted here: \(String(cString: strerror(-result)))" }
    return nil
  }()

  /// Compiles `fixtures/programs/NAME.c` with `cc -O1 -pthread` and `flags` (once per test process, name and
  /// flags). The binary is written under a temporary name and renamed into place: a test of another suite,
  /// running in parallel, must never exec a file the compiler still has open for writing (ETXTBSY, exit 126).
  static func program(_ name: String, flags: [String] = []) throws -> String {
    let output = workDirectory.appendingPathComponent(name + flags.joined()).path
    lock.lock()
    defer { lock.unlock() }
    if FileManager.default.isExecutableFile(atPath: output) { return output }
    let partial = output + ".partial"
    let compile = try run(
      "/usr/bin/env", ["cc", "-std=c11", "-O1", "-pthread"] + flags + ["-o", partial, Fixtures.path("programs/\(name).c")],
      timeout: 60)
    guard compile.status == 0, rename(partial, output) == 0 else { throw LiveError.compile(name, compile.stderr) }
    return output
  }

  private static let lock = NSLock()

  /// `threadtrace trace OPTIONS -o FILE -- COMMAND`.
  static func trace(
    _ command: [String], options: [String] = [], timeout: TimeInterval = 30, whileRunning: ((Int32) -> Void)? = nil
  ) throws -> Run {
    let traceFile = workDirectory.appendingPathComponent("trace-\(UUID().uuidString).jsonl").path
    var result = try run(
      threadtrace.path, ["trace", "--color", "never", "-o", traceFile] + options + ["--"] + command, timeout: timeout,
      whileRunning: whileRunning)
    result.traceFile = traceFile
    return result
  }

  /// `threadtrace explain --format json FILE`, parsed.
  static func summary(of traceFile: String) throws -> Summary {
    let result = try run(threadtrace.path, ["explain", "--format", "json", traceFile], timeout: 30)
    guard result.status == 0 else { throw LiveError.explain(result.stderr) }
    return try Summary(json: Data(result.stdout.utf8))
  }

  /// Runs a process with its output in files (a full pipe cannot block it) under a watchdog.
  static func run(
    _ executable: String, _ arguments: [String], timeout: TimeInterval, whileRunning: ((Int32) -> Void)? = nil
  ) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = workDirectory
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let base = workDirectory.appendingPathComponent("out-\(UUID().uuidString)")
    let outURL = base.appendingPathExtension("stdout")
    let errURL = base.appendingPathExtension("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    try? out.close()
    try? err.close()
    let pid = process.processIdentifier
    whileRunning?(pid)
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    while process.isRunning {
      if Date() > deadline {
        timedOut = true
        kill(pid, SIGKILL)
        break
      }
      usleep(10_000)
    }
    process.waitUntilExit()
    let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    return Run(status: status, stdout: stdout, stderr: stderr, traceFile: "", timedOut: timedOut, tracerPID: pid)
  }

  /// Processes left behind: any still traced by `tracer`, in a ptrace or job-control stop, or alive among `pids`.
  static func leftovers(tracer: Int32, pids: [Int32]) -> [String] {
    var found: [String] = []
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
      guard let pid = Int32(entry), let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
      else { continue }
      let fields = Dictionary(
        status.split(separator: "\n").compactMap { line -> (String, String)? in
          guard let colon = line.firstIndex(of: ":") else { return nil }
          return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { first, _ in first })
      let tracerPID = Int32(fields["TracerPid"] ?? "0") ?? 0
      let state = fields["State"] ?? ""
      let ours = pids.contains(pid)
      if tracerPID == tracer || (ours && !state.hasPrefix("Z")) || (ours && (state.hasPrefix("t") || state.hasPrefix("T"))) {
        found.append("\(pid) \(fields["Name"] ?? "?") \(state) TracerPid=\(tracerPID)")
      }
    }
    return found
  }

  /// The pids and tids a fixture program printed (`pid=`, `tid=`, `child_pid=`).
  static func reportedIDs(_ run: Run) -> [Int32] {
    var ids: [Int32] = []
    for line in run.stdout.split(separator: "\n") {
      for word in line.split(separator: " ") {
        for key in ["pid=", "tid=", "child_pid="] where word.hasPrefix(key) {
          if let id = Int32(word.dropFirst(key.count)) { ids.append(id) }
        }
      }
    }
    return ids
  }

  /// The checks every live test ends with.
  static func expectClean(_ run: Run, extraPIDs: [Int32] = [], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!run.timedOut, "the watchdog fired", sourceLocation: sourceLocation)
    // A killed task can take a moment to be reaped by init after the tracer's EXITKILL.
    var left: [String] = []
    for _ in 0..<50 {
      left = leftovers(tracer: run.tracerPID, pids: reportedIDs(run) + extraPIDs)
      if left.isEmpty { break }
      usleep(20_000)
    }
    #expect(left.isEmpty, "left behind: \(left)", sourceLocation: sourceLocation)
  }
}

enum LiveError: Error {
  case compile(String, String)
  case explain(String)
}

/// A threadtrace.summary/1 document as the live tests read it: the counts, each process's program and recognised
/// runtimes, and for each task what the tests compare with the program's own report or with strace's view.
struct Summary {
  struct AltStack: Equatable {
    var size: Int?
    var guardSize: Int?
    var disabled: Bool?
  }

  struct Task {
    var tid: Int32
    var kind: String
    var createdBy: String?
    var cloneFlags: [String]
    var exitSignal: String?
    var stackSize: Int?
    var guardSize: Int?
    var stackSource: String?
    var name: String?
    var nameSource: String?
    var robustList: Bool
    var rseq: Bool
    var sigaltstack: AltStack?
    var runtime: String?
    /// `exit.cause` (nil: no exit, or a signal death) and `exit.code`; `ended` says whether `exit` is not null.
    var exitCause: String?
    var exitCode: Int?
    var ended: Bool
    var execs: [String]
    /// The function names of `creator_stack` (traces made with --stacks).
    var creatorFunctions: [String]?
    /// `cost.stops` (live traces).
    var stops: Int?

    /// What both tracers must agree on for this task: everything but ids, addresses, times and the exit (which
    /// `strace -qq` does not show); with `mappings` false, also without what comes of matching mmap and munmap
    /// calls: the stack's size, guard and source, and the sigaltstack's guard; with `altstack` false, without the
    /// sigaltstack (a Go thread that exit_group ends before it ran has none).
    func shape(mappings: Bool = true, altstack: Bool = true) -> String {
      let stack = mappings ? "\(stackSize.map(String.init) ?? "-")/\(guardSize.map(String.init) ?? "-") \(stackSource ?? "-")" : "-"
      let alt = !altstack ? "alt:?" : sigaltstack.map {
        "alt:\($0.size ?? -1)\(mappings ? "/\($0.guardSize ?? -1)" : "")\(($0.disabled ?? false) ? "/disabled" : "")"
      } ?? "alt:-"
      let registered = "robust:\(robustList) rseq:\(rseq)"
      return "\(kind) \(createdBy ?? "-") \(cloneFlags.sorted().joined(separator: "|")) exit_signal:\(exitSignal ?? "-") \(stack) \(alt) \(registered) runtime:\(runtime ?? "-") execs:\(execs)"
    }
  }

  var counts: [String: Int]
  /// Each process's program and the runtimes recognised in it, in the summary's order.
  var processRuntimes: [(program: String, runtimes: [String])]
  var tasks: [Task]

  init(json: Data) throws {
    let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
    counts = (object["counts"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    processRuntimes = (object["processes"] as? [[String: Any]] ?? []).map { process in
      (
        process["program"] as? String ?? "",
        (process["runtimes"] as? [[String: Any]] ?? []).compactMap { $0["runtime"] as? String }
      )
    }
    tasks = (object["tasks"] as? [[String: Any]] ?? []).map { task in
      let stack = task["stack"] as? [String: Any]
      let exit = task["exit"] as? [String: Any]
      let alt = task["sigaltstack"] as? [String: Any]
      return Task(
        tid: Int32(task["tid"] as? Int ?? 0), kind: task["kind"] as? String ?? "",
        createdBy: task["created_by"] as? String, cloneFlags: task["clone_flags"] as? [String] ?? [],
        exitSignal: task["exit_signal"] as? String, stackSize: stack?["size"] as? Int,
        guardSize: stack?["guard_size"] as? Int, stackSource: stack?["source"] as? String,
        name: task["name"] as? String, nameSource: task["name_source"] as? String,
        robustList: task["robust_list"] is [String: Any], rseq: task["rseq"] is [String: Any],
        sigaltstack: alt.map {
          AltStack(size: $0["size"] as? Int, guardSize: $0["guard_size"] as? Int, disabled: $0["disabled"] as? Bool)
        },
        runtime: task["runtime"] as? String, exitCause: exit?["cause"] as? String, exitCode: exit?["code"] as? Int,
        ended: exit != nil, execs: (task["execs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String },
        creatorFunctions: (task["creator_stack"] as? [[String: Any]])?.map { $0["function"] as? String ?? "?" },
        stops: (task["cost"] as? [String: Any])?["stops"] as? Int)
    }
  }

  func count(_ key: String) -> Int { counts[key] ?? -1 }
  var threads: Int { count("threads") }
  var processes: Int { count("processes") }
  var vforks: Int { count("vforks") }
  var execs: Int { count("execs") }

  func task(_ tid: Int32) -> Task? { tasks.first { $0.tid == tid } }

  var threadTasks: [Task] { tasks.filter { $0.kind == "thread" } }

  /// Every task's `shape(mappings:)`, sorted.
  func shapes(mappings: Bool = true) -> [String] { tasks.map { $0.shape(mappings: mappings) }.sorted() }

  /// "Initial" tasks first seen after the first one. A traced command has one initial task; more are threads
  /// whose creation the trace lost (see `RuntimeLiveTests.expectNoLateInitials`).
  var lateInitials: [Task] { tasks.dropFirst().filter { $0.kind == "initial" } }

  /// The tasks without `lateInitials`.
  var tasksButLateInitials: [Task] { [tasks.first].compactMap { $0 } + tasks.dropFirst().filter { $0.kind != "initial" } }

  /// The runtimes recognised in the process running `program` (its path as exec'd).
  func runtimes(of program: String) -> [String]? {
    processRuntimes.first { $0.program == program }?.runtimes
  }
}
