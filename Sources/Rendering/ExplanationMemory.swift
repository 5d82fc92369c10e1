import Analysis

/// The explanations the annotated text has printed, so that a trace of two thousand threads teaches each thing
/// once: the same "shares address space, …" under every clone, or "reserves 8 MiB + 4 KiB for a stack …" under
/// every stack mapping, is half of such a trace's text and tells a reader nothing new after the first time.
/// Only an explanation word for word the same as one printed before is withheld: one that names a tid, an
/// address or a size of its own is new. Warnings are always printed.
///
/// Memory is a fixed table of slots, each holding the last text whose hash fell there: however long the trace,
/// it keeps at most `slots` texts. A text that repeats stays; one seen once (a tid, an address) is soon
/// overwritten. The hash is FNV-1a, not Swift's per-process seeded `Hasher`: the same trace gives the same text
/// on every run, live or replayed by `explain`.
public struct ExplanationMemory {
  private var slots: [String?]
  /// How many explanations were withheld as repeats.
  public private(set) var withheld = 0

  public init(slots: Int = 1024) {
    self.slots = [String?](repeating: nil, count: max(1, slots))
  }

  /// Whether `annotation` is to be printed; remembers it as printed when it is.
  public mutating func shouldPrint(_ annotation: Annotation) -> Bool {
    if annotation.tone == .warning { return true }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in annotation.text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let slot = Int(hash % UInt64(slots.count))
    if slots[slot] == annotation.text {
      withheld += 1
      return false
    }
    slots[slot] = annotation.text
    return true
  }
}
