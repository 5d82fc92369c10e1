import SyscallDecoding
import Testing

/// clone(2) and clone3(2) flags, after strace's `tests/clone-flags.c` and `tests/clone3.c`; the expected texts are
/// what strace 6.1 printed for the same calls on this machine (except the flags it does not know).
struct CloneFlagsTests {
  static let cloneCases: [XlatCase] = [
    // vfork as glibc's posix_spawn does it.
    XlatCase(
      0x4111, raw: "0x4100|17", abbreviated: "CLONE_VM|CLONE_VFORK|SIGCHLD",
      verbose: "0x4100 /* CLONE_VM|CLONE_VFORK */|17 /* SIGCHLD */"),
    // glibc's pthread_create through clone(2): no exit signal.
    .known(
      0x3d_0f00,
      "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID"
        + "|CLONE_CHILD_CLEARTID"),
    // Known and unknown bits (CLONE_DETACHED is unknown to strace too).
    XlatCase(
      0x40_0111, raw: "0x400100|17", abbreviated: "CLONE_VM|0x400000|SIGCHLD",
      verbose: "0x400100 /* CLONE_VM|0x400000 */|17 /* SIGCHLD */"),
    // Only unknown bits.
    .unknown(0x40_0000, "CLONE_???"),
    XlatCase(
      0x40_0011, raw: "0x400000|17", abbreviated: "0x400000 /* CLONE_??? */|SIGCHLD",
      verbose: "0x400000 /* CLONE_??? */|17 /* SIGCHLD */"),
    // The kernel ignores clone(2)'s upper 32 bits: CLONE_CLEAR_SIGHAND's bit is unknown here.
    XlatCase(
      0x1_0000_0264, raw: "0x100000200|100", abbreviated: "CLONE_FS|0x100000000|100",
      verbose: "0x100000200 /* CLONE_FS|0x100000000 */|100"),
    // The exit signal alone, a real-time one, none at all.
    XlatCase(0x11, raw: "17", abbreviated: "SIGCHLD", verbose: "17 /* SIGCHLD */"),
    XlatCase(
      0x121, raw: "0x100|33", abbreviated: "CLONE_VM|SIGRT_1", verbose: "0x100 /* CLONE_VM */|33 /* SIGRT_1 */"),
    XlatCase(0, raw: "0", abbreviated: "0", verbose: "0"),
  ]

  @Test(arguments: cloneCases)
  func cloneWithExitSignal(_ testCase: XlatCase) {
    testCase.check { CloneFlags.render($0, style: $1, exitSignalInLowByte: true) }
  }

  static let clone3Cases: [XlatCase] = [
    .known(0x101_0040_0180, "CLONE_VM|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|0x10000400000"),
    .known(0x3_0000_0100, "CLONE_VM|CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP"),
    .known(0x3c_0000_0000, "CLONE_AUTOREAP|CLONE_NNP|CLONE_PIDFD_AUTOKILL|CLONE_EMPTY_MNTNS"),
    .unknown(0x100_0000_0000, "CLONE_???"),
    XlatCase(0, raw: "0", abbreviated: "0", verbose: "0"),
  ]

  @Test(arguments: clone3Cases)
  func clone3(_ testCase: XlatCase) {
    testCase.check { CloneFlags.render($0, style: $1, exitSignalInLowByte: false) }
  }

  @Test func decomposeSplitsTheExitSignal() {
    let clone = CloneFlags.decompose(0x1_0000_4111, exitSignalInLowByte: true)
    #expect(clone.names == ["CLONE_VM", "CLONE_VFORK"])
    #expect(clone.exitSignal == 17)
    #expect(clone.unknown == 0x1_0000_0000)

    let clone3 = CloneFlags.decompose(0x1_0000_0180, exitSignalInLowByte: false)
    #expect(clone3.names == ["CLONE_VM", "CLONE_NEWTIME", "CLONE_CLEAR_SIGHAND"])
    #expect(clone3.exitSignal == nil)
    #expect(clone3.unknown == 0)
  }

  @Test func renderedFlagsResolveBack() {
    #expect(SymbolTable.resolve(parts: ["CLONE_VM", "CLONE_VFORK", "SIGCHLD"]) == 0x4111)
    for testCase in Self.cloneCases + Self.clone3Cases {
      let text = testCase.abbreviated
      #expect(SymbolTable.resolve(parts: text.split(separator: "|")) == testCase.value, "\(text)")
    }
  }
}
