#if canImport(Glibc)
  import Glibc
#endif

/// One line of JSON parsed into a flat list of tokens over the line's bytes (a "tape"), reused from line to line.
///
/// The parser validates the whole line (RFC 8259 grammar, string escapes, surrogate pairs) without building a
/// tree or creating strings; readers then look up members by comparing key bytes and create strings only for the
/// values they keep. It never traps on any input: nesting deeper than `maximumNesting` and lines with more than
/// `maximumTokens` values are rejected, and every index is checked against the line's length.
///
/// Not validated: that string bytes are UTF-8 (readers decide; the trace reader keeps a `"str"`'s bytes as they
/// are and repairs other strings), and duplicate keys (lookups find the first).
struct JSONTape {
  enum Kind: UInt8 {
    case object, array, string, escapedString, integer, number, `true`, `false`, null
  }

  struct Token {
    /// Objects and arrays: the offset of `{`/`[`. Strings: the first byte after the quote. Others: the first byte.
    var start: Int32
    /// Objects and arrays: one past `}`/`]`. Strings: the offset of the closing quote. Others: one past the end.
    var end: Int32
    /// The index of the token after this value and everything inside it.
    var next: Int32
    var kind: Kind
  }

  struct SyntaxError: Error {
    /// 0-based byte offset in the line.
    var offset: Int
    var reason: String
    /// The line ended where more was expected: a line cut short looks like this.
    var atEnd: Bool
  }

  private(set) var tokens: [Token] = []
  private var openContainers: [Int32] = []
  let maximumNesting: Int
  let maximumTokens: Int

  init(maximumNesting: Int = JSONLinesFormat.maximumNesting, maximumTokens: Int = JSONLinesFormat.maximumValuesPerLine)
  {
    self.maximumNesting = maximumNesting
    self.maximumTokens = maximumTokens
  }

  // MARK: Parsing

  /// Parses `line` (one JSON value, with optional surrounding white space) into `tokens`.
  mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(SyntaxError) {
    tokens.removeAll(keepingCapacity: true)
    openContainers.removeAll(keepingCapacity: true)
    guard line.count < Int(Int32.max) else {
      throw SyntaxError(offset: 0, reason: "line too long", atEnd: false)
    }
    let count = line.count
    var index = skipWhiteSpace(line, from: 0)
    if index == count { throw SyntaxError(offset: index, reason: "empty line", atEnd: true) }

    parsing: while true {
      // A value starts at `index`.
      guard index < count else { throw endError(index) }
      guard tokens.count < maximumTokens else {
        throw SyntaxError(offset: index, reason: "more than \(maximumTokens) values on one line", atEnd: false)
      }
      let byte = line[index]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard openContainers.count < maximumNesting else {
          throw SyntaxError(offset: index, reason: "nested deeper than \(maximumNesting) levels", atEnd: false)
        }
        let isObject = byte == UInt8(ascii: "{")
        openContainers.append(Int32(tokens.count))
        tokens.append(Token(start: Int32(index), end: 0, next: 0, kind: isObject ? .object : .array))
        index = skipWhiteSpace(line, from: index + 1)
        guard index < count else { throw endError(index) }
        if line[index] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          closeContainer(at: index)
          index += 1
        } else if isObject {
          index = try parseKey(line, at: index)
          continue parsing
        } else {
          continue parsing
        }
      case UInt8(ascii: "\""):
        index = try parseString(line, at: index)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        index = try parseNumber(line, at: index)
      case UInt8(ascii: "t"):
        index = try parseLiteral(line, at: index, "true", .true)
      case UInt8(ascii: "f"):
        index = try parseLiteral(line, at: index, "false", .false)
      case UInt8(ascii: "n"):
        index = try parseLiteral(line, at: index, "null", .null)
      default:
        throw SyntaxError(offset: index, reason: "unexpected \(describe(byte))", atEnd: false)
      }

