import SyscallDecoding
import TraceModel

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a threadtrace trace file (`docs/trace-format.md`): the header, then one event per line, then an
/// optional end record.
///
/// Each line goes out with its own `write(2)` as soon as it is encoded: nothing is buffered across lines, so a
/// tracer killed at any moment leaves a file whose every complete line is valid, and at worst a cut last line,
/// which readers report and skip. The first failed write (`ENOSPC`, `EPIPE` …) is thrown once; the writer then
/// stops writing and later calls return without throwing, so a live trace can go on to the terminal while the
/// caller reports the lost file once. `failure` keeps the error.
///
/// Writing to a pipe whose reader is gone raises `SIGPIPE`, which kills the process unless it is ignored: a
/// program that writes traces to pipes should ignore `SIGPIPE` so that the writer sees `EPIPE`.
///
/// Not thread-safe: one writer belongs to one thread (the tracer's event loop).
public final class JSONLinesWriter {
  /// The output's name in errors (a path, or `<stdout>`).
  public let name: String
  /// Event lines written so far.
  public private(set) var eventCount: Int64 = 0
  /// The write error already thrown, if one was; nothing is written after it.
  public private(set) var failure: TraceWriteError?

  private let fd: Int32
  private let ownsDescriptor: Bool
  private let encoder: JSONLinesEncoder
  private var headerWritten = false
  private var endWritten = false

  /// Writes to an open descriptor (a file, standard output, a pipe).
  ///
  /// - Parameters:
  ///   - errnoName: the name of an errno value (`ENOENT`) for `"errno_name"` (default: `ErrnoNames`); when it
  ///     returns nil the name is left out and the number stands alone.
  ///   - signalName: the name of a signal (`SIGCHLD`) for `"signal_name"` (default: `Signals`), likewise.
  public init(
    fileDescriptor: Int32, name: String, ownsDescriptor: Bool = false,
    errnoName: @escaping (Int32) -> String? = ErrnoNames.name(of:),
    signalName: @escaping (Int32) -> String? = Signals.name(of:)
  ) {
    self.fd = fileDescriptor
    self.name = name
    self.ownsDescriptor = ownsDescriptor
    self.encoder = JSONLinesEncoder(errnoName: errnoName, signalName: signalName)
  }

  /// Creates (or truncates) the file at `path`, mode 0644.
  public convenience init(
    path: String,
    errnoName: @escaping (Int32) -> String? = ErrnoNames.name(of:),
    signalName: @escaping (Int32) -> String? = Signals.name(of:)
  ) throws(TraceWriteError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 {
      let code = errno
      throw TraceWriteError(file: path, errno: code, reason: "cannot create: \(String(cString: strerror(code)))")
    }
    self.init(
      fileDescriptor: fd, name: path, ownsDescriptor: true, errnoName: errnoName, signalName: signalName)
  }

  deinit {
    if ownsDescriptor { close(fd) }
  }

  /// Writes the header line. Call it once, before any event. The schema written is always
  /// `JSONLinesFormat.schema`, whatever `header.schema` says (a converted strace log becomes a threadtrace trace),
  /// and `header.interrupted` is left to the end record.
  public func writeHeader(_ header: TraceHeader) throws(TraceWriteError) {
    precondition(!headerWritten, "JSONLinesWriter.writeHeader called twice")
    headerWritten = true
    guard failure == nil else { return }
    encoder.encodeHeader(header)
    try writeLine()
  }

  /// Writes one event line. `event.origin` is not written: a reader sets it to where it found the line.
  public func write(_ event: TraceEvent) throws(TraceWriteError) {
    precondition(headerWritten, "JSONLinesWriter.write called before writeHeader")
    precondition(!endWritten, "JSONLinesWriter.write called after writeEnd")
    guard failure == nil else { return }
    encoder.encodeEvent(event)
    eventCount += 1
    try writeLine()
  }

  /// Writes the end record with the number of events written. Call it at most once, last.
  public func writeEnd(interrupted: Bool, time: TraceTime? = nil, reason: String? = nil) throws(TraceWriteError) {
    precondition(headerWritten, "JSONLinesWriter.writeEnd called before writeHeader")
    precondition(!endWritten, "JSONLinesWriter.writeEnd called twice")
    endWritten = true
    guard failure == nil else { return }
    encoder.encodeEnd(JSONLinesEnd(interrupted: interrupted, time: time, eventCount: eventCount, reason: reason))
    try writeLine()
  }

  /// Writes the encoded line and empties the buffer. Partial writes (a signal, a full pipe) are continued, so
  /// the line is whole unless the process dies meanwhile.
  private func writeLine() throws(TraceWriteError) {
    let buffer = encoder.buffer
    defer { buffer.removeAll() }
    var offset = 0
    while offset < buffer.count {
      let written = Glibc.write(fd, buffer.base + offset, buffer.count - offset)
      if written > 0 {
        offset += written
        continue
      }
      let code = written == 0 ? EIO : errno
      if code == EINTR { continue }
      if code == EAGAIN || code == EWOULDBLOCK {
        // A non-blocking descriptor (a pipe set O_NONBLOCK by someone else): wait until it drains.
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&poller, 1, -1)
        continue
      }
      let error = TraceWriteError(
        file: name, errno: code, reason: "cannot write the trace: \(String(cString: strerror(code)))")
      failure = error
      throw error
    }
  }
}
