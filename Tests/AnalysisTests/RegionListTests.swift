@testable import Analysis
import SyscallDecoding
import TestSupport
import Testing

/// `RegionList` must behave exactly like one sorted array across chunk splits, removals that span and empty
/// chunks, and joins: checked against an array under a long seeded run of random inserts, removals and writes.
@Suite("Lifecycle: region list")
struct RegionListTests {
  func region(_ start: UInt64, id: Int) -> AddressSpace.Region {
    .init(start: start, end: start + 1, protection: .none, mappingID: id, stackHint: false, origin: nil)
  }

  @Test func matchesASortedArrayUnderRandomEdits() {
    var generator = SeededGenerator(seed: 42)
    var list = RegionList()
    var model: [AddressSpace.Region] = []
    var nextID = 0
    for step in 0..<20_000 {
      let choice = Int.random(in: 0..<10, using: &generator)
      if choice < 6 || model.isEmpty {
        // Mostly near the front, as the kernel hands out stacks top-down.
        let index = choice < 3 ? Int.random(in: 0...min(model.count, 4), using: &generator)
          : Int.random(in: 0...model.count, using: &generator)
        nextID += 1
        let element = region(UInt64(nextID), id: nextID)
        list.insert(element, at: index)
        model.insert(element, at: index)
      } else if choice < 9 {
        let low = Int.random(in: 0..<model.count, using: &generator)
        let high = min(model.count, low + Int.random(in: 0...(choice == 8 ? 300 : 3), using: &generator))
        list.removeSubrange(low..<high)
        model.removeSubrange(low..<high)
      } else {
        let index = Int.random(in: 0..<model.count, using: &generator)
        list[index].protection = [.read]
        model[index].protection = [.read]
      }
      if step % 97 == 0 || step == 19_999 {
        #expect(list.count == model.count)
        #expect(list.all == model)
        guard list.all == model else { return }
        for probe in stride(from: 0, to: model.count, by: max(1, model.count / 50)) {
          #expect(list[probe] == model[probe])
        }
      }
    }
  }

  @Test func searchesFindTheFirstRegionAtOrAfterAnAddress() {
    var list = RegionList()
    // Ten chunks' worth, appended in order.
    for index in 0..<(10 * RegionList.chunkCapacity) {
      list.insert(region(UInt64(index) * 16, id: index), at: index)
    }
    #expect(list.partitionIndex { $0.start >= 0 } == 0)
    #expect(list.partitionIndex { $0.start >= 16 * 300 } == 300)
    #expect(list.partitionIndex { $0.start >= 16 * 300 - 1 } == 300)
    #expect(list.partitionIndex { $0.start >= UInt64.max } == list.count)
    list.removeAll { $0.mappingID % 2 == 0 }
    #expect(list.count == 5 * RegionList.chunkCapacity)
    #expect(list.partitionIndex { $0.start >= 16 * 301 } == 150)
    #expect(list[150].mappingID == 301)
    #expect(list.contains { $0.mappingID == 999 } && !list.contains { $0.mappingID == 998 })
  }

  /// A process of thousands of threads: each stack mapped below the last, guard and stack split by mprotect,
  /// some unmapped again. Every stack's layout is still found whole, and the users of unmapped stacks are
  /// forgotten (the table stays within twice the stacks left).
  @Test func thousandsOfStacksKeepTheirLayouts() throws {
    let space = AddressSpace()
    let page: UInt64 = 4096
    let top: UInt64 = 0x7f00_0000_0000
    let stack = 17 * page
    for index in 0..<3_000 {
      let base = top - UInt64(index + 1) * stack
      let id = space.map(start: base, length: stack, protection: .none, stackHint: true)
      space.protect(start: base + page, length: 16 * page, protection: [.read, .write])
      space.stackUsers[id] = (id: index, tid: Int32(index))
    }
    for index in stride(from: 0, to: 3_000, by: 3) {
      space.unmap(start: top - UInt64(index + 1) * stack, length: stack)
    }
    #expect(space.regions.count == 2 * 2_000)
    #expect(space.stackUsers.count <= 2 * 2_000)
    let kept = try #require(space.layout(containing: top - 2 * stack))
    #expect(space.stackUsers[kept.mappingID]?.id == 1)
    for index in 0..<3_000 {
      let base = top - UInt64(index + 1) * stack
      let layout = space.layout(containing: base + 5 * page)
      if index % 3 == 0 {
        #expect(layout == nil)
      } else {
        #expect(layout?.base == base && layout?.lowGuard == page && layout?.accessible == 16 * page)
      }
    }
  }
}
