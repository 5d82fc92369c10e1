import Analysis

/// The explanations the annotated text has printed, so that a trace of two thousand threads teaches each thing
/// once: the same "shares address space, …" under every clone, or "reserves 8 MiB + 4 KiB for a stack …" under
/// every stack mapping, is half of such a trace's text and tells a reader nothing new after the first time.
/// Only an explanation word for word the same as one printed before is withheld: one that names a tid, an
/// address or a size of its own is new. Warnings are always printed.
///
/// Memory is bounded however long the trace. A text seen once waits in a table of `slots` slots, each holding
/// the hash of the last text that fell there, so the texts of one event only (a tid, an address) are soon
/// overwritten; a text seen again moves to the repeated set, from which it is never dropped (up to
/// `repeatedLimit` texts: a trace has a few dozen). The hash is our own, not Swift's per-process seeded
/// `Hasher`: the same trace gives the same text on every run, live or replayed by `explain`. It is asked about
/// every explanation of every event, most of them repeats, so a text is hashed once, eight bytes at a time; the
/// repeated set compares that hash before it compares text.
public struct ExplanationMemory {
  /// The texts seen once, by their hashes alone: among 25,000 distinct texts the chance that two share a 64-bit
  /// hash is about 2 × 10^-11, and the cost would be one explanation withheld. Slots of strings were 16,384
  /// strings made and freed at every start (0.5 ms of a short trace), and a string compare at every repeat.
  private var slotHashes: [UInt64]
  /// The repeated set: open addressing over `repeatedHashes` (0: empty; `hash` never returns 0), texts compared.
  /// It starts small and doubles: a trace has a few dozen repeated texts.
  private var repeatedHashes: [UInt64] = [UInt64](repeating: 0, count: 64)
  private var repeatedTexts: [String] = [String](repeating: "", count: 64)
  private var repeatedCount = 0
  private let repeatedLimit: Int
  /// How many explanations were withheld as repeats.
  public private(set) var withheld = 0

  public init(slots: Int = 1 << 14, repeatedLimit: Int = 4096) {
    slotHashes = [UInt64](repeating: 0, count: max(1, slots))
    self.repeatedLimit = max(0, repeatedLimit)
  }

  /// Whether `annotation` is to be printed; remembers it as printed when it is.
  public mutating func shouldPrint(_ annotation: Annotation) -> Bool {
    if annotation.tone == .warning { return true }
    let text = annotation.text
    let hash = Self.hash(text)
    var entry = repeatedEntry(hash, text)
    if repeatedHashes[entry] != 0 {
      withheld += 1
      return false
    }
    let slot = Int(hash % UInt64(slotHashes.count))
    guard slotHashes[slot] == hash else {
      slotHashes[slot] = hash
      return true
    }
    if repeatedCount < repeatedLimit {
      // At most half full, so that a probe ends soon at an empty entry.
      if 2 * (repeatedCount + 1) > repeatedHashes.count {
        growRepeated()
        entry = repeatedEntry(hash, text)
      }
      // `entry` is the empty entry where the probe for this text ended.
      repeatedHashes[entry] = hash
      repeatedTexts[entry] = text
      repeatedCount += 1
      slotHashes[slot] = 0
    }
    withheld += 1
    return false
  }

  private mutating func growRepeated() {
    let hashes = repeatedHashes
    let texts = repeatedTexts
    repeatedHashes = [UInt64](repeating: 0, count: 2 * hashes.count)
    repeatedTexts = [String](repeating: "", count: 2 * hashes.count)
    for (index, hash) in hashes.enumerated() where hash != 0 {
      let entry = repeatedEntry(hash, texts[index])
      repeatedHashes[entry] = hash
      repeatedTexts[entry] = texts[index]
    }
  }

  /// The entry of the repeated set holding `text`, or the empty entry where it would go.
  private func repeatedEntry(_ hash: UInt64, _ text: String) -> Int {
    let mask = repeatedHashes.count - 1
    var entry = Int(truncatingIfNeeded: hash) & mask
    while repeatedHashes[entry] != 0 {
      if repeatedHashes[entry] == hash && repeatedTexts[entry] == text { return entry }
      entry = (entry + 1) & mask
    }
    return entry
  }

  /// A 64-bit hash of the UTF-8 bytes, never 0: a multiply-and-fold over 8-byte words.
  static func hash(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { bytes in
      var hash: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(bytes.count)
      guard let base = bytes.baseAddress else { return hash | 1 }
      let raw = UnsafeRawPointer(base)
      var offset = 0
      while offset + 8 <= bytes.count {
        hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 32
        offset += 8
      }
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while offset < bytes.count {
        tail |= UInt64(bytes[offset]) << shift
        shift += 8
        offset += 1
      }
      hash = (hash ^ tail) &* 0xc4ce_b9fe_1a85_ec53
      hash ^= hash >> 29
      return hash | 1
    }
  }
}
