import Foundation

/// The repository's top-level `fixtures/` folder, found from this file's path (SwiftPM resources cannot live
/// outside a target folder). Fails loudly when it is missing, rather than letting a test pass on nothing.
public enum Fixtures {
  public static let directory: URL = {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()  // TestSupport
      .deletingLastPathComponent()  // Tests
      .deletingLastPathComponent()  // repository root
      .appendingPathComponent("fixtures")
    precondition(FileManager.default.fileExists(atPath: url.path), "No fixtures directory at \(url.path)")
    return url
  }()

  /// The path of `relativePath` under `fixtures/`; fails if it does not exist.
  public static func path(_ relativePath: String) -> String {
    let url = directory.appendingPathComponent(relativePath)
    precondition(FileManager.default.fileExists(atPath: url.path), "No such fixture: \(url.path)")
    return url.path
  }

  /// The bytes of a fixture file.
  public static func data(_ relativePath: String) -> Data {
    FileManager.default.contents(atPath: path(relativePath)) ?? Data()
  }

  /// Fixture files under `folder` whose names end with `suffix`, sorted.
  public static func files(in folder: String, suffix: String) -> [String] {
    let base = directory.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
    return names.filter { $0.hasSuffix(suffix) }.sorted().map { "\(folder)/\($0)" }
  }
}
