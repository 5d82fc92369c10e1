import Testing

@testable import SyscallDecoding

/// Turning strace's symbolic arguments back into numbers.
struct SymbolTableTests {
  @Test func names() {
    #expect(SymbolTable.value(of: "CLONE_VM") == 0x100)
    #expect(SymbolTable.value(of: "CLONE_CHILD_CLEARTID"[...]) == 0x20_0000)
    #expect(SymbolTable.value(of: "SIGCHLD") == 17)
    #expect(SymbolTable.value(of: "SIGRT_1") == 33)
    #expect(SymbolTable.value(of: "SIGCLD") == 17)
    #expect(SymbolTable.value(of: "MAP_HUGE_2MB") == 21 << 26)
    #expect(SymbolTable.value(of: "PROT_NONE") == 0)
    #expect(SymbolTable.value(of: "MAP_FILE") == 0)
    #expect(SymbolTable.value(of: "WUNTRACED") == 2)
    #expect(SymbolTable.value(of: "O_NDELAY") == 0o4000)
    #expect(SymbolTable.value(of: "PR_SET_VMA_ANON_NAME") == 0)
    #expect(SymbolTable.value(of: "ENOENT") == 2)
    #expect(SymbolTable.value(of: "CLONE_DETACHED") == nil)
    #expect(SymbolTable.value(of: "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME") == nil)
    #expect(SymbolTable.value(of: "") == nil)
  }

  @Test(
    arguments: [
      (["CLONE_VM", "CLONE_FS", "SIGCHLD"], 0x311 as UInt64?),
      (["CLONE_VM", "0x40000000"], 0x4000_0100),
      (["MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_STACK", "21<<MAP_HUGE_SHIFT"], 0x5402_0022),
      (["MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_STACK", "MAP_HUGE_2MB"], 0x5402_0022),
      (["MAP_SHARED", "1<<26"], 0x400_0001),
      (["0x8 /* MAP_??? */", "MAP_ANONYMOUS"], 0x28),
      ([" CLONE_VM ", "SIGCHLD"], 0x111),
      (["AT_FDCWD"], UInt64(bitPattern: -100)),
      (["-100"], UInt64(bitPattern: -100)),
      (["0600"], 0o600),
      (["0"], 0),
      (["17"], 17),
      (["0xffffffffffffffff"], UInt64.max),
      (["CLONE_VM", "NO_SUCH_FLAG"], nil),
      (["CLONE_VM", ""], nil),
      (["0x"], nil),
      (["08"], nil),
      (["0x1ffffffffffffffff"], nil),
      (["21<<NO_SUCH_SHIFT"], nil),
      (["1<<64"], nil),
      (["21<"], nil),
      ([], nil),
    ] as [([String], UInt64?)])
  func resolve(_ parts: [String], _ expected: UInt64?) {
    #expect(SymbolTable.resolve(parts: parts.map { $0[...] }) == expected)
  }

  /// A name means the same in every table it appears in.
  @Test func namesAreConsistent() {
    var seen: [String: UInt64] = [:]
    var conflicts: [String] = []
    for (name, value) in SymbolTable.entries {
      if let previous = seen[name], previous != value { conflicts.append(name) }
      seen[name] = value
    }
    #expect(conflicts.isEmpty)
    #expect(SymbolTable.values.count == seen.count)
  }
}
