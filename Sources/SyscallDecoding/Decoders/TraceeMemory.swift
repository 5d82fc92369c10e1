import TraceModel

/// The memory of a stopped tracee, as the decoders read it: the live engine's reader (`process_vm_readv`), or a
/// fake in tests. Reads never fail loudly: unreadable memory is `nil`, and the decoder shows the address instead,
/// the way strace does.
public protocol TraceeMemory {
  /// Up to `count` bytes at `address`: fewer when the range runs into an unmapped page, nil when nothing there
  /// can be read.
  func read(_ address: UInt64, count: Int) -> [UInt8]?
}

extension TraceeMemory {
  /// A NUL-terminated string of at most `limit` bytes; `truncated` when no NUL came within the limit. Reads page
  /// by page, so a string ending just before an unmapped page is still read (strace's `umovestr`).
  public func string(at address: UInt64, limit: Int) -> StringValue? {
    guard address != 0 else { return nil }
    var bytes: [UInt8] = []
    var next = address
    while bytes.count < limit {
      let toPageEnd = Int(4096 - (next & 4095))
      let want = min(toPageEnd, limit - bytes.count)
      guard let chunk = read(next, count: want), !chunk.isEmpty else { break }
      if let nul = chunk.firstIndex(of: 0) {
        bytes += chunk[..<nul]
        return StringValue(bytes: bytes)
      }
      bytes += chunk
      if chunk.count < want { break }
      next &+= UInt64(chunk.count)
    }
    if bytes.isEmpty && next == address { return nil }
    return StringValue(bytes: bytes, truncated: true)
  }

  /// `count` bytes exactly, or nil.
  public func bytes(at address: UInt64, count: Int) -> [UInt8]? {
    guard address != 0, let bytes = read(address, count: count), bytes.count == count else { return nil }
    return bytes
  }

  /// Little-endian 64-bit words (x86_64 pointers, `size_t`, the `__aligned_u64` fields of kernel structs).
  public func words(at address: UInt64, count: Int) -> [UInt64]? {
    guard let bytes = bytes(at: address, count: count * 8) else { return nil }
    return bytes.withUnsafeBytes { raw in
      (0..<count).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }
  }
}
