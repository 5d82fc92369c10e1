import CKernelHeaders
import Glibc
import SyscallDecoding
import Testing

/// Every literal in the tables against the value the C headers on this machine give the same name (Debian 12:
/// linux-libc-dev 6.1, glibc 2.36). The tables are newer than those headers, so some names are missing here; the
/// missing ones must be among `knownMissing`, so that a misspelt name cannot pass as "missing".
struct HeaderConformanceTests {
  struct Row: Sendable, CustomTestStringConvertible {
    let table: String
    let name: String
    let value: UInt64
    var testDescription: String { "\(table): \(name)" }
  }

  static let rows: [Row] = {
    var rows: [Row] = []
    func add(_ table: FlagTable) {
      rows += table.entries.map { Row(table: table.name, name: $0.name, value: $0.value) }
      if let zeroName = table.zeroName { rows.append(Row(table: table.name, name: zeroName, value: 0)) }
    }
    func add(_ table: ValueTable) {
      rows += table.entries.map { Row(table: table.name, name: $0.name, value: $0.value) }
    }
    func add(_ table: String, _ pairs: [(String, UInt64)]) {
      rows += pairs.map { Row(table: table, name: $0.0, value: $0.1) }
    }
    for table in [
      CloneFlags.table, MmapProt.table, MmapFlags.table, FutexOperation.modifierTable, Futex2Flags.table,
      RseqFlags.table, RseqCsFlags.table, SigaltstackFlags.table, OpenFlags.table, AtFlags.table, WaitOptions.table,
    ] {
      add(table)
    }
    for table in [
      MmapFlags.typeTable, MmapFlags.hugePageSizeTable, MadviseAdvice.table, FutexOperation.commandTable,
      FutexOperation.table, FutexOperation.bitsetTable, FutexWakeOp.operationTable, FutexWakeOp.comparisonTable,
      Futex2Flags.sizeTable, PrctlOption.table,
      PrctlOption.setVMATable, ArchPrctlCode.table, OpenFlags.accessModeTable, WaitIdType.table, SigprocmaskHow.table,
      Signals.table, ErrnoNames.table,
    ] {
      add(table)
    }
    add(
      "constants",
      [
        ("CSIGNAL", CloneFlags.exitSignalMask),
        ("CLONE_DETACHED", CloneFlags.detached),
        ("MAP_TYPE", MmapFlags.typeMask),
        ("MAP_HUGE_SHIFT", MmapFlags.hugeShift),
        ("MAP_HUGE_MASK", MmapFlags.hugeMask),
        ("FUTEX_PRIVATE_FLAG", FutexOperation.privateFlag),
        ("FUTEX_CLOCK_REALTIME", FutexOperation.clockRealtimeFlag),
        ("FUTEX_OP_OPARG_SHIFT", FutexWakeOp.opargShiftFlag),
        ("FUTEX2_SIZE_MASK", Futex2Flags.sizeMask),
        ("FUTEX_WAITV_MAX", UInt64(Futex2Flags.waitvMax)),
        ("RSEQ_SIG", RseqFlags.glibcSignatureX86),
        ("O_ACCMODE", OpenFlags.accessModeMask),
        ("AT_FDCWD", UInt64(bitPattern: Int64(AtFlags.fdcwd))),
        ("SIGRTMIN", UInt64(Signals.realtimeMin)),
        ("SIGRTMAX", UInt64(Signals.realtimeMax)),
      ])
    add("signal aliases", Signals.aliases.map { ($0.name, UInt64($0.number)) })
    add("errno aliases", ErrnoNames.aliases.map { ($0.name, UInt64($0.code)) })
    add("open flag aliases", OpenFlags.aliases.map { ($0.name, $0.value) })
    return rows
  }()

