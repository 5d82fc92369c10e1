/// Trace data is untrusted: a thread name, a path or a string argument can hold terminal escape sequences.
/// Everything taken from a trace goes through `escape` before it reaches a terminal, so control bytes are shown
/// as `\xNN` escapes and can never move the cursor, retitle the window or hide lines.
///
/// Works on the UTF-8 bytes: a C0 control or DEL is one byte below 0x20 or 0x7F, a C1 control (U+0080–U+009F)
/// is 0xC2 followed by 0x80–0x9F, and no other scalar's encoding contains those byte values (a `String` is
/// valid UTF-8), so plain text is recognised by one pass over its bytes.
public enum TerminalSafe {
  public static func escape(_ text: String) -> String {
    guard needsEscaping(text) else { return text }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + 8)
    write(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `text`, escaped, to `out`.
  public static func write(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { utf8 in
      var start = 0
      var index = 0
      let count = utf8.count
      while index < count {
        // Eight bytes at a time while none of them can start an escape: most text has no control byte at all,
        // and every annotation and name of every event is scanned here.
        if index &+ 8 <= count,
          !mayNeedEscaping(UnsafeRawPointer(utf8.baseAddress! + index).loadUnaligned(as: UInt64.self))
        {
          index &+= 8
          continue
        }
        let byte = utf8[index]
        if byte >= 0x20 && byte != 0x7F && byte != 0xC2 {
          index += 1
          continue
        }
        var value = byte
        var length = 1
        if byte == 0xC2 {
          guard index + 1 < count, utf8[index + 1] >= 0x80, utf8[index + 1] <= 0x9F else {
            index += 1
            continue
          }
          value = utf8[index + 1]
          length = 2
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "x"))
        out.append(hexDigit(value >> 4))
        out.append(hexDigit(value & 0xF))
        index += length
        start = index
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<count]))
    }
  }

  /// Whether any of the eight bytes of `word` is a C0 control (below 0x20), DEL or 0xC2 (which may start a C1
  /// control): the classic zero-byte tests, exact as to whether such a byte is there.
  @inline(__always)
  static func mayNeedEscaping(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
    let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
    return below0x20 || hasZeroByte(word ^ (ones &* 0x7F)) || hasZeroByte(word ^ (ones &* 0xC2))
  }

  static func needsEscaping(_ text: String) -> Bool {
    var afterC2 = false
    for byte in text.utf8 {
      if byte < 0x20 || byte == 0x7F || (afterC2 && byte >= 0x80 && byte <= 0x9F) { return true }
      afterC2 = byte == 0xC2
    }
    return false
  }

  /// C0 controls, DEL and C1 controls (U+0080–U+009F, which some terminals take as CSI and OSC).
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
  }

  private static func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
  }
}

/// ANSI styling, or none. `Palette.plain` adds nothing.
public struct Palette: Sendable {
  public let enabled: Bool

  public init(enabled: Bool) { self.enabled = enabled }

  public static let plain = Palette(enabled: false)

  public func bold(_ text: String) -> String { wrap(text, "1") }
  public func dim(_ text: String) -> String { wrap(text, "2") }
  public func red(_ text: String) -> String { wrap(text, "31") }
  public func green(_ text: String) -> String { wrap(text, "32") }
  public func yellow(_ text: String) -> String { wrap(text, "33") }
  public func blue(_ text: String) -> String { wrap(text, "34") }
  public func magenta(_ text: String) -> String { wrap(text, "35") }
  public func cyan(_ text: String) -> String { wrap(text, "36") }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  // The same styles for text written as bytes (`EventText`): `start` the style, write the text, `end` it.
  static let boldCode: StaticString = "\u{1B}[1m"
  static let dimCode: StaticString = "\u{1B}[2m"
  static let redCode: StaticString = "\u{1B}[31m"
  static let yellowCode: StaticString = "\u{1B}[33m"
  static let blueCode: StaticString = "\u{1B}[34m"
  static let magentaCode: StaticString = "\u{1B}[35m"
  static let cyanCode: StaticString = "\u{1B}[36m"

  func start(_ code: StaticString, _ out: inout [UInt8]) {
    if enabled { code.withUTF8Buffer { out.append(contentsOf: $0) } }
  }

  func end(_ out: inout [UInt8]) {
    if enabled { TextBytes.append("\u{1B}[0m", to: &out) }
  }
}
