import TraceModel

/// The optional last line of a trace file: `{"type":"end","interrupted":false,"time_us":…,"events":…}`.
///
/// The writer appends it when a run finishes or is interrupted; a file without it was cut short (the tracer was
/// killed or the disk filled), and a reader can tell the two apart only by this line.
public struct JSONLinesEnd: Hashable, Sendable {
  /// The run was cut short (the user interrupted the tracer, or it detached early), so tasks may lack their ends.
  public var interrupted: Bool
  /// When the trace ended, in the header's clock.
  public var time: TraceTime?
  /// How many event lines the writer wrote between the header and this line.
  public var eventCount: Int64?
  /// Why the trace ended, for people (`SIGINT`, `the traced command exited with 0`).
  public var reason: String?

  public init(interrupted: Bool, time: TraceTime? = nil, eventCount: Int64? = nil, reason: String? = nil) {
    self.interrupted = interrupted
    self.time = time
    self.eventCount = eventCount
    self.reason = reason
  }
}

/// Why a trace file could not be written: the file, the errno and what was being done.
public struct TraceWriteError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The output's name in messages (a path, or `<stdout>`).
  public var file: String
  /// The errno of the failed call (`ENOSPC` = 28, `EPIPE` = 32), or 0 when there is none.
  public var errno: Int32
  public var reason: String

  public init(file: String, errno: Int32, reason: String) {
    self.file = file
    self.errno = errno
    self.reason = reason
  }

  public var description: String { "\(file): \(reason)" }
}
