import SyscallDecoding
import Testing

/// futex(2)'s operation word and the futex2 flags, after strace's `do_futex` and `print_futex2_flags`.
struct FutexTests {
  static let operationCases: [XlatCase] = [
    .known(0x81, "FUTEX_WAKE_PRIVATE"),
    .known(0x80, "FUTEX_WAIT_PRIVATE"),
    .known(0x1, "FUTEX_WAKE"),
    .known(0, "FUTEX_WAIT"),
    .known(0x189, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"),
    .known(0x82, "FUTEX_FD|FUTEX_PRIVATE_FLAG"),
    .known(0x287, "FUTEX_UNLOCK_PI_LIST64_PRIVATE"),
    // Combinations strace does not list are unknown as a whole, like unknown commands and bits.
    .unknown(0x101, "FUTEX_???"),
    .unknown(0x8e, "FUTEX_???"),
    .unknown(0x1_0001, "FUTEX_???"),
  ]

  @Test(arguments: operationCases)
  func operation(_ testCase: XlatCase) {
    testCase.check(FutexOperation.render)
  }

  @Test func decode() {
    let bitset = FutexOperation.decode(0x189)
    #expect(bitset.command == 9)
    #expect(bitset.commandName == "FUTEX_WAIT_BITSET")
    #expect(bitset.isPrivate)
    #expect(bitset.clockRealtime)
    #expect(bitset.unknown == 0)

    let odd = FutexOperation.decode(0x1_008e)
    #expect(odd.command == 14)
    #expect(odd.commandName == nil)
    #expect(odd.isPrivate)
    #expect(!odd.clockRealtime)
    #expect(odd.unknown == 0x1_0000)
  }

  /// Every name strace prints for an operation (`FUTEX_WAIT_PRIVATE`, `FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME`)
  /// turns back into its value.
  @Test func everyOperationNameResolvesBack() {
    for entry in FutexOperation.table.entries {
      let text = FutexOperation.render(entry.value, style: .abbreviated)
      #expect(text == entry.name)
      #expect(SymbolTable.resolve(parts: text.split(separator: "|")) == entry.value, "\(text)")
    }
  }

  @Test func composites() {
    #expect(SymbolTable.value(of: "FUTEX_WAIT_PRIVATE") == 128)
    #expect(SymbolTable.value(of: "FUTEX_WAKE_PRIVATE") == 129)
    #expect(SymbolTable.value(of: "FUTEX_WAIT_BITSET_PRIVATE") == 137)
    #expect(SymbolTable.resolve(parts: ["FUTEX_WAIT_BITSET_PRIVATE", "FUTEX_CLOCK_REALTIME"]) == 0x189)
    #expect(SymbolTable.value(of: "FUTEX_BITSET_MATCH_ANY") == 0xffff_ffff)
  }

  static let futex2Cases: [XlatCase] = [
    .known(0x82, "FUTEX2_SIZE_U32|FUTEX2_PRIVATE"),
    .known(0x02, "FUTEX2_SIZE_U32"),
    .known(0x07, "FUTEX2_SIZE_U64|FUTEX2_NUMA"),
    .known(0x12, "FUTEX2_SIZE_U32|0x10"),
    .known(0, "FUTEX2_SIZE_U8"),
  ]

  @Test(arguments: futex2Cases)
  func futex2Flags(_ testCase: XlatCase) {
    testCase.check(Futex2Flags.render)
  }

  @Test func futex2Decompose() {
    let flags = Futex2Flags.decompose(0x18b)
    #expect(flags.size == "FUTEX2_SIZE_U64")
    #expect(flags.flags == ["FUTEX2_MPOL", "FUTEX2_PRIVATE"])
    #expect(flags.unknown == 0x100)
    #expect(Futex2Flags.waitvMax == 128)
  }

  /// `FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1)`, as glibc's old condition variables used it.
  @Test(arguments: [
    XlatCase.known(0x0400_0001, "FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1"),
    .known(0x9500_5002, "FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x5<<12|FUTEX_OP_CMP_GE<<24|0x2"),
    XlatCase(
      0x6600_0000, raw: "0x66000000", abbreviated: "0x6<<28 /* FUTEX_OP_??? */|0<<12|0x6<<24 /* FUTEX_OP_CMP_??? */|0",
      verbose: "0x66000000 /* 0x6<<28|0<<12|0x6<<24|0 */"),
  ])
  func wakeOp(_ testCase: XlatCase) {
    testCase.check(FutexWakeOp.render)
    #expect(SymbolTable.resolve(parts: testCase.abbreviated.split(separator: "|")) == testCase.value)
  }

  @Test func wakeOpDecode() {
    let fields = FutexWakeOp.decode(0x9500_5002)
    #expect(fields.operation == 1)
    #expect(fields.operationName == "FUTEX_OP_ADD")
    #expect(fields.opargIsShift)
    #expect(fields.oparg == 5)
    #expect(fields.comparison == 5)
    #expect(fields.comparisonName == "FUTEX_OP_CMP_GE")
    #expect(fields.cmparg == 2)
  }
}
