/// What a trace says about itself: the first line of a threadtrace JSON Lines file, or what a reader
/// could infer from an strace log.
public struct TraceHeader: Hashable, Sendable {
  /// `threadtrace/1` for our own traces; `strace` for strace text.
  public var schema: String
  public var toolVersion: String?
  public var kernel: String?
  public var architecture: Architecture
  public var command: [String]?
  /// Start of the trace in microseconds since the Unix epoch, when known.
  public var startTime: TraceTime?
  public var clock: TraceClock?
  /// The run was cut short (the tracer was interrupted), so tasks may lack their ends.
  public var interrupted: Bool

  public init(
    schema: String, toolVersion: String? = nil, kernel: String? = nil, architecture: Architecture = .x86_64,
    command: [String]? = nil, startTime: TraceTime? = nil, clock: TraceClock? = nil, interrupted: Bool = false
  ) {
    self.schema = schema
    self.toolVersion = toolVersion
    self.kernel = kernel
    self.architecture = architecture
    self.command = command
    self.startTime = startTime
    self.clock = clock
    self.interrupted = interrupted
  }
}

/// A problem in an input that did not stop reading it: a malformed line, a truncated last line.
public struct InputWarning: Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var reason: String

  public init(file: String, line: Int, reason: String) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  public var description: String { "\(file):\(line): \(reason)" }
}
