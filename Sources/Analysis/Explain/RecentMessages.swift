import Synchronization

/// The texts of messages made from an address (and a few small values), for the addresses a program uses again
/// and again: glibc reuses a cached stack's `child_tid` word, robust list and rseq area for thread after thread,
/// so their messages repeat word for word, and `ExplanationMemory` withholds them. Making each one anyway (a dozen
/// appends and an address in hex) was most of explaining a thread's exit; finding it here is one hash of the key.
///
/// Direct-mapped, unlike `MessageCache`: a new key takes its slot from the one before it, so that addresses
/// seen once (a service's 18,000 distinct stacks) neither grow it nor keep out the ones that come back.
final class RecentMessages: Sendable {
  struct Key: Equatable {
    var address: UInt64
    var detail: UInt64 = 0
    /// Which of a rule's messages (the moment of a registration read, say).
    var variant: UInt8 = 0
  }

  private struct Slot {
    var key: Key
    var text: String
  }

  private static let slotBits = 6
  private let slots = Mutex<[Slot?]>([Slot?](repeating: nil, count: 1 << RecentMessages.slotBits))

  func text(_ key: Key, _ make: () -> String) -> String {
    let mixed = (key.address ^ (key.detail &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(key.variant)) &* 0xFF51_AFD7_ED55_8CCD
    let slot = Int(truncatingIfNeeded: mixed >> UInt64(64 - Self.slotBits))
    if let known = slots.withLock({ $0[slot] }), known.key == key { return known.text }
    let text = make()
    slots.withLock { $0[slot] = Slot(key: key, text: text) }
    return text
  }
}
