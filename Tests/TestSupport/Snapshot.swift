import Foundation

/// Golden-file comparison after swift-argument-parser's `assertSnapshot`: the expected text lives in
/// `fixtures/golden/<suite>/<name>`; with `RECORD_SNAPSHOTS=1` in the environment the file is rewritten and the
/// check reports a failure, so a recording run can never pass by accident.
public enum Snapshot {
  /// Returns nil when `actual` matches the golden file, else a message describing the difference.
  public static func mismatch(_ actual: String, suite: String, name: String) -> String? {
    let url = Fixtures.directory.appendingPathComponent("golden/\(suite)/\(name)")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      try? FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? actual.write(to: url, atomically: true, encoding: .utf8)
      return "recorded \(url.path); run again without RECORD_SNAPSHOTS"
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      return "no golden file at \(url.path); record it with RECORD_SNAPSHOTS=1"
    }
    if expected == actual { return nil }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(expectedLines.count, actualLines.count) {
      let e = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
      let a = index < actualLines.count ? String(actualLines[index]) : "<end>"
      if e != a { return "\(url.lastPathComponent) line \(index + 1):\n  expected: \(e)\n  actual:   \(a)" }
    }
    return "\(url.lastPathComponent) differs"
  }
}
