import Foundation
import TraceIO
import TraceModel

/// Reads strace text given inline in a test through the real reader, so tests state inputs the way people see
/// them. Leading indentation common to all lines is removed.
public enum StraceSnippet {
  public static func events(_ text: String, fileName: String = "snippet.strace") throws -> [TraceEvent] {
    let (reader, _) = try open(text, fileName: fileName)
    var events: [TraceEvent] = []
    while let event = try reader.next() { events.append(event) }
    return events
  }

  /// Opens the text as a trace; returns the reader and the temporary file's path.
  public static func open(_ text: String, fileName: String = "snippet.strace") throws -> (any TraceReader, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(fileName)
    try dedent(text).write(to: url, atomically: true, encoding: .utf8)
    // The reader holds the file open, so the directory can go at once: tests leave nothing behind in /tmp.
    defer { try? FileManager.default.removeItem(at: directory) }
    return (try TraceInput.open([url.path]), url.path)
  }

  public static func dedent(_ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
    return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : String($0) }.joined(separator: "\n")
  }
}
