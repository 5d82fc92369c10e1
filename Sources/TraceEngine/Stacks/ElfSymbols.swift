import Glibc

/// The function symbols of one ELF64 file, read by hand: libunwind names an address after the nearest symbol
/// before it whatever that symbol's size, so in Debian's libc (no `.symtab`, only exported names in `.dynsym`)
/// `__clone3` comes out as `__xmknodat+0x229` and glibc's internal `create_thread` as
/// `pthread_condattr_setpshared+0x110`. Here a name is given only to an address inside its symbol's size, and
/// a file without `.symtab` gets the one in its separate debug file (`/usr/lib/debug/.build-id/…`) when that is
/// installed (`libc6-dbg`).
///
/// Only what naming needs: the `PT_LOAD` segments (to turn a file offset into an ELF address), the GNU build
/// id, and `STT_FUNC`/`STT_GNU_IFUNC` symbols of non-zero size. Little-endian ELF64 only (x86-64 tracees).
public final class ElfSymbols {
  /// A loadable segment: file bytes `fileOffset..<fileOffset+fileSize` are ELF addresses `address…`.
  public struct Segment: Hashable, Sendable {
    public var fileOffset: UInt64
    public var address: UInt64
    public var fileSize: UInt64
  }

  /// A function: `start..<end` in ELF addresses.
  struct Symbol {
    var start: UInt64
    var end: UInt64
    var name: String
  }

  public let path: String
  public let segments: [Segment]
  /// NT_GNU_BUILD_ID, as lower-case hex.
  public let buildID: String?
  /// The file the symbols came from when it is not `path` (its debug file), for messages and tests.
  public private(set) var symbolSource: String?
  /// Sorted by start; one entry per start address (the best of its aliases).
  private var symbols: [Symbol] = []

  /// Reads `path`; nil when it cannot be opened or is not a little-endian ELF64 file.
  /// `debugRoot`: where separate debug files are looked for by build id; nil: not looked for.
  public init?(path: String, debugRoot: String? = "/usr/lib/debug") {
    guard let file = ElfFile(path: path) else { return nil }
    self.path = path
    segments = file.segments
    buildID = file.buildID
    var candidates: [Candidate] = []
    let hasSymtab = file.collectSymbols(type: ElfFile.symtab, into: &candidates)
    if !hasSymtab, let debugRoot, let buildID, buildID.count > 2 {
      let debugPath = "\(debugRoot)/.build-id/\(buildID.prefix(2))/\(buildID.dropFirst(2)).debug"
      // The debug file's .symtab holds the local functions too; its addresses are the stripped file's.
      if let debug = ElfFile(path: debugPath), debug.buildID == buildID,
        debug.collectSymbols(type: ElfFile.symtab, into: &candidates)
      {
        symbolSource = debugPath
      }
    }
    _ = file.collectSymbols(type: ElfFile.dynsym, into: &candidates)
    symbols = Self.pickNames(candidates)
  }

  /// The number of distinct function start addresses known.
  public var functionCount: Int { symbols.count }

  /// The ELF address of file offset `offset` (from a mapping's offset in /proc/PID/maps), if a loadable
  /// segment holds it.
  public func address(ofFileOffset offset: UInt64) -> UInt64? {
    for segment in segments where offset >= segment.fileOffset && offset < segment.fileOffset + max(segment.fileSize, 1) {
      return segment.address + (offset - segment.fileOffset)
    }
    return nil
  }

  /// The function whose symbol covers ELF address `address`, and how far into it the address is.
  public func function(containing address: UInt64) -> (name: String, start: UInt64)? {
    // The last symbol starting at or before the address …
    var low = 0
    var high = symbols.count
    while low < high {
      let middle = (low + high) / 2
      if symbols[middle].start <= address { low = middle + 1 } else { high = middle }
    }
    // … or one a little before it that is larger and encloses it (a function with a nested alias).
    var index = low - 1
    var looked = 0
    while index >= 0 && looked < 8 {
      let symbol = symbols[index]
      if address < symbol.end { return (symbol.name, symbol.start) }
      index -= 1
      looked += 1
    }
    return nil
  }

  // MARK: Choosing among aliases

  struct Candidate {
    var start: UInt64
    var end: UInt64
    var name: String
    var binding: UInt8
  }

