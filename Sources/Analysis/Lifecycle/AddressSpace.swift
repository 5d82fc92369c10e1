import SyscallDecoding
import TraceModel

/// The anonymous mappings of one address space (one `mm`: shared by threads and by `CLONE_VM` children), as far
/// as the trace shows them. Only anonymous mappings are kept: thread stacks and alternate signal stacks are
/// anonymous, and file mappings would grow memory with every library a program loads.
final class AddressSpace {
  // The fields are read and written only by the fold, one call at a time, and no closure that runs during a
  // mutation of a field reaches the same field (`removeAll`'s predicate reads only the region it is given): no
  // access can overlap, so the dynamic exclusivity checks (a runtime call per access, every mmap, mprotect and
  // clone) are skipped.
  /// Non-overlapping regions sorted by start. A region is part of one `mmap` (`mappingID`); `mprotect` and
  /// partial `munmap` split regions, never mappings.
  @exclusivity(unchecked) private(set) var regions = RegionList()
  @exclusivity(unchecked) private var nextMappingID = 1
  /// The word the kernel clears and wakes when a task exits (`CLONE_CHILD_CLEARTID`, `set_tid_address`),
  /// mapped to that task's record id: a futex wait on it is a join.
  @exclusivity(unchecked) var childTIDWords: [UInt64: Int] = [:]
  /// Mapping id → the record id and tid of the last task that used the mapping as its stack (glibc reuses
  /// cached stacks). The tid is kept here because that task's record may be handed over long before.
  /// Entries of unmapped mappings are only read through a region of the mapping, so they are never read once
  /// it is gone; they are dropped in sweeps (`pruneStackUsers`), not looked for at every unmap.
  @exclusivity(unchecked) var stackUsers: [Int: (id: Int, tid: Int32)] = [:]
  /// `stackUsers`' size at which an unmap sweeps it next.
  @exclusivity(unchecked) private var stackUsersSweepAt = 64
  /// Live tasks using this address space (the kernel's `mm_users`).
  @exclusivity(unchecked) var users = 0
  /// When (the fold's event serial) and by which task (record id) a mapping was made, for `unmap`'s `sparing`.
  struct MappingOrigin: Hashable {
    var serial: Int
    var task: Int
  }

  struct Region: Hashable {
    var start: UInt64
    var end: UInt64
    var protection: MemoryProtection
    var mappingID: Int
    /// `MAP_STACK` was given.
    var stackHint: Bool
    /// Every region of one mapping has its mapping's.
    var origin: MappingOrigin?
  }

  /// The extent of one mapping and how its protection is laid out, low to high.
  struct MappingLayout: Hashable {
    var mappingID: Int
    var base: UInt64
    var end: UInt64
    /// `PROT_NONE` bytes at the low end, below the first accessible region.
    var lowGuard: UInt64
    /// Accessible bytes from the first accessible region to the end.
    var accessible: UInt64
    var stackHint: Bool
  }

  init() {}

  /// A copy for a child made without `CLONE_VM` (fork copies the address space).
  func copy() -> AddressSpace {
    let copy = AddressSpace()
    copy.regions = regions
    copy.nextMappingID = nextMappingID
    copy.childTIDWords = childTIDWords
    copy.stackUsers = stackUsers
    copy.stackUsersSweepAt = stackUsersSweepAt
    return copy
  }

  @discardableResult
  func map(
    start: UInt64, length: UInt64, protection: MemoryProtection, stackHint: Bool, fixed: Bool = false,
    origin: MappingOrigin? = nil
  ) -> Int {
    let end = start &+ pageAlign(length)
    guard end > start else { return 0 }
    // A MAP_FIXED mapping inside one existing mapping replaces its pages in place (how HotSpot lays out the
    // guard zones of a thread stack): keep it part of that mapping, so the stack stays one extent.
    if fixed, let layout = layout(containing: start), end <= layout.end {
      protect(start: start, length: end - start, protection: protection)
      return layout.mappingID
    }
    remove(start, end)  // MAP_FIXED replaces whatever was there
    let id = nextMappingID
    nextMappingID += 1
    let index = insertionIndex(start)
    regions.insert(
      Region(start: start, end: end, protection: protection, mappingID: id, stackHint: stackHint, origin: origin),
      at: index)
    return id
  }

