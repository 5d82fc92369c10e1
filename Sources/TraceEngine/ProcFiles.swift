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

  /// A numeric field of /proc/TID/status (`Tgid`, `TracerPid`, `voluntary_ctxt_switches`).
  static func statusField(_ name: String, of tid: Int32, tgid: Int32? = nil) -> Int64? {
    let path = tgid.map { "/proc/\($0)/task/\(tid)/status" } ?? "/proc/\(tid)/status"
    guard let text = read(path) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
      // Some fields hold several numbers (`Uid:` real, effective, saved, fs): the first one.
      return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap {
        Int64($0)
      }
    }
    return nil
  }
}
