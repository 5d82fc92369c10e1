/// The file-backed mappings of a process, from /proc/PID/maps.
struct ProcessMaps {
  struct Mapping {
    var start: UInt64
    var end: UInt64
    /// The file offset mapped at `start`.
    var offset: UInt64
    /// `device:inode`: with the path, which file this is (a path can be replaced while mapped).
    var identity: String
    var path: String
  }

  /// Sorted by start.
  private(set) var mappings: [Mapping]

  init(mappings: [Mapping]) {
    self.mappings = mappings.sorted { $0.start < $1.start }
  }

  /// /proc/PID/maps of `pid`; nil when the process is gone.
  static func read(pid: Int32) -> ProcessMaps? {
    guard let text = ProcFiles.read("/proc/\(pid)/maps") else { return nil }
    return ProcessMaps(text: text)
  }

  /// Parses maps lines (`start-end perms offset dev inode   path`): mappings of files (a path starting with `/`)
  /// and the vDSO; anonymous memory, stacks and heaps hold no code we can name.
  init(text: String) {
    var mappings: [Mapping] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
      guard fields.count == 6 else { continue }
      let path = fields[5].drop { $0 == " " }
      guard path.hasPrefix("/") || path == "[vdso]" else { continue }
      let range = fields[0].split(separator: "-")
      guard range.count == 2, let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16),
        let offset = UInt64(fields[2], radix: 16)
      else { continue }
      mappings.append(
        Mapping(start: start, end: end, offset: offset, identity: "\(fields[3]):\(fields[4])", path: String(path)))
    }
    self.init(mappings: mappings)
  }

  /// The mapping holding `address`.
  func mapping(containing address: UInt64) -> Mapping? {
    var low = 0
    var high = mappings.count
    while low < high {
      let middle = (low + high) / 2
      if mappings[middle].start <= address { low = middle + 1 } else { high = middle }
    }
    guard low > 0, address < mappings[low - 1].end else { return nil }
    return mappings[low - 1]
  }
}
