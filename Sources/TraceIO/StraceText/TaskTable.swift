/// A map from tid to `Value` for the reader's live tasks: open addressing with linear probing and backward-shift
/// deletion, keyed by the tid itself with a multiplicative hash.
///
/// Every line looks its task up, and `Dictionary` hashes an `Int32` with SipHash (measured: 4% of reading time);
/// this costs a multiply and, almost always, one probe. The slots are in memory the table manages itself, so
/// reaching one takes no reference counting (an atomic operation, costly at this rate). Memory follows the live
/// tasks: the table grows at half full and shrinks when they end.
final class TaskTable<Value> {
  private var keys: UnsafeMutablePointer<Int32>
  private var occupied: UnsafeMutablePointer<Bool>
  /// Every slot holds a value: `filler` in the empty ones, so a slot is read in place with no optional.
  private var values: UnsafeMutablePointer<Value>
  private var mask: Int
  private var shift: UInt64
  private let filler: Value
  private(set) var count = 0

  init(filler: Value) {
    self.filler = filler
    (keys, occupied, values, mask, shift) = Self.allocate(bits: 4, filler: filler)
  }

  deinit { Self.deallocate(keys, occupied, values, capacity: mask + 1) }

  private static func allocate(bits: Int, filler: Value) -> (
    UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Bool>, UnsafeMutablePointer<Value>, Int, UInt64
  ) {
    let capacity = 1 << bits
    let keys = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    keys.initialize(repeating: 0, count: capacity)
    let occupied = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
    occupied.initialize(repeating: false, count: capacity)
    let values = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
    values.initialize(repeating: filler, count: capacity)
    return (keys, occupied, values, capacity - 1, UInt64(64 - bits))
  }

  private static func deallocate(
    _ keys: UnsafeMutablePointer<Int32>, _ occupied: UnsafeMutablePointer<Bool>, _ values: UnsafeMutablePointer<Value>,
    capacity: Int
  ) {
    values.deinitialize(count: capacity)
    values.deallocate()
    occupied.deallocate()
    keys.deallocate()
  }

  @inline(__always) private func home(_ key: Int32) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
  }

  /// The slot holding `key`, or nil.
  @inline(__always) func slot(of key: Int32) -> Int? {
    var slot = home(key)
    while occupied[slot] {
      if keys[slot] == key { return slot }
      slot = (slot + 1) & mask
    }
    return nil
  }

  /// The slot holding `key`, made with `make()` when absent. Valid until the next insertion or removal.
  @inline(__always) func slot(inserting key: Int32, _ make: () -> Value) -> Int {
    var slot = home(key)
    while occupied[slot] {
      if keys[slot] == key { return slot }
      slot = (slot + 1) & mask
    }
    if (count + 1) * 2 > mask + 1 {
      rehash(bits: (mask + 1).trailingZeroBitCount + 1)
      return self.slot(inserting: key, make)
    }
    keys[slot] = key
    occupied[slot] = true
    values[slot] = make()
    count += 1
    return slot
  }

  /// The value in a slot from `slot(of:)` or `slot(inserting:)`, in place.
  @inline(__always) subscript(slot slot: Int) -> Value {
    _read { yield values[slot] }
    _modify { yield &values[slot] }
  }

  subscript(key: Int32) -> Value? {
    get { slot(of: key).map { values[$0] } }
    set {
      if let newValue {
        // The slot first: inserting may rehash and reallocate `values`, and `values[slot(…)]` would read the old
        // pointer before the call (a use-after-free found by fuzzing under AddressSanitizer).
        let index = slot(inserting: key) { newValue }
        values[index] = newValue
      } else {
        removeValue(forKey: key)
      }
    }
  }

  /// As `Dictionary`'s: reading does not insert, mutating does.
  subscript(key: Int32, default make: @autoclosure () -> Value) -> Value {
    get { slot(of: key).map { values[$0] } ?? make() }
    _modify {
      let index = slot(inserting: key, make)  // before reading `values`: inserting may reallocate it (see above)
      yield &values[index]
    }
  }

  @discardableResult
  func removeValue(forKey key: Int32) -> Value? {
    guard var hole = slot(of: key) else { return nil }
    let removed = values[hole]
    // Backward-shift deletion: pull later members of the run into the hole when their home allows, so lookups
    // never need tombstones.
    var next = hole
    while true {
      next = (next + 1) & mask
      guard occupied[next] else { break }
      let wanted = home(keys[next])
      let stays = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
      if stays { continue }
      keys[hole] = keys[next]
      values[hole] = values[next]
      hole = next
    }
    occupied[hole] = false
    values[hole] = filler
    count -= 1
    if count * 8 < mask + 1 && mask + 1 > 16 { rehash(bits: (mask + 1).trailingZeroBitCount - 1) }
    return removed
  }

  /// The keys present, in slot order.
  var keysPresent: [Int32] { (0...mask).filter { occupied[$0] }.map { keys[$0] } }

  /// Every (key, value), in slot order.
  var entries: [(key: Int32, value: Value)] { (0...mask).filter { occupied[$0] }.map { (keys[$0], values[$0]) } }

  private func rehash(bits: Int) {
    let old = entries
    let capacity = mask + 1
    let (oldKeys, oldOccupied, oldValues) = (keys, occupied, values)
    (keys, occupied, values, mask, shift) = Self.allocate(bits: bits, filler: filler)
    Self.deallocate(oldKeys, oldOccupied, oldValues, capacity: capacity)
    count = 0
    for (key, value) in old { _ = slot(inserting: key) { value } }
  }
}