      // After a value: a separator, the end of the enclosing container(s), or the end of the line.
      while true {
        index = skipWhiteSpace(line, from: index)
        guard let open = openContainers.last else {
          guard index == count else {
            throw SyntaxError(
              offset: index, reason: "unexpected \(describe(line[index])) after the value", atEnd: false)
          }
          return
        }
        guard index < count else { throw endError(index) }
        let isObject = tokens[Int(open)].kind == .object
        let separator = line[index]
        if separator == UInt8(ascii: ",") {
          index = skipWhiteSpace(line, from: index + 1)
          if isObject { index = try parseKey(line, at: index) }
          continue parsing
        }
        if separator == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          closeContainer(at: index)
          index += 1
          continue
        }
        let expected = isObject ? "',' or '}'" : "',' or ']'"
        throw SyntaxError(offset: index, reason: "expected \(expected), found \(describe(separator))", atEnd: false)
      }
    }
  }

  private mutating func closeContainer(at index: Int) {
    let open = Int(openContainers.removeLast())
    tokens[open].end = Int32(index + 1)
    tokens[open].next = Int32(tokens.count)
  }

  /// Parses `"key"` and the `:` after it; returns the index of the value.
  private mutating func parseKey(_ line: UnsafeBufferPointer<UInt8>, at start: Int) throws(SyntaxError) -> Int {
    guard start < line.count else { throw endError(start) }
    guard line[start] == UInt8(ascii: "\"") else {
      throw SyntaxError(offset: start, reason: "expected a key, found \(describe(line[start]))", atEnd: false)
    }
    guard tokens.count < maximumTokens else {
      throw SyntaxError(offset: start, reason: "more than \(maximumTokens) values on one line", atEnd: false)
    }
    var index = try parseString(line, at: start)
    index = skipWhiteSpace(line, from: index)
    guard index < line.count else { throw endError(index) }
    guard line[index] == UInt8(ascii: ":") else {
      throw SyntaxError(offset: index, reason: "expected ':', found \(describe(line[index]))", atEnd: false)
    }
    return skipWhiteSpace(line, from: index + 1)
  }

  /// Parses a string whose opening quote is at `start`; returns the index after the closing quote.
  private mutating func parseString(_ line: UnsafeBufferPointer<UInt8>, at start: Int) throws(SyntaxError) -> Int {
    let count = line.count
    var index = start + 1
    var escaped = false
    let base = UnsafeRawPointer(line.baseAddress!)
    while true {
      // Skip 8 plain bytes at a time: none is `"`, `\` or a control character (SWAR, "Bit Twiddling Hacks").
      while index + 8 <= count {
        let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let special =
          ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
        if special & highs != 0 { break }
        index += 8
      }
      guard index < count else { throw SyntaxError(offset: index, reason: "unterminated string", atEnd: true) }
      let byte = line[index]
      if byte == UInt8(ascii: "\"") { break }
      if byte < 0x20 {
        throw SyntaxError(offset: index, reason: "unescaped control character in a string", atEnd: false)
      }
      if byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      escaped = true
      guard index + 1 < count else { throw SyntaxError(offset: index, reason: "unterminated string", atEnd: true) }
      switch line[index + 1] {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
        index += 2
      case UInt8(ascii: "u"):
        let unit = try hexEscape(line, at: index)
        index += 6
        if unit >= 0xD800 && unit <= 0xDBFF {
          guard index + 1 < count, line[index] == UInt8(ascii: "\\"), line[index + 1] == UInt8(ascii: "u") else {
            if index + 1 >= count { throw SyntaxError(offset: index, reason: "unterminated string", atEnd: true) }
            throw SyntaxError(offset: index - 6, reason: "unpaired surrogate \\u\(hex4(unit))", atEnd: false)
          }
          let low = try hexEscape(line, at: index)
          guard low >= 0xDC00 && low <= 0xDFFF else {
            throw SyntaxError(offset: index - 6, reason: "unpaired surrogate \\u\(hex4(unit))", atEnd: false)
          }
          index += 6
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
          throw SyntaxError(offset: index - 6, reason: "unpaired surrogate \\u\(hex4(unit))", atEnd: false)
        }
      default:
        throw SyntaxError(offset: index, reason: "invalid escape \\\(describeEscape(line[index + 1]))", atEnd: false)
      }
    }
    tokens.append(
      Token(
        start: Int32(start + 1), end: Int32(index), next: Int32(tokens.count + 1),
        kind: escaped ? .escapedString : .string))
    return index + 1
  }

  /// The code unit of the `\uXXXX` escape whose backslash is at `index`.
  private func hexEscape(_ line: UnsafeBufferPointer<UInt8>, at index: Int) throws(SyntaxError) -> UInt16 {
    guard index + 6 <= line.count else { throw SyntaxError(offset: index, reason: "unterminated string", atEnd: true) }
    var value: UInt16 = 0
    for position in index + 2..<index + 6 {
      guard let digit = hexValue(line[position]) else {
        throw SyntaxError(offset: position, reason: "invalid \\u escape", atEnd: false)
      }
      value = value << 4 | UInt16(digit)
    }
    return value
  }

  /// Parses a number (RFC 8259 §6 grammar); returns the index after it.
  private mutating func parseNumber(_ line: UnsafeBufferPointer<UInt8>, at start: Int) throws(SyntaxError) -> Int {
    let count = line.count
    var index = start
    @inline(__always) func isDigit(_ at: Int) -> Bool {
      at < count && line[at] >= UInt8(ascii: "0") && line[at] <= UInt8(ascii: "9")
    }
    func digitsError(_ at: Int) -> SyntaxError {
      at < count
        ? SyntaxError(offset: at, reason: "invalid number: expected a digit, found \(describe(line[at]))", atEnd: false)
        : SyntaxError(offset: at, reason: "number cut short", atEnd: true)
    }
    var isInteger = true
    if line[index] == UInt8(ascii: "-") { index += 1 }
    guard isDigit(index) else { throw digitsError(index) }
    if line[index] == UInt8(ascii: "0") {
      index += 1
      if isDigit(index) { throw SyntaxError(offset: index, reason: "invalid number: leading zero", atEnd: false) }
    } else {
      while isDigit(index) { index += 1 }
    }
    if index < count && line[index] == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard isDigit(index) else { throw digitsError(index) }
      while isDigit(index) { index += 1 }
    }
    if index < count && (line[index] == UInt8(ascii: "e") || line[index] == UInt8(ascii: "E")) {
      isInteger = false
      index += 1
      if index < count && (line[index] == UInt8(ascii: "+") || line[index] == UInt8(ascii: "-")) { index += 1 }
      guard isDigit(index) else { throw digitsError(index) }
      while isDigit(index) { index += 1 }
    }
    tokens.append(
      Token(start: Int32(start), end: Int32(index), next: Int32(tokens.count + 1), kind: isInteger ? .integer : .number)
    )
    return index
  }

  private mutating func parseLiteral(
    _ line: UnsafeBufferPointer<UInt8>, at start: Int, _ literal: StaticString, _ kind: Kind
  ) throws(SyntaxError) -> Int {
    let length = literal.utf8CodeUnitCount
    for offset in 0..<length {
      guard start + offset < line.count else { throw endError(start + offset) }
      guard line[start + offset] == literal.utf8Start[offset] else {
        throw SyntaxError(offset: start, reason: "unexpected \(describe(line[start]))", atEnd: false)
      }
    }
    tokens.append(Token(start: Int32(start), end: Int32(start + length), next: Int32(tokens.count + 1), kind: kind))
    return start + length
  }

  private func skipWhiteSpace(_ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var index = start
    while index < line.count {
      switch line[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return index
      }
    }
    return index
  }

  private func endError(_ index: Int) -> SyntaxError {
    SyntaxError(offset: index, reason: "the line ends inside a value", atEnd: true)
  }

  private func describe(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x\(String(byte, radix: 16))"
  }

  private func describeEscape(_ byte: UInt8) -> String {
    byte >= 0x21 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "(byte 0x\(String(byte, radix: 16)))"
  }

  private func hex4(_ unit: UInt16) -> String {
    let digits = String(unit, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
  }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
  default: return nil
  }
}