  /// One name per start address. Aliases abound in glibc (`pthread_create@@GLIBC_2.34`,
  /// `pthread_create@GLIBC_2.2.5`, `__pthread_create_2_1`, `__GI___pthread_create`): prefer the name a
  /// programmer calls, i.e. no `__GI_` (glibc's internal-call alias), fewer leading underscores, the default
  /// version (`@@`) over an old one (`@`), global over weak over local, then the shorter.
  static func pickNames(_ candidates: [Candidate]) -> [Symbol] {
    // Ranked once each, not at every comparison of the sort (libc's debug file has some 10,000 functions).
    let ranked = candidates.map { (candidate: $0, rank: rank($0)) }
    let sorted = ranked.sorted {
      $0.candidate.start != $1.candidate.start ? $0.candidate.start < $1.candidate.start : $0.rank < $1.rank
    }
    var symbols: [Symbol] = []
    symbols.reserveCapacity(sorted.count)
    for (candidate, _) in sorted {
      if let last = symbols.last, last.start == candidate.start {
        if candidate.end > last.end { symbols[symbols.count - 1].end = candidate.end }
        continue
      }
      symbols.append(Symbol(start: candidate.start, end: candidate.end, name: displayName(candidate.name)))
    }
    return symbols
  }

  private static func rank(_ candidate: Candidate) -> (Int, Int, Int, Int, Int) {
    let name = candidate.name.utf8
    let internalAlias = candidate.name.hasPrefix("__GI_") ? 1 : 0
    let underscores = name.prefix { $0 == UInt8(ascii: "_") }.count
    var version = 0
    if let at = name.firstIndex(of: UInt8(ascii: "@")) {
      version = name[name.index(after: at)...].first == UInt8(ascii: "@") ? 0 : 1
    }
    // STB_GLOBAL 1, STB_WEAK 2, STB_LOCAL 0.
    let binding = candidate.binding == 1 ? 0 : candidate.binding == 2 ? 1 : 2
    return (internalAlias, underscores, version, binding, name.count)
  }

  /// The name without its symbol version (`pthread_create@@GLIBC_2.34` → `pthread_create`).
  static func displayName(_ name: String) -> String {
    guard let at = name.firstIndex(of: "@"), at != name.startIndex else { return name }
    return String(name[..<at])
  }
}

/// The parts of an ELF64 file that `ElfSymbols` reads, with `pread` (a debug file is megabytes; only its
/// headers and symbol tables are read).
struct ElfFile {
  static let symtab: UInt32 = 2  // SHT_SYMTAB
  static let dynsym: UInt32 = 11  // SHT_DYNSYM
  private static let nobits: UInt32 = 8  // SHT_NOBITS: the section has no bytes in this file
  private static let note: UInt32 = 7  // SHT_NOTE

  struct Section {
    var type: UInt32
    var offset: UInt64
    var size: UInt64
    var link: UInt32
    var entrySize: UInt64
  }

  let path: String
  let segments: [ElfSymbols.Segment]
  let sections: [Section]
  let buildID: String?
  private let bytes: FileBytes

  init?(path: String) {
    guard let bytes = FileBytes(path: path), let header = bytes.read(at: 0, count: 64), header.count == 64,
      header[0] == 0x7F, header[1] == UInt8(ascii: "E"), header[2] == UInt8(ascii: "L"), header[3] == UInt8(ascii: "F"),
      header[4] == 2,  // ELFCLASS64
      header[5] == 1  // ELFDATA2LSB
    else { return nil }
    self.path = path
    self.bytes = bytes
    let programOffset = header.u64(0x20)
    let sectionOffset = header.u64(0x28)
    let programEntrySize = Int(header.u16(0x36))
    let programCount = Int(header.u16(0x38))
    let sectionEntrySize = Int(header.u16(0x3A))
    let sectionCount = Int(header.u16(0x3C))

    var segments: [ElfSymbols.Segment] = []
    var noteRanges: [(UInt64, UInt64)] = []
    if programEntrySize >= 56, programCount > 0, programCount < 4096,
      let table = bytes.read(at: programOffset, count: programEntrySize * programCount)
    {
      for index in 0..<programCount where (index + 1) * programEntrySize <= table.count {
        let base = index * programEntrySize
        let type = table.u32(base)
        if type == 1 {  // PT_LOAD
          segments.append(
            ElfSymbols.Segment(fileOffset: table.u64(base + 8), address: table.u64(base + 16), fileSize: table.u64(base + 32)))
        } else if type == 4 {  // PT_NOTE
          noteRanges.append((table.u64(base + 8), table.u64(base + 32)))
        }
      }
    }
    var sections: [Section] = []
    if sectionEntrySize >= 64, sectionCount > 0, sectionCount < 65536,
      let table = bytes.read(at: sectionOffset, count: sectionEntrySize * sectionCount)
    {
      for index in 0..<sectionCount where (index + 1) * sectionEntrySize <= table.count {
        let base = index * sectionEntrySize
        let section = Section(
          type: table.u32(base + 4), offset: table.u64(base + 24), size: table.u64(base + 32),
          link: table.u32(base + 40), entrySize: table.u64(base + 56))
        sections.append(section)
        // A debug file has no program headers worth reading (PT_NOTE is there, but its sections say it too).
        if section.type == Self.note { noteRanges.append((section.offset, section.size)) }
      }
    }
    self.segments = segments
    self.sections = sections
    buildID = noteRanges.lazy.compactMap { bytes.buildID(inNotesAt: $0.0, size: $0.1) }.first
  }

