#if canImport(Glibc)
  import Glibc
#endif

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
///
/// The memory is `malloc`'s, grown with `realloc`: a large buffer (the summary's spool, up to 8 MiB) is then
/// moved by remapping its pages, not copied. The copies took 4.8 million instructions, 0.6 % of the run, in the
/// JSON summary of a 16 MB strace log.
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
    deinit { free(base) }
  }

  init(capacity: Int = 1024) {
    self.capacity = max(capacity, 64)
    base = Self.allocate(resizing: nil, to: self.capacity)
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

  @inline(__always) mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
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

  /// Makes room for up to `length` more bytes without counting them: the caller writes at the address, then adds
  /// what it used to `count`. The word-wide digit writers store 8 bytes where fewer may be digits.
  @inline(__always) private mutating func room(_ length: Int) -> UnsafeMutablePointer<UInt8> {
    if count + length > capacity { grow(to: count + length) }
    return base + count
  }

  // Out of line: inlined at every write it made the task encoder too large for the optimizer to inline the
  // writers into it (each then a call, and each literal a `memmove` call of unknown length).
  @inline(never)
  private mutating func grow(to needed: Int) {
    let newCapacity = max(needed, capacity * 2)
    base = Self.allocate(resizing: base, to: newCapacity)
    owner.base = base
    capacity = newCapacity
  }

  private static func allocate(resizing old: UnsafeMutablePointer<UInt8>?, to capacity: Int) -> UnsafeMutablePointer<UInt8> {
    guard let memory = realloc(old, capacity) else { fatalError("JSONBytes: out of memory for \(capacity) bytes") }
    return memory.bindMemory(to: UInt8.self, capacity: capacity)
  }

  @inline(__always)
  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { append(contentsOf: $0) }
  }

  // `text` then a value: for documents whose members are always the same and in the same order (a task's
  // object), the key and what comes before it are one literal with the comma in it, `,"tid":`, written with one
  // capacity check; the comma bookkeeping of `field` is left out. These leave `needsComma` as it was.

  /// `text`, then the number or `null`.
  @inline(__always)
  mutating func raw<T: FixedWidthInteger>(_ text: StaticString, _ value: T?) {
    raw(text)
    guard let value else { return raw("null") }
    if value < 0 { append(UInt8(ascii: "-")) }
    unsigned(UInt64(value.magnitude))
  }

  /// `text`, then the string or `null`.
  @inline(__always)
  mutating func raw(_ text: StaticString, _ value: String?) {
    raw(text)
    if let value { string(value) } else { raw("null") }
  }

  /// `text`, then `value` quoted: a string from the program's own text (an enum's name), never escaped.
  @inline(__always)
  mutating func raw(_ text: StaticString, literal value: StaticString) {
    raw(text)
    append(UInt8(ascii: "\""))
    raw(value)
    append(UInt8(ascii: "\""))
  }

  /// `text`, then `"0x…"` or `null`.
  @inline(__always)
  mutating func raw(_ text: StaticString, hex value: UInt64?) {
    raw(text)
    if let value { hex(value) } else { raw("null") }
  }

  /// `text`, then `true` or `false`.
  @inline(__always)
  mutating func raw(_ text: StaticString, _ value: Bool) {
    raw(text)
    if value { raw("true") } else { raw("false") }
  }

  /// Bytes encoded earlier, inserted as they are.
  mutating func raw(_ encoded: [UInt8]) {
    encoded.withUnsafeBufferPointer { append(contentsOf: $0) }
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
    hex(value)
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
    if value < 0 { append(UInt8(ascii: "-")) }
    unsigned(value.magnitude)
  }

  mutating func unsigned(_ value: UInt64) {
    guard value < 100_000_000 else {
      // Rare (timestamps in microseconds, large sizes): the leading digits, then the last eight.
      unsigned(value / 100_000_000)
      Self.store(Self.decimalDigits(value % 100_000_000) | Self.asciiZeros, at: room(8))
      count += 8
      return
    }
    // All eight digits at once, then the leading zeros dropped. A digit at a time (a loop to count the digits,
    // then a division per digit) took 111 instructions a call for the JSON summary's numbers, this 64.
    let digits = Self.decimalDigits(value)
    // The leading zeros are the low zero bytes; the last digit (the top byte) is written even when 0.
    let leadingZeros = (digits | 1 << 63).trailingZeroBitCount / 8
    Self.store((digits | Self.asciiZeros) >> (8 * leadingZeros), at: room(8))
    count &+= 8 &- leadingZeros
  }

  /// `"0x…"`: the value in lowercase hex without leading zeros, quoted.
  mutating func hex(_ value: UInt64) {
    let length = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
    let out = room(20)
    out[0] = UInt8(ascii: "\"")
    out[1] = UInt8(ascii: "0")
    out[2] = UInt8(ascii: "x")
    // A word at a time like the decimal digits (a nibble at a time took 163 instructions a call for the JSON
    // summary's addresses, most of 12 digits; this 86): the low eight digits end at the last digit, the high
    // ones, their leading zeros dropped, before them.
    let low = Self.hexDigits(UInt32(truncatingIfNeeded: value))
    if length <= 8 {
      Self.store(low >> (8 * (8 - length)), at: out + 3)
    } else {
      Self.store(Self.hexDigits(UInt32(truncatingIfNeeded: value >> 32)) >> (8 * (16 - length)), at: out + 3)
      Self.store(low, at: out + 3 + length - 8)
    }
    out[3 + length] = UInt8(ascii: "\"")
    count += length + 4
  }

  private static let asciiZeros: UInt64 = 0x3030_3030_3030_3030

  /// Writes `word`'s bytes at `address`, its lowest byte first: the digit writers keep the first digit there.
  @inline(__always) private static func store(_ word: UInt64, at address: UnsafeMutablePointer<UInt8>) {
    UnsafeMutableRawPointer(address).storeBytes(of: word.littleEndian, as: UInt64.self)
  }

  /// The eight decimal digits of `value` (below 10^8, with leading zeros) as the bytes of a word, the first digit
  /// in the lowest byte, each 0...9. Halves are split by multiplying by a reciprocal, in every lane of the word at
  /// once: 10486 / 2^20 is 1/100 and 103 / 2^10 is 1/10, both exact for the lanes' ranges (below 10^4 and 100).
  @inline(__always) private static func decimalDigits(_ value: UInt64) -> UInt64 {
    let high = value / 10_000
    // Two 4-digit lanes of 32 bits, the first in the low half.
    var lanes = high | (value - high * 10_000) << 32
    let hundreds = ((lanes &* 10486) >> 20) & 0x0000_007F_0000_007F
    // Four 2-digit lanes of 16 bits.
    lanes = hundreds | (lanes - hundreds &* 100) << 16
    let tens = ((lanes &* 103) >> 10) & 0x000F_000F_000F_000F
    // Eight 1-digit lanes of 8 bits.
    return tens | (lanes - tens &* 10) << 8
  }

  /// The eight hex digits of `value` as ASCII in the bytes of a word, the first digit in the lowest byte.
  @inline(__always) private static func hexDigits(_ value: UInt32) -> UInt64 {
    // Each nibble to a byte of its own, the last nibble in the lowest byte; then the bytes reversed.
    var nibbles = UInt64(value)
    nibbles = (nibbles | nibbles << 16) & 0x0000_FFFF_0000_FFFF
    nibbles = (nibbles | nibbles << 8) & 0x00FF_00FF_00FF_00FF
    nibbles = (nibbles | nibbles << 4) & 0x0F0F_0F0F_0F0F_0F0F
    nibbles = nibbles.byteSwapped
    // A byte above 9 carries into its bit 4 when 6 is added: those get `a` - `0` - 10 (39) more than `0`.
    let letters = ((nibbles &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
    return nibbles &+ asciiZeros &+ letters &* 39
  }

  mutating func string(_ value: String) {
    // A native string lends its bytes (a small one from a copy on the stack); `withUTF8` needs a mutable copy,
    // retained and released around every call.
    if value.utf8.withContiguousStorageIfAvailable({ string(utf8: $0) }) == nil {
      var copy = value
      copy.withUTF8 { string(utf8: $0) }
    }
  }

  private mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
    // The bytes that need no escape, nearly always all of them, go with the opening quote in one copy.
    let plain = Self.plainLength(utf8)
    let out = reserve(plain + 1)
    out[0] = UInt8(ascii: "\"")
    if plain > 0 { (out + 1).initialize(from: utf8.baseAddress!, count: plain) }
    if plain < utf8.count { escaping(utf8, from: plain) }
    append(UInt8(ascii: "\""))
  }

  /// How many bytes at the start of `utf8` are printable ASCII other than `"` and `\`, or fewer: the rest goes
  /// through `escaping`, which copies such bytes as they are too. Checked a word at a time: a task's command
  /// name (15 bytes) took 320 instructions with the byte loop alone, 145 so.
  private static func plainLength(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
    guard let start = utf8.baseAddress, utf8.count >= 8 else { return 0 }
    let bytes = UnsafeRawPointer(start)
    var index = 0
    while index + 8 <= utf8.count {
      if mayNeedEscape(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { return index }
      index += 8
    }
    // The last few bytes, in the word that ends with them.
    if index < utf8.count, mayNeedEscape(bytes.loadUnaligned(fromByteOffset: utf8.count - 8, as: UInt64.self)) {
      return index
    }
    return utf8.count
  }

  /// Whether any byte of `word` is a control character, `"`, `\`, DEL or not ASCII (the tests for a zero byte,
  /// and for one below or above a bound, of Bit Twiddling Hacks: exact for "any byte").
  @inline(__always) private static func mayNeedEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
    let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
    let control = (word &- ones &* 0x20) & ~word
    let quote = (quotes &- ones) & ~quotes
    let backslash = (backslashes &- ones) & ~backslashes
    let deleteOrHigher = (word &+ ones) | word
    return (control | quote | backslash | deleteOrHigher) & (ones &* 0x80) != 0
  }

  /// The rest of a string from `index`, escaped.
  private mutating func escaping(_ utf8: UnsafeBufferPointer<UInt8>, from index: Int) {
    var start = index
    var index = index
    while index < utf8.count {
      let byte = utf8[index]
      // Printable ASCII other than `"` and `\`: copied as is.
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

  private mutating func unicodeEscape(_ scalar: UInt32) {
    raw("\\u")
    let digits: StaticString = "0123456789abcdef"
    digits.withUTF8Buffer { table in
      for shift in stride(from: 12, through: 0, by: -4) { append(table[Int((scalar >> UInt32(shift)) & 0xF)]) }
    }
  }
}