// MARK: Reading values

extension JSONTape {
  /// A view of the tape and the line it was parsed from, valid while the line's bytes are.
  struct View {
    let tokens: UnsafeBufferPointer<Token>
    let line: UnsafeBufferPointer<UInt8>

    func kind(_ token: Int) -> Kind { tokens[token].kind }

    /// The members of the object at `object`, as (key token, value token) pairs.
    func forEachMember(of object: Int, _ body: (_ key: Int, _ value: Int) throws(DecodeProblem) -> Void)
      throws(DecodeProblem)
    {
      let end = Int(tokens[object].next)
      var key = object + 1
      while key < end {
        let value = key + 1
        try body(key, value)
        key = Int(tokens[value].next)
      }
    }

    /// The elements of the array at `array`.
    func forEachElement(of array: Int, _ body: (_ element: Int) throws(DecodeProblem) -> Void) throws(DecodeProblem) {
      let end = Int(tokens[array].next)
      var element = array + 1
      while element < end {
        try body(element)
        element = Int(tokens[element].next)
      }
    }

    /// The number of elements of the array at `array`.
    func elementCount(of array: Int) -> Int {
      var count = 0
      let end = Int(tokens[array].next)
      var element = array + 1
      while element < end {
        count += 1
        element = Int(tokens[element].next)
      }
      return count
    }

    /// The value token of the first member called `key` of the object at `object`.
    func member(_ key: StaticString, of object: Int) -> Int? {
      let end = Int(tokens[object].next)
      var candidate = object + 1
      while candidate < end {
        if keyEquals(candidate, key) { return candidate + 1 }
        candidate = Int(tokens[candidate + 1].next)
      }
      return nil
    }

    /// Whether the string token `token` holds exactly `literal` (an ASCII key).
    @inline(__always)
    func keyEquals(_ token: Int, _ literal: StaticString) -> Bool {
      let item = tokens[token]
      let length = literal.utf8CodeUnitCount
      if item.kind == .string {
        guard Int(item.end &- item.start) == length else { return false }
        return length == 0 || memcmp(line.baseAddress! + Int(item.start), literal.utf8Start, length) == 0
      }
      guard item.kind == .escapedString else { return false }
      return withStringBytes(token) { bytes in
        bytes.count == length && (length == 0 || memcmp(bytes.baseAddress!, literal.utf8Start, length) == 0)
      }
    }

