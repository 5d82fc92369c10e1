import SyscallDecoding
import Testing

/// mmap(2)'s flags word (a type value, flags and a huge page size field) and its protection, after strace's
/// `print_mmap_flags`; huge page sizes are named where strace prints `21<<MAP_HUGE_SHIFT`.
struct MmapTests {
  static let flagCases: [XlatCase] = [
    .known(0x22, "MAP_PRIVATE|MAP_ANONYMOUS"),
    // glibc's thread stack reservation.
    .known(0x2_0022, "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK"),
    .known(0x812, "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE"),
    .known(0x5404_0021, "MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB"),
    .known(0x7804_0022, "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB"),
    // Known and unknown flag bits and a size linux/mman.h does not name.
    .known(0x5402_0222, "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK|0x200|MAP_HUGE_2MB"),
    .known(0x5804_0022, "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|22<<MAP_HUGE_SHIFT"),
    .known(0x1c00_0003, "MAP_SHARED_VALIDATE|7<<MAP_HUGE_SHIFT"),
    .known(0x28, "MAP_DROPPABLE|MAP_ANONYMOUS"),
    // An unknown type: strace's label in abbreviated form, a plain number inside the verbose comment.
    XlatCase(0x406, raw: "0x406", abbreviated: "0x6 /* MAP_??? */|0x400", verbose: "0x406 /* 0x6|0x400 */"),
    // Type 0 is MAP_FILE to strace.
    .known(0, "MAP_FILE"),
    .known(0x5404_0020, "MAP_FILE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB"),
  ]

  @Test(arguments: flagCases)
  func flags(_ testCase: XlatCase) {
    testCase.check(MmapFlags.render)
  }

  @Test func decompose() {
    let stack = MmapFlags.decompose(0x5402_0222)
    #expect(stack.type == "MAP_PRIVATE")
    #expect(stack.flags == ["MAP_ANONYMOUS", "MAP_STACK"])
    #expect(stack.hugePageShift == 21)
    #expect(stack.unknown == 0x200)

    let odd = MmapFlags.decompose(0x406)
    #expect(odd.type == nil)
    #expect(odd.flags.isEmpty)
    #expect(odd.hugePageShift == nil)
    #expect(odd.unknown == 0x406)
  }

  @Test(arguments: flagCases)
  func renderedFlagsResolveBack(_ testCase: XlatCase) {
    #expect(SymbolTable.resolve(parts: testCase.abbreviated.split(separator: "|")) == testCase.value)
  }

  static let protCases: [XlatCase] = [
    .known(0x3, "PROT_READ|PROT_WRITE"),
    .known(0x5, "PROT_READ|PROT_EXEC"),
    .known(0x100_0003, "PROT_READ|PROT_WRITE|PROT_GROWSDOWN"),
    .known(0x1_0001, "PROT_READ|0x10000"),
    .unknown(0x10, "PROT_???"),
    .known(0, "PROT_NONE"),
  ]

  @Test(arguments: protCases)
  func prot(_ testCase: XlatCase) {
    testCase.check(MmapProt.render)
  }

  static let adviceCases: [XlatCase] = [
    .known(4, "MADV_DONTNEED"),
    .known(0, "MADV_NORMAL"),
    .known(102, "MADV_GUARD_INSTALL"),
    .unknown(77, "MADV_???"),
  ]

  @Test(arguments: adviceCases)
  func advice(_ testCase: XlatCase) {
    testCase.check(MadviseAdvice.render)
  }
}
