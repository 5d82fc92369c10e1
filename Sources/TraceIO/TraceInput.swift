#if canImport(Glibc)
  import Glibc
#endif

/// Opens what the user named as a trace: one file (threadtrace JSON Lines or strace text, told apart by their
/// content), standard input (`-`), or a `-ff` set (a directory of `PREFIX.<pid>` files, the `PREFIX` strace was
/// given, or several files).
public enum TraceInput {
  /// Lines looked at to recognise strace text: the first line alone can be a strace message or an `execve`
  /// whose argv runs to megabytes, so detection reads on, but never more than this.
  static let detectionLines = 8
  static let detectionBytes = 1 << 20

  public static func open(
    _ paths: [String], options: StraceReadOptions = StraceReadOptions()
  ) throws(TraceReadError) -> any TraceReader {
    guard let path = paths.first else { throw TraceReadError(.io, file: "-", reason: "no input given") }
    if paths.count > 1 {
      return try StraceFollowForksReader(files: StraceFollowForksReader.members(paths), options: options)
    }
    if path == "-" { return try open(descriptor: 0, name: "<stdin>", owns: false, options: options) }
    var info = stat()
    guard stat(path, &info) == 0 else {
      let code = errno
      // `strace -ff -o trace` writes trace.<pid>: the name given to strace is accepted for the set.
      if code == ENOENT, let members = try? StraceFollowForksReader.members(prefix: path), !members.isEmpty {
        return try StraceFollowForksReader(files: members, options: options)
      }
      throw TraceReadError(.io, file: path, reason: "cannot open: \(String(cString: strerror(code)))")
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      return try StraceFollowForksReader(directory: path, options: options)
    }
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw TraceReadError(.io, file: path, reason: "cannot open: \(String(cString: strerror(errno)))")
    }
    return try open(descriptor: fd, name: path, owns: true, options: options)
  }

  static func open(descriptor fd: Int32, name: String, owns: Bool, options: StraceReadOptions) throws(TraceReadError)
    -> any TraceReader
  {
    // A file that can be read at an offset is looked at without consuming it, so the chosen reader starts at
    // its first line whatever it is.
    if let first = firstNonBlankByte(fd) {
      if first == UInt8(ascii: "{") {
        return try JSONLinesReader(source: LineSource(fileDescriptor: fd, name: name, ownsDescriptor: owns))
      }
    }
    let input = PeekableLineSource(LineSource(fileDescriptor: fd, name: name, ownsDescriptor: owns))
    switch try detect(input) {
    case .strace:
      return StraceTextReader(input: input, options: options, pid: nil, fileIndex: 0)
    case .jsonLines(let headerLine):
      // Reached only for input that cannot seek (a pipe): detection took the header line, which is the last
      // line it read, so the reader gets it by hand and the events from the source.
      return try JSONLinesReader(source: input.source, headerLine: headerLine)
    }
  }

  enum Format { case strace, jsonLines(headerLine: [UInt8]) }

  /// Reads up to `detectionLines` non-blank lines through `input` (they will be replayed) and decides.
  static func detect(_ input: PeekableLineSource) throws(TraceReadError) -> Format {
    var eventLines = 0
    var messageLines = 0
    var otherLines = 0
    var firstOther: PeekableLineSource.Line?
    var firstLine: PeekableLineSource.Line?
    var sawAnyByte = false
    var peekedBytes = 0
    while eventLines + messageLines + otherLines < detectionLines, peekedBytes < detectionBytes,
      let line = try input.peekLine()
    {
      peekedBytes += line.bytes.count + 1
      if !line.bytes.isEmpty { sawAnyByte = true }
      let kind = line.bytes.withUnsafeBufferPointer { classify($0) }
      if kind == .blank { continue }
      if firstLine == nil { firstLine = line }
      switch kind {
      case .json where eventLines + messageLines + otherLines == 0: return .jsonLines(headerLine: line.bytes)
      case .summary:
        throw TraceReadError(.straceSummary, file: input.name, line: line.number, reason: StraceTextReader.summaryReason)
      case .binary:
        throw unrecognized(input.name, line)
      case .event: eventLines += 1
      case .message: messageLines += 1
      default:
        otherLines += 1
        if firstOther == nil { firstOther = line }
      }
    }
    guard let firstLine else {
      throw TraceReadError(
        .empty, file: input.name, line: sawAnyByte ? 1 : nil,
        reason: sawAnyByte ? "file is empty (only blank lines)" : "file is empty")
    }
    if eventLines > 0 && eventLines >= otherLines { return .strace }
    if eventLines == 0 && otherLines == 0 && messageLines > 0 { return .strace }
    throw unrecognized(input.name, firstOther ?? firstLine)
  }

  private static func unrecognized(_ name: String, _ line: PeekableLineSource.Line) -> TraceReadError {
    let excerpt = line.bytes.withUnsafeBufferPointer { StraceExcerpt.make($0, from: 0, to: $0.count, limit: 40) }
    // The line number follows the verdict: the first thing a user needs is "this is not a trace".
    return TraceReadError(
      .unrecognizedFormat, file: name, line: line.number,
      reason: "not an strace log or threadtrace trace: line \(line.number): \(excerpt)")
  }

  enum LineKind { case blank, json, summary, binary, event, message, other }

  /// What one line looks like: a call with a recognisable end, a `+++`/`---`/resumed line, or else.
  static func classify(_ line: UnsafeBufferPointer<UInt8>) -> LineKind {
    var nonBlank = 0
    while nonBlank < line.count, line[nonBlank] == ASCII.space || line[nonBlank] == ASCII.tab { nonBlank += 1 }
    if nonBlank == line.count { return .blank }
    if line[nonBlank] == ASCII.openBrace { return .json }
    // Text never holds NUL or most control bytes; an ELF header or other binary does.
    var control = 0
    for byte in line.prefix(256) where byte < 0x20 && byte != ASCII.tab && byte != 0x1B { control += 1 }
    if control > 0 && control * 8 >= min(line.count, 256) || line.prefix(256).contains(0) && control > 1 {
      return .binary
    }
    if line.has(" > ", at: 0) { return .message }  // -k stack line
    let prefix = StraceLinePrefix.parse(line)
    let body = prefix.bodyStart
    guard body < line.count else { return .other }
    if line.has("% time", at: body) { return .summary }
    if line.has("+++ ", at: body) || line.has("--- ", at: body) || line.has("[ Process PID=", at: body) {
      return .event
    }
    if line.has("strace: ", at: body) { return .message }
    if line.has("<... ", at: body) {
      return line.firstIndex(of: " resumed>", from: body, to: line.count) != nil ? .event : .other
    }
    guard ASCII.isIdentifierStart(line[body]) else { return .other }
    var nameEnd = body
    while nameEnd < line.count, ASCII.isIdentifier(line[nameEnd]) { nameEnd += 1 }
    guard nameEnd < line.count, line[nameEnd] == ASCII.openParen else { return .other }
    let tail = StraceCallTail.parse(line, from: nameEnd + 1, to: line.count, wantAnnotation: false, errnos: nil)
    if tail.kind == .incomplete {
      // A call cut by a strace message (`clone3({…}strace: Process 7 attached`) is still strace.
      return line.firstIndex(of: "strace: Process ", from: nameEnd, to: line.count) != nil ? .event : .other
    }
    return .event
  }

  /// The first byte that is not white space in the next 64 KiB of a regular file, read without moving its
  /// offset; nil when the descriptor cannot be read that way or holds only white space there.
  private static func firstNonBlankByte(_ fd: Int32) -> UInt8? {
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    let offset = lseek(fd, 0, SEEK_CUR)
    guard offset >= 0 else { return nil }
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
    guard count > 0 else { return nil }
    return buffer[0..<count].first { $0 != ASCII.space && $0 != ASCII.tab && $0 != 0x0A && $0 != 0x0D }
  }
}
