import SyscallDecoding
import TestSupport
import Testing
import TraceModel

/// The live decoders must produce what the strace reader makes of strace's line for the same call: the lifecycle
/// model and the views then cannot tell a live event from a recorded one.
@Suite("Live decoding agrees with the strace reader")
struct SyscallDecoderTests {
  /// The arguments the strace reader parses from `line` (one call, no pid prefix).
  static func parsed(_ line: String) throws -> [Argument] {
    let events = try StraceSnippet.events(line + "\n")
    guard case .syscall(let call)? = events.first?.body else {
      Issue.record("no syscall in \(line)")
      return []
    }
    return call.arguments
  }

  static func decoded(_ name: String, _ args: [UInt64], _ memory: FakeMemory = FakeMemory()) -> [Argument] {
    SyscallDecoder.entry(name: name, architecture: .x86_64, args: args, memory: memory)
  }

  @Test func clone3OfAPthread() throws {
    var memory = FakeMemory()
    memory.put(
      0x7ffc_0000_1000,
      words: [
        0x3d0f00, 0, 0x7fe4_482a_b990, 0x7fe4_482a_b990, 0, 0x7fe4_47aa_b000, 0x7fff80, 0x7fe4_482a_b6c0, 0, 0, 0,
      ])
    let line =
      "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fe4482ab990, parent_tid=0x7fe4482ab990, exit_signal=0, stack=0x7fe447aab000, stack_size=0x7fff80, tls=0x7fe4482ab6c0}, 88) = 9988"
    let live = Self.decoded("clone3", [0x7ffc_0000_1000, 88], memory)
    #expect(live == (try Self.parsed(line)))
    let call = try #require(CloneCall(SyscallEvent(name: "clone3", arguments: live, result: .success(9988))))
    #expect(call.createsThread && call.stack == 0x7fe4_47aa_b000 && call.stackSize == 0x7fff80 && call.newTID == 9988)
  }

  @Test func clone3OfPosixSpawnAndAShortStruct() throws {
    var memory = FakeMemory()
    memory.put(0x1000, words: [0x4100, 0, 0, 0, 17, 0x7f00_0000_0000, 0x9000, 0])
    let line = "clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f0000000000, stack_size=0x9000}, 64) = 5"
    #expect(Self.decoded("clone3", [0x1000, 64], memory) == (try Self.parsed(line)))
    // Unreadable, or too small to be any version of the struct: the address, as strace prints it.
    #expect(Self.decoded("clone3", [0x2000, 88], memory)[0].value == .address(0x2000))
    #expect(Self.decoded("clone3", [0x1000, 32], memory)[0].value == .address(0x1000))
  }

