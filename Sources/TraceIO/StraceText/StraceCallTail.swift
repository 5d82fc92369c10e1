import TraceModel

/// How a syscall line (or the text after `<... NAME resumed>`) ends, found by scanning back from the end so the
/// arguments never need a pass of their own when the caller does not want them.
///
/// strace ends a call's text in one of these ways: `) = RESULT` (padded to column 40, `-T` duration last),
/// ` <unfinished ...>` (another task's line comes next), `<unfinished ...>) = ?` (the task died in the call),
/// ` <detached ...>`, or with `-ff` ` <pid changed to N ...>` (a non-leader's execve took the leader's pid).
///
/// A plain value with no reference-counted field: it is made for every line, and an enum carrying a
/// `SyscallResult` (whose annotation is a `String`) cost an outlined copy and destroy at each step. The result's
/// annotation is kept as a range of the line and made into a `String` only by `result(_:)`.
struct StraceCallTail {
  enum Kind: UInt8 {
    /// `) = RESULT`: `argumentsEnd`, `outcome`, `duration`.
    case complete
    /// ` <unfinished ...>`: `argumentsEnd`.
    case unfinished
    /// `<unfinished ...>) = ?`: `argumentsEnd`, `duration`.
    case diedInCall
    /// ` <detached ...>`: `argumentsEnd`.
    case detached
    /// ` <pid changed to N ...>`: `argumentsEnd`, `newPID`.
    case pidChanged
    /// No recognisable end: a line cut by a strace message, by a killed strace, or garbage.
    case incomplete
  }

  /// What the call returned, without the annotation.
  enum Outcome {
    case success(Int64)
    case failure(errno: Int32)
    case interrupted(errno: Int32)
    case noReturn
  }

  var kind: Kind
  /// One past the last byte of the argument text.
  var argumentsEnd = 0
  var outcome = Outcome.noReturn
  /// `-T`'s time in the call, in microseconds.
  var duration: Int64?
  var newPID: Int32 = 0
  /// The annotation after a successful result: `annotationStart..<annotationEnd`, a `-y` decoration (`<path>`)
  /// when `annotationIsDecoration`, else text (`(Timeout)`). Empty when there is none or it was not wanted.
  var annotationStart = 0
  var annotationEnd = 0
  var annotationIsDecoration = false

  static let incomplete = StraceCallTail(kind: .incomplete)

  /// The result as the model has it, with its annotation (made here, only for the calls that want it).
  func result(_ bytes: Bytes) -> SyscallResult {
    switch outcome {
    case .success(let value):
      guard annotationEnd > annotationStart else { return .success(value, annotation: nil) }
      let annotation =
        annotationIsDecoration
        ? StraceDecoration.path(bytes, from: annotationStart, to: annotationEnd)
        : bytes.string(annotationStart, annotationEnd)
      return .success(value, annotation: annotation)
    case .failure(let errno): return .failure(errno: errno)
    case .interrupted(let errno): return .interrupted(errno: errno)
    case .noReturn: return .noReturn
    }
  }

  /// This tail's result in the form `SyscallEvent` stores it (case, value or errno, annotation), without making
  /// a `SyscallResult` on the way. A call that died in it (`diedInCall`) has no return.
  @inline(__always)
  func storedResult(_ bytes: Bytes) -> (SyscallEvent.ResultCode, Int64, String?) {
    guard kind == .complete else { return (.noReturn, 0, nil) }
    switch outcome {
    case .success(let value):
      guard annotationEnd > annotationStart else { return (.success, value, nil) }
      let annotation =
        annotationIsDecoration
        ? StraceDecoration.path(bytes, from: annotationStart, to: annotationEnd)
        : bytes.string(annotationStart, annotationEnd)
      return (.success, value, annotation)
    case .failure(let errno): return (.failure, Int64(errno), nil)
    case .interrupted(let errno): return (.interrupted, Int64(errno), nil)
    case .noReturn: return (.noReturn, 0, nil)
    }
  }

