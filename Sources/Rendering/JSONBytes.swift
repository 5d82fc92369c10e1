/// A fast JSON encoder into bytes, for documents with many thousands of objects: no `String` concatenation,
/// integers formatted by hand, ASCII strings copied as they are. Every control character (and DEL, C1
/// controls, U+2028/2029) is escaped, so untrusted trace text can neither break the document nor reach a
/// terminal raw.
///
/// The bytes are in memory this value manages itself, written through a pointer held as a plain field: an
/// `Array`'s append checks uniqueness and capacity and goes through the runtime for every byte, and a buffer
/// object reached through a reference costs a retain per write (measured: most of the JSON summary's encoding
/// time, either way). The `Owner` object only frees the memory. A `JSONBytes` is never copied: two copies would
/// write into one buffer.
struct JSONBytes {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Bytes written so far.
  private(set) var count = 0
  private let owner: Owner
  /// Whether the next member of the open object or array needs a comma first.
  private var needsComma = false

  /// Frees the buffer when the last copy of the value goes.
  private final class Owner {
    var base: UnsafeMutablePointer<UInt8>
    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }
    deinit { base.deallocate() }
  }

  init(capacity: Int = 1024) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
    owner = Owner(base)
  }

  /// The bytes written so far (a copy); setting it replaces them.
  var bytes: [UInt8] {
    get { withBytes { Array($0) } }
    set {
      count = 0
      newValue.withUnsafeBufferPointer { append(contentsOf: $0) }
    }
  }

  /// The bytes written so far, in place.
  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    body(UnsafeBufferPointer(start: base, count: count))
  }

  /// Empties the buffer, keeping its storage.
  mutating func reset() {
    count = 0
    needsComma = false
  }

  @inline(__always) private mutating func append(_ byte: UInt8) {
    if count == capacity { grow(to: count + 1) }
    base[count] = byte
    count += 1
  }

  @inline(__always) private mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count).update(from: source, count: bytes.count)
  }

  @inline(__always) private mutating func append(contentsOf bytes: Slice<UnsafeBufferPointer<UInt8>>) {
    append(contentsOf: UnsafeBufferPointer(rebasing: bytes))
  }

  /// Makes room for `length` more bytes and counts them written: the caller fills them.
  @inline(__always) private mutating func reserve(_ length: Int) -> UnsafeMutablePointer<UInt8> {
    if count + length > capacity { grow(to: count + length) }
    let start = base + count
    count += length
    return start
  }

  private mutating func grow(to needed: Int) {
    let newCapacity = max(needed, capacity * 2)
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.update(from: base, count: count)
    base.deallocate()
    base = newBase
    owner.base = newBase
    capacity = newCapacity
  }

  @inline(__always)
  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { append(contentsOf: $0) }
  }

  mutating func openObject() {
    separator()
    append(UInt8(ascii: "{"))
    needsComma = false
  }

  mutating func closeObject() {
    append(UInt8(ascii: "}"))
    needsComma = true
  }

  @inline(__always)
  mutating func openArray(_ key: StaticString) { open(key, UInt8(ascii: "[")) }

  mutating func closeArray() {
    append(UInt8(ascii: "]"))
    needsComma = true
  }

  @inline(__always)
  mutating func openObject(_ key: StaticString) { open(key, UInt8(ascii: "{")) }

  /// `"key":{…}` with the members `members` writes for `value`, or `"key":null` when there is none: the shape
  /// of every optional part of the summary and diff documents.
  mutating func object<Value>(_ key: StaticString, _ value: Value?, _ members: (inout JSONBytes, Value) -> Void) {
    guard let value else { return null(key) }
    openObject(key)
    members(&self, value)
    closeObject()
  }

  @inline(__always)
  private mutating func open(_ key: StaticString, _ bracket: UInt8) {
    self.key(key)
    append(bracket)
    needsComma = false
  }

  /// `,"key":` (the comma when one is due) written with one capacity check: a summary writes dozens of keys per
  /// task, and one check and count update per byte made this the encoder's busiest function. Inlined, so that
  /// the literal's length is known where it is copied: a few stores instead of a call and a `memcpy` per key.
  @inline(__always)
  mutating func key(_ key: StaticString) {
    guard key.hasPointerRepresentation else {
      // A one-scalar literal can be stored as the scalar: the general path handles it.
      separator()
      append(UInt8(ascii: "\""))
      key.withUTF8Buffer { append(contentsOf: $0) }
      append(UInt8(ascii: "\""))
      append(UInt8(ascii: ":"))
      needsComma = false
      return
    }
    let length = key.utf8CodeUnitCount
    if count + length + 4 > capacity { grow(to: count + length + 4) }
    var out = base + count
    if needsComma {
      out.pointee = UInt8(ascii: ",")
      out += 1
    }
    out.pointee = UInt8(ascii: "\"")
    (out + 1).update(from: key.utf8Start, count: length)
    out[length + 1] = UInt8(ascii: "\"")
    out[length + 2] = UInt8(ascii: ":")
    count = out + length + 3 - base
    needsComma = false
  }

  @inline(__always)
  mutating func field(_ key: StaticString, _ value: String?) {
    self.key(key)
    if let value { string(value) } else { raw("null") }
    needsComma = true
  }

  /// A string value from the program's own text (an enum's name), which never needs escaping: copied as it is.
  @inline(__always)
  mutating func field(_ key: StaticString, literal value: StaticString) {
    self.key(key)
    append(UInt8(ascii: "\""))
    value.withUTF8Buffer { append(contentsOf: $0) }
    append(UInt8(ascii: "\""))
    needsComma = true
  }

  @inline(__always)
  mutating func field<T: BinaryInteger>(_ key: StaticString, _ value: T?) {
    self.key(key)
    if let value { integer(Int64(value)) } else { raw("null") }
    needsComma = true
  }

  @inline(__always)
  mutating func field(_ key: StaticString, _ value: UInt64?) {
    self.key(key)
    if let value { unsigned(value) } else { raw("null") }
    needsComma = true
  }

  @inline(__always)
  mutating func field(_ key: StaticString, _ value: Bool?) {
    self.key(key)
    if let value { if value { raw("true") } else { raw("false") } } else { raw("null") }
    needsComma = true
  }

  /// An address as a `"0x…"` string: JSON numbers lose precision past 2^53 in many consumers.
  @inline(__always)
  mutating func hexField(_ key: StaticString, _ value: UInt64?) {
    self.key(key)
    guard let value else {
      raw("null")
      needsComma = true
      return
    }
    // `"0x…"` written in place with one capacity check (a task has a dozen addresses).
    let digits = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
    let out = reserve(digits + 4)
    out[0] = UInt8(ascii: "\"")
    out[1] = UInt8(ascii: "0")
    out[2] = UInt8(ascii: "x")
    var rest = value
    var index = digits + 2
    while index >= 3 {
      let nibble = UInt8(truncatingIfNeeded: rest & 0xF)
      out[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
      rest >>= 4
      index -= 1
    }
    out[digits + 3] = UInt8(ascii: "\"")
    needsComma = true
  }

  @inline(__always)
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
    encoded.withUnsafeBufferPointer { append(contentsOf: $0) }
    needsComma = true
  }

  /// Ends a member of the outer object and starts the next on a new line, indented.
  mutating func nextLine() {
    raw(",\n  ")
    needsComma = false
  }

  @inline(__always) private mutating func separator() {
    if needsComma { append(UInt8(ascii: ",")) }
  }

  mutating func integer(_ value: Int64) {
    if value < 0 {
      append(UInt8(ascii: "-"))
      unsigned(value == .min ? UInt64(Int64.max) + 1 : UInt64(-value))
    } else {
      unsigned(UInt64(value))
    }
  }

  mutating func unsigned(_ value: UInt64) {
    if value < 10 {
      append(UInt8(ascii: "0") + UInt8(value))
      return
    }
    var count = 1
    var scale: UInt64 = 10
    while count < 20 && value >= scale {
      count += 1
      if count < 20 { scale &*= 10 }
    }
    // Written in place from the last digit back.
    let start = reserve(count)
    var rest = value
    var index = count - 1
    while index >= 0 {
      start[index] = UInt8(ascii: "0") + UInt8(rest % 10)
      rest /= 10
      index -= 1
    }
  }

  mutating func string(_ value: String) {
    append(UInt8(ascii: "\""))
    var copy = value
    copy.withUTF8 { utf8 in
      var start = 0
      var index = 0
      while index < utf8.count {
        let byte = utf8[index]
        // Printable ASCII other than `"` and `\`, nearly every byte of a summary's strings: copied as is.
        if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
          index += 1
          continue
        }
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
          append(contentsOf: utf8[start..<index])
          if escape.utf8CodeUnitCount > 0 {
            escape.withUTF8Buffer { append(contentsOf: $0) }
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
      append(contentsOf: utf8[start..<utf8.count])
    }
    append(UInt8(ascii: "\""))
  }

  private mutating func unicodeEscape(_ scalar: UInt32) {
    raw("\\u")
    let digits: StaticString = "0123456789abcdef"
    digits.withUTF8Buffer { table in
      for shift in stride(from: 12, through: 0, by: -4) { append(table[Int((scalar >> UInt32(shift)) & 0xF)]) }
    }
  }
}

