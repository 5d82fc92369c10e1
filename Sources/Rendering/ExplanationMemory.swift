import Analysis

/// The explanations the annotated text has printed, so that a trace of two thousand threads teaches each thing
/// once: the same "shares address space, …" under every clone, or "reserves 8 MiB + 4 KiB for a stack …" under
/// every stack mapping, is half of such a trace's text and tells a reader nothing new after the first time.
/// Only an explanation word for word the same as one printed before is withheld: one that names a tid, an
/// address or a size of its own is new. Warnings are always printed.
///
/// Memory is bounded however long the trace. A text seen once waits in a table of `slots` slots, each holding
/// the last text whose hash fell there, so the texts of one event only (a tid, an address) are soon overwritten;
/// a text seen again moves to the repeated set, from which it is never dropped (up to `repeatedLimit` texts: a
/// trace has a few dozen). The hash is FNV-1a, not Swift's per-process seeded `Hasher`: the same trace gives the
/// same text on every run, live or replayed by `explain`.
public struct ExplanationMemory {
  private var slots: [String?]
  private var repeated: Set<String> = []
  private let repeatedLimit: Int
  /// How many explanations were withheld as repeats.
  public private(set) var withheld = 0

  public init(slots: Int = 1 << 14, repeatedLimit: Int = 4096) {
    self.slots = [String?](repeating: nil, count: max(1, slots))
    self.repeatedLimit = repeatedLimit
  }

  /// Whether `annotation` is to be printed; remembers it as printed when it is.
  public mutating func shouldPrint(_ annotation: Annotation) -> Bool {
    if annotation.tone == .warning { return true }
    let text = annotation.text
    if repeated.contains(text) {
      withheld += 1
      return false
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let slot = Int(hash % UInt64(slots.count))
    guard slots[slot] == text else {
      slots[slot] = text
      return true
    }
    if repeated.count < repeatedLimit {
      repeated.insert(text)
      slots[slot] = nil
    }
    withheld += 1
    return false
  }
}
