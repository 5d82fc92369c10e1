@testable import SyscallDecoding
import Testing
import TraceModel

/// The live decoder builds a flag word's `Symbolic` parts straight from the tables instead of rendering the
/// abbreviated text and splitting it: both must give the same value for every word.
struct FlagPartsTests {
  /// Known bits, unknown bits, zero, and both mixed, for each table the decoder reads by parts.
  static func words(_ table: FlagTable) -> [UInt64] {
    var words: [UInt64] = [0, 1, 0x40, 0x8000_0000, 0xffff_ffff, 0xffff_ffff_ffff_ffff, 0x10_0000_0000]
    var all: UInt64 = 0
    for entry in table.entries {
      words.append(entry.value)
      words.append(entry.value | 0x40_0000_0000)
      all |= entry.value
    }
    words += [all, all | 0x40_0000_0000, ~all, all & 0x5555_5555_5555_5555, all & 0xaaaa_aaaa_aaaa_aaaa]
    return words
  }

  static let tables: [(FlagTable, String?)] = [
    (CloneFlags.table, CloneFlags.unknownName), (MmapProt.table, MmapProt.unknownName),
    (RseqFlags.table, RseqFlags.unknownName), (MmapFlags.table, nil),
  ]

  @Test func tablePartsDecodeAsTheirText() {
    for (table, unknownName) in Self.tables {
      for word in Self.words(table) {
        let text = StraceXlat.flags(word, in: table, unknownName: unknownName, style: .abbreviated)
        #expect(
          SyscallDecoder.flags(word, in: table, unknownName: unknownName) == SyscallDecoder.flags(text, word),
          "\(table.name) \(word)")
      }
    }
  }

  @Test func cloneFlagsPartsDecodeAsTheirText() {
    for word in Self.words(CloneFlags.table) {
      let text = CloneFlags.render(word, style: .abbreviated, exitSignalInLowByte: false)
      #expect(
        SyscallDecoder.flags(word, in: CloneFlags.table, unknownName: CloneFlags.unknownName)
          == SyscallDecoder.flags(text, word))
    }
  }

  @Test func mmapPartsDecodeAsTheirText() {
    var words = Self.words(MmapFlags.table)
    for type: UInt64 in 0...0xf { words += [type, type | 0x2_0020, type | 0x5404_0000, type | 0x5804_0220] }
    for word in words {
      let text = MmapFlags.render(word, style: .abbreviated)
      #expect(MmapFlags.printedParts(word, style: .abbreviated).joined(separator: "|") == text)
      #expect(SyscallDecoder.flags(parts: MmapFlags.printedParts(word, style: .abbreviated), word) == SyscallDecoder.flags(text, word))
    }
    for word in Self.words(MmapProt.table) {
      #expect(SyscallDecoder.prot(word) == SyscallDecoder.flags(MmapProt.render(word, style: .abbreviated), word))
    }
  }

  /// The parts are the split text only if no name is empty or holds the separator.
  @Test func namesHoldNoSeparator() {
    let names =
      Self.tables.flatMap { $0.0.entries.map(\.name) } + MmapFlags.typeTable.entries.map(\.name)
      + MmapFlags.hugePageSizeTable.entries.map(\.name)
    for name in names { #expect(!name.isEmpty && !name.contains("|"), "\(name)") }
  }
}