  func protect(start: UInt64, length: UInt64, protection: MemoryProtection) {
    let end = start &+ pageAlign(length)
    guard end > start else { return }
    if growsLowerNeighbour(start: start, end: end, protection: protection) { return }
    split(at: start)
    split(at: end)
    let first = insertionIndex(start)
    var index = first
    while index < regions.count && regions[index].start < end {
      regions[index].protection = protection
      index += 1
    }
    coalesce(from: first - 1, through: index)
  }

  /// The commit pattern of malloc arenas and the JVM: `[start, end)` is the low part of a region and the region
  /// below, of the same mapping, already has `protection`. Moving the boundary between the two is what splitting,
  /// setting and coalescing would leave, without inserting a region and removing it again (each a move of every
  /// region above: most of an `mprotect`'s cost on a Java log). False, and nothing changed, otherwise.
  private func growsLowerNeighbour(start: UInt64, end: UInt64, protection: MemoryProtection) -> Bool {
    guard let index = regionIndex(containing: start), index > 0 else { return false }
    let region = regions[index]
    let below = regions[index - 1]
    guard region.start == start, end < region.end, region.protection != protection, below.end == start,
      below.mappingID == region.mappingID, below.protection == protection, below.stackHint == region.stackHint
    else { return false }
    regions[index - 1].end = end
    regions[index].start = end
    return true
  }

  /// Joins neighbours in `regions[low...high]` (clamped) that are one piece of one mapping with one protection.
  /// Nothing reads region boundaries within such a piece (layouts, lookups and unmaps see extents), and without
  /// this every `mprotect` that grows a region by a page leaves one more region behind: glibc's malloc arenas
  /// and the JVM commit memory that way, and searches and inserts over thousands of regions per mapping were a
  /// tenth of the JSON summary's time on a Java log.
  private func coalesce(from low: Int, through high: Int) {
    var low = max(low, 0)
    let high = min(high, regions.count - 1)
    guard low < high else { return }
    var kept = low
    var index = low + 1
    while index <= high {
      let next = regions[index]
      let previous = regions[kept]
      if next.mappingID == previous.mappingID, next.start == previous.end, next.protection == previous.protection,
        next.stackHint == previous.stackHint
      {
        regions[kept].end = next.end
      } else {
        kept += 1
        if kept != index { regions[kept] = next }
      }
      index += 1
    }
    low = kept + 1
    if low <= high { regions.removeSubrange(low..<(high + 1)) }
  }

  /// Removes `[start, start + length)`, except mappings `sparing` says came after the unmap took effect.
  ///
  /// A log prints a call when it returns. When one thread's `munmap` is in flight while another's `mmap` gets the
  /// freed range back, strace shows the `mmap` first and the `munmap`'s return after it; applied in that order,
  /// the unmap would remove the new mapping. A mapping another task made after the unmapping task's previous
  /// event (`sparing.since`) can only overlap the range because the unmap had already freed it, so it stays.
  func unmap(start: UInt64, length: UInt64, sparing: (since: Int, task: Int)? = nil) {
    let end = start &+ pageAlign(length)
    guard end > start else { return }
    // The overlapping regions are one run of the sorted array: found by a search, not by filtering every region
    // into arrays and sets (measured: ~4.9 k instructions per munmap, most of it that churn, on 2,000 pthreads).
    let first = firstIndex(endingAfter: start)
    var last = first
    while last < regions.count && regions[last].start < end { last += 1 }
    guard first < last else { return }
    if let sparing, (first..<last).contains(where: { Self.isSpared(regions[$0], by: sparing) }) {
      unmapSparing(start: start, end: end, overlapping: regions.regions(in: first..<last), sparing: sparing)
    } else {
      remove(start, end)
    }
    if stackUsers.count >= stackUsersSweepAt { pruneStackUsers() }
  }

