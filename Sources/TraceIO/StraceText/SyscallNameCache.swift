import TraceModel

/// What the reader needs to know about a syscall name, worked out once per (name, personality).
struct SyscallNameInfo {
  let name: String
  let number: Int32?
  /// The ABI the number belongs to: the task's personality, or i386 for names only i386 has (`getgid32`),
  /// since `-o FILE CMD` hides strace's personality switch lines (its implied `-q`).
  let architecture: Architecture
  let parseArguments: Bool
}

/// Maps the bytes of a syscall name to its `SyscallNameInfo` without building a `String` or hashing with SipHash
/// per line: names are short (≤ 24 bytes for every Linux syscall), so the key is the name packed into words.
final class SyscallNameCache {
  private struct Key: Equatable {
    var word0: UInt64 = 0
    var word1: UInt64 = 0
    var word2: UInt64 = 0
    var meta: UInt64 = 0  // length | architecture << 8; 0 marks an empty slot
  }

  private static let bits = 11
  // Single-threaded and never re-entered: no dynamic exclusivity checks.
  @exclusivity(unchecked) private var keys = [Key](repeating: Key(), count: 1 << bits)
  @exclusivity(unchecked) private var values = [SyscallNameInfo?](repeating: nil, count: 1 << bits)
  @exclusivity(unchecked) private var filled = 0
  private let parseArguments: @Sendable (Substring) -> Bool

  init(parseArguments: @escaping @Sendable (Substring) -> Bool) {
    self.parseArguments = parseArguments
  }

  func lookup(_ bytes: Bytes, from start: Int, to end: Int, architecture: Architecture) -> SyscallNameInfo {
    let length = end - start
    guard length <= 24 else { return compute(bytes.string(start, end), architecture: architecture) }
    var key = Key()
    key.meta = UInt64(length) | (architecture == .i386 ? 0x200 : 0x100)
    var shift: UInt64 = 0
    for index in start..<end {
      let byte = UInt64(bytes[index])
      let offset = index - start
      if offset < 8 { key.word0 |= byte << shift } else if offset < 16 { key.word1 |= byte << shift } else {
        key.word2 |= byte << shift
      }
      shift = (shift + 8) & 63
    }
    let mask = (1 << Self.bits) - 1
    var hash = key.word0 ^ (key.word1 &* 0x9E37_79B9_7F4A_7C15) ^ (key.word2 &* 0xC2B2_AE3D_27D4_EB4F) ^ key.meta
    hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
    var slot = Int(truncatingIfNeeded: hash >> 40) & mask
    while true {
      let existing = keys[slot]
      if existing.meta == 0 { break }
      if existing == key, let value = values[slot] { return value }
      slot = (slot + 1) & mask
    }
    let info = compute(bytes.string(start, end), architecture: architecture)
    if filled < (1 << Self.bits) * 3 / 4 {
      keys[slot] = key
      values[slot] = info
      filled += 1
    }
    return info
  }

  private func compute(_ name: String, architecture: Architecture) -> SyscallNameInfo {
    let parse = parseArguments(Substring(name))
    // strace prints a syscall it has no name for as `syscall_0x1f4`, the number in the task's personality.
    if name.hasPrefix("syscall_0x"), let number = Int32(name.dropFirst(10), radix: 16) {
      return SyscallNameInfo(name: name, number: number, architecture: architecture, parseArguments: parse)
    }
    if let number = StraceSymbols.syscallNumber(of: name, in: architecture) {
      return SyscallNameInfo(name: name, number: number, architecture: architecture, parseArguments: parse)
    }
    if architecture == .x86_64, let number = StraceSymbols.syscallNumber(of: name, in: .i386) {
      return SyscallNameInfo(name: name, number: number, architecture: .i386, parseArguments: parse)
    }
    return SyscallNameInfo(name: name, number: nil, architecture: architecture, parseArguments: parse)
  }
}
