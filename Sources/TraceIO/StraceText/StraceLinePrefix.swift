/// What precedes the event on an strace line: the task, the timestamp, and `-i`/`-n` brackets.
///
/// strace prints, in order: the pid (`[pid  N] ` to stderr while more than one task lives, `N ` padded to five
/// columns with `-o FILE -f`, `N<comm> ` with `-Y`, nothing with `-ff` or a single task), then the time
/// (`-t` `00:20:22`, `-tt` `00:20:22.414492`, `-ttt` `1795393222.419754`, `-r` `     0.000689`, `-t -r`
/// `00:20:22 (+     0.000689)`), then `-n`'s `[ 257]` and `-i`'s `[00007f5b4a49e011]`.
struct StraceLinePrefix {
  enum Stamp {
    case none
    /// Microseconds since midnight (`-t`, `-tt`): wraps at midnight.
    case timeOfDay(Int64)
    /// Microseconds since the epoch (`-ttt`).
    case epoch(Int64)
    /// Microseconds since the previous line (`-r`).
    case relative(Int64)
  }

  var pid: Int32?
  var stamp: Stamp = .none
  /// `-t -r` prints both; the delta then refines the whole-second time of day.
  var relativeToo: Int64?
  var bodyStart: Int

  /// Parses the prefix of `line`. Never fails: what is not a prefix is left for the body.
  ///
  /// Inlined into the reader's per-line path: the common prefixes (`N  `, `[pid N] `, nothing) are decided on
  /// their first bytes, and only a timestamp or a bracket calls out.
  @inline(__always)
  static func parse(_ line: Bytes) -> StraceLinePrefix {
    let end = line.count
    var prefix = StraceLinePrefix(bodyStart: 0)
    var index = 0
    guard end > 0 else { return prefix }
    if ASCII.isDigit(line[0]) {
      if let (pid, after) = line.decimal(at: 0, to: end), after < end {
        // `N ` or `N<comm> `; digits followed by `:` or `.` are a timestamp instead.
        if line[after] == ASCII.space {
          prefix.pid = Int32(truncatingIfNeeded: pid)
          index = after
        } else if line[after] == ASCII.less {
          let close = skipComm(line, from: after)
          if close <= end {
            prefix.pid = Int32(truncatingIfNeeded: pid)
            index = close
          }
        }
      }
    } else if line.has("[pid ", at: 0) {
      let digits = line.skipSpaces(from: 5, to: end)
      if let (pid, after) = line.decimal(at: digits, to: end) {
        var close = after
        if close < end, line[close] == ASCII.less { close = skipComm(line, from: close) }
        if close < end, line[close] == ASCII.closeBracket {
          prefix.pid = Int32(truncatingIfNeeded: pid)
          index = close + 1
        }
      }
    }
    index = line.skipSpaces(from: index, to: end)
    if index < end, ASCII.isDigit(line[index]) { index = parseStamp(line, from: index, into: &prefix) }
    // `-n` `[ 257] ` and `-i` `[00007f5b4a49e011] ` / `[????????????????] `.
    if index < end, line[index] == ASCII.openBracket { index = skipBrackets(line, from: index) }
    prefix.bodyStart = index
    return prefix
  }

  private static func skipBrackets(_ line: Bytes, from start: Int) -> Int {
    let end = line.count
    var index = start
    while index < end, line[index] == ASCII.openBracket, !line.has("[ Process ", at: index) {
      var close = index + 1
      while close < end, ASCII.isHexDigit(line[close]) || line[close] == ASCII.space || line[close] == ASCII.question {
        close += 1
      }
      guard close < end, line[close] == ASCII.closeBracket, close > index + 1 else { break }
      index = line.skipSpaces(from: close + 1, to: end)
    }
    return index
  }

