/// A growable byte buffer reused from line to line, so encoding an event allocates nothing once the buffer has
/// grown to the longest line. Appends write through a raw pointer after one capacity check.
final class ByteBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  var count = 0

  init(capacity: Int = 4096) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Makes room for `extra` more bytes.
  @inline(__always)
  func reserve(_ extra: Int) {
    if extra > capacity - count { grow(to: count + extra) }
  }

  private func grow(to needed: Int) {
    var newCapacity = capacity
    while newCapacity < needed { newCapacity *= 2 }
    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    grown.update(from: base, count: count)
    base.deallocate()
    base = grown
    capacity = newCapacity
  }

  @inline(__always)
  func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  /// Appends an ASCII literal.
  @inline(__always)
  func append(_ literal: StaticString) {
    let length = literal.utf8CodeUnitCount
    reserve(length)
    (base + count).update(from: literal.utf8Start, count: length)
    count += length
  }

  func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count)
    (base + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  /// Appends `value` in decimal.
  func appendDecimal(_ value: Int64) {
    if value < 0 {
      append(UInt8(ascii: "-"))
      appendDecimal(value.magnitude)
    } else {
      appendDecimal(UInt64(value))
    }
  }

  /// Appends `value` in decimal.
  func appendDecimal(_ value: UInt64) {
    var digits = 1
    var rest = value / 10
    while rest != 0 {
      digits += 1
      rest /= 10
    }
    reserve(digits)
    var position = count + digits
    var remaining = value
    repeat {
      position -= 1
      base[position] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
      remaining /= 10
    } while remaining != 0
    count += digits
  }

  /// Appends `0x` and `value` in lower-case hexadecimal, without leading zeros.
  func appendHex(_ value: UInt64) {
    let digits = value == 0 ? 1 : (67 - value.leadingZeroBitCount) / 4
    reserve(digits + 2)
    base[count] = UInt8(ascii: "0")
    base[count + 1] = UInt8(ascii: "x")
    var position = count + 2 + digits
    var remaining = value
    repeat {
      position -= 1
      base[position] = hexDigit(UInt8(truncatingIfNeeded: remaining & 0xF))
      remaining >>= 4
    } while remaining != 0
    count += digits + 2
  }

  func removeAll() { count = 0 }

  /// The bytes written so far.
  func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(start: base, count: count))
  }
}

/// The lower-case hexadecimal digit for `nibble` (0...15).
@inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble }
