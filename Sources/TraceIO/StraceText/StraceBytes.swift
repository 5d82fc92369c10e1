/// Byte-level helpers for reading strace text in place, without building a `String` per line.
///
/// strace writes ASCII outside quoted strings and `-y` decorations (it escapes everything else as `\ooo`), so
/// every decision here is made on ASCII bytes; arbitrary bytes (invalid UTF-8, NUL) only ever land in values.
typealias Bytes = UnsafeBufferPointer<UInt8>

enum ASCII {
  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")
  static let quote = UInt8(ascii: "\"")
  static let backslash = UInt8(ascii: "\\")
  static let comma = UInt8(ascii: ",")
  static let equals = UInt8(ascii: "=")
  static let openParen = UInt8(ascii: "(")
  static let closeParen = UInt8(ascii: ")")
  static let openBrace = UInt8(ascii: "{")
  static let closeBrace = UInt8(ascii: "}")
  static let openBracket = UInt8(ascii: "[")
  static let closeBracket = UInt8(ascii: "]")
  static let less = UInt8(ascii: "<")
  static let greater = UInt8(ascii: ">")
  static let dot = UInt8(ascii: ".")
  static let colon = UInt8(ascii: ":")
  static let minus = UInt8(ascii: "-")
  static let plus = UInt8(ascii: "+")
  static let pipe = UInt8(ascii: "|")
  static let slash = UInt8(ascii: "/")
  static let star = UInt8(ascii: "*")
  static let tilde = UInt8(ascii: "~")
  static let question = UInt8(ascii: "?")
  static let zero = UInt8(ascii: "0")
  static let nine = UInt8(ascii: "9")
  static let x = UInt8(ascii: "x")
  static let underscore = UInt8(ascii: "_")
  static let percent = UInt8(ascii: "%")

  @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

  @inline(__always) static func isHexDigit(_ byte: UInt8) -> Bool {
    byte &- zero < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
  }

  @inline(__always) static func hexValue(_ byte: UInt8) -> UInt64 {
    byte &- zero < 10 ? UInt64(byte &- zero) : UInt64((byte | 0x20) &- UInt8(ascii: "a") &+ 10)
  }

  // Character classes as tables of `0`/`1` over the ASCII bytes, kept in the binary's constant data (a
  // `StaticString` needs no initialisation): one compare and one load per byte, no branches on the class.
  // These run on every byte of every name and constant. Index = the byte's value.
  private static let identifierTable: StaticString =
    "00000000000000000000000000000000000000000000000011111111110000000111111111111111111111111110000101111111111111111111111111100000"
  private static let identifierStartTable: StaticString =
    "00000000000000000000000000000000000000000000000000000000000000000111111111111111111111111110000101111111111111111111111111100000"

  @inline(__always) static func isIdentifierStart(_ byte: UInt8) -> Bool {
    byte < 128 && identifierStartTable.utf8Start[Int(byte)] == UInt8(ascii: "1")
  }

  @inline(__always) static func isIdentifier(_ byte: UInt8) -> Bool {
    byte < 128 && identifierTable.utf8Start[Int(byte)] == UInt8(ascii: "1")
  }
}

extension UnsafeBufferPointer where Element == UInt8 {
  /// True when the bytes at `offset` are `literal` (ASCII).
  @inline(__always) func has(_ literal: StaticString, at offset: Int) -> Bool {
    let length = literal.utf8CodeUnitCount
    guard offset >= 0, offset + length <= count else { return false }
    let pointer = literal.utf8Start
    for index in 0..<length where self[offset + index] != pointer[index] { return false }
    return true
  }

  /// True when the bytes in `range` end with `literal`.
  @inline(__always) func hasSuffix(_ literal: StaticString, before end: Int) -> Bool {
    has(literal, at: end - literal.utf8CodeUnitCount)
  }

  /// The first index of `byte` in `from..<to`, or nil.
  @inline(__always) func firstIndex(of byte: UInt8, from: Int, to: Int) -> Int? {
    var index = from
    while index < to {
      if self[index] == byte { return index }
      index += 1
    }
    return nil
  }

  /// The last start index of `literal` whose bytes lie in `from..<to`, or nil.
  func lastIndex(of literal: StaticString, from: Int, to: Int) -> Int? {
    let length = literal.utf8CodeUnitCount
    let pointer = literal.utf8Start
    let first = pointer[0]
    var index = to - length
    while index >= from {
      if self[index] == first {
        var matched = true
        for offset in 1..<length where self[index + offset] != pointer[offset] {
          matched = false
          break
        }
        if matched { return index }
      }
      index -= 1
    }
    return nil
  }

