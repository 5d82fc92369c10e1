import Synchronization
import TraceModel

/// Decoded flag words by raw value, for the live decoder. A program passes the same flags again and again (every
/// pthread's `clone3` one flags word, every thread stack one `mmap` flags word), and decoding a word builds its
/// parts anew, an array of names that is freed again with the event (measured on 2,000 pthreads: 1–2 k
/// instructions per word to build, and as much again to free). A hit shares the array instead.
///
/// Direct-mapped, a few slots per table: a miss decodes and takes the slot, so memory stays fixed. The decoder is
/// a set of static functions that any thread may call, hence the lock (uncontended, a few dozen instructions).
final class ArgValueMemo: Sendable {
  private static let slotCount = 16
  private let slots = Mutex<[(raw: UInt64, value: ArgValue)?]>(Array(repeating: nil, count: slotCount))

  /// `make(raw)`, which must depend on `raw` alone.
  @inline(__always)
  func value(_ raw: UInt64, _ make: (UInt64) -> ArgValue) -> ArgValue {
    let slot = Int(truncatingIfNeeded: raw ^ (raw >> 8) ^ (raw >> 16)) & (Self.slotCount - 1)
    let hit = slots.withLock { slots -> ArgValue? in
      guard let entry = slots[slot], entry.raw == raw else { return nil }
      return entry.value
    }
    if let hit { return hit }
    let value = make(raw)
    slots.withLock { $0[slot] = (raw, value) }
    return value
  }
}