  /// Appends the sized function symbols of every section of `type` (SHT_SYMTAB or SHT_DYNSYM) with bytes in
  /// this file; whether there was such a section.
  func collectSymbols(type: UInt32, into candidates: inout [ElfSymbols.Candidate]) -> Bool {
    var found = false
    for section in sections where section.type == type && section.size > 0 {
      guard section.entrySize >= 24, Int(section.link) < sections.count else { continue }
      let strings = sections[Int(section.link)]
      guard strings.type != Self.nobits, let table = bytes.read(at: section.offset, count: Int(section.size)),
        let names = bytes.read(at: strings.offset, count: Int(strings.size))
      else { continue }
      found = true
      let entrySize = Int(section.entrySize)
      let count = table.count / entrySize
      candidates.reserveCapacity(candidates.count + count / 2)
      for index in 1..<max(count, 1) {
        let base = index * entrySize
        let info = table[base + 4]
        let symbolType = info & 0xF
        // STT_FUNC 2, STT_GNU_IFUNC 10; section index 0 is SHN_UNDEF (an import).
        guard symbolType == 2 || symbolType == 10, table.u16(base + 6) != 0 else { continue }
        let value = table.u64(base + 8)
        let size = table.u64(base + 16)
        guard size > 0, value != 0 else { continue }
        let nameOffset = Int(table.u32(base))
        guard nameOffset < names.count else { continue }
        let end = names[nameOffset...].firstIndex(of: 0) ?? names.count
        guard end > nameOffset else { continue }
        let name = String(decoding: names[nameOffset..<end], as: UTF8.self)
        candidates.append(ElfSymbols.Candidate(start: value, end: value &+ size, name: name, binding: info >> 4))
      }
    }
    return found
  }
}

/// A file read with `pread`, closed when the last reference goes.
private final class FileBytes {
  let fd: Int32

  init?(path: String) {
    fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return nil }
  }

  deinit { close(fd) }

  /// `count` bytes at `offset`; nil when the file is shorter (a corrupt or truncated ELF) or unreadable.
  func read(at offset: UInt64, count: Int) -> [UInt8]? {
    guard count >= 0, count <= 1 << 30, offset <= UInt64(Int64.max) else { return nil }
    var buffer = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let got = buffer.withUnsafeMutableBytes { raw in
        pread(fd, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { return nil }
      done += got
    }
    return buffer
  }

  /// NT_GNU_BUILD_ID from the notes at `offset`, as hex.
  func buildID(inNotesAt offset: UInt64, size: UInt64) -> String? {
    guard size > 0, size < 1 << 20, let notes = read(at: offset, count: Int(size)) else { return nil }
    var position = 0
    while position + 12 <= notes.count {
      let nameSize = Int(notes.u32(position))
      let descriptionSize = Int(notes.u32(position + 4))
      let type = notes.u32(position + 8)
      let nameStart = position + 12
      // Name and description are each padded to 4 bytes.
      let descriptionStart = nameStart + ((nameSize + 3) & ~3)
      let next = descriptionStart + ((descriptionSize + 3) & ~3)
      guard descriptionStart + descriptionSize <= notes.count, next > position else { return nil }
      // NT_GNU_BUILD_ID, owner "GNU\0".
      if type == 3, nameSize == 4, notes[nameStart..<nameStart + 3].elementsEqual("GNU".utf8) {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in notes[descriptionStart..<descriptionStart + descriptionSize] {
          hex.append(hexDigits[Int(byte >> 4)])
          hex.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
      }
      position = next
    }
    return nil
  }
}

extension Array where Element == UInt8 {
  // Little-endian reads at a byte offset the caller has checked.
  fileprivate func u16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
  fileprivate func u32(_ offset: Int) -> UInt32 {
    var value: UInt32 = 0
    for index in (0..<4).reversed() { value = value << 8 | UInt32(self[offset + index]) }
    return value
  }
  fileprivate func u64(_ offset: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in (0..<8).reversed() { value = value << 8 | UInt64(self[offset + index]) }
    return value
  }
}