  /// The first start index of `literal` in `from..<to`, or nil.
  func firstIndex(of literal: StaticString, from: Int, to: Int) -> Int? {
    let length = literal.utf8CodeUnitCount
    let pointer = literal.utf8Start
    let first = pointer[0]
    var index = from
    while index + length <= to {
      if self[index] == first {
        var matched = true
        for offset in 1..<length where self[index + offset] != pointer[offset] {
          matched = false
          break
        }
        if matched { return index }
      }
      index += 1
    }
    return nil
  }

  /// Index of the first byte at or after `index` that is not a space.
  @inline(__always) func skipSpaces(from index: Int, to end: Int) -> Int {
    var index = index
    while index < end && (self[index] == ASCII.space || self[index] == ASCII.tab) { index += 1 }
    return index
  }

  /// One past the last byte before `end` that is not a space.
  @inline(__always) func trimSpaces(before end: Int, from start: Int) -> Int {
    var end = end
    // strace pads every call to column 40 before ` = `: skip eight spaces at a time.
    while end - start >= 8,
      UnsafeRawPointer(baseAddress! + end - 8).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020
    {
      end -= 8
    }
    while end > start && (self[end - 1] == ASCII.space || self[end - 1] == ASCII.tab) { end -= 1 }
    return end
  }

  /// The bytes in `range` as a `String`, invalid UTF-8 repaired.
  @inline(__always) func string(_ from: Int, _ to: Int) -> String {
    guard to > from else { return "" }
    return String(decoding: UnsafeBufferPointer(rebasing: self[from..<to]), as: UTF8.self)
  }

  /// A run of decimal digits at `index`: the value and the index after it. Saturates rather than traps on
  /// absurd lengths (the input is untrusted).
  @inline(__always) func decimal(at index: Int, to end: Int) -> (value: UInt64, end: Int)? {
    var index = index
    guard index < end, ASCII.isDigit(self[index]) else { return nil }
    let start = index
    var value: UInt64 = 0
    while index < end, ASCII.isDigit(self[index]) {
      // Nineteen digits cannot overflow 64 bits: only longer runs (never in a real log) need the slow check.
      value = value &* 10 &+ UInt64(self[index] &- ASCII.zero)
      index += 1
    }
    if index - start > 19 { return (saturatingDecimal(from: start, to: index), index) }
    return (value, index)
  }

  /// The digits in `from..<to` as a number, `UInt64.max` when it does not fit.
  private func saturatingDecimal(from start: Int, to end: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in start..<end {
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times.addingReportingOverflow(UInt64(self[index] &- ASCII.zero))
      if overflow1 || overflow2 { return UInt64.max }
      value = sum
    }
    return value
  }

  /// The six decimal digits at `index` as a number (`-tt` and `-T` microseconds), nil unless all six are digits.
  /// The caller checks that they are in the line.
  @inline(__always) func sixDigits(at index: Int) -> Int64? {
    var value: Int64 = 0
    for offset in 0..<6 {
      let digit = self[index + offset] &- ASCII.zero
      guard digit < 10 else { return nil }
      value = value &* 10 &+ Int64(digit)
    }
    return value
  }

  /// The index of the `=` of the last ` = ` in `from..<to`, or nil: where a call's result starts, found from
  /// the end of the line (the result is the last thing on it).
  @inline(__always) func lastSpacedEquals(from: Int, to: Int) -> Int? {
    var index = to - 2
    while index > from {
      if self[index] == ASCII.equals, self[index - 1] == ASCII.space, self[index + 1] == ASCII.space {
        return index
      }
      index -= 1
    }
    return nil
  }

  /// A C-style unsigned number at `index`: `0x` hexadecimal, `0` octal, or decimal. Inlined into the argument
  /// and result parsers: every line has one or more.
  @inline(__always)
  func cNumber(at index: Int, to end: Int) -> (value: UInt64, end: Int, hex: Bool)? {
    guard index < end, ASCII.isDigit(self[index]) else { return nil }
    if self[index] == ASCII.zero, index + 1 < end {
      let next = self[index + 1]
      if next | 0x20 == ASCII.x { return hexNumber(at: index + 2, to: end) }
      if ASCII.isDigit(next) {
        var position = index + 1
        var value: UInt64 = 0
        while position < end, self[position] &- ASCII.zero < 8 {
          value = value &<< 3 | UInt64(self[position] &- ASCII.zero)
          position += 1
        }
        return (value, position, false)
      }
    }
    guard let (value, after) = decimal(at: index, to: end) else { return nil }
    return (value, after, false)
  }

