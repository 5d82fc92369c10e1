@testable import SyscallDecoding
import Testing
import TraceModel

/// The live decoder picks a call's decoder by the name's length, then the name, and shares decoded flag words
/// between calls (`ArgValueMemo`): both must decide as the plain forms would.
struct DecoderDispatchTests {
  /// The decoder each name had when `entry` was one `switch` over names.
  static func reference(_ name: String) -> SyscallDecoder.Call {
    switch name {
    case "clone": return .clone
    case "clone3": return .clone3
    case "fork", "vfork", "getpid", "gettid", "getppid", "sched_yield", "pause": return .noArguments
    case "mmap": return .mmap
    case "mprotect": return .mprotect
    case "munmap": return .munmap
    case "madvise": return .madvise
    case "futex": return .futex
    case "set_robust_list": return .setRobustList
    case "rseq": return .rseq
    case "sigaltstack": return .sigaltstack
    case "prctl": return .prctl
    case "set_tid_address": return .setTIDAddress
    case "arch_prctl": return .archPrctl
    case "sched_setaffinity": return .schedSetaffinity
    case "execve": return .execve
    case "execveat": return .execveat
    case "openat": return .openat
    case "open": return .open
    case "write": return .write
    case "pwrite64": return .pwrite64
    case "close": return .close
    case "exit", "exit_group": return .exit
    case "wait4": return .wait4
    case "kill", "tkill": return .kill
    case "tgkill": return .tgkill
    default: return .other
    }
  }

  @Test func everySyscallNameGoesToItsDecoder() {
    var names = Set(SyscallTable.entries(in: .x86_64).map(\.name))
    names.formUnion(SyscallTable.entries(in: .i386).map(\.name))
    names.formUnion(["", "syscall_0x1f4", "exit_grou", "clone4", "mmap2", "restart_syscall"])
    for name in names {
      #expect(SyscallDecoder.Call(name) == Self.reference(name), "\(name)")
    }
  }

  /// Words that fall into the same slot, and repeats of each, decode as a fresh decode does.
  @Test func memoGivesWhatItWasMadeOf() {
    let memo = ArgValueMemo()
    let words: [UInt64] = [0, 1, 0x3, 0x22, 0x20022, 0x10, 0x110, 0x1_0000_0010, 0x3d0f00, 0x7d0f00, 0xffff_ffff]
    for _ in 0..<3 {
      for word in words + words.reversed() {
        let made = SyscallDecoder.flags(word, in: MmapProt.table, unknownName: MmapProt.unknownName)
        #expect(memo.value(word) { SyscallDecoder.flags($0, in: MmapProt.table, unknownName: MmapProt.unknownName) } == made)
      }
    }
  }

  struct NoMemory: TraceeMemory {
    func read(_ address: UInt64, count: Int) -> [UInt8]? { nil }
  }

  /// The memoized words of `entry`, decoded twice in a row, come out as the tables print them.
  @Test func memoizedArgumentsStayTheSame() {
    for _ in 0..<2 {
      let mmap = SyscallDecoder.entry(
        name: "mmap", architecture: .x86_64, args: [0, 8192, 3, 0x20022, UInt64.max, 0], memory: NoMemory())
      #expect(mmap[2].value == .symbolic(Symbolic(parts: ["PROT_READ", "PROT_WRITE"], raw: 3)))
      #expect(mmap[3].value == .symbolic(Symbolic(parts: ["MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_STACK"], raw: 0x20022)))
      let clone = SyscallDecoder.entry(
        name: "clone", architecture: .x86_64, args: [0x1200011, 0, 0, 0x7f00, 0, 0], memory: NoMemory())
      #expect(
        clone[1].value
          == .symbolic(Symbolic(parts: ["CLONE_CHILD_CLEARTID", "CLONE_CHILD_SETTID", "SIGCHLD"], raw: 0x1200011)))
      let kill = SyscallDecoder.entry(name: "tkill", architecture: .x86_64, args: [7, 9, 0, 0, 0, 0], memory: NoMemory())
      #expect(kill[1].value == .symbolic(Symbolic(parts: ["SIGKILL"], raw: 9)))
    }
  }
}
