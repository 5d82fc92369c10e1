import ArgumentParser
import Rendering
import TraceIO
import TraceModel

#if canImport(Glibc)
  import Glibc
#endif

/// A Chrome trace-event timeline written to a file (or standard output) as events come: `explain --format
/// chrome` and `trace --timeline`.
final class Timeline {
  private let output: FileOutput
  private let ownsDescriptor: Bool
  private let path: String
  private let writer: ChromeTraceWriter

  /// Opens `path` (nil or `-`: standard output); a failure is reported on standard error and thrown.
  init(path: String?, timeIsEntry: Bool) throws {
    let fd: Int32
    if let path, path != "-" {
      guard let opened = FileOutput.openForWriting(path) else { throw TimelineError() }
      fd = opened
      ownsDescriptor = true
    } else {
      fd = 1
      ownsDescriptor = false
    }
    self.path = path ?? "<stdout>"
    let output = FileOutput(fd: fd)
    self.output = output
    writer = ChromeTraceWriter(timeIsEntry: timeIsEntry) { output.write(bytes: $0) }
  }

  struct TimelineError: Error {}

  func take(_ event: TraceEvent) { writer.take(event) }

  /// Closes the document; false (after saying why) when it could not be written.
  @discardableResult
  func finish() -> Bool {
    writer.finish()
    output.flush()
    if ownsDescriptor { close(output.fd) }
    if let failure = output.failure {
      Diagnostics.error("cannot write \(TerminalSafe.escape(path)): \(String(cString: strerror(failure)))")
      return false
    }
    return true
  }

  /// `explain --format chrome`: the whole input to a timeline. Exit 2 on bad input, as `explain` does.
  static func write(from reader: any TraceReader, to path: String?) throws {
    let timeline: Timeline
    do {
      timeline = try Timeline(path: path, timeIsEntry: reader.header.schema == "strace")
    } catch {
      throw ExitCode(2)
    }
    do {
      while let event = try reader.next() {
        timeline.take(event)
      }
    } catch {
      _ = timeline.finish()
      Diagnostics.error(TerminalSafe.escape("\(error)"))
      throw ExitCode(2)
    }
    for warning in reader.drainWarnings() { Diagnostics.warning(TerminalSafe.escape(warning.description)) }
    if !timeline.finish() { throw ExitCode(1) }
  }
}