  @inline(__always) private static func twoDigits(_ line: Bytes, at index: Int) -> Int64? {
    let high = line[index] &- ASCII.zero
    let low = line[index + 1] &- ASCII.zero
    guard high < 10, low < 10 else { return nil }
    return Int64(high) * 10 + Int64(low)
  }

  /// `-Y`'s `<comm>` after a pid: returns the index after the closing `>`. A comm may hold any byte; strace
  /// prints it as is, so the first `>` followed by a space or `]` ends it.
  private static func skipComm(_ line: Bytes, from start: Int) -> Int {
    var index = start + 1
    while index < line.count {
      if line[index] == ASCII.greater,
        index + 1 == line.count || line[index + 1] == ASCII.space || line[index + 1] == ASCII.closeBracket
      {
        return index + 1
      }
      index += 1
    }
    return line.count + 1
  }

  private static func parseStamp(_ line: Bytes, from start: Int, into prefix: inout StraceLinePrefix) -> Int {
    let end = line.count
    // `-tt`'s `HH:MM:SS.ffffff ` read at fixed places (anything else, `-t -r`'s `(+` after it included, below).
    if start + 16 < end, line[start + 2] == ASCII.colon, line[start + 5] == ASCII.colon, line[start + 8] == ASCII.dot,
      line[start + 15] == ASCII.space, !line.has("(+", at: start + 16),
      let hours = twoDigits(line, at: start), let minutes = twoDigits(line, at: start + 3),
      let seconds = twoDigits(line, at: start + 6), let fraction = line.sixDigits(at: start + 9)
    {
      prefix.stamp = .timeOfDay((hours * 3600 + minutes * 60 + seconds) &* 1_000_000 &+ fraction)
      return start + 16
    }
    guard start < end, ASCII.isDigit(line[start]), let (first, after) = line.decimal(at: start, to: end),
      after < end
    else { return start }
    if line[after] == ASCII.colon {
      // HH:MM:SS[.frac]
      guard let (minutes, afterMinutes) = line.decimal(at: after + 1, to: end), afterMinutes < end,
        line[afterMinutes] == ASCII.colon, let (seconds, afterSeconds) = line.decimal(at: afterMinutes + 1, to: end)
      else { return start }
      // Wrapping arithmetic: a hostile `99999999999999999999:00:00` saturates each field, and a checked `*`/`+`
      // would trap (found by fuzzing). A stamp that large is nonsense either way; it must not stop the reader.
      var micros = (Int64(clamping: first) &* 3600 &+ Int64(clamping: minutes) &* 60 &+ Int64(clamping: seconds))
        &* 1_000_000
      var index = afterSeconds
      if index < end, line[index] == ASCII.dot {
        index += 1
        var scale: Int64 = 100_000
        while index < end, ASCII.isDigit(line[index]) {
          micros &+= Int64(line[index] &- ASCII.zero) &* scale
          scale /= 10
          index += 1
        }
      }
      guard index < end, line[index] == ASCII.space else { return start }
      prefix.stamp = .timeOfDay(micros)
      index += 1
      // `-t -r`: `(+     0.000689) `
      if line.has("(+", at: index) {
        let number = line.skipSpaces(from: index + 2, to: end)
        var close = number
        while close < end, line[close] != ASCII.closeParen { close += 1 }
        if close < end, let delta = StraceCallTail.parseSeconds(line, from: number, to: close) {
          prefix.relativeToo = delta
          index = line.skipSpaces(from: close + 1, to: end)
        }
      }
      return index
    }
    guard line[after] == ASCII.dot else { return start }
    var close = after + 1
    while close < end, ASCII.isDigit(line[close]) { close += 1 }
    guard close < end, line[close] == ASCII.space, close > after + 1,
      let micros = StraceCallTail.parseSeconds(line, from: start, to: close)
    else { return start }
    // `-ttt` prints ten integer digits (seconds since 1970); `-r` pads a small delta to six columns.
    prefix.stamp = after - start >= 9 ? .epoch(micros) : .relative(micros)
    return close + 1
  }
}
