// swift-tools-version: 6.0
// libFuzzer targets for the trace readers, kept out of the main package so its build and CI stay untouched:
// every target here (and the main package's, built again for this package) is compiled with
// `-sanitize=fuzzer`. Run them with `scripts/fuzz` (see fuzz/README.md).
import PackageDescription

let package = Package(
  name: "threadtrace-fuzz",
  dependencies: [.package(name: "threadtrace", path: "..")],
  targets: [
    .target(name: "FuzzSupport", dependencies: [.product(name: "TraceIO", package: "threadtrace")]),
    .executableTarget(name: "FuzzStraceReader", dependencies: ["FuzzSupport"]),
    .executableTarget(name: "FuzzJSONLinesReader", dependencies: ["FuzzSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
