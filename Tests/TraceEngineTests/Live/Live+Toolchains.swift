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
}

