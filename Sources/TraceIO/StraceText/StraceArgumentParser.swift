import TraceModel

/// Turns strace's printed argument list (`SIG_SETMASK, [CHLD], NULL, 8`, `{flags=CLONE_VM|…} => {…}, 88`) into
/// `Argument`s, working on bytes with a bracket-aware recursive descent.
///
/// strace prints C-like values but not a grammar: structures with or without field names, `...` for elided
/// fields and elements, `/* … */` comments standing for omitted data, `-y` fd decorations that nest (`3</dev/null
/// <char 1:3>>`), and expressions (`FUTEX_OP_SET<<28|…`, `WIFEXITED(s) && WEXITSTATUS(s) == 0`). Whatever is not
/// understood is kept verbatim as `.text`, and no input makes the parser trap, recurse without bound, or loop.
struct StraceArgumentParser {
  let bytes: Bytes
  var position: Int
  let end: Int
  /// Not retained, and reached without retaining (`withSymbols`): a parser lives only while its caller, which
  /// owns the cache, parses one argument list, and each retain is an atomic operation (about 11 ns here), which
  /// per field or constant was measurable. (`unowned(unsafe)` still retains for every call through it.)
  private let symbolsReference: Unmanaged<SymbolCache>
  /// The identifier `parseFieldName` last scanned without finding `=` after it.
  private var scannedIdentifierStart = -1
  private var scannedIdentifierEnd = -1
  /// Structures and arrays nested deeper than this are kept as text: bounds the recursion on hostile input.
  static let maximumDepth = 48

  init(_ bytes: Bytes, from start: Int, to end: Int, symbols: SymbolCache) {
    self.bytes = bytes
    self.position = start
    self.end = end
    self.symbolsReference = Unmanaged.passUnretained(symbols)
  }

  @inline(__always) private func withSymbols<R>(_ body: (SymbolCache) -> R) -> R {
    symbolsReference._withUnsafeGuaranteedRef(body)
  }

  /// Parses a whole argument list (the text between a call's parentheses).
  static func parseArguments(_ bytes: Bytes, from start: Int, to end: Int, symbols: SymbolCache)
    -> [Argument]
  {
    var arguments: [Argument] = []
    arguments.reserveCapacity(6)  // syscalls take at most six arguments
    overwriteArguments(bytes, from: start, to: end, symbols: symbols, in: &arguments)
    return arguments
  }

  /// `parseArguments` into `arguments` from its start, overwriting the elements there and dropping any left
  /// after the last: a reader refilling the previous event's array reuses its storage, and replacing an element
  /// of a known type costs a fraction of destroying a whole array through its element's value witness.
  static func overwriteArguments(
    _ bytes: Bytes, from start: Int, to end: Int, symbols: SymbolCache, in arguments: inout [Argument]
  ) {
    var parser = StraceArgumentParser(bytes, from: start, to: end, symbols: symbols)
    var written = 0
    parser.parseArgumentList(into: &arguments, at: &written)
    truncate(&arguments, to: written)
  }

  /// Drops the elements of `arguments` from `count` on, one at a time from the end (see `overwriteArguments`).
  @inline(__always)
  static func truncate(_ arguments: inout [Argument], to count: Int) {
    while arguments.count > count { arguments.removeLast() }
  }

  // MARK: Lists

  /// Items separated by `,` up to `closer` (consumed) or the end. Elided items (`...`) are dropped.
  private mutating func parseList(closer: UInt8?, depth: Int) -> [Argument] {
    var items: [Argument] = []
    // Growing from empty reallocates at 1, 2, 4 and 8 items; a clone's structure has about ten.
    items.reserveCapacity(8)
    var written = 0
    parseList(closer: closer, depth: depth, into: &items, at: &written)
    return items
  }

  /// A call's argument list: `parseList(closer: nil, depth: 0)`, with the values most arguments are (a number,
  /// a constant, a string, alone before the next comma) read on the spot, and the first other one handing the
  /// rest of the list to `parseList`.
  private mutating func parseArgumentList(into items: inout [Argument], at written: inout Int) {
    while true {
      position = bytes.skipSpaces(from: position, to: end)
      if position >= end { return }
      if bytes[position] == ASCII.comma {
        position += 1
        continue
      }
      guard let value = simpleValue() else {
        parseList(closer: nil, depth: 0, into: &items, at: &written)
        return
      }
      Self.put(Argument(value), in: &items, at: &written)
    }
  }

