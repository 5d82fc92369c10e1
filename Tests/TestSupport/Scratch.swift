import Foundation

/// A directory for the files a test process writes, removed when the process exits: tests that write to the
/// shared temporary directory directly leave a trail behind every run.
public enum Scratch {
  public static let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: Scratch.directory) }
    return url
  }()

  /// A path under `directory` (`name` must be unique within the process).
  public static func path(_ name: String) -> String {
    directory.appendingPathComponent(name).path
  }
}