  /// The names these headers lack, and why.
  static let knownMissing: Set<String> = [
    // Newer than Linux 6.1.
    "CLONE_AUTOREAP", "CLONE_NNP", "CLONE_PIDFD_AUTOKILL", "CLONE_EMPTY_MNTNS",
    "MAP_ABOVE4G", "MAP_DROPPABLE", "MADV_GUARD_INSTALL", "MADV_GUARD_REMOVE",
    "FUTEX_ROBUST_UNLOCK", "FUTEX_ROBUST_LIST32",
    "FUTEX_UNLOCK_PI_LIST64", "FUTEX_UNLOCK_PI_LIST64_PRIVATE", "FUTEX_UNLOCK_PI_LIST32",
    "FUTEX_UNLOCK_PI_LIST32_PRIVATE", "FUTEX_UNLOCK_WAKE_LIST64", "FUTEX_UNLOCK_WAKE_LIST64_PRIVATE",
    "FUTEX_UNLOCK_WAKE_LIST32", "FUTEX_UNLOCK_WAKE_LIST32_PRIVATE", "FUTEX_UNLOCK_BITSET_LIST64",
    "FUTEX_UNLOCK_BITSET_LIST64_PRIVATE", "FUTEX_UNLOCK_BITSET_LIST32", "FUTEX_UNLOCK_BITSET_LIST32_PRIVATE",
    "FUTEX2_SIZE_U8", "FUTEX2_SIZE_U16", "FUTEX2_SIZE_U32", "FUTEX2_SIZE_U64", "FUTEX2_NUMA", "FUTEX2_MPOL",
    "FUTEX2_PRIVATE", "FUTEX2_SIZE_MASK",
    "RSEQ_FLAG_SLICE_EXT_DEFAULT_ON", "RSEQ_CS_FLAG_SLICE_EXT_AVAILABLE", "RSEQ_CS_FLAG_SLICE_EXT_ENABLED",
    "PR_SET_MDWE", "PR_GET_MDWE", "PR_GET_AUXV", "PR_SET_MEMORY_MERGE", "PR_GET_MEMORY_MERGE",
    "PR_RISCV_V_SET_CONTROL", "PR_RISCV_V_GET_CONTROL", "PR_RISCV_SET_ICACHE_FLUSH_CTX", "PR_PPC_GET_DEXCR",
    "PR_PPC_SET_DEXCR", "PR_GET_SHADOW_STACK_STATUS", "PR_SET_SHADOW_STACK_STATUS", "PR_LOCK_SHADOW_STACK_STATUS",
    "PR_TIMER_CREATE_RESTORE_IDS", "PR_FUTEX_HASH", "PR_RSEQ_SLICE_EXTENSION", "PR_GET_CFI", "PR_SET_CFI",
    "ARCH_GET_UNTAG_MASK", "ARCH_ENABLE_TAGGED_ADDR", "ARCH_GET_MAX_TAG_BITS", "ARCH_FORCE_TAGGED_SVA",
    "ARCH_SHSTK_ENABLE", "ARCH_SHSTK_DISABLE", "ARCH_SHSTK_LOCK", "ARCH_SHSTK_UNLOCK", "ARCH_SHSTK_STATUS",
    "O_EMPTYPATH", "AT_EXECVE_CHECK",
    // Kernel-internal (include/linux/errno.h): checked against literals in SignalsAndErrnoTests.restartCodes.
    "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
    // x86's userspace <asm/signal.h> defines it as _NSIG, which only the kernel defines.
    "SIGRTMAX",
  ]

  /// The headers' value of a name, or of each part of a `|`-joined name ORed together.
  static func headerValue(_ name: String) -> UInt64? {
    var result: UInt64 = 0
    for part in name.split(separator: "|") {
      var value: UInt64 = 0
      guard ckh_constant(String(part), &value) else { return nil }
      result |= value
    }
    return result
  }

  @Test(arguments: rows)
  func rowMatchesHeader(_ row: Row) {
    guard let header = Self.headerValue(row.name) else { return }
    let values = "table 0x\(String(row.value, radix: 16)), header 0x\(String(header, radix: 16))"
    #expect(row.value == header, "\(row.name): \(values)")
  }

  @Test func missingNamesAreTheKnownOnes() {
    let missing = Set(Self.rows.filter { Self.headerValue($0.name) == nil }.map(\.name))
    print("Names the headers here lack: \(missing.sorted().joined(separator: " "))")
    #expect(missing.subtracting(Self.knownMissing).sorted() == [], "missing from the headers, not expected")
    // Newer kernel headers (a later linux-libc-dev) may define more of the known-missing names: that only
    // means more rows are checked, never fewer.
  }

  @Test func lookupRejectsUnknownNames() {
    var value: UInt64 = 0
    #expect(!ckh_constant("CLONE_NO_SUCH_FLAG", &value))
    #expect(ckh_constant("CLONE_VM", &value) && value == 0x100)
  }

  /// strace prints strerror's text after an errno name (`print_err_ret` in src/syscall.c), so the tables' messages
  /// match glibc's except for the restart codes, for which strace has texts of its own.
  @Test func errnoMessagesMatchStrerror() {
    var differing: [Int32] = []
    for code in Array(Int32(1)...133) + Array(Int32(512)...516) {
      guard let message = ErrnoNames.message(of: code) else { continue }
      if message != String(cString: strerror(code)) { differing.append(code) }
    }
    #expect(differing == [512, 513, 514, 516])
  }
}
