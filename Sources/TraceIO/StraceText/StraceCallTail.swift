import TraceModel

/// How a syscall line (or the text after `<... NAME resumed>`) ends, found by scanning back from the end so the
/// arguments never need a pass of their own when the caller does not want them.
///
/// strace ends a call's text in one of these ways: `) = RESULT` (padded to column 40, `-T` duration last),
/// ` <unfinished ...>` (another task's line comes next), `<unfinished ...>) = ?` (the task died in the call),
/// ` <detached ...>`, or with `-ff` ` <pid changed to N ...>` (a non-leader's execve took the leader's pid).
enum StraceCallTail {
  case complete(argumentsEnd: Int, result: SyscallResult, duration: Int64?)
  case unfinished(argumentsEnd: Int)
  case diedInCall(argumentsEnd: Int, duration: Int64?)
  case detached(argumentsEnd: Int)
  case pidChanged(argumentsEnd: Int, newPID: Int32)
  /// No recognisable end: a line cut by a strace message, by a killed strace, or garbage.
  case incomplete

  /// Classifies `bytes[start..<end]`. Annotations (`-y` path of a returned fd, `(Timeout)`) are built only
  /// when `wantAnnotation`, so the fast path allocates nothing.
  static func parse(_ bytes: Bytes, from start: Int, to end: Int, wantAnnotation: Bool) -> StraceCallTail {
    var end = bytes.trimSpaces(before: end, from: start)
    var duration: Int64?
    if end > start, bytes[end - 1] == ASCII.greater, let (micros, open) = durationField(bytes, from: start, to: end) {
      duration = micros
      end = bytes.trimSpaces(before: open, from: start)
    }
    if bytes.hasSuffix("<unfinished ...>", before: end) {
      return .unfinished(argumentsEnd: dropOneSpace(bytes, before: end - 16, from: start))
    }
    if bytes.hasSuffix("<detached ...>", before: end) {
      return .detached(argumentsEnd: dropOneSpace(bytes, before: end - 14, from: start))
    }
    if bytes.hasSuffix(" ...>", before: end), let marker = bytes.lastIndex(of: "<pid changed to ", from: start, to: end) {
      let pid = bytes.decimal(at: marker + 16, to: end).map { Int32(truncatingIfNeeded: $0.value) } ?? 0
      return .pidChanged(argumentsEnd: dropOneSpace(bytes, before: marker, from: start), newPID: pid)
    }
    guard let equals = bytes.lastIndex(of: " = ", from: start, to: end) else { return .incomplete }
    let resultStart = equals + 3
    guard resultStart < end else { return .incomplete }
    let first = bytes[resultStart]
    guard first == ASCII.question || first == ASCII.minus || ASCII.isDigit(first) else { return .incomplete }
    let close = bytes.trimSpaces(before: equals, from: start)
    guard close > start, bytes[close - 1] == ASCII.closeParen else { return .incomplete }
    let argumentsEnd = close - 1
    if bytes.hasSuffix("<unfinished ...>", before: argumentsEnd) {
      return .diedInCall(argumentsEnd: dropOneSpace(bytes, before: argumentsEnd - 16, from: start), duration: duration)
    }
    guard let result = parseResult(bytes, from: resultStart, to: end, wantAnnotation: wantAnnotation) else {
      return .incomplete
    }
    return .complete(argumentsEnd: argumentsEnd, result: result, duration: duration)
  }

  /// strace separates its markers with one space; a second one means an argument was printed before it
  /// (`rt_sigprocmask(SIG_SETMASK, [],  <unfinished ...>`), and belongs to the argument text.
  @inline(__always) private static func dropOneSpace(_ bytes: Bytes, before index: Int, from start: Int) -> Int {
    index > start && bytes[index - 1] == ASCII.space ? index - 1 : max(index, start)
  }

  /// `-T`: ` <0.000018>` at the very end. Decorations (`3</etc/ld.so.cache>`, `-Y`'s `6549<comm>`) also end in
  /// `>`, but strace glues them to their number, while `-T` follows a space and holds only `digits.digits`.
  static func durationField(_ bytes: Bytes, from start: Int, to end: Int) -> (Int64, Int)? {
    var index = end - 2
    var sawDot = false
    while index > start, ASCII.isDigit(bytes[index]) || bytes[index] == ASCII.dot {
      if bytes[index] == ASCII.dot { sawDot = true }
      index -= 1
    }
    guard sawDot, index > start, bytes[index] == ASCII.less, bytes[index - 1] == ASCII.space else { return nil }
    guard let micros = parseSeconds(bytes, from: index + 1, to: end - 1) else { return nil }
    return (micros, index)
  }

