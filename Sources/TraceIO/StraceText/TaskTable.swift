/// A map from tid to `Value` for the reader's live tasks: open addressing with linear probing and backward-shift
/// deletion, keyed by the tid itself with a multiplicative hash.
///
/// Every line looks its task up, and `Dictionary` hashes an `Int32` with SipHash (measured: 4% of reading time);
/// this costs a multiply and, almost always, one probe. Memory follows the live tasks: the table grows at half
/// full and shrinks when they end.
struct TaskTable<Value> {
  private var slotKeys: [Int32]
  private var occupied: [Bool]
  private var values: [Value?]
  private var mask: Int
  private var shift: UInt64
  private(set) var count = 0

  init() {
    slotKeys = []
    occupied = []
    values = []
    mask = -1
    shift = 64
    allocate(bits: 4)
  }

  private mutating func allocate(bits: Int) {
    let capacity = 1 << bits
    slotKeys = [Int32](repeating: 0, count: capacity)
    occupied = [Bool](repeating: false, count: capacity)
    values = [Value?](repeating: nil, count: capacity)
    mask = capacity - 1
    shift = UInt64(64 - bits)
  }

  @inline(__always) private func home(_ key: Int32) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
  }

  /// The slot holding `key`, or nil.
  @inline(__always) func slot(of key: Int32) -> Int? {
    var slot = home(key)
    while occupied[slot] {
      if slotKeys[slot] == key { return slot }
      slot = (slot + 1) & mask
    }
    return nil
  }

  /// The slot holding `key`, made with `make()` when absent. Valid until the next insertion or removal.
  @inline(__always) mutating func slot(inserting key: Int32, _ make: () -> Value) -> Int {
    var slot = home(key)
    while occupied[slot] {
      if slotKeys[slot] == key { return slot }
      slot = (slot + 1) & mask
    }
    if (count + 1) * 2 > mask + 1 {
      grow()
      return self.slot(inserting: key, make)
    }
    slotKeys[slot] = key
    occupied[slot] = true
    values[slot] = make()
    count += 1
    return slot
  }

  /// The value in a slot from `slot(of:)` or `slot(inserting:)`.
  @inline(__always) subscript(slot slot: Int) -> Value {
    get { values[slot]! }
    _modify { yield &values[slot]! }
  }

  subscript(key: Int32) -> Value? {
    get { slot(of: key).map { values[$0]! } }
    set {
      if let newValue {
        let slot = slot(inserting: key) { newValue }
        values[slot] = newValue
      } else {
        _ = removeValue(forKey: key)
      }
    }
  }

  /// As `Dictionary`'s: reading does not insert, mutating does.
  subscript(key: Int32, default make: @autoclosure () -> Value) -> Value {
    get { slot(of: key).map { values[$0]! } ?? make() }
    _modify {
      let slot = slot(inserting: key, make)
      yield &values[slot]!
    }
  }

  @discardableResult
  mutating func removeValue(forKey key: Int32) -> Value? {
    guard var hole = slot(of: key) else { return nil }
    let removed = values[hole]
    // Backward-shift deletion: pull later members of the run into the hole when their home allows, so lookups
    // never need tombstones.
    var next = hole
    while true {
      next = (next + 1) & mask
      guard occupied[next] else { break }
      let wanted = home(slotKeys[next])
      let stays = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
      if stays { continue }
      slotKeys[hole] = slotKeys[next]
      values[hole] = values[next]
      hole = next
    }
    occupied[hole] = false
    values[hole] = nil
    count -= 1
    if count * 8 < mask + 1 && mask + 1 > 16 { rehash(bits: (mask + 1).trailingZeroBitCount - 1) }
    return removed
  }

  /// The keys present, in slot order.
  var keys: [Int32] { (0...mask).filter { occupied[$0] }.map { slotKeys[$0] } }

  /// Every (key, value), in slot order.
  var entries: [(key: Int32, value: Value)] { (0...mask).filter { occupied[$0] }.map { (slotKeys[$0], values[$0]!) } }

  private mutating func grow() { rehash(bits: (mask + 1).trailingZeroBitCount + 1) }

  private mutating func rehash(bits: Int) {
    let old = entries
    allocate(bits: bits)
    count = 0
    for (key, value) in old { _ = slot(inserting: key) { value } }
  }
}
