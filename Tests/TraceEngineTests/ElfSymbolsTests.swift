import Foundation
import TestSupport
import Testing
import TraceModel

@testable import TraceEngine

#if canImport(Glibc)
  import Glibc
#endif

/// The ELF symbol reader and the maps parser behind `trace --stacks`' frame names, on a compiled fixture and on
/// the system's libc, with `nm`/`readelf` as the oracle.
@Suite("ELF symbols for stack frames")
struct ElfSymbolsTests {
  /// `creator_stacks.c` built with `cc -g`, and a stripped copy (`-s`: no `.symtab`).
  static func binaries() throws -> (full: String, stripped: String) {
    let full = try StackTests.program()
    let stripped = try Live.program("creator_stacks", flags: ["-s"])
    return (full, stripped)
  }

  /// Function symbols by name, from `nm` (address and size).
  static func nm(_ path: String) throws -> [String: (address: UInt64, size: UInt64)] {
    let run = try Live.run("/usr/bin/env", ["nm", "-S", "--defined-only", path], timeout: 30)
    var symbols: [String: (UInt64, UInt64)] = [:]
    for line in run.stdout.split(separator: "\n") {
      let words = line.split(separator: " ")
      guard words.count == 4, "tTwW".contains(words[2]), let address = UInt64(words[0], radix: 16),
        let size = UInt64(words[1], radix: 16)
      else { continue }
      symbols[String(words[3])] = (address, size)
    }
    return symbols
  }

  @Test func aFunctionsAddressesResolveToItsName() throws {
    let path = try Self.binaries().full
    let expected = try Self.nm(path)
    let symbols = try #require(ElfSymbols(path: path, debugRoot: nil))
    #expect(symbols.functionCount >= 4)
    for name in ["spawn_workers", "spawn_process", "spawn_vfork", "main"] {
      let (address, size) = try #require(expected[name], "nm does not list \(name)")
      for probe in [address, address + size / 2, address + size - 1] {
        let found = symbols.function(containing: probe)
        #expect(found?.name == name && found?.start == address, "\(name) at 0x\(String(probe, radix: 16))")
      }
      // One past the end is not the function any more.
      #expect(symbols.function(containing: address + size)?.name != name)
    }
  }

  @Test func aStrippedBinaryGivesNoNameRatherThanAWrongOne() throws {
    let (full, stripped) = try Self.binaries()
    // -g and -s change no code, so the program's functions are where nm finds them in the full build. Stripped,
    // only .dynsym is left, which holds none of them: they must stay nameless (a nearest-symbol lookup, like
    // libunwind's, would give them a neighbour's name).
    let functions = try Self.nm(full)
    let symbols = try #require(ElfSymbols(path: stripped, debugRoot: nil))
    #expect(symbols.buildID != nil)
    for name in ["spawn_workers", "spawn_process", "spawn_vfork", "main"] {
      let (address, size) = try #require(functions[name])
      for probe in stride(from: address, to: address + size, by: 4) {
        if let found = symbols.function(containing: probe) {
          Issue.record("stripped binary named 0x\(String(probe, radix: 16)) (in \(name)) \(found.name)")
          break
        }
      }
    }
    // The full build names them (the same reader, so the check above can fail).
    let named = try #require(ElfSymbols(path: full, debugRoot: nil))
    #expect(named.function(containing: try #require(functions["spawn_vfork"]).address)?.name == "spawn_vfork")
  }

  @Test func fileOffsetsBecomeELFAddressesThroughTheLoadSegments() throws {
    let symbols = try #require(ElfSymbols(path: try Self.binaries().full, debugRoot: nil))
    #expect(!symbols.segments.isEmpty)
    for segment in symbols.segments {
      #expect(symbols.address(ofFileOffset: segment.fileOffset) == segment.address)
      if segment.fileSize > 16 {
        #expect(symbols.address(ofFileOffset: segment.fileOffset + 16) == segment.address + 16)
      }
    }
    #expect(symbols.address(ofFileOffset: 1 << 40) == nil)
  }

  static let libc = "/lib/x86_64-linux-gnu/libc.so.6"

  /// libc's `__clone3` is local: in Debian's stripped libc only the debug file (libc6-dbg) has it. Without the
  /// debug file its address must stay nameless, not become `__xmknodat` as libunwind's nearest-symbol lookup says.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: libc)))
  func libcsCloneStubIsNamedOnlyFromItsDebugFile() throws {
    let plain = try #require(ElfSymbols(path: Self.libc, debugRoot: nil))
    let buildID = try #require(plain.buildID)
    let debugFile = "/usr/lib/debug/.build-id/\(buildID.prefix(2))/\(buildID.dropFirst(2)).debug"
    // Where pthread_create is, from the exported table: found with and without the debug file.
    let exported = try Self.dynamicSymbols(Self.libc)
    let create = try #require(exported["pthread_create"])
    #expect(plain.function(containing: create.address + 1)?.name == "pthread_create")
    guard FileManager.default.fileExists(atPath: debugFile) else { return }
    let clone3 = try #require(try Self.nm(debugFile)["__clone3"])
    #expect(plain.function(containing: clone3.address + 0x19) == nil)
    let debugged = try #require(ElfSymbols(path: Self.libc))
    #expect(debugged.symbolSource == debugFile)
    let found = debugged.function(containing: clone3.address + 0x19)
    #expect(["__clone3", "clone3"].contains(found?.name ?? "") && found?.start == clone3.address)
    #expect(debugged.function(containing: create.address + 1)?.name == "pthread_create")
  }

