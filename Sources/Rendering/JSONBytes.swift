/// A fast JSON encoder into bytes, for documents with many thousands of objects: no `String` concatenation,
/// integers formatted by hand, ASCII strings copied as they are. Every control character (and DEL, C1
/// controls, U+2028/2029) is escaped, so untrusted trace text can neither break the document nor reach a
/// terminal raw.
struct JSONBytes {
  var bytes: [UInt8] = []
  /// Whether the next member of the open object or array needs a comma first.
  private var needsComma = false

  init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

  /// Empties the buffer, keeping its storage.
  mutating func reset() {
    bytes.removeAll(keepingCapacity: true)
    needsComma = false
  }

  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  mutating func openObject() {
    separator()
    bytes.append(UInt8(ascii: "{"))
    needsComma = false
  }

  mutating func closeObject() {
    bytes.append(UInt8(ascii: "}"))
    needsComma = true
  }

  mutating func openArray(_ key: StaticString) { open(key, UInt8(ascii: "[")) }

  mutating func closeArray() {
    bytes.append(UInt8(ascii: "]"))
    needsComma = true
  }

  mutating func openObject(_ key: StaticString) { open(key, UInt8(ascii: "{")) }

  private mutating func open(_ key: StaticString, _ bracket: UInt8) {
    self.key(key)
    bytes.append(bracket)
    needsComma = false
  }

  mutating func key(_ key: StaticString) {
    separator()
    bytes.append(UInt8(ascii: "\""))
    key.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
    needsComma = false
  }

  mutating func field(_ key: StaticString, _ value: String?) {
    self.key(key)
    if let value { string(value) } else { raw("null") }
    needsComma = true
  }

  mutating func field<T: BinaryInteger>(_ key: StaticString, _ value: T?) {
    self.key(key)
    if let value { integer(Int64(value)) } else { raw("null") }
    needsComma = true
  }

  mutating func field(_ key: StaticString, _ value: UInt64?) {
    self.key(key)
    if let value { unsigned(value) } else { raw("null") }
    needsComma = true
  }

  mutating func field(_ key: StaticString, _ value: Bool?) {
    self.key(key)
    if let value { if value { raw("true") } else { raw("false") } } else { raw("null") }
    needsComma = true
  }

  /// An address as a `"0x…"` string: JSON numbers lose precision past 2^53 in many consumers.
  mutating func hexField(_ key: StaticString, _ value: UInt64?) {
    self.key(key)
    guard let value else {
      raw("null")
      needsComma = true
      return
    }
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: "0"))
    bytes.append(UInt8(ascii: "x"))
    hexDigits(value)
    bytes.append(UInt8(ascii: "\""))
    needsComma = true
  }

  mutating func null(_ key: StaticString) {
    self.key(key)
    raw("null")
    needsComma = true
  }

  mutating func element(_ value: String) {
    separator()
    string(value)
    needsComma = true
  }

  /// Members encoded earlier (`"key":value,…`), inserted as they are.
  mutating func member(_ encoded: [UInt8]) {
    separator()
    bytes += encoded
    needsComma = true
  }

  /// Ends a member of the outer object and starts the next on a new line, indented.
  mutating func nextLine() {
    raw(",\n  ")
    needsComma = false
  }

  private mutating func separator() {
    if needsComma { bytes.append(UInt8(ascii: ",")) }
  }

  mutating func integer(_ value: Int64) {
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
      unsigned(value == .min ? UInt64(Int64.max) + 1 : UInt64(-value))
    } else {
      unsigned(UInt64(value))
    }
  }

  mutating func unsigned(_ value: UInt64) {
    if value < 10 {
      bytes.append(UInt8(ascii: "0") + UInt8(value))
      return
    }
    var digits: (UInt64, UInt64) = (0, 0)
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &digits) { buffer in
      while rest > 0 {
        buffer[15 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
        count += 1
      }
      bytes.append(contentsOf: buffer[(16 - count)...])
    }
  }

  private mutating func hexDigits(_ value: UInt64) {
    let digits: StaticString = "0123456789abcdef"
    var shift = 60
    while shift > 0 && (value >> UInt64(shift)) & 0xF == 0 { shift -= 4 }
    digits.withUTF8Buffer { table in
      while shift >= 0 {
        bytes.append(table[Int((value >> UInt64(shift)) & 0xF)])
        shift -= 4
      }
    }
  }

  mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var copy = value
    copy.withUTF8 { utf8 in
      var start = 0
      var index = 0
      while index < utf8.count {
        let byte = utf8[index]
        var escape: StaticString?
        var length = 1
        switch byte {
        case UInt8(ascii: "\""): escape = "\\\""
        case UInt8(ascii: "\\"): escape = "\\\\"
        case 0x0A: escape = "\\n"
        case 0x09: escape = "\\t"
        case 0x0D: escape = "\\r"
        case 0x00..<0x20, 0x7F: escape = ""
        case 0xC2 where index + 1 < utf8.count && (0x80...0x9F).contains(utf8[index + 1]):
          escape = ""  // a C1 control (U+0080–U+009F): some terminals read it as CSI or OSC
          length = 2
        case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
          escape = ""  // U+2028/2029 end lines in JavaScript
          length = 3
        default: break
        }
        if let escape {
          bytes.append(contentsOf: utf8[start..<index])
          if escape.utf8CodeUnitCount > 0 {
            escape.withUTF8Buffer { bytes.append(contentsOf: $0) }
          } else {
            let scalar = length == 1 ? UInt32(byte) : length == 2 ? UInt32(utf8[index + 1]) : (utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029)
            unicodeEscape(scalar)
          }
          index += length
          start = index
        } else {
          index += 1
        }
      }
      bytes.append(contentsOf: utf8[start..<utf8.count])
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private mutating func unicodeEscape(_ scalar: UInt32) {
    raw("\\u")
    let digits: StaticString = "0123456789abcdef"
    digits.withUTF8Buffer { table in
      for shift in stride(from: 12, through: 0, by: -4) { bytes.append(table[Int((scalar >> UInt32(shift)) & 0xF)]) }
    }
  }
}
