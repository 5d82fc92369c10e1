import Rendering

#if canImport(Glibc)
  import Glibc
#endif

/// Buffered output to a file descriptor: `print` per line is too slow for million-line traces. Flushed when the
/// buffer fills and at the end; a failed write (a closed pipe, a full disk) is remembered and reported once.
final class FileOutput {
  let fd: Int32
  private var buffer: [UInt8] = []
  private let capacity: Int
  private(set) var failure: Int32?

  init(fd: Int32, capacity: Int = 1 << 16) {
    self.fd = fd
    self.capacity = capacity
    buffer.reserveCapacity(capacity)
  }

  var isTerminal: Bool { isatty(fd) == 1 }

  /// Creates or truncates `path` for writing (close-on-exec: the traced command must not inherit it). A failure
  /// is said on standard error as `PATH: reason` and gives nil.
  static func openForWriting(_ path: String) -> Int32? {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      Diagnostics.error("\(TerminalSafe.escape(path)): \(String(cString: strerror(errno)))")
      return nil
    }
    return fd
  }

  func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= capacity { flush() }
  }

  func write(bytes: [UInt8]) {
    buffer += bytes
    if buffer.count >= capacity { flush() }
  }

  func writeLine(_ text: String) {
    write(text)
    buffer.append(0x0A)
    if buffer.count >= capacity { flush() }
  }

  /// A line that `body` appends to the buffer as bytes, then a newline: no `String` built for it.
  func writeLine(_ body: (inout [UInt8]) -> Void) {
    body(&buffer)
    buffer.append(0x0A)
    if buffer.count >= capacity { flush() }
  }

  func flush() {
    guard !buffer.isEmpty, failure == nil else {
      buffer.removeAll(keepingCapacity: true)
      return
    }
    var offset = 0
    buffer.withUnsafeBytes { bytes in
      while offset < bytes.count {
        let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += written
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// Messages for people on standard error, written at once.
enum Diagnostics {
  static func say(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { pointer in Glibc.write(2, pointer, strlen(pointer)) }
  }

  static func warning(_ text: String) { say("threadtrace: warning: " + text) }
  static func error(_ text: String) { say("threadtrace: " + text) }
}
