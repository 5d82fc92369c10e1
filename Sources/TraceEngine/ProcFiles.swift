import Glibc

/// Small reads of /proc files about tracees.
enum ProcFiles {
  /// The whole file (they are small), or nil.
  static func read(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4096) }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { break }
      bytes += chunk[0..<got]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The first number of each `NAME:` line of a /proc status file, in the order of `names` (nil when absent).
  static func statusNumbers(_ names: [StaticString], path: String) -> [Int?] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [Int?](repeating: nil, count: names.count) }
    defer { close(fd) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8192) { buffer in
      var length = 0
      while length < buffer.count {
        let want = buffer.count - length
        let got = Glibc.read(fd, buffer.baseAddress! + length, want)
        if got < 0 && errno == EINTR { continue }
        guard got > 0 else { break }
        length += got
        // A proc file gives all it has to a read with room for it: a short read that ends a line and holds
        // every name wanted saves the read that would return 0 (one per task's end). Otherwise read on.
        if got < want, buffer[length - 1] == UInt8(ascii: "\n") {
          let found = numbers(names, in: UnsafeBufferPointer(rebasing: buffer[..<length]))
          if !found.contains(nil) { return found }
        }
      }
      return numbers(names, in: UnsafeBufferPointer(rebasing: buffer[..<length]))
    }
  }

  /// The first number of each `NAME:` line of `bytes`, in the order of `names`.
  private static func numbers(_ names: [StaticString], in bytes: UnsafeBufferPointer<UInt8>) -> [Int?] {
    var found = [Int?](repeating: nil, count: names.count)
    let length = bytes.count
    var lineStart = 0
    while lineStart < length {
      // memchr, not a loop over the bytes: a status file is some 1,400 bytes, read at every task's end.
      let lineEnd =
        memchr(bytes.baseAddress! + lineStart, Int32(UInt8(ascii: "\n")), length - lineStart).map {
          UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - bytes.baseAddress!
        } ?? length
      for (index, name) in names.enumerated() where found[index] == nil {
        let key = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard lineEnd - lineStart > key.count, bytes[lineStart + key.count] == UInt8(ascii: ":"),
          zip(key, bytes[lineStart...]).allSatisfy({ $0 == $1 })
        else { continue }
        var position = lineStart + key.count + 1
        while position < lineEnd && (bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")) {
          position += 1
        }
        var value = 0
        var digits = 0
        while position < lineEnd, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
          value = value &* 10 &+ Int(bytes[position] - UInt8(ascii: "0"))
          position += 1
          digits += 1
        }
        if digits > 0 { found[index] = value }
      }
      lineStart = lineEnd + 1
    }
    return found
  }

  /// A numeric field of /proc/TID/status (`Tgid`, `TracerPid`, `Uid`: the first of its numbers).
  static func statusField(_ name: StaticString, of tid: Int32, tgid: Int32? = nil) -> Int64? {
    let path = tgid.map { "/proc/\($0)/task/\(tid)/status" } ?? "/proc/\(tid)/status"
    return statusNumbers([name], path: path)[0].map(Int64.init)
  }
}
