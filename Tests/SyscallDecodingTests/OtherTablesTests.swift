import SyscallDecoding
import Testing

/// The smaller tables, each in strace's three styles; the expected texts are what strace 6.1 printed for the same
/// arguments where it knows the names.
struct OtherTablesTests {
  @Test(arguments: [
    XlatCase.known(15, "PR_SET_NAME"),
    .known(0x5356_4d41, "PR_SET_VMA"),
    .known(38, "PR_SET_NO_NEW_PRIVS"),
    .unknown(9999, "PR_???"),
  ])
  func prctlOption(_ testCase: XlatCase) {
    testCase.check(PrctlOption.render)
  }

  @Test(arguments: [
    XlatCase.known(0x1002, "ARCH_SET_FS"),
    .known(0x1001, "ARCH_SET_GS"),
    .known(0x5001, "ARCH_SHSTK_ENABLE"),
    .unknown(0x9999, "ARCH_???"),
  ])
  func archPrctlCode(_ testCase: XlatCase) {
    testCase.check(ArchPrctlCode.render)
  }

  @Test(arguments: [
    XlatCase.known(0x4000_0101, "WNOHANG|__WALL|0x100"),
    .known(0x3, "WNOHANG|WSTOPPED"),
    .known(0x4000_0000, "__WALL"),
    .known(0x8000_0004, "WEXITED|__WCLONE"),
    .unknown(0x100, "W???"),
    XlatCase(0, raw: "0", abbreviated: "0", verbose: "0"),
  ])
  func waitOptions(_ testCase: XlatCase) {
    testCase.check(WaitOptions.render)
  }

  @Test(arguments: [
    XlatCase.known(0x8_0042, "O_RDWR|O_CREAT|O_CLOEXEC"),
    .known(0, "O_RDONLY"),
    .known(0x4000_0003, "O_ACCMODE|0x40000000"),
    .known(0x41_0001, "O_WRONLY|O_TMPFILE"),
    .known(0o401_0001, "O_WRONLY|O_SYNC"),
    .known(0o1_0000, "O_RDONLY|O_DSYNC"),
    .known(0o1020_0000, "O_RDONLY|O_PATH|O_DIRECTORY"),
  ])
  func openFlags(_ testCase: XlatCase) {
    testCase.check(OpenFlags.render)
  }

  @Test(arguments: [
    XlatCase.known(0x1100, "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH"),
    .known(0x1_1000, "AT_EMPTY_PATH|AT_EXECVE_CHECK"),
    .unknown(0x1, "AT_???"),
    XlatCase(0, raw: "0", abbreviated: "0", verbose: "0"),
  ])
  func atFlags(_ testCase: XlatCase) {
    testCase.check(AtFlags.render)
  }

  @Test func directoryDescriptor() {
    #expect(AtFlags.renderDirectory(-100, style: .abbreviated) == "AT_FDCWD")
    #expect(AtFlags.renderDirectory(-100, style: .raw) == "-100")
    #expect(AtFlags.renderDirectory(-100, style: .verbose) == "-100 /* AT_FDCWD */")
    #expect(AtFlags.renderDirectory(3, style: .verbose) == "3")
    #expect(SymbolTable.value(of: "AT_FDCWD") == UInt64(bitPattern: -100))
  }

  @Test(arguments: [
    XlatCase.known(0x2, "SS_DISABLE"),
    .known(0x8000_0001, "SS_ONSTACK|SS_AUTODISARM"),
    .known(0x8000_0004, "SS_AUTODISARM|0x4"),
    .unknown(0x4, "SS_???"),
    XlatCase(0, raw: "0", abbreviated: "0", verbose: "0"),
  ])
  func sigaltstackFlags(_ testCase: XlatCase) {
    testCase.check(SigaltstackFlags.render)
  }

  @Test(arguments: [
    XlatCase.known(0x1, "RSEQ_FLAG_UNREGISTER"),
    .unknown(0x4, "RSEQ_FLAG_???"),
    XlatCase(0, raw: "0", abbreviated: "0", verbose: "0"),
  ])
  func rseqFlags(_ testCase: XlatCase) {
    testCase.check(RseqFlags.render)
  }

  @Test(arguments: [
    XlatCase.known(
      0x7,
      "RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT|RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL"
        + "|RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE"),
    .known(0x30, "RSEQ_CS_FLAG_SLICE_EXT_AVAILABLE|RSEQ_CS_FLAG_SLICE_EXT_ENABLED"),
    .unknown(0x8, "RSEQ_CS_FLAG_???"),
  ])
  func rseqCsFlags(_ testCase: XlatCase) {
    testCase.check(RseqCsFlags.render)
  }

  @Test func rseqSignature() {
    #expect(RseqFlags.glibcSignatureX86 == 0x5305_3053)
  }

  @Test(arguments: [
    XlatCase.known(0, "SIG_BLOCK"),
    .known(2, "SIG_SETMASK"),
    .unknown(7, "SIG_???"),
  ])
  func sigprocmaskHow(_ testCase: XlatCase) {
    testCase.check(SigprocmaskHow.render)
  }

  @Test(arguments: [
    XlatCase.known(0, "P_ALL"),
    .known(3, "P_PIDFD"),
    .unknown(9, "P_???"),
  ])
  func waitIdType(_ testCase: XlatCase) {
    testCase.check(WaitIdType.render)
  }
}
