import TraceIO

#if canImport(Glibc)
  import Glibc
#endif

/// Hands one fuzzer input to a reader the way a file would reach it: through a `LineSource` on a descriptor.
///
/// The input lives in an unlinked file in /dev/shm (no disk, no pipe capacity limit), reused for every input. The first byte picks the source's chunk size
/// (8 … 1,024 bytes) so that lines straddle buffer refills in every way; the line limit is 64 KiB so the
/// "overlong line is dropped" path is reachable with small inputs.
public enum FuzzInput {
  nonisolated(unsafe) private static var descriptor: Int32 = -1

  public static func withSource(_ data: UnsafeRawPointer, _ count: Int, _ body: (LineSource) -> Void) {
    if descriptor < 0 {
      // An unlinked file in /dev/shm (memory, like a memfd, which Glibc's module does not declare).
      var template = Array("/dev/shm/threadtrace-fuzz-XXXXXX".utf8CString)
      descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      precondition(descriptor >= 0, "mkstemp failed")
      template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }
    guard count > 0 else { return }
    let selector = Int(data.load(as: UInt8.self))
    let chunkSize = 8 << (selector & 0x7)
    let text = data + 1
    let length = count - 1
    precondition(ftruncate(descriptor, 0) == 0)
    var written = 0
    while written < length {
      let result = pwrite(descriptor, text + written, length - written, off_t(written))
      precondition(result > 0, "pwrite failed")
      written += result
    }
    precondition(lseek(descriptor, 0, SEEK_SET) == 0)
    // The source gets its own descriptor: it closes what it owns, and the file is reused for the next input.
    let own = dup(descriptor)
    precondition(own >= 0)
    let source = LineSource(
      fileDescriptor: own, name: "fuzz", ownsDescriptor: true, chunkSize: chunkSize, maximumLineLength: 64 << 10)
    body(source)
  }

  /// Reads every event and warning, as `explain` would, and throws nothing away unread.
  public static func drain(_ reader: any TraceReader) {
    var events = 0
    while true {
      let more: Bool
      do { more = try reader.next() != nil } catch { return }
      guard more else { break }
      events += 1
      if events & 0xff == 0 { _ = reader.drainWarnings() }
    }
    _ = reader.drainWarnings()
    _ = reader.progress
  }
}
