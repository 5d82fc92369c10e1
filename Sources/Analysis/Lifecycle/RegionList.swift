/// The regions of one address space in address order, held in chunks of at most `chunkCapacity` regions.
///
/// One sorted array made every `mmap` and split move all the regions above the new one: a process of 10,000
/// threads has 20,000 regions (each stack and its guard), the kernel hands out stacks top-down so each new one
/// lands near the front, and a log of such a program spent more than half its time in `memmove`. In chunks, an
/// insertion moves at most one chunk's regions and one index per chunk after it.
///
/// Regions are addressed by their position in the whole list, as in an array.
struct RegionList {
  typealias Region = AddressSpace.Region

  /// 128 regions of about 60 bytes: a chunk is a few pages, so the move within it stays short, and 20,000
  /// regions are about 200 chunks to search and renumber.
  static let chunkCapacity = 128

  /// Never an empty chunk.
  private var chunks: [[Region]] = []
  /// The position in the whole list of each chunk's first region.
  private var chunkStarts: [Int] = []
  private(set) var count = 0

  init() {}

  /// The chunk holding position `index` (`0..<count`) and the offset within it.
  @inline(__always)
  private func locate(_ index: Int) -> (chunk: Int, offset: Int) {
    if chunks.count == 1 { return (0, index) }
    // The last chunk starting at or before `index`.
    var low = 0
    var high = chunkStarts.count
    while low < high {
      let mid = (low + high) / 2
      if chunkStarts[mid] <= index { low = mid + 1 } else { high = mid }
    }
    return (low - 1, index - chunkStarts[low - 1])
  }

  // (An index out of range traps in the chunks' own subscripts: `locate` maps it to chunk -1 or past the end
  // of the last chunk.)
  subscript(index: Int) -> Region {
    @inline(__always) get {
      let (chunk, offset) = locate(index)
      return chunks[chunk][offset]
    }
    @inline(__always) set {
      let (chunk, offset) = locate(index)
      chunks[chunk][offset] = newValue
    }
  }

  /// The position of the first region for which `isAtOrAfter` holds, `count` if none does. `isAtOrAfter` must be
  /// false for a prefix of the list and true for the rest (a comparison with an address).
  @inline(__always)
  func partitionIndex(_ isAtOrAfter: (Region) -> Bool) -> Int {
    // The first chunk whose last region holds it holds the answer.
    var low = 0
    var high = chunks.count
    while low < high {
      let mid = (low + high) / 2
      if isAtOrAfter(chunks[mid][chunks[mid].count - 1]) { high = mid } else { low = mid + 1 }
    }
    guard low < chunks.count else { return count }
    let offset = chunks[low].withUnsafeBufferPointer { regions in
      var first = 0
      var last = regions.count
      while first < last {
        let mid = (first + last) / 2
        if isAtOrAfter(regions[mid]) { last = mid } else { first = mid + 1 }
      }
      return first
    }
    return chunkStarts[low] + offset
  }

  mutating func insert(_ region: Region, at index: Int) {
    precondition(index >= 0 && index <= count, "region index out of range")
    guard !chunks.isEmpty else {
      chunks = [[region]]
      chunkStarts = [0]
      count = 1
      return
    }
    let (chunk, offset) = index == count ? (chunks.count - 1, chunks[chunks.count - 1].count) : locate(index)
    chunks[chunk].insert(region, at: offset)
    count += 1
    for later in (chunk + 1)..<chunks.count { chunkStarts[later] += 1 }
    if chunks[chunk].count > Self.chunkCapacity {
      let half = chunks[chunk].count / 2
      let upper = Array(chunks[chunk][half...])
      chunks[chunk].removeSubrange(half...)
      chunks.insert(upper, at: chunk + 1)
      chunkStarts.insert(chunkStarts[chunk] + half, at: chunk + 1)
    }
  }

  mutating func removeSubrange(_ range: Range<Int>) {
    guard !range.isEmpty else { return }
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "region range out of range")
    var (chunk, offset) = locate(range.lowerBound)
    let firstTouched = chunk
    var remaining = range.count
    while remaining > 0 {
      let taken = min(remaining, chunks[chunk].count - offset)
      chunks[chunk].removeSubrange(offset..<(offset + taken))
      remaining -= taken
      if chunks[chunk].isEmpty { chunks.remove(at: chunk) } else { chunk += 1 }
      offset = 0
    }
    count -= range.count
    // A chunk left small joins its neighbour, so that removals cannot leave a long list of tiny chunks.
    if firstTouched > 0, firstTouched < chunks.count,
      chunks[firstTouched - 1].count + chunks[firstTouched].count <= Self.chunkCapacity
    {
      let joined = chunks.remove(at: firstTouched)
      chunks[firstTouched - 1].append(contentsOf: joined)
    }
    renumber(from: max(firstTouched - 1, 0))
  }

  /// Recomputes `chunkStarts` from `chunk` on, after chunks there changed.
  private mutating func renumber(from chunk: Int) {
    if chunkStarts.count > chunks.count { chunkStarts.removeLast(chunkStarts.count - chunks.count) }
    while chunkStarts.count < chunks.count { chunkStarts.append(0) }
    guard chunk < chunks.count else { return }
    var start = chunk == 0 ? 0 : chunkStarts[chunk - 1] + chunks[chunk - 1].count
    for index in chunk..<chunks.count {
      chunkStarts[index] = start
      start += chunks[index].count
    }
  }

  /// The regions at `range`, copied out.
  func regions(in range: Range<Int>) -> [Region] {
    range.map { self[$0] }
  }

  func contains(where predicate: (Region) -> Bool) -> Bool {
    chunks.contains { $0.contains(where: predicate) }
  }

  /// Every region, in order.
  var all: [Region] { Array(chunks.joined()) }

  mutating func removeAll(where predicate: (Region) -> Bool) {
    for index in chunks.indices { chunks[index].removeAll(where: predicate) }
    count = chunks.reduce(0) { $0 + $1.count }
    chunks.removeAll { $0.isEmpty }
    renumber(from: 0)
  }
}