  /// The hexadecimal digits at `index` (after `0x`): each digit decoded once, no separate class test.
  @inline(__always)
  private func hexNumber(at index: Int, to end: Int) -> (value: UInt64, end: Int, hex: Bool)? {
    var position = index
    var value: UInt64 = 0
    while position < end {
      let byte = self[position]
      var digit = byte &- ASCII.zero
      if digit >= 10 {
        digit = (byte | 0x20) &- UInt8(ascii: "a")
        guard digit < 6 else { break }
        digit &+= 10
      }
      value = value &<< 4 | UInt64(digit)
      position += 1
    }
    guard position > index else { return nil }
    return (value, position, true)
  }
}

/// Decodes the body of a C-escaped string as strace prints it (`\n`, `\t`, `\"`, `\\`, `\ooo`, `\xHH`),
/// appending the bytes to `out`. Returns the index just past the closing quote, or `end` when unterminated.
/// `index` is the first byte after the opening quote.
func decodeQuoted(_ bytes: Bytes, from index: Int, to end: Int, into out: inout [UInt8]) -> (end: Int, closed: Bool) {
  var position = index
  while position < end {
    let byte = bytes[position]
    if byte == ASCII.quote { return (position + 1, true) }
    if byte != ASCII.backslash {
      out.append(byte)
      position += 1
      continue
    }
    position += 1
    guard position < end else { break }
    position = decodeEscape(bytes, at: position, to: end, into: &out)
  }
  return (end, false)
}

/// The bytes of a quoted string's body `bytes[start..<close]` (`close` on its closing quote) with escapes
/// decoded, written straight into the array's storage: every escape decodes to one byte from two or more, so
/// the body's length bounds the result (no per-byte `append`, which checks uniqueness and capacity each time).
func decodedString(_ bytes: Bytes, from start: Int, to close: Int) -> [UInt8] {
  [UInt8](unsafeUninitializedCapacity: close - start) { buffer, count in
    var position = start
    var written = 0
    while position < close {
      let byte = bytes[position]
      position += 1
      if byte != ASCII.backslash || position >= close {
        buffer[written] = byte
      } else {
        let (decoded, next) = decodeEscape(bytes, at: position, to: close)
        buffer[written] = decoded
        position = next
      }
      written += 1
    }
    count = written
  }
}

/// Decodes one escape; `index` is the byte after the backslash. Returns the index after the escape.
@inline(__always)
func decodeEscape(_ bytes: Bytes, at index: Int, to end: Int, into out: inout [UInt8]) -> Int {
  let (byte, next) = decodeEscape(bytes, at: index, to: end)
  out.append(byte)
  return next
}

/// The byte an escape stands for and the index after it; `index` is the byte after the backslash.
@inline(__always)
func decodeEscape(_ bytes: Bytes, at index: Int, to end: Int) -> (byte: UInt8, next: Int) {
  let byte = bytes[index]
  switch byte {
  case UInt8(ascii: "n"): return (0x0A, index + 1)
  case UInt8(ascii: "t"): return (0x09, index + 1)
  case UInt8(ascii: "r"): return (0x0D, index + 1)
  case UInt8(ascii: "v"): return (0x0B, index + 1)
  case UInt8(ascii: "f"): return (0x0C, index + 1)
  case UInt8(ascii: "a"): return (0x07, index + 1)
  case UInt8(ascii: "b"): return (0x08, index + 1)
  case UInt8(ascii: "x"):
    var position = index + 1
    var value: UInt8 = 0
    var digits = 0
    while digits < 2, position < end, ASCII.isHexDigit(bytes[position]) {
      value = value &<< 4 | UInt8(ASCII.hexValue(bytes[position]))
      position += 1
      digits += 1
    }
    // A lone `\x` is kept literally.
    return (digits == 0 ? byte : value, position)
  case UInt8(ascii: "0")...UInt8(ascii: "7"):
    var position = index
    var value: UInt8 = 0
    var digits = 0
    while digits < 3, position < end, bytes[position] &- ASCII.zero < 8 {
      value = value &<< 3 &+ (bytes[position] &- ASCII.zero)
      position += 1
      digits += 1
    }
    return (value, position)
  default: return (byte, index + 1)  // \" \\ and anything strace never writes
  }
}
