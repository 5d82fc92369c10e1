#if canImport(Glibc)
  import Glibc
#endif

/// Reads a file descriptor line by line in large chunks, handing out each line as bytes in place.
///
/// Memory is one buffer of the longest line seen (at least `chunkSize`, at most `maximumLineLength`), whatever
/// the file's size. A trailing `\r` is dropped (CRLF files). The last line may lack its newline when the writer
/// was killed mid-line; that is reported through `lastLineWasUnterminated` so readers can warn and keep the
/// partial record. A line longer than `maximumLineLength` is dropped whole (never handed out, not even in part)
/// and its number recorded once in `overlongLines`; it still counts, so later line numbers stay right.
public final class LineSource {
  /// The name used in messages (a path, or `<stdin>`).
  public let name: String
  /// 1-based number of the line last handed out (or, while an overlong line is being dropped, of that line).
  @exclusivity(unchecked) public private(set) var lineNumber = 0
  /// Bytes of input consumed so far.
  @exclusivity(unchecked) public private(set) var consumed: Int64 = 0
  /// The input's size when it is a regular file.
  public let totalSize: Int64?
  /// True once the last line was handed out without a terminating newline.
  @exclusivity(unchecked) public private(set) var lastLineWasUnterminated = false
  /// Lines longer than this are dropped (and reported): no input can make the reader hold unbounded memory.
  public let maximumLineLength: Int
  /// The numbers of the lines dropped for being longer than `maximumLineLength`, in order, each once.
  @exclusivity(unchecked) public private(set) var overlongLines: [Int] = []

  // One thread reads a source and never re-enters it, so the runtime's dynamic exclusivity checks on these
  // (paid on every line) buy nothing: they are off.
  private let fd: Int32
  private let ownsDescriptor: Bool
  @exclusivity(unchecked) private var buffer: UnsafeMutableRawBufferPointer
  @exclusivity(unchecked) private var start = 0  // first unconsumed byte
  @exclusivity(unchecked) private var end = 0  // one past the last byte read
  @exclusivity(unchecked) private var atEOF = false
  /// Set while the rest of an overlong line (already counted and recorded) is being read and thrown away.
  @exclusivity(unchecked) private var skippingOverlongLine = false

  /// Opens `path` for reading.
  public convenience init(path: String, chunkSize: Int = 1 << 20) throws(TraceReadError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      let reason = String(cString: strerror(errno))
      throw TraceReadError(.io, file: path, reason: "cannot open: \(reason)")
    }
    var info = stat()
    if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      close(fd)
      throw TraceReadError(.io, file: path, reason: "is a directory")
    }
    self.init(fileDescriptor: fd, name: path, ownsDescriptor: true, chunkSize: chunkSize)
  }

  /// Reads from an open descriptor (standard input, a pipe).
  public init(
    fileDescriptor: Int32, name: String, ownsDescriptor: Bool = false, chunkSize: Int = 1 << 20,
    maximumLineLength: Int = 64 << 20
  ) {
    self.fd = fileDescriptor
    self.name = name
    self.ownsDescriptor = ownsDescriptor
    self.maximumLineLength = max(1, maximumLineLength)
    self.buffer = .allocate(byteCount: max(1, min(chunkSize, self.maximumLineLength)), alignment: 16)
    var info = stat()
    if fstat(fileDescriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG {
      totalSize = Int64(info.st_size)
    } else {
      totalSize = nil
    }
  }

  deinit {
    buffer.deallocate()
    if ownsDescriptor { close(fd) }
  }

  /// Calls `body` with the next line (without its `\n` or `\r\n`) and returns its result; nil at end of input.
  /// The bytes are valid only inside `body`.
  @inline(__always)
  public func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) throws(TraceReadError) -> R? {
    while true {
      if start < end, let found = memchr(buffer.baseAddress! + start, 0x0A, end - start) {
        let newline = buffer.baseAddress!.distance(to: found)
        let lineStart = start
        start = newline + 1
        consumed += Int64(newline + 1 - lineStart)
        if skippingOverlongLine {
          // The end of a line that was already counted and recorded when its start was dropped.
          skippingOverlongLine = false
          continue
        }
        lineNumber += 1
        return deliver(from: lineStart, count: newline - lineStart, body)
      }
      if atEOF {
        guard start < end else { return nil }
        let length = end - start
        let lineStart = start
        start = end
        consumed += Int64(length)
        lineNumber += 1
        lastLineWasUnterminated = true
        return deliver(from: lineStart, count: length, body)
      }
      try fill()
    }
  }

  @inline(__always)
  private func deliver<R>(from offset: Int, count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var count = count
    let base = buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
    if count > 0 && base[count - 1] == UInt8(ascii: "\r") { count -= 1 }
    return body(UnsafeBufferPointer(start: base, count: count))
  }

  private func fill() throws(TraceReadError) {
    // Move the partial line to the front, grow when a single line fills the buffer.
    if start > 0 {
      let pending = end - start
      if pending > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: pending) }
      start = 0
      end = pending
    }
    if end == buffer.count {
      if skippingOverlongLine || buffer.count >= maximumLineLength {
        // A line with no newline in `maximumLineLength` bytes: drop what we have and the rest up to its newline.
        // It is counted and recorded now, once, however many buffer-fulls it takes to reach its end.
        if !skippingOverlongLine {
          lineNumber += 1
          overlongLines.append(lineNumber)
          skippingOverlongLine = true
        }
        consumed += Int64(end)
        end = 0
      } else {
        let grown = UnsafeMutableRawBufferPointer.allocate(
          byteCount: min(buffer.count * 2, maximumLineLength), alignment: 16)
        grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
        buffer.deallocate()
        buffer = grown
      }
    }
    while true {
      let count = read(fd, buffer.baseAddress! + end, buffer.count - end)
      if count > 0 {
        end += count
        return
      }
      if count == 0 {
        atEOF = true
        if skippingOverlongLine {
          // The overlong line was the last one and had no newline: nothing of it is left to hand out.
          consumed += Int64(end)
          start = 0
          end = 0
        }
        return
      }
      if errno == EINTR { continue }
      let reason = String(cString: strerror(errno))
      let line = skippingOverlongLine ? lineNumber : lineNumber + 1
      throw TraceReadError(.io, file: name, line: line, reason: "read failed: \(reason)")
    }
  }
}
