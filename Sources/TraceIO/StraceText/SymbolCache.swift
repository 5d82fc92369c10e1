import TraceModel

/// Remembers the values of the constant expressions a log repeats on every other line (`PROT_READ|PROT_WRITE`,
/// `MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK`, `FUTEX_WAKE_PRIVATE`, a clone's dozen flags), so each is split and
/// resolved once and later occurrences cost a hash and a compare instead of three allocations.
final class SymbolCache {
  private struct Entry {
    var hash: UInt64
    var text: [UInt8]
    var value: ArgValue
  }

  private static let bits = 12
  // Single-threaded and never re-entered: no dynamic exclusivity checks.
  @exclusivity(unchecked) private var entries = [Entry?](repeating: nil, count: 1 << bits)

  /// The cached value for `bytes[start..<end]`, or the one `make` builds (then cached; a colliding entry is
  /// replaced).
  @inline(__always)
  func value(_ bytes: Bytes, from start: Int, to end: Int, make: () -> ArgValue) -> ArgValue {
    guard end - start <= 256 else { return make() }
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for index in start..<end { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3 }
    let slot = Int(truncatingIfNeeded: hash >> 20) & ((1 << Self.bits) - 1)
    if let entry = entries[slot], entry.hash == hash, entry.text.count == end - start,
      entry.text.withUnsafeBufferPointer({ $0.elementsEqual(UnsafeBufferPointer(rebasing: bytes[start..<end])) })
    {
      return entry.value
    }
    let value = make()
    entries[slot] = Entry(hash: hash, text: Array(bytes[start..<end]), value: value)
    return value
  }
}