  static func dynamicSymbols(_ path: String) throws -> [String: (address: UInt64, size: UInt64)] {
    let run = try Live.run("/usr/bin/env", ["nm", "-D", "-S", "--defined-only", path], timeout: 30)
    var symbols: [String: (UInt64, UInt64)] = [:]
    for line in run.stdout.split(separator: "\n") {
      let words = line.split(separator: " ")
      guard words.count == 4, let address = UInt64(words[0], radix: 16), let size = UInt64(words[1], radix: 16)
      else { continue }
      let name = String(words[3].prefix { $0 != "@" })
      symbols[name] = symbols[name] ?? (address, size)
    }
    return symbols
  }

  @Test func symbolVersionsAreDroppedAndAliasesRanked() {
    #expect(ElfSymbols.displayName("pthread_create@@GLIBC_2.34") == "pthread_create")
    #expect(ElfSymbols.displayName("@odd") == "@odd")
    let picked = ElfSymbols.pickNames([
      .init(start: 0x100, end: 0x200, name: "__GI___pthread_create", binding: 0),
      .init(start: 0x100, end: 0x200, name: "__pthread_create_2_1", binding: 0),
      .init(start: 0x100, end: 0x200, name: "pthread_create@GLIBC_2.2.5", binding: 1),
      .init(start: 0x100, end: 0x200, name: "pthread_create@@GLIBC_2.34", binding: 1),
      .init(start: 0x300, end: 0x320, name: "__libc_fork", binding: 1),
      .init(start: 0x300, end: 0x320, name: "fork", binding: 2),
    ])
    #expect(picked.map(\.name) == ["pthread_create", "fork"])
  }

  /// The whole path on this very process: /proc/self/maps → libc's mapping → its ELF → the function, then the
  /// same address again from the cache without reading maps again.
  @Test func anAddressInThisProcessIsNamedThroughItsMapping() throws {
    let handle = try #require(dlopen(nil, RTLD_NOW) as UnsafeMutableRawPointer?)
    defer { dlclose(handle) }
    guard let symbol = dlsym(handle, "getpid") as UnsafeMutableRawPointer? else {
      Issue.record("dlsym found no getpid")
      return
    }
    let getpidAddress = UInt64(UInt(bitPattern: symbol))
    let symbolizer = Symbolizer()
    var refreshed = false
    let frame = symbolizer.frame(pc: getpidAddress + 1, tgid: getpid(), refreshed: &refreshed)
    #expect(refreshed && symbolizer.mapsReads == 1)
    #expect(frame.function == "getpid" && frame.offset == 1, "\(frame)")
    #expect(frame.module?.hasSuffix("/libc.so.6") == true)
    let dynamic = try Self.dynamicSymbols(Self.libc)
    #expect(frame.moduleOffset == (try #require(dynamic["getpid"])).address + 1)

    var again = false
    #expect(symbolizer.frame(pc: getpidAddress + 1, tgid: getpid(), refreshed: &again) == frame)
    #expect(!again && symbolizer.mapsReads == 1 && symbolizer.cacheHits == 1)
    // An address in no mapping (the zero page) is just its pc.
    #expect(symbolizer.frame(pc: 0x10, tgid: getpid(), refreshed: &again) == StackFrame(pc: 0x10))
  }

  /// Frame 0 is synthesised from [rsp] only when that word is a return address: the bytes before it a call.
  @Test func aReturnAddressMustFollowACall() {
    #expect(Unwinder.followsCall([0x90, 0x90, 0xE8, 0x12, 0x34, 0x56, 0x78]))  // call rel32
    #expect(Unwinder.followsCall([0x90, 0x90, 0x90, 0x90, 0x90, 0xFF, 0xD0]))  // call *%rax
    #expect(Unwinder.followsCall([0x90, 0x90, 0x90, 0x90, 0x41, 0xFF, 0xD3]))  // call *%r11
    #expect(Unwinder.followsCall([0x90, 0xFF, 0x15, 0x10, 0x20, 0x30, 0x40]))  // call *rel32(%rip)
    #expect(Unwinder.followsCall([0xFF, 0x94, 0x24, 0x10, 0x20, 0x30, 0x40]))  // call *disp32(%rsp)
    #expect(!Unwinder.followsCall([0x90, 0x90, 0x90, 0x90, 0x90, 0xFF, 0xE0]))  // jmp *%rax
    #expect(!Unwinder.followsCall([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]))
    #expect(!Unwinder.followsCall([0xE8, 0x00, 0x00, 0x00]))
  }

  @Test func mapsLinesOfFilesAndTheVDSOAreKept() {
    let maps = ProcessMaps(
      text: """
        55d0c2a00000-55d0c2a01000 r--p 00000000 08:01 1234                       /tmp/prog
        55d0c2a01000-55d0c2a02000 r-xp 00001000 08:01 1234                       /tmp/prog
        7f0000000000-7f0000021000 rw-p 00000000 00:00 0                          [heap]
        7f0000100000-7f0000200000 r-xp 00026000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
        7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
        7ffd10000000-7ffd10001000 r-xp 00000000 08:01 77                         /tmp/with space (deleted)
        """)
    #expect(maps.mappings.count == 5)
    let text = maps.mapping(containing: 0x55d0_c2a0_1234)
    #expect(text?.path == "/tmp/prog" && text?.offset == 0x1000 && text?.identity == "08:01:1234")
    #expect(maps.mapping(containing: 0x7f00_0000_0010) == nil)
    #expect(maps.mapping(containing: 0x7ffd_0000_0001)?.path == "[vdso]")
    #expect(maps.mapping(containing: 0x7ffd_1000_0001)?.path == "/tmp/with space (deleted)")
    #expect(maps.mapping(containing: 0x7f00_0020_0000) == nil)
  }
}
