import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Go and Rust fixture programs for the live tests: the toolchains, if installed, and a compile of a Go or Rust
/// source under `fixtures/` (`programs/go/NAME.go`, `programs/rust/NAME.rs`, `jobs/src/job.*`) once per test
/// process.
extension Live {
  /// The `go` command: on PATH, else where Debian and the upstream tarball put it; nil when not installed.
  static let go: String? = toolchain("go", ["/usr/bin/go", "/usr/local/go/bin/go"])

  /// `rustc`: on PATH, else rustup's or Debian's; nil when not installed.
  static let rustc: String? = toolchain(
    "rustc", [NSHomeDirectory() + "/.cargo/bin/rustc", "/root/.cargo/bin/rustc", "/usr/bin/rustc"])

  private static func toolchain(_ name: String, _ fallbacks: [String]) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
    return (path + fallbacks).first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// The Go program `fixtures/SOURCE` (e.g. `programs/go/lifecycle.go`), built with `GO111MODULE=off go build`
  /// (no network), in the user's build cache, or in one of this test process's own when the environment names
  /// none: `go build` refuses to run without a cache, and CI's environment may have no `HOME`.
  static func goProgram(_ source: String) throws -> String {
    try compiled(source) { partial in
      guard let go else { throw LiveError.compile(source, "go is not installed") }
      let arguments = ["GO111MODULE=off"] + goCacheSetting + [go, "build", "-o", partial, Fixtures.path(source)]
      return try run("/usr/bin/env", arguments, timeout: 120)
    }
  }

  /// `GOCACHE=…` when neither `GOCACHE`, `XDG_CACHE_HOME` nor `HOME` tells `go` where its cache is.
  private static var goCacheSetting: [String] {
    let environment = ProcessInfo.processInfo.environment
    let named = ["GOCACHE", "XDG_CACHE_HOME", "HOME"].contains { environment[$0]?.isEmpty == false }
    return named ? [] : ["GOCACHE=" + workDirectory.appendingPathComponent("go-cache").path]
  }

  /// The Rust program `fixtures/SOURCE` (e.g. `programs/rust/lifecycle.rs`), built with `rustc -O`. Its crate
  /// is named after the file (`lifecycle`), as its symbols show.
  static func rustProgram(_ source: String) throws -> String {
    try compiled(source) { partial in
      guard let rustc else { throw LiveError.compile(source, "rustc is not installed") }
      return try run(rustc, ["-O", "-o", partial, Fixtures.path(source)], timeout: 120)
    }
  }

  private static let toolchainLock = NSLock()

  /// The binary of `source` in the work directory, compiled by `compile` on first use. As `program` does, it is
  /// written under a temporary name and renamed into place, so nothing ever execs a file still open for writing.
  private static func compiled(_ source: String, _ compile: (String) throws -> Run) throws -> String {
    let name = source.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "_")
    let output = workDirectory.appendingPathComponent(name).path
    toolchainLock.lock()
    defer { toolchainLock.unlock() }
    if FileManager.default.isExecutableFile(atPath: output) { return output }
    let partial = output + ".partial"
    let result = try compile(partial)
    guard result.status == 0, rename(partial, output) == 0 else {
      throw LiveError.compile(source, result.stderr + result.stdout)
    }
    return output
  }

  /// `threadtrace explain --format json FILE`, with the fields the runtime tests compare that `Summary` leaves out.
  static func runtimeSummary(of file: String) throws -> RuntimeSummary {
    let result = try run(threadtrace.path, ["explain", "--format", "json", file], timeout: 30)
    guard result.status == 0 else { throw LiveError.explain(result.stderr) }
    return try RuntimeSummary(json: Data(result.stdout.utf8))
  }
}

/// A threadtrace.summary/1 document as the Go and Rust tests read it: besides `Summary`'s fields, each task's
/// sigaltstack, stack source, runtime fingerprint, exit and execs, and each process's recognised runtimes.
struct RuntimeSummary {
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
    var creatorFunctions: [String]?

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
  var processes: [(program: String, runtimes: [String])]
  var tasks: [Task]

  init(json: Data) throws {
    let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
    counts = (object["counts"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    processes = (object["processes"] as? [[String: Any]] ?? []).map { process in
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
        creatorFunctions: (task["creator_stack"] as? [[String: Any]])?.map { $0["function"] as? String ?? "?" })
    }
  }

  func count(_ key: String) -> Int { counts[key] ?? -1 }

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
    processes.first { $0.program == program }?.runtimes
  }
}
