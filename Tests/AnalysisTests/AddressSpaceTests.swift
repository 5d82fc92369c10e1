@testable import Analysis
import SyscallDecoding
import Testing

/// `AddressSpace` joins neighbouring regions of one mapping with one protection: layouts and lookups must see
/// the same extents as without the joining, and memory committed a page at a time must stay a few regions.
@Suite("Lifecycle: address space regions")
struct AddressSpaceTests {
  let page: UInt64 = 4096

  @Test func pageByPageCommitKeepsTwoRegionsAndTheLayout() throws {
    let space = AddressSpace()
    let base: UInt64 = 0x7f00_0000_0000
    space.map(start: base, length: 1024 * page, protection: .none, stackHint: false)
    // glibc's arena growth: each mprotect opens the next page read-write.
    for index in 0..<512 {
      space.protect(start: base + UInt64(index) * page, length: page, protection: [.read, .write])
    }
    #expect(space.regions.count == 2)
    let layout = try #require(space.layout(containing: base + 700 * page))
    #expect(layout.base == base && layout.end == base + 1024 * page)
    #expect(layout.lowGuard == 0 && layout.accessible == 1024 * page)
    #expect(space.regionIndex(containing: base + 511 * page) == 0)
    #expect(space.regionIndex(containing: base + 512 * page) == 1)
  }

  @Test func aStackKeepsItsGuardAcrossSplitsAndRejoins() throws {
    let space = AddressSpace()
    let base: UInt64 = 0x7f10_0000_0000
    space.map(start: base, length: 64 * page, protection: .none, stackHint: true)
    space.protect(start: base + page, length: 63 * page, protection: [.read, .write])
    // A runtime guard laid out and lifted again, then the same protection set twice.
    space.protect(start: base + page, length: 2 * page, protection: .none)
    space.protect(start: base + page, length: 2 * page, protection: [.read, .write])
    space.protect(start: base + 10 * page, length: page, protection: [.read, .write])
    #expect(space.regions.count == 2)
    let layout = try #require(space.layout(containing: base + 30 * page))
    #expect(layout.base == base && layout.lowGuard == page && layout.accessible == 63 * page && layout.stackHint)
    // A neighbouring mapping with the same protection stays apart: it is another mmap.
    let next = space.map(start: base + 64 * page, length: 8 * page, protection: [.read, .write], stackHint: true)
    #expect(space.layout(containing: base + 64 * page)?.mappingID == next)
    #expect(space.layout(containing: base + 63 * page)?.end == base + 64 * page)
    // A hole punched in the middle leaves two pieces of the mapping, not one.
    space.unmap(start: base + 20 * page, length: page)
    #expect(space.regionIndex(containing: base + 20 * page) == nil)
    #expect(space.layout(containing: base + 30 * page)?.base == base + 21 * page)
  }

  /// An unmap reported at its return spares a mapping another task made after the unmapping task's previous
  /// event (the range was already free when it was made), and removes everything else in its range.
  @Test func anUnmapReturningLateSparesLaterMappingsOfOtherTasks() throws {
    let space = AddressSpace()
    let base: UInt64 = 0x7f00_0000_0000
    space.map(
      start: base, length: 4 * page, protection: [.read, .write], stackHint: false, origin: .init(serial: 1, task: 10))
    let made = space.map(
      start: base + 8 * page, length: 4 * page, protection: [.read, .write], stackHint: true,
      origin: .init(serial: 5, task: 20))
    // Task 10's unmap, its previous event at serial 3: task 20's mapping (serial 5) stays, its own goes.
    space.unmap(start: base, length: 16 * page, sparing: (since: 3, task: 10))
    #expect(space.layout(containing: base) == nil)
    #expect(space.layout(containing: base + 8 * page)?.mappingID == made)
    #expect(space.layout(containing: base + 8 * page)?.end == base + 12 * page)
    // By a task whose previous event came after the mapping: removed.
    space.unmap(start: base, length: 16 * page, sparing: (since: 6, task: 10))
    #expect(space.layout(containing: base + 8 * page) == nil)
  }
}