    /// The bytes of a key without escapes, in place; nil for a key written with escapes.
    @inline(__always)
    func plainKey(_ token: Int) -> UnsafeBufferPointer<UInt8>? {
      let item = tokens[token]
      guard item.kind == .string else { return nil }
      return UnsafeBufferPointer(rebasing: line[Int(item.start)..<Int(item.end)])
    }

    /// Calls `body` with the unescaped bytes of the string token `token`.
    func withStringBytes<R>(_ token: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
      let item = tokens[token]
      let raw = UnsafeBufferPointer(rebasing: line[Int(item.start)..<Int(item.end)])
      if item.kind != .escapedString { return body(raw) }
      let bytes = JSONTape.unescape(raw)
      return bytes.withUnsafeBufferPointer(body)
    }

    /// The string token's bytes.
    func bytes(_ token: Int) -> [UInt8] {
      withStringBytes(token) { Array($0) }
    }

    /// The string token as text; bytes that are not UTF-8 become U+FFFD.
    func string(_ token: Int) -> String {
      withStringBytes(token) { String(decoding: $0, as: UTF8.self) }
    }

    /// The raw text of a token (a whole object or array included), for messages.
    func rawText(_ token: Int, limit: Int = 80) -> String {
      let item = tokens[token]
      var start = Int(item.start)
      var end = Int(item.end)
      if item.kind == .string || item.kind == .escapedString {
        start -= 1
        end += 1
      }
      let cut = end - start > limit
      let text = String(decoding: UnsafeBufferPointer(rebasing: line[start..<min(end, start + limit)]), as: UTF8.self)
      return cut ? text + "…" : text
    }

    /// The integer token `token` as a 64-bit value: within Int64, or above it up to UInt64.max (taken as the bit
    /// pattern). Nil for anything else (a fraction, an exponent, out of range).
    func integerBits(_ token: Int) -> (value: UInt64, negative: Bool)? {
      let item = tokens[token]
      guard item.kind == .integer else { return nil }
      var index = Int(item.start)
      let end = Int(item.end)
      let negative = line[index] == UInt8(ascii: "-")
      if negative { index += 1 }
      var magnitude: UInt64 = 0
      while index < end {
        let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(line[index] - UInt8(ascii: "0")))
        if overflow1 || overflow2 { return nil }
        magnitude = sum
        index += 1
      }
      return (magnitude, negative)
    }
  }

  /// A view for reading the tape parsed from `line`.
  func withView<R>(_ line: UnsafeBufferPointer<UInt8>, _ body: (View) -> R) -> R {
    tokens.withUnsafeBufferPointer { body(View(tokens: $0, line: line)) }
  }

  /// Decodes the escapes of a string already validated by `parse`.
  static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(raw.count)
    var index = 0
    while index < raw.count {
      let byte = raw[index]
      guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
        output.append(byte)
        index += 1
        continue
      }
      let escape = raw[index + 1]
      index += 2
      switch escape {
      case UInt8(ascii: "b"): output.append(0x08)
      case UInt8(ascii: "f"): output.append(0x0C)
      case UInt8(ascii: "n"): output.append(0x0A)
      case UInt8(ascii: "r"): output.append(0x0D)
      case UInt8(ascii: "t"): output.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = UInt32(unit(raw, at: index))
        index += 4
        if scalar >= 0xD800 && scalar <= 0xDBFF && index + 6 <= raw.count {
          let low = UInt32(unit(raw, at: index + 2))
          // `parse` let only paired surrogates through; stay total anyway.
          scalar = low >= 0xDC00 && low <= 0xDFFF ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
          index += 6
        } else if scalar >= 0xD800 && scalar <= 0xDFFF {
          scalar = 0xFFFD
        }
        appendUTF8(scalar, to: &output)
      default: output.append(escape)  // " \ /
      }
    }
    return output
  }

  private static func unit(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt16 {
    var value: UInt16 = 0
    for position in index..<min(index + 4, raw.count) {
      value = value << 4 | UInt16(hexValue(raw[position]) ?? 0)
    }
    return value
  }

  private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      output.append(UInt8(scalar))
    case 0x80..<0x800:
      output.append(UInt8(0xC0 | scalar >> 6))
      output.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      output.append(UInt8(0xE0 | scalar >> 12))
      output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      output.append(UInt8(0x80 | scalar & 0x3F))
    default:
      output.append(UInt8(0xF0 | scalar >> 18 & 0x07))
      output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
      output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      output.append(UInt8(0x80 | scalar & 0x3F))
    }
  }
}

/// Why a parsed line is not a valid record; becomes an `InputWarning`.
struct DecodeProblem: Error {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}