  /// Classifies `bytes[start..<end]`. Annotations (`-y` path of a returned fd, `(Timeout)`) are located only
  /// when `wantAnnotation`; errno names are looked up through `errnos` when given.
  @inline(__always)
  static func parse(
    _ bytes: Bytes, from start: Int, to end: Int, wantAnnotation: Bool, errnos: ErrnoNameCache?
  ) -> StraceCallTail {
    var end = bytes.trimSpaces(before: end, from: start)
    guard end > start else { return .incomplete }
    var duration: Int64?
    var last = bytes[end - 1]
    if last == ASCII.greater {
      if let (micros, open) = durationField(bytes, from: start, to: end) {
        duration = micros
        end = bytes.trimSpaces(before: open, from: start)
        guard end > start else { return .incomplete }
        last = bytes[end - 1]
      }
      if last == ASCII.greater {
        if let tail = markerTail(bytes, from: start, to: end) { return tail }
      }
    }
    // The result is the last thing on the line: ` = ` then a number, `?` or `-1 ERRNO (text)`. Strings in the
    // arguments may hold ` = ` too, but never after the result, so the last one found scanning back is it.
    guard let equalsSign = bytes.lastSpacedEquals(from: start, to: end) else { return .incomplete }
    let equals = equalsSign - 1
    let resultStart = equals + 3
    guard resultStart < end else { return .incomplete }
    let first = bytes[resultStart]
    guard first == ASCII.question || first == ASCII.minus || ASCII.isDigit(first) else { return .incomplete }
    let close = bytes.trimSpaces(before: equals, from: start)
    guard close > start, bytes[close - 1] == ASCII.closeParen else { return .incomplete }
    let argumentsEnd = close - 1
    // (`close > start` and the `(` before `start`: `argumentsEnd - 1` is in the line.)
    if bytes[argumentsEnd - 1] == ASCII.greater, bytes.hasSuffix("<unfinished ...>", before: argumentsEnd) {
      var tail = StraceCallTail(kind: .diedInCall)
      tail.argumentsEnd = dropOneSpace(bytes, before: argumentsEnd - 16, from: start)
      tail.duration = duration
      return tail
    }
    var tail = StraceCallTail(kind: .complete)
    guard parseResult(bytes, from: resultStart, to: end, wantAnnotation: wantAnnotation, errnos: errnos, into: &tail)
    else {
      return .incomplete
    }
    tail.argumentsEnd = argumentsEnd
    tail.duration = duration
    return tail
  }

  /// ` <unfinished ...>`, ` <detached ...>`, ` <pid changed to N ...>` at the end (before any `-T` time).
  private static func markerTail(_ bytes: Bytes, from start: Int, to end: Int) -> StraceCallTail? {
    if bytes.hasSuffix("<unfinished ...>", before: end) {
      var tail = StraceCallTail(kind: .unfinished)
      tail.argumentsEnd = dropOneSpace(bytes, before: end - 16, from: start)
      return tail
    }
    if bytes.hasSuffix("<detached ...>", before: end) {
      var tail = StraceCallTail(kind: .detached)
      tail.argumentsEnd = dropOneSpace(bytes, before: end - 14, from: start)
      return tail
    }
    if bytes.hasSuffix(" ...>", before: end), let marker = bytes.lastIndex(of: "<pid changed to ", from: start, to: end) {
      var tail = StraceCallTail(kind: .pidChanged)
      tail.newPID = bytes.decimal(at: marker + 16, to: end).map { Int32(truncatingIfNeeded: $0.value) } ?? 0
      tail.argumentsEnd = dropOneSpace(bytes, before: marker, from: start)
      return tail
    }
    return nil
  }

  /// strace separates its markers with one space; a second one means an argument was printed before it
  /// (`rt_sigprocmask(SIG_SETMASK, [],  <unfinished ...>`), and belongs to the argument text.
  @inline(__always) private static func dropOneSpace(_ bytes: Bytes, before index: Int, from start: Int) -> Int {
    index > start && bytes[index - 1] == ASCII.space ? index - 1 : max(index, start)
  }

