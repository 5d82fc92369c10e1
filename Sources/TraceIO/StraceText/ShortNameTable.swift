/// A name of at most 24 bytes (every syscall, errno and signal name) packed into three words, so a table can find
/// what a name maps to without building a `String` or hashing with SipHash for every line.
struct ShortName: Equatable {
  var word0: UInt64 = 0
  var word1: UInt64 = 0
  var word2: UInt64 = 0
  /// The length, and a tag above it (a personality, say) to keep apart entries whose bytes are equal.
  /// Never 0 for a name, so 0 marks an empty slot.
  var meta: UInt64 = 0

  static let maximumLength = 24

  /// `bytes[start..<end]`, or nil when longer than `maximumLength`.
  @inline(__always)
  init?(_ bytes: Bytes, from start: Int, to end: Int, tag: UInt8 = 0) {
    let length = end - start
    guard length <= Self.maximumLength, length >= 0 else { return nil }
    word0 = Self.word(bytes, start, length)
    word1 = Self.word(bytes, start + 8, length - 8)
    word2 = Self.word(bytes, start + 16, length - 16)
    meta = UInt64(length) | UInt64(tag) << 8 | 1 << 16
  }

  init() {}

  /// Up to eight bytes at `index` as a little-endian word, zero past `length`: one unaligned load when the line
  /// has eight bytes there (it usually does: a name is followed by its arguments), else byte by byte.
  @inline(__always)
  private static func word(_ bytes: Bytes, _ index: Int, _ length: Int) -> UInt64 {
    guard length > 0 else { return 0 }
    if index + 8 <= bytes.count {
      let raw = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
      return length >= 8 ? raw : raw & ((1 &<< (UInt64(length) &* 8)) &- 1)
    }
    var value: UInt64 = 0
    for offset in 0..<min(length, 8) { value |= UInt64(bytes[index + offset]) &<< (UInt64(offset) &* 8) }
    return value
  }

  @inline(__always)
  var hash: UInt64 {
    var hash = word0 ^ (word1 &* 0x9E37_79B9_7F4A_7C15) ^ (word2 &* 0xC2B2_AE3D_27D4_EB4F) ^ meta
    hash = (hash ^ (hash &>> 29)) &* 0xBF58_476D_1CE4_E5B9
    return hash ^ (hash &>> 32)
  }
}

/// A small open-addressing map from `ShortName` to a value worked out once per name. Owned by one reader (no
/// locks, never re-entered); its slots are in memory it manages itself, so a lookup takes no reference counting.
/// When three quarters full it stops remembering new names and just computes them, which bounds its memory
/// whatever a hostile log holds.
final class ShortNameTable<Value> {
  private let mask: Int
  private let keys: UnsafeMutablePointer<ShortName>
  /// The value of each slot whose key is set; uninitialized elsewhere.
  private let values: UnsafeMutablePointer<Value>
  private var filled = 0
  /// The value last made for a name the full table did not keep (`pointer(for:)`), when there was one.
  private let overflow = UnsafeMutablePointer<Value>.allocate(capacity: 1)
  private var overflowFilled = false

  init(bits: Int) {
    mask = (1 << bits) - 1
    keys = .allocate(capacity: 1 << bits)
    keys.initialize(repeating: ShortName(), count: 1 << bits)
    values = .allocate(capacity: 1 << bits)
  }

  deinit {
    for slot in 0...mask where keys[slot].meta != 0 { (values + slot).deinitialize(count: 1) }
    values.deallocate()
    keys.deallocate()
    if overflowFilled { overflow.deinitialize(count: 1) }
    overflow.deallocate()
  }

  /// The value for `key`, made by `make` the first time.
  @inline(__always)
  func value(for key: ShortName, make: () -> Value) -> Value {
    pointer(for: key, make: make).pointee
  }

  /// Where the value for `key` is kept, made by `make` the first time: for a caller that reads a few fields of
  /// it, which a copy of the whole value would cost a retain and a release of each reference in it. Valid until
  /// the next lookup (a value the full table does not keep waits in one slot, which the next such lookup
  /// reuses).
  @inline(__always)
  func pointer(for key: ShortName, make: () -> Value) -> UnsafePointer<Value> {
    var slot = Int(truncatingIfNeeded: key.hash) & mask
    while true {
      if keys[slot].meta == 0 { break }
      if keys[slot] == key { return UnsafePointer(values + slot) }
      slot = (slot + 1) & mask
    }
    let value = make()
    guard filled < (mask + 1) * 3 / 4 else { return keep(value) }
    keys[slot] = key
    (values + slot).initialize(to: value)
    filled += 1
    return UnsafePointer(values + slot)
  }

  /// Holds a value the table does not keep where `pointer(for:)` hands out such values: valid until the next
  /// lookup or `keep`.
  func keep(_ value: Value) -> UnsafePointer<Value> {
    if overflowFilled { overflow.pointee = value } else { overflow.initialize(to: value) }
    overflowFilled = true
    return UnsafePointer(overflow)
  }
}
