/// A `LineSource` whose first lines may already have been read (by format detection) and are handed out again
/// before the rest, so a reader can take over an input that cannot seek (standard input, a pipe).
final class PeekableLineSource {
  struct Line {
    var bytes: [UInt8]
    var number: Int
    var unterminated: Bool
  }

  let source: LineSource
  @exclusivity(unchecked) private var replay: [Line]
  @exclusivity(unchecked) private var replayIndex = 0
  /// 1-based number of the line last handed out.
  @exclusivity(unchecked) private(set) var lineNumber = 0
  /// True when the line last handed out was the input's last and had no newline.
  @exclusivity(unchecked) private(set) var lastLineWasUnterminated = false

  init(_ source: LineSource, replaying lines: [Line] = []) {
    self.source = source
    self.replay = lines
  }

  var name: String { source.name }

  /// Reads one more line from the source and keeps it to be handed out again. Returns nil at the end.
  func peekLine() throws(TraceReadError) -> Line? {
    let line = try source.withNextLine { Array($0) }
    guard let line else { return nil }
    let peeked = Line(bytes: line, number: source.lineNumber, unterminated: source.lastLineWasUnterminated)
    replay.append(peeked)
    return peeked
  }

  /// Calls `body` with the next line's bytes; nil at the end of input. The bytes are valid only inside `body`.
  @inline(__always)
  func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) throws(TraceReadError) -> R? {
    if replayIndex < replay.count {
      let line = replay[replayIndex]
      replayIndex += 1
      if replayIndex == replay.count {
        replay = []
        replayIndex = 0
      }
      lineNumber = line.number
      lastLineWasUnterminated = line.unterminated
      return line.bytes.withUnsafeBufferPointer(body)
    }
    // LineSource counts the line and flags an unterminated last line before it calls `body`.
    return try source.withNextLine { bytes in
      lineNumber = source.lineNumber
      lastLineWasUnterminated = source.lastLineWasUnterminated
      return body(bytes)
    }
  }
}