  /// Drops the stack users of mappings no region is left of. A sweep when the table has doubled since the
  /// last, instead of a search of every region for each unmapped mapping with a user: with thousands of thread
  /// stacks mapped, that search at every unmap made a program's exit quadratic.
  private func pruneStackUsers() {
    var mapped = Set<Int>(minimumCapacity: stackUsers.count)
    for index in 0..<regions.count where stackUsers[regions[index].mappingID] != nil {
      mapped.insert(regions[index].mappingID)
    }
    stackUsers = stackUsers.filter { mapped.contains($0.key) }
    stackUsersSweepAt = max(64, 2 * stackUsers.count)
  }

  /// A region some other task mapped after the unmapping task's previous event (see `unmap`).
  private static func isSpared(_ region: Region, by sparing: (since: Int, task: Int)) -> Bool {
    region.origin.map { $0.serial > sparing.since && $0.task != sparing.task } ?? false
  }

  /// `unmap` when some overlapping mapping is spared: those mappings are kept whole.
  private func unmapSparing(start: UInt64, end: UInt64, overlapping: [Region], sparing: (since: Int, task: Int)) {
    let spared = Set(overlapping.filter { Self.isSpared($0, by: sparing) }.map(\.mappingID))
    let kept = regions.all.filter { spared.contains($0.mappingID) }
    regions.removeAll { spared.contains($0.mappingID) }
    remove(start, end)
    for region in kept { regions.insert(region, at: insertionIndex(region.start)) }
  }

  /// The layout of the mapping containing `address`.
  func layout(containing address: UInt64) -> MappingLayout? {
    guard let index = regionIndex(containing: address) else { return nil }
    return layout(ofMapping: regions[index].mappingID, around: index)
  }

  /// The layout of a mapping that ends exactly at `address` (clone's stack pointer is the top of the stack).
  func layout(endingAt address: UInt64) -> MappingLayout? {
    guard address > 0, let index = regionIndex(containing: address - 1) else { return nil }
    let layout = layout(ofMapping: regions[index].mappingID, around: index)
    return layout.end == address ? layout : nil
  }

  private func layout(ofMapping id: Int, around index: Int) -> MappingLayout {
    var first = index
    while first > 0 && regions[first - 1].mappingID == id && regions[first - 1].end == regions[first].start {
      first -= 1
    }
    var last = index
    while last + 1 < regions.count && regions[last + 1].mappingID == id
      && regions[last + 1].start == regions[last].end
    {
      last += 1
    }
    var lowGuard: UInt64 = 0
    var cursor = first
    while cursor <= last && regions[cursor].protection == .none {
      lowGuard += regions[cursor].end - regions[cursor].start
      cursor += 1
    }
    let base = regions[first].start
    let end = regions[last].end
    return MappingLayout(
      mappingID: id, base: base, end: end, lowGuard: lowGuard, accessible: end - base - lowGuard,
      stackHint: regions[first].stackHint)
  }

  // An mprotect makes about five searches (measured: a twentieth of the JSON summary's time on a Java log,
  // where a third of the lines are memory calls): `RegionList.partitionIndex` runs them over its chunks'
  // buffers, not through the list's subscript.
  func regionIndex(containing address: UInt64) -> Int? {
    let index = firstIndex(endingAfter: address)
    guard index < regions.count, regions[index].start <= address else { return nil }
    return index
  }

  private func insertionIndex(_ start: UInt64) -> Int {
    regions.partitionIndex { $0.start >= start }
  }

  private func split(at address: UInt64) {
    guard let index = regionIndex(containing: address), regions[index].start < address else { return }
    var upper = regions[index]
    upper.start = address
    regions[index].end = address
    regions.insert(upper, at: index + 1)
  }

  /// The index of the first region ending after `address` (`regions.count` if none does).
  private func firstIndex(endingAfter address: UInt64) -> Int {
    regions.partitionIndex { $0.end > address }
  }

  private func remove(_ start: UInt64, _ end: UInt64) {
    split(at: start)
    split(at: end)
    // After the splits the regions inside the range are one run: removed as a subrange, not by a predicate
    // over every region.
    let low = insertionIndex(start)
    var high = low
    while high < regions.count && regions[high].end <= end { high += 1 }
    if low < high { regions.removeSubrange(low..<high) }
  }

  private func pageAlign(_ length: UInt64) -> UInt64 {
    let page: UInt64 = 4096
    return length > UInt64.max - page ? length : (length + page - 1) & ~(page - 1)
  }
}
