import TraceModel

/// A source of `TraceEvent`s read from a recorded trace, in order, one at a time, so memory grows with what is
/// in flight (open calls, live tasks), never with the file.
public protocol TraceReader: AnyObject {
  /// What the input says about itself (schema, architecture, clock, command …), as far as known when reading
  /// starts; readers may fill in more as they go (an strace log's clock is known after its first line).
  var header: TraceHeader { get }
  /// The next event, or nil at the end of the input.
  func next() throws(TraceReadError) -> TraceEvent?
  /// Problems met so far that did not stop reading (malformed lines, a truncated last line). Readers append;
  /// callers may take and clear them with `drainWarnings()`.
  func drainWarnings() -> [InputWarning]
  /// How many bytes of input have been consumed so far, and the total when known (for progress bars).
  var progress: (consumed: Int64, total: Int64?) { get }
}

/// Why a trace could not be read at all. Each case names the file, the line and the reason.
public struct TraceReadError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: String, Hashable, Sendable {
    /// The input is neither format (`not an strace log or threadtrace trace`).
    case unrecognizedFormat
    /// The input is empty.
    case empty
    /// An strace `-c` summary table, which has no events to explain.
    case straceSummary
    /// A threadtrace trace with a newer major schema version than this reader knows.
    case unsupportedVersion
    /// The file could not be opened or read.
    case io
  }

  public var kind: Kind
  public var file: String
  public var line: Int?
  public var reason: String

  public init(_ kind: Kind, file: String, line: Int? = nil, reason: String) {
    self.kind = kind
    self.file = file
    self.line = line
    self.reason = reason
  }

  public var description: String {
    // "not an strace log …: line 1: …" says the verdict first and carries its own line number.
    if let line, !reason.contains("line \(line): ") { return "\(file): line \(line): \(reason)" }
    return "\(file): \(reason)"
  }
}