  /// `-T`: ` <0.000018>` at the very end. Decorations (`3</etc/ld.so.cache>`, `-Y`'s `6549<comm>`) also end in
  /// `>`, but strace glues them to their number, while `-T` follows a space and holds only `digits.digits`.
  static func durationField(_ bytes: Bytes, from start: Int, to end: Int) -> (Int64, Int)? {
    // The usual ` <S.ffffff>`, read at fixed places (a scan back over the digits was a few percent of reading a
    // `-T` log); anything else, more seconds digits included, below.
    let open = end - 10
    if open - 1 > start, bytes[open] == ASCII.less, bytes[open - 1] == ASCII.space, bytes[end - 8] == ASCII.dot,
      ASCII.isDigit(bytes[end - 9]), let fraction = bytes.sixDigits(at: end - 7)
    {
      return (Int64(bytes[end - 9] &- ASCII.zero) &* 1_000_000 &+ fraction, open)
    }
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

  /// `S.ffffff` (any number of fraction digits) as microseconds, in integers (no `Double` rounding).
  static func parseSeconds(_ bytes: Bytes, from start: Int, to end: Int) -> Int64? {
    // `-T`'s usual `S.ffffff`, read at fixed places.
    if end - start == 8, bytes[start + 1] == ASCII.dot, ASCII.isDigit(bytes[start]),
      let fraction = bytes.sixDigits(at: start + 2)
    {
      return Int64(bytes[start] &- ASCII.zero) &* 1_000_000 &+ fraction
    }
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
  /// Fills `tail.outcome` (and the annotation range); false when it is not a result.
  @inline(__always)
  private static func parseResult(
    _ bytes: Bytes, from start: Int, to end: Int, wantAnnotation: Bool, errnos: ErrnoNameCache?,
    into tail: inout StraceCallTail
  ) -> Bool {
    if bytes[start] == ASCII.question {
      let next = bytes.skipSpaces(from: start + 1, to: end)
      if next < end, ASCII.isIdentifierStart(bytes[next]), let code = errnoCode(bytes, from: next, to: end, errnos: errnos) {
        tail.outcome = .interrupted(errno: code)
      } else {
        tail.outcome = .noReturn
      }
      return true
    }
    let negative = bytes[start] == ASCII.minus
    let numberStart = negative ? start + 1 : start
    guard let (magnitude, after, _) = bytes.cNumber(at: numberStart, to: end) else { return false }
    let value = negative ? 0 &- Int64(truncatingIfNeeded: magnitude) : Int64(truncatingIfNeeded: magnitude)
    tail.outcome = .success(value)
    // Most results end the line: nothing to look at after the number.
    guard after < end else { return true }
    let next = bytes.skipSpaces(from: after, to: end)
    if negative, next < end, ASCII.isIdentifierStart(bytes[next]), let code = errnoCode(bytes, from: next, to: end, errnos: errnos) {
      tail.outcome = .failure(errno: code)
      return true
    }
    guard wantAnnotation else { return true }
    if bytes[after] == ASCII.less {
      tail.annotationStart = after
      tail.annotationEnd = end
      tail.annotationIsDecoration = true
    } else if next < end {
      tail.annotationStart = next
      tail.annotationEnd = end
    }
    return true
  }

  /// `ENOENT`, `ERESTARTSYS`, or strace's `ERRNO_530` for codes it has no name for.
  private static func errnoCode(_ bytes: Bytes, from start: Int, to end: Int, errnos: ErrnoNameCache?) -> Int32? {
    var index = start
    while index < end, ASCII.isIdentifier(bytes[index]) { index += 1 }
    if bytes.has("ERRNO_", at: start), let (code, _) = bytes.decimal(at: start + 6, to: index) {
      return Int32(truncatingIfNeeded: code)
    }
    guard let errnos else { return ErrnoNameCache.lookUp(bytes, from: start, to: index) }
    return errnos.code(bytes, from: start, to: index)
  }
}

/// errno names to codes, without a `String` per failed call: the few names a log uses, keyed by their bytes.
final class ErrnoNameCache {
  private let table = ShortNameTable<Int32?>(bits: 8)

  func code(_ bytes: Bytes, from start: Int, to end: Int) -> Int32? {
    guard let key = ShortName(bytes, from: start, to: end) else { return Self.lookUp(bytes, from: start, to: end) }
    return table.value(for: key) { Self.lookUp(bytes, from: start, to: end) }
  }

  static func lookUp(_ bytes: Bytes, from start: Int, to end: Int) -> Int32? {
    StraceSymbols.errno(named: Substring(bytes.string(start, end)))
  }
}

/// strace's `-y` decorations: `<path>` glued to an fd, with `>` inside written as `\76`, nested `<char 1:3>`
/// details, and socket details in brackets (`<TCP:[1.2.3.4:5->6.7.8.9:10]>`).
enum StraceDecoration {
  /// The decoration starting at `start` (on `<`): the path with escapes decoded, nested decorations dropped.
  /// Returns the text and the index after the closing `>`.
  static func parse(_ bytes: Bytes, from start: Int, to end: Int) -> (path: String, end: Int) {
    // Most decorations are a plain path up to `>`: made into a `String` at once, with no byte array between.
    if start < end, bytes[start] == ASCII.less {
      var index = start + 1
      while index < end {
        let byte = bytes[index]
        if byte == ASCII.greater || byte == ASCII.less || byte == ASCII.backslash || byte == ASCII.openBracket
          || byte == ASCII.closeBracket
        {
          break
        }
        index += 1
      }
      if index < end, bytes[index] == ASCII.greater { return (bytes.string(start + 1, index), index + 1) }
    }
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