  @Test func cloneAsGlibcForkCallsIt() throws {
    let line = "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f29d828da10) = 10022"
    let live = Self.decoded("clone", [0x0120_0011, 0, 0, 0x7f29_d828_da10, 0])
    #expect(live == (try Self.parsed(line)))
    let call = try #require(CloneCall(SyscallEvent(name: "clone", arguments: live)))
    #expect(call.exitSignal == 17 && call.childTIDAddress == 0x7f29_d828_da10)
    #expect(Self.decoded("clone", [0x411, 0x7f31_12da_fff0, 0, 0, 0]) == (try Self.parsed(
      "clone(child_stack=0x7f3112dafff0, flags=CLONE_FILES|SIGCHLD) = 10070")))
  }

  @Test(arguments: [
    ("mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7fdb50f07000",
     "mmap", [0, 8_392_704, 0, 0x20022, UInt64(bitPattern: -1), 0] as [UInt64]),
    ("mmap(0x7f3bd1c9e000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f3bd1c9e000",
     "mmap", [0x7f3b_d1c9_e000, 1_400_832, 5, 0x812, 3, 0x26000]),
    ("mprotect(0x7fdb50f08000, 8388608, PROT_READ|PROT_WRITE) = 0", "mprotect", [0x7fdb_50f0_8000, 8_388_608, 3]),
    ("munmap(0x7f7da79b9000, 33519) = 0", "munmap", [0x7f7d_a79b_9000, 33519]),
    ("madvise(0x7f7da6fd3000, 8368128, MADV_DONTNEED) = 0", "madvise", [0x7f7d_a6fd_3000, 8_368_128, 4]),
    ("futex(0x7fffcb814438, FUTEX_WAKE_PRIVATE, 1) = 1", "futex", [0x7fff_cb81_4438, 129, 1, 0, 0, 0]),
    ("futex(0x7fe4482ab990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 9988, NULL, FUTEX_BITSET_MATCH_ANY) = 0",
     "futex", [0x7fe4_482a_b990, 265, 9988, 0, 0, 0xffff_ffff]),
    ("futex(0x55d0c0e0a040, FUTEX_WAIT_PRIVATE, 2, NULL) = 0", "futex", [0x55d0_c0e0_a040, 128, 2, 0, 0, 0]),
    ("rseq(0x7f7da77d5060, 0x20, 0, 0x53053053) = 0", "rseq", [0x7f7d_a77d_5060, 32, 0, 0x5305_3053]),
    ("set_robust_list(0x7f7da77d4a20, 24) = 0", "set_robust_list", [0x7f7d_a77d_4a20, 24]),
    ("set_tid_address(0x7f7da77d4a10) = 10013", "set_tid_address", [0x7f7d_a77d_4a10]),
    ("arch_prctl(ARCH_SET_FS, 0x7f7da77d4740) = 0", "arch_prctl", [0x1002, 0x7f7d_a77d_4740]),
    ("close(3) = 0", "close", [3]),
    ("exit_group(0) = ?", "exit_group", [0]),
    ("exit(7) = ?", "exit", [7]),
    ("tgkill(10056, 10058, SIGKILL) = 0", "tgkill", [10056, 10058, 9]),
    ("kill(10056, SIGTERM) = 0", "kill", [10056, 15]),
    ("wait4(10022, 0x7ffd0000, 0, NULL) = 10022", "wait4", [10022, 0x7ffd_0000, 0, 0]),
  ])
  func registerOnlyCalls(_ line: String, _ name: String, _ args: [UInt64]) throws {
    #expect(Self.decoded(name, args) == (try Self.parsed(line)))
  }

  @Test func callsThatReadStringsAndStructs() throws {
    var memory = FakeMemory()
    memory.put(0x1000, string: "/proc/self/task/10014/comm")
    memory.put(0x2000, string: "worker-1")
    memory.put(0x3000, string: "worker-2")
    memory.put(0x4000, words: [0x7fab_6b5c_2000, 0, 16384])
    memory.put(0x5000, string: "/bin/echo")
    memory.put(0x5100, string: "echo")
    memory.put(0x5200, string: "hi")
    memory.put(0x6000, words: [0x5100, 0x5200, 0])
    memory.put(0x7000, words: [0, 2, 0])
    let cases: [(String, String, [UInt64])] = [
      ("openat(AT_FDCWD, \"/proc/self/task/10014/comm\", O_RDWR) = 3", "openat", [UInt64(bitPattern: -100), 0x1000, 2]),
      ("write(3, \"worker-1\", 8) = 8", "write", [3, 0x2000, 8]),
      ("prctl(PR_SET_NAME, \"worker-2\") = 0", "prctl", [15, 0x3000, 0, 0, 0]),
      ("sigaltstack({ss_sp=0x7fab6b5c2000, ss_flags=0, ss_size=16384}, NULL) = 0", "sigaltstack", [0x4000, 0]),
      ("sigaltstack({ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}, NULL) = 0", "sigaltstack", [0x7000, 0]),
      ("execve(\"/bin/echo\", [\"echo\", \"hi\"], 0x7ffee1eac318 /* 1 var */) = 0", "execve", [0x5000, 0x6000, 0x7ffe_e1ea_c318]),
    ]
    for (line, name, args) in cases {
      #expect(Self.decoded(name, args, memory) == (try Self.parsed(line)), "\(line)")
    }
    let naming = NamingCall(SyscallEvent(name: "openat", arguments: Self.decoded("openat", cases[0].2, memory), result: .success(3)))
    #expect(naming == .openComm(target: .thread(10014), fd: 3))
  }

  @Test func unreadableMemoryIsShownAsTheAddress() {
    let memory = FakeMemory()
    #expect(Self.decoded("execve", [0x5000, 0x6000, 0])[0...1].map(\.value) == [.address(0x5000), .address(0x6000)])
    #expect(Self.decoded("sigaltstack", [0x4000, 0], memory)[0].value == .address(0x4000))
    #expect(Self.decoded("prctl", [15, 0x3000, 0, 0, 0], memory)[1].value == .address(0x3000))
    #expect(Self.decoded("write", [3, 0x2000, 8], memory)[1].value == .address(0x2000))
  }

  @Test func stringsStopAtTheLimitAndAtAnUnmappedPage() {
    var memory = FakeMemory()
    memory.put(0x1000 - 4, Array("abcd".utf8))  // ends exactly at an unmapped page, no NUL
    #expect(memory.string(at: 0x1000 - 4, limit: 100) == StringValue("abcd", truncated: true))
    memory.put(0x9000, Array(repeating: UInt8(ascii: "x"), count: 100))
    let long = SyscallDecoder.entry(name: "write", architecture: .x86_64, args: [3, 0x9000, 100], memory: memory)
    #expect(long[1].value == .string(StringValue(String(repeating: "x", count: 32), truncated: true)))
  }

  @Test func exitValuesAreReadBack() {
    var memory = FakeMemory()
    memory.put(0x8000, [0, 4, 0, 0])  // status: exited with 4
    let entry = Self.decoded("wait4", [10071, 0x8000, 0, 0])
    let exit = SyscallDecoder.exit(
      name: "wait4", architecture: .x86_64, args: [10071, 0x8000, 0, 0], arguments: entry, result: .success(10071),
      memory: memory)
    #expect(exit[1].value == .array([.text("{WIFEXITED(s) && WEXITSTATUS(s) == 4}")], truncated: false))
  }

  @Test func i386CloneTakesItsOwnArgumentOrder() {
    // i386: flags, stack, parent_tid, tls, child_tid.
    let arguments = SyscallDecoder.entry(
      name: "clone", architecture: .i386, args: [0x0120_0011, 0, 0, 0, 0x0804_a000, 0], memory: FakeMemory())
    #expect(arguments.first(where: { $0.name == "child_tidptr" })?.value == .address(0x0804_a000))
  }

  @Test func callsWithoutADecoderShowTheirRawArguments() {
    #expect(SyscallDecoder.name(of: 500, in: .x86_64) == "syscall_0x1f4")
    let read = SyscallDecoder.entry(name: "read", architecture: .x86_64, args: [3, 0x7ffd_0000_0000, 832, 9, 9, 9], memory: FakeMemory())
    #expect(read.map(\.value) == [.integer(3), .address(0x7ffd_0000_0000), .integer(832)])
    #expect(SyscallDecoder.entry(name: "getpid", architecture: .x86_64, args: [1, 2, 3, 4, 5, 6], memory: FakeMemory()).isEmpty)
  }

  /// Flag words are split into their parts at the bytes `|`; this must be what splitting the rendered text by
  /// `Character` gives, for every table the decoders use and values with unknown bits among the names.
  @Test func flagPartsAreTheRenderedTextSplitAtBars() {
    func parts(_ value: ArgValue) -> [String]? {
      if case .symbolic(let symbolic) = value { return symbolic.parts }
      return nil
    }
    func expected(_ rendered: String) -> [String] { rendered.split(separator: "|").map(String.init) }
    let words: [UInt64] = [0, 1, 2, 3, 0x22, 0x20022, 0x4000_0022, 0x8000_0000, 0x3d0f00, 0xffff_ffff, 0x1_0000_0000]
    for word in words {
      let mmap = Self.decoded("mmap", [0, 4096, word & 0xF, word, UInt64.max, 0])
      if let found = parts(mmap[2].value) { #expect(found == expected(MmapProt.render(word & 0xF, style: .abbreviated))) }
      if let found = parts(mmap[3].value) { #expect(found == expected(MmapFlags.render(word, style: .abbreviated))) }
      let clone = Self.decoded("clone", [word | 17, 0, 0, 0, 0])
      let flags = word & 0xffff_ffff | 17
      if let found = parts(clone[1].value) {
        #expect(found == expected(CloneFlags.render(flags, style: .abbreviated, exitSignalInLowByte: true)))
      }
      let open = Self.decoded("openat", [UInt64(bitPattern: -100), 0, word, 0])
      if let found = parts(open[2].value) { #expect(found == expected(OpenFlags.render(word, style: .abbreviated))) }
    }
  }
}