  /// True at the end, a comma or a closer: after a value, `parseFullValue` has nothing more to look at there.
  @inline(__always) private func endsValue(at index: Int) -> Bool {
    guard index < end else { return true }
    let byte = bytes[index]
    return byte == ASCII.comma || isClosing(byte)
  }

  /// The value at `position` when it is a number, a constant (`NULL`, `PROT_READ|PROT_WRITE`) or a string,
  /// followed by nothing but spaces before a comma, a closer or the end: exactly what `parseFullValue` makes of
  /// it (and `parseFieldName`, nil, before it), without their general checks. Nil, and `position` unchanged,
  /// otherwise.
  @inline(__always)
  private mutating func simpleValue() -> ArgValue? {
    let start = position
    guard start < end else { return nil }
    let byte = bytes[start]
    var after: Int
    var value: ArgValue
    if ASCII.isDigit(byte) || (byte == ASCII.minus && start + 1 < end && ASCII.isDigit(bytes[start + 1])) {
      // As `parseNumberLike`; a `|`, `<<` or `<` after the number is not a comma, so it is left to it.
      let negative = byte == ASCII.minus
      guard let (magnitude, numberEnd, hex) = bytes.cNumber(at: negative ? start + 1 : start, to: end) else {
        return nil
      }
      after = bytes.skipSpaces(from: numberEnd, to: end)
      guard endsValue(at: after) else { return nil }
      if negative {
        value = .integer(magnitude > UInt64(Int64.max) ? Int64.min : -Int64(magnitude))
      } else {
        value = hex ? .address(magnitude) : .integer(Int64(bitPattern: magnitude))
      }
    } else if ASCII.isIdentifierStart(byte) {
      // As `parseSymbolLike` on parts of identifier characters joined by single `|`s (no `-`, no `<<`).
      var index = start + 1
      while index < end {
        let next = bytes[index]
        if ASCII.isIdentifier(next) {
          index += 1
        } else if next == ASCII.pipe, index + 1 < end, ASCII.isIdentifier(bytes[index + 1]) {
          index += 2
        } else {
          break
        }
      }
      after = bytes.skipSpaces(from: index, to: end)
      guard endsValue(at: after) else { return nil }
      let bytes = bytes
      value = withSymbols {
        $0.value(bytes, from: start, to: index) { Self.makeSymbolic(bytes, from: start, to: index, shifted: false) }
      }
    } else if byte == ASCII.quote {
      // As `parseString`: the closing quote is the first one not escaped (an escape's own digits are never
      // quotes); without escapes the bytes are copied at once.
      var index = start + 1
      var escaped = false
      while index < end {
        let next = bytes[index]
        if next == ASCII.quote { break }
        if next == ASCII.backslash {
          escaped = true
          index += 2
        } else {
          index += 1
        }
      }
      guard index < end else { return nil }
      var truncated = false
      after = index + 1
      if bytes.has("...", at: after) {
        truncated = true
        after += 3
      }
      after = bytes.skipSpaces(from: after, to: end)
      guard endsValue(at: after) else { return nil }
      let out =
        escaped
        ? decodedString(bytes, from: start + 1, to: index) : Array(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<index]))
      value = .string(StringValue(bytes: out, truncated: truncated))
    } else {
      return nil
    }
    position = after
    return value
  }

  /// Puts the items at `items[written...]`, replacing what is there, appending past the end.
  private mutating func parseList(closer: UInt8?, depth: Int, into items: inout [Argument], at written: inout Int) {
    while true {
      position = bytes.skipSpaces(from: position, to: end)
      if position >= end { return }
      let byte = bytes[position]
      if let closer, byte == closer {
        position += 1
        return
      }
      if byte == ASCII.comma {
        position += 1
        continue
      }
      if isClosing(byte) {
        // A closer that is not ours (unbalanced input): take it as text so we always make progress.
        let start = position
        position += 1
        Self.put(Argument(.text(bytes.string(start, position))), in: &items, at: &written)
        continue
      }
      if bytes.has("...", at: position) {
        position += 3
        continue
      }
      let name = parseFieldName()
      let value = simpleValue() ?? parseFullValue(depth: depth)
      Self.put(Argument(name: name, value), in: &items, at: &written)
    }
  }

  @inline(__always)
  private static func put(_ item: Argument, in items: inout [Argument], at written: inout Int) {
    if written < items.count { items[written] = item } else { items.append(item) }
    written += 1
  }

  /// `name=` before a value (clone's `child_stack=…`, structure fields); not `==`.
  private mutating func parseFieldName() -> String? {
    var index = position
    guard index < end, ASCII.isIdentifierStart(bytes[index]) else { return nil }
    while index < end, ASCII.isIdentifier(bytes[index]) { index += 1 }
    guard index < end, bytes[index] == ASCII.equals,
      index + 1 >= end || (bytes[index + 1] != ASCII.equals && bytes[index + 1] != ASCII.greater)
    else {
      // Not a name but the start of a value (a constant, mostly): its scan need not be done again.
      scannedIdentifierStart = position
      scannedIdentifierEnd = index
      return nil
    }
    let start = position
    position = index + 1
    let bytes = bytes
    return withSymbols { $0.fieldName(bytes, from: start, to: index) }
  }

  /// A value, then `=> value` when the kernel changed it, then anything left before the separator as text.
  private mutating func parseFullValue(depth: Int, inSet: Bool = false) -> ArgValue {
    position = bytes.skipSpaces(from: position, to: end)
    let start = position
    var value = parseValue(depth: depth)
    var after = bytes.skipSpaces(from: position, to: end)
    // Most values end at a comma or the end of the list: none of the cases below applies.
    if after >= end || bytes[after] == ASCII.comma {
      position = after
      return value
    }
    if inSet, after < end, after > position, ASCII.isIdentifierStart(bytes[after]), case .symbolic = value {
      // Signal sets separate their members with spaces: `[CHLD RTMIN RT_1]`.
      position = after
      return value
    }
    if after < end, !isSeparator(at: after) {
      if bytes.has("/*", at: after) {
        // A trailing comment: `-X verbose` names, or a note standing for what was omitted (`/* 35 vars */`).
        let comment = parseComment(at: after)
        value = applyComment(comment, to: value)
        after = bytes.skipSpaces(from: position, to: end)
      } else if bytes.has("(deleted)", at: after), case .fileDescriptor(let fd, let path) = value {
        value = .fileDescriptor(fd, path: (path ?? "") + " (deleted)")
        position = after + 9
        after = bytes.skipSpaces(from: position, to: end)
      }
    }
    if after < end, !isSeparator(at: after) || bytes.has("=>", at: after) {
      if bytes.has("=>", at: after) {
        position = after + 2
        let changed = parseFullValue(depth: depth)
        return .changed(from: value, to: changed)
      }
      // Not a value we model (an expression, a macro call): keep the whole thing verbatim.
      position = start
      skipValue()
      return .text(bytes.string(start, bytes.trimSpaces(before: position, from: start)))
    }
    position = after
    return value
  }

  /// True at a byte that ends a value: `,`, a closer, ` =>`, or the end.
  @inline(__always) private func isSeparator(at index: Int) -> Bool {
    guard index < end else { return true }
    let byte = bytes[index]
    return byte == ASCII.comma || isClosing(byte) || bytes.has("=>", at: index)
  }

  @inline(__always) private func isClosing(_ byte: UInt8) -> Bool {
    byte == ASCII.closeParen || byte == ASCII.closeBrace || byte == ASCII.closeBracket
  }

  // MARK: Values

  private mutating func parseValue(depth: Int) -> ArgValue {
    guard position < end else { return .text("") }
    let byte = bytes[position]
    if depth >= Self.maximumDepth, byte == ASCII.openBrace || byte == ASCII.openBracket {
      let start = position
      skipValue()
      return .text(bytes.string(start, position))
    }
    switch byte {
    case ASCII.quote:
      return parseString()
    case ASCII.openBrace:
      position += 1
      return .structure(parseList(closer: ASCII.closeBrace, depth: depth + 1))
    case ASCII.openBracket:
      return parseArray(depth: depth + 1)
    case ASCII.minus where position + 1 < end && ASCII.isDigit(bytes[position + 1]):
      return parseNumberLike()
    case _ where ASCII.isDigit(byte):
      return parseNumberLike()
    case _ where ASCII.isIdentifierStart(byte):
      return parseSymbolLike()
    case ASCII.slash where bytes.has("/*", at: position):
      return .text(parseComment(at: position))
    default:
      // `<... resuming interrupted read ...>`, `~[RTMIN RT_1]`, `@"abstract"`, `&sin6_addr`: verbatim.
      let start = position
      if byte == ASCII.less { skipDecoration() } else { position += 1 }
      skipValue()
      return .text(bytes.string(start, bytes.trimSpaces(before: position, from: start)))
    }
  }

  /// `"…"` with C escapes; `...` right after the closing quote means strace cut it at `-s`.
  private mutating func parseString() -> ArgValue {
    var out: [UInt8] = []
    let (after, _) = decodeQuoted(bytes, from: position + 1, to: end, into: &out)
    position = after
    var truncated = false
    if bytes.has("...", at: position) {
      truncated = true
      position += 3
    }
    return .string(StringValue(bytes: out, truncated: truncated))
  }

  /// `[a, b, ...]`, and signal sets whose members strace separates with spaces (`[CHLD USR1]`).
  private mutating func parseArray(depth: Int) -> ArgValue {
    position += 1
    var elements: [ArgValue] = []
    var truncated = false
    while true {
      position = bytes.skipSpaces(from: position, to: end)
      if position >= end { break }
      let byte = bytes[position]
      if byte == ASCII.closeBracket {
        position += 1
        break
      }
      if byte == ASCII.comma {
        position += 1
        continue
      }
      if byte == ASCII.closeParen || byte == ASCII.closeBrace {
        break  // unbalanced: let the caller see the closer
      }
      if bytes.has("...", at: position) {
        truncated = true
        position += 3
        continue
      }
      let before = position
      // (A set's members separated by spaces are not followed by a comma or closer: `parseFullValue` has them.)
      var element = simpleValue() ?? parseFullValue(depth: depth, inSet: true)
      if case .symbolic(let symbolic) = element, symbolic.raw == nil, symbolic.parts.count == 1,
        let signal = StraceSymbols.signal(named: Substring(symbolic.parts[0]))
      {
        // Signal sets name members without `SIG`: `[CHLD RTMIN RT_1]`.
        element = .symbolic(Symbolic(parts: symbolic.parts, raw: UInt64(signal)))
      }
      elements.append(element)
      if position == before { position += 1 }
    }
    return .array(elements, truncated: truncated)
  }

  /// A number, maybe with a `-y` decoration (`3</dev/null>`), maybe OR-ed with names (`S_IFREG|0644`).
  private mutating func parseNumberLike() -> ArgValue {
    let start = position
    let negative = bytes[position] == ASCII.minus
    if negative { position += 1 }
    guard let (magnitude, after, hex) = bytes.cNumber(at: position, to: end) else {
      position = start
      skipValue()
      return .text(bytes.string(start, position))
    }
    position = after
    if position < end, bytes[position] == ASCII.pipe || bytes.has("<<", at: position) {
      position = start
      return parseSymbolLike()
    }
    if position < end, bytes[position] == ASCII.less, !bytes.has("<<", at: position) {
      let path = parseDecoration()
      let fd = negative ? -Int64(truncatingIfNeeded: magnitude) : Int64(truncatingIfNeeded: magnitude)
      return .fileDescriptor(Int32(truncatingIfNeeded: fd), path: path)
    }
    if negative { return .integer(magnitude > UInt64(Int64.max) ? Int64.min : -Int64(magnitude)) }
    if hex { return .address(magnitude) }
    return .integer(Int64(bitPattern: magnitude))
  }

  /// `NULL`, a constant, or constants OR-ed (`CLONE_VM|CLONE_FS|0x40000000`); `AT_FDCWD</dir>` with `-y`.
  private mutating func parseSymbolLike() -> ArgValue {
    let start = position
    var parts = 0
    var shifted = false
    while position < end {
      let partStart = position
      if bytes[position] == ASCII.minus { position += 1 }
      // An identifier ends where it ends: one scanned before from the same start need not be scanned again.
      if position == scannedIdentifierStart { position = scannedIdentifierEnd }
      while position < end, ASCII.isIdentifier(bytes[position]) { position += 1 }
      if position == partStart { break }
      // A shifted field: `21<<MAP_HUGE_SHIFT`, `FUTEX_OP_SET<<28`.
      if bytes.has("<<", at: position), position + 2 < end, ASCII.isIdentifier(bytes[position + 2]) {
        position += 2
        while position < end, ASCII.isIdentifier(bytes[position]) { position += 1 }
        shifted = true
      }
      parts += 1
      guard position < end, bytes[position] == ASCII.pipe else { break }
      position += 1
    }
    if position < end {
      let next = bytes[position]
      if next == ASCII.less, !bytes.has("<<", at: position), parts == 1 {
        let name = bytes.string(start, position)
        let path = parseDecoration()
        let fd = StraceSymbols.value(of: name).map { Int32(truncatingIfNeeded: Int64(bitPattern: $0)) }
        return .fileDescriptor(fd ?? -100, path: path)
      }
      if next == ASCII.openParen || next == ASCII.less || next == ASCII.plus || next == ASCII.star
        || next == ASCII.equals || next == ASCII.openBracket || next == ASCII.dot
      {
        // A macro call or expression: `makedev(0x1, 0x3)`, `SIGRTMIN+1`.
        position = start
        skipValue()
        return .text(bytes.string(start, bytes.trimSpaces(before: position, from: start)))
      }
    }
    let stop = position
    let bytes = bytes
    return withSymbols {
      $0.value(bytes, from: start, to: stop) { Self.makeSymbolic(bytes, from: start, to: stop, shifted: shifted) }
    }
  }

  private static func makeSymbolic(_ bytes: Bytes, from start: Int, to end: Int, shifted: Bool) -> ArgValue {
    let text = bytes.string(start, end)
    if text == "NULL" { return .address(0) }
    let parts = text.split(separator: "|")
    let raw = StraceSymbols.resolve(parts)
    // An expression the tables cannot evaluate (futex's wake-op encoding) is kept as written.
    if shifted, raw == nil { return .text(text) }
    return .symbolic(Symbolic(parts: parts.map(String.init), raw: raw))
  }

  /// `/* … */` at `index`; returns its inner text trimmed and moves past it (to the end when unterminated).
  private mutating func parseComment(at index: Int) -> String {
    let bodyStart = index + 2
    guard let close = bytes.firstIndex(of: "*/", from: bodyStart, to: end) else {
      position = end
      return bytes.string(bodyStart, end)
    }
    position = close + 2
    let from = bytes.skipSpaces(from: bodyStart, to: close)
    return bytes.string(from, bytes.trimSpaces(before: close, from: from))
  }

  /// `-X verbose` prints `0x24022 /* MAP_PRIVATE|MAP_ANONYMOUS */`: the comment names the bits of the number.
  /// Other comments (`/* 35 vars */`, `/* 2 entries */`) stand for omitted data and are dropped.
  private func applyComment(_ comment: String, to value: ArgValue) -> ArgValue {
    let raw: UInt64
    switch value {
    case .address(let number): raw = number
    case .integer(let number): raw = UInt64(bitPattern: number)
    default: return value
    }
    let utf8 = comment.utf8
    guard let first = utf8.first, ASCII.isIdentifierStart(first),
      utf8.allSatisfy({ ASCII.isIdentifier($0) || $0 == ASCII.pipe })
    else { return value }
    return .symbolic(Symbolic(parts: comment.split(separator: "|").map(String.init), raw: raw))
  }

  /// A `-y`/`-yy` decoration at `position` (on `<`): the path, escapes decoded.
  private mutating func parseDecoration() -> String {
    let (path, after) = StraceDecoration.parse(bytes, from: position, to: end)
    position = after
    return path
  }

  // MARK: Skipping

  /// Moves past one value of any shape, stopping at a top-level `,`, an unmatched closer, ` =>` or the end.
  /// Iterative, so hostile nesting cannot exhaust the stack.
  private mutating func skipValue() {
    var depth = 0
    while position < end {
      let byte = bytes[position]
      switch byte {
      case ASCII.quote:
        position = skipQuoted(from: position + 1)
        continue
      case ASCII.openParen, ASCII.openBrace, ASCII.openBracket:
        depth += 1
      case ASCII.closeParen, ASCII.closeBrace, ASCII.closeBracket:
        if depth == 0 { return }
        depth -= 1
      case ASCII.comma where depth == 0:
        return
      case ASCII.equals where depth == 0 && position + 1 < end && bytes[position + 1] == ASCII.greater:
        return
      case ASCII.less:
        if bytes.has("<<", at: position) {
          position += 2
          continue
        }
        skipDecoration()
        continue
      case ASCII.slash where bytes.has("/*", at: position):
        position = (bytes.firstIndex(of: "*/", from: position + 2, to: end) ?? end - 2) + 2
        continue
      default: break
      }
      position += 1
    }
  }

  private mutating func skipDecoration() {
    var angle = 0
    var square = 0
    while position < end {
      let byte = bytes[position]
      position += 1
      switch byte {
      case ASCII.backslash: position += 1
      case ASCII.less where square == 0: angle += 1
      case ASCII.greater where square == 0:
        angle -= 1
        if angle <= 0 { return }
      case ASCII.openBracket: square += 1
      case ASCII.closeBracket: square = max(0, square - 1)
      default: break
      }
    }
    position = min(position, end)
  }

  private func skipQuoted(from index: Int) -> Int {
    var index = index
    while index < end {
      let byte = bytes[index]
      if byte == ASCII.quote { return index + 1 }
      index += byte == ASCII.backslash ? 2 : 1
    }
    return end
  }
}