  /// `S.ffffff` (any number of fraction digits) as microseconds.
  static func parseSeconds(_ bytes: Bytes, from start: Int, to end: Int) -> Int64? {
    guard let (seconds, dot) = bytes.decimal(at: start, to: end) else { return nil }
    var micros = Int64(clamping: seconds) &* 1_000_000
    guard dot < end, bytes[dot] == ASCII.dot else { return dot == end ? micros : nil }
    var index = dot + 1
    var scale: Int64 = 100_000
    while index < end, ASCII.isDigit(bytes[index]) {
      micros &+= Int64(bytes[index] &- ASCII.zero) &* scale
      scale /= 10
      index += 1
    }
    return index == end ? micros : nil
  }

  /// The text after ` = `: `0`, `0x7fb945ff5000`, `-1 ENOENT (No such file or directory)`, `?`,
  /// `? ERESTARTSYS (To be restarted if SA_RESTART is set)`, `? <unavailable>`, `0 (Timeout)`, `3</etc/ld.so.cache>`.
  static func parseResult(_ bytes: Bytes, from start: Int, to end: Int, wantAnnotation: Bool) -> SyscallResult? {
    if bytes[start] == ASCII.question {
      let next = bytes.skipSpaces(from: start + 1, to: end)
      if next < end, ASCII.isIdentifierStart(bytes[next]), let code = errnoCode(bytes, from: next, to: end) {
        return .interrupted(errno: code)
      }
      return .noReturn
    }
    let negative = bytes[start] == ASCII.minus
    let numberStart = negative ? start + 1 : start
    guard let (magnitude, after, _) = bytes.cNumber(at: numberStart, to: end) else { return nil }
    let value = negative ? 0 &- Int64(truncatingIfNeeded: magnitude) : Int64(truncatingIfNeeded: magnitude)
    let next = bytes.skipSpaces(from: after, to: end)
    if negative, next < end, ASCII.isIdentifierStart(bytes[next]), let code = errnoCode(bytes, from: next, to: end) {
      return .failure(errno: code)
    }
    guard wantAnnotation, after < end else { return .success(value, annotation: nil) }
    if bytes[after] == ASCII.less {
      return .success(value, annotation: StraceDecoration.path(bytes, from: after, to: end))
    }
    guard next < end else { return .success(value, annotation: nil) }
    return .success(value, annotation: bytes.string(next, end))
  }

  /// `ENOENT`, `ERESTARTSYS`, or strace's `ERRNO_530` for codes it has no name for.
  private static func errnoCode(_ bytes: Bytes, from start: Int, to end: Int) -> Int32? {
    var index = start
    while index < end, ASCII.isIdentifier(bytes[index]) { index += 1 }
    if bytes.has("ERRNO_", at: start), let (code, _) = bytes.decimal(at: start + 6, to: index) {
      return Int32(truncatingIfNeeded: code)
    }
    let name = bytes.string(start, index)
    return StraceSymbols.errno(named: Substring(name))
  }
}

/// strace's `-y` decorations: `<path>` glued to an fd, with `>` inside written as `\76`, nested `<char 1:3>`
/// details, and socket details in brackets (`<TCP:[1.2.3.4:5->6.7.8.9:10]>`).
enum StraceDecoration {
  /// The decoration starting at `start` (on `<`): the path with escapes decoded, nested decorations dropped.
  /// Returns the text and the index after the closing `>`.
  static func parse(_ bytes: Bytes, from start: Int, to end: Int) -> (path: String, end: Int) {
    var out: [UInt8] = []
    var angle = 0
    var square = 0
    var position = start
    while position < end {
      let byte = bytes[position]
      if byte == ASCII.backslash, position + 1 < end {
        position += 1
        if angle == 1 { position = decodeEscape(bytes, at: position, to: end, into: &out) } else { position += 1 }
        continue
      }
      position += 1
      switch byte {
      case ASCII.less where square == 0:
        angle += 1
        continue
      case ASCII.greater where square == 0:
        angle -= 1
        if angle == 0 { return (String(decoding: out, as: UTF8.self), position) }
        continue
      case ASCII.openBracket: square += 1
      case ASCII.closeBracket: square = max(0, square - 1)
      default: break
      }
      if angle == 1 { out.append(byte) }
    }
    return (String(decoding: out, as: UTF8.self), end)
  }

  static func path(_ bytes: Bytes, from start: Int, to end: Int) -> String {
    parse(bytes, from: start, to: end).path
  }
}
