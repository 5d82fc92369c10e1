import SyscallDecoding

/// Tracee memory for decoder tests: byte regions at addresses; anything else is unmapped.
struct FakeMemory: TraceeMemory {
  var regions: [(address: UInt64, bytes: [UInt8])] = []

  mutating func put(_ address: UInt64, _ bytes: [UInt8]) { regions.append((address, bytes)) }
  mutating func put(_ address: UInt64, words: [UInt64]) {
    put(address, words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } })
  }
  mutating func put(_ address: UInt64, string: String) { put(address, Array(string.utf8) + [0]) }

  func read(_ address: UInt64, count: Int) -> [UInt8]? {
    for region in regions where address >= region.address && address < region.address + UInt64(region.bytes.count) {
      let start = Int(address - region.address)
      return Array(region.bytes[start..<min(region.bytes.count, start + count)])
    }
    return nil
  }
}
