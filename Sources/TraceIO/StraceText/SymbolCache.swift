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
  private static let bits = 12
  private static let slots = 1 << bits
  private static let maximumLength = 256
  /// The entries, as parallel tables so that a probe reads plain numbers and copies only the value it returns,
  /// in memory the cache manages itself so that reaching them takes no reference counting (atomic, and per
  /// argument). Used by one reader, never re-entered.
  private let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
  /// Where each entry's text is in `arena`, and its length (0: empty slot).
  private let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: slots)
  private let lengths = UnsafeMutablePointer<Int32>.allocate(capacity: slots)
  private let values = UnsafeMutablePointer<ArgValue>.allocate(capacity: slots)
  /// The entries' texts. A replaced entry's text stays until the arena is full, then the whole cache starts
  /// over: memory is bounded by `arenaLimit`.
  private let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaLimit)
  private var arenaCount = 0
  private static let arenaLimit = 1 << 20

  /// Structure field names (`flags`, `child_tid`, `st_mode`), made into `String`s once.
  private let fieldNames = ShortNameTable<String>(bits: 9)

  /// The field name `bytes[start..<end]` as a `String`, made once per name. (A method here rather than the
  /// table handed out: reaching the table from the parser's unretained reference would retain it per field.)
  func fieldName(_ bytes: Bytes, from start: Int, to end: Int) -> String {
    guard let key = ShortName(bytes, from: start, to: end) else { return bytes.string(start, end) }
    return fieldNames.value(for: key) { bytes.string(start, end) }
  }

  init() {
    hashes.initialize(repeating: 0, count: Self.slots)
    offsets.initialize(repeating: 0, count: Self.slots)
    lengths.initialize(repeating: 0, count: Self.slots)
    values.initialize(repeating: .integer(0), count: Self.slots)
  }

  deinit {
    values.deinitialize(count: Self.slots)
    values.deallocate()
    lengths.deallocate()
    offsets.deallocate()
    hashes.deallocate()
    arena.deallocate()
  }

  /// The cached value for `bytes[start..<end]`, or the one `make` builds (then cached; a colliding entry is
  /// replaced).
  @inline(__always)
  func value(_ bytes: Bytes, from start: Int, to end: Int, make: () -> ArgValue) -> ArgValue {
    let length = end - start
    guard length <= Self.maximumLength, length > 0 else { return make() }
    let text = bytes.baseAddress! + start
    let hash = Self.hash(text, length)
    let slot = Int(truncatingIfNeeded: hash >> 20) & (Self.slots - 1)
    if hashes[slot] == hash, Int(lengths[slot]) == length, memcmp(arena + Int(offsets[slot]), text, length) == 0 {
      return values[slot]
    }
    let value = make()
    if arenaCount + length > Self.arenaLimit {
      arenaCount = 0
      lengths.update(repeating: 0, count: Self.slots)
    }
    hashes[slot] = hash
    offsets[slot] = Int32(arenaCount)
    lengths[slot] = Int32(length)
    values[slot] = value
    (arena + arenaCount).update(from: text, count: length)
    arenaCount += length
    return value
  }

  /// A 64-bit hash of `length` (1...) bytes at `text`, eight at a time, the last word overlapping the one
  /// before when the length is not a multiple of eight; the length is mixed in, so overlaps cannot collide.
  @inline(__always)
  private static func hash(_ text: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
    var hash = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15
    let raw = UnsafeRawPointer(text)
    if length < 8 {
      var word: UInt64 = 0
      for index in 0..<length { word |= UInt64(text[index]) &<< (UInt64(index) &* 8) }
      hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
      return hash ^ (hash &>> 31)
    }
    var index = 0
    while index + 8 < length {
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash &>> 31
      index += 8
    }
    let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self))
    hash = (hash ^ last) &* 0xBF58_476D_1CE4_E5B9
    return hash ^ (hash &>> 31)
  }
}
