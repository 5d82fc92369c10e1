#if canImport(Glibc)
  import Glibc
#endif
import TraceModel

/// Remembers the values of the constant expressions a log repeats on every other line (`PROT_READ|PROT_WRITE`,
/// `MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK`, `FUTEX_WAKE_PRIVATE`, a clone's dozen flags), so each is split and
/// resolved once and later occurrences cost a hash and a compare instead of three allocations.
///
/// The text of each entry is kept in one byte arena and compared with `memcmp`, and the hash reads eight bytes
/// at a time: a lookup is a few dozen instructions where a generic `elementsEqual` and a per-byte hash cost
/// hundreds (measured on `mmap` lines, which hold three such constants).
final class SymbolCache {
  private struct Entry {
    var hash: UInt64
    var offset: Int
    var length: Int
    var value: ArgValue
  }

  private static let bits = 12
  private static let maximumLength = 256
  // Single-threaded and never re-entered: no dynamic exclusivity checks.
  @exclusivity(unchecked) private var entries = [Entry?](repeating: nil, count: 1 << bits)
  /// The entries' texts, each at its entry's offset. A replaced entry's text stays until the arena is full, then
  /// the whole cache starts over: memory is bounded by `arenaLimit`.
  @exclusivity(unchecked) private var arena: [UInt8] = []
  private static let arenaLimit = 1 << 20

  /// The cached value for `bytes[start..<end]`, or the one `make` builds (then cached; a colliding entry is
  /// replaced).
  @inline(__always)
  func value(_ bytes: Bytes, from start: Int, to end: Int, make: () -> ArgValue) -> ArgValue {
    let length = end - start
    guard length <= Self.maximumLength, length > 0 else { return make() }
    let text = bytes.baseAddress! + start
    let hash = Self.hash(text, length)
    let slot = Int(truncatingIfNeeded: hash >> 20) & ((1 << Self.bits) - 1)
    if let entry = entries[slot], entry.hash == hash, entry.length == length,
      arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + entry.offset, text, length) == 0 })
    {
      return entry.value
    }
    let value = make()
    if arena.count + length > Self.arenaLimit {
      arena.removeAll(keepingCapacity: true)
      for index in entries.indices { entries[index] = nil }
    }
    let offset = arena.count
    arena.append(contentsOf: UnsafeBufferPointer(start: text, count: length))
    entries[slot] = Entry(hash: hash, offset: offset, length: length, value: value)
    return value
  }

  /// A 64-bit hash of `length` bytes at `text`, eight at a time (the tail zero-padded), mixed per word.
  @inline(__always)
  private static func hash(_ text: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
    var hash = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15
    var index = 0
    let raw = UnsafeRawPointer(text)
    while index + 8 <= length {
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 31
      index += 8
    }
    if index < length {
      var word: UInt64 = 0
      var shift: UInt64 = 0
      while index < length {
        word |= UInt64(text[index]) << shift
        shift += 8
        index += 1
      }
      hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 31
    }
    return hash
  }
}
