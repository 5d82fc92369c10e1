// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "threadtrace",
  products: [
    .executable(name: "threadtrace", targets: ["threadtrace"]),
    // For fuzz/, the libFuzzer package that depends on this one by path.
    .library(name: "TraceIO", targets: ["TraceIO"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // MARK: C boundary (imported by TraceEngine and its tests only)

    /** Everything Swift cannot call: variadic ptrace, wait-status macros, kernel constants and struct mirrors. */
    .target(name: "CPtraceShim", exclude: ["README.md"], cSettings: [.define("_GNU_SOURCE")]),
    /** libseccomp: syscall name/number tables and the seccomp-bpf filter. */
    .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
    /** libunwind-ptrace: the creator's user stack at a clone. */
    .systemLibrary(
      name: "CLibunwindPtrace", pkgConfig: "libunwind-ptrace", providers: [.apt(["libunwind-dev"])]),

    // MARK: Pure Swift layers

    /** Pure values: task ids, TraceEvent, argument values. No C, no Foundation. */
    .target(name: "TraceModel", exclude: ["README.md"]),
    /** Flag and value tables with literal values, syscall tables, typed views of syscall arguments. */
    .target(name: "SyscallDecoding", dependencies: ["TraceModel"], exclude: ["README.md"]),
    /** Readers and writers: strace text, threadtrace JSON Lines. */
    .target(name: "TraceIO", dependencies: ["TraceModel", "SyscallDecoding"], exclude: ["README.md"]),
    /** The thread story: Lifecycle (fold events into task histories) and Explain (one rule per file). */
    .target(name: "Analysis", dependencies: ["TraceModel", "SyscallDecoding"], exclude: ["README.md"]),
    /** Terminal text and the JSON summary. */
    .target(name: "Rendering", dependencies: ["TraceModel", "SyscallDecoding", "Analysis"], exclude: ["README.md"]),

    // MARK: Linux engine

    /** The ptrace engine; the only Swift code that imports the C targets. */
    .target(
      name: "TraceEngine",
      dependencies: ["TraceModel", "SyscallDecoding", "CPtraceShim", "CSeccomp", "CLibunwindPtrace"],
      exclude: ["README.md"],
      linkerSettings: [.linkedLibrary("lzma")]),  // Debian 12's libunwind-ptrace.so is underlinked

    // MARK: CLI

    .executableTarget(
      name: "threadtrace",
      dependencies: [
        "TraceModel", "SyscallDecoding", "TraceIO", "Analysis", "Rendering", "TraceEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["README.md"]),

    // MARK: Tests

    .target(name: "TestSupport", dependencies: ["TraceModel", "TraceIO"], path: "Tests/TestSupport"),
    /** The kernel's and libc's own constants, looked up by name, to check the literal tables against. */
    .target(name: "CKernelHeaders", path: "Tests/CKernelHeaders", cSettings: [.define("_GNU_SOURCE")]),
    .testTarget(name: "TraceModelTests", dependencies: ["TraceModel", "TestSupport"]),
    .testTarget(
      name: "SyscallDecodingTests", dependencies: ["SyscallDecoding", "TestSupport", "CKernelHeaders", "CSeccomp"]),
    .testTarget(name: "TraceIOTests", dependencies: ["TraceIO", "SyscallDecoding", "TestSupport"]),
    .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "TraceIO", "SyscallDecoding", "TestSupport"]),
    .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Analysis", "TraceIO", "TestSupport"]),
    .testTarget(
      name: "TraceEngineTests",
      dependencies: ["TraceEngine", "CPtraceShim", "CSeccomp", "SyscallDecoding", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["TestSupport", "threadtrace"]),
  ],
  swiftLanguageModes: [.v6]
)
