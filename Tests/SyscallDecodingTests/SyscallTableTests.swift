import CSeccomp
import Glibc
import Testing
import TraceModel

@testable import SyscallDecoding

/// The generated syscall tables against libseccomp, the library the engine's seccomp filter is built with.
struct SyscallTableTests {
  /// The rows added by hand because libseccomp 2.5.4 does not know them (scripts/generate-syscall-tables.c).
  static let addedByHand: [Architecture: [Int32]] = [
    .x86_64: [335, 336] + Array(457...471),
    .i386: Array(457...471),
  ]

  static func seccompArch(_ architecture: Architecture) -> UInt32 {
    switch architecture {
    case .x86_64: return cseccomp_arch_x86_64()
    case .i386: return cseccomp_arch_x86()
    }
  }

  static func seccompName(_ number: Int32, _ architecture: Architecture) -> String? {
    guard let name = seccomp_syscall_resolve_num_arch(seccompArch(architecture), number) else { return nil }
    defer { free(name) }
    return String(cString: name)
  }

  @Test(arguments: Architecture.allCases)
  func everyNumberMatchesLibseccomp(_ architecture: Architecture) {
    var onlyOurs: [Int32] = []
    for number in Int32(0)..<1024 {
      let ours = SyscallTable.name(of: number, in: architecture)
      if let theirs = Self.seccompName(number, architecture) {
        #expect(ours == theirs, "\(architecture) \(number)")
      } else if ours != nil {
        onlyOurs.append(number)
      }
    }
    #expect(onlyOurs == Self.addedByHand[architecture])
  }

  /// On i386, libseccomp resolves the names of the socket and SysV IPC calls to its negative pseudo-syscall
  /// numbers (they can also be reached through the multiplexers socketcall(2) and ipc(2)); the direct syscalls
  /// (Linux 4.3 and later) have the numbers our table gives, which libseccomp's number-to-name lookup confirms.
  static let multiplexedOnI386: Set<String> = [
    "socket", "socketpair", "bind", "connect", "listen", "accept4", "getsockopt", "setsockopt", "getsockname",
    "getpeername", "sendto", "sendmsg", "recvfrom", "recvmsg", "shutdown", "recvmmsg", "sendmmsg",
    "semget", "semctl", "shmget", "shmctl", "shmat", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl",
  ]

  @Test(arguments: Architecture.allCases)
  func namesRoundTrip(_ architecture: Architecture) {
    let handAdded = Set(Self.addedByHand[architecture] ?? [])
    var multiplexed: Set<String> = []
    for (number, name) in SyscallTable.entries(in: architecture) {
      #expect(SyscallTable.number(of: name, in: architecture) == number)
      #expect(SyscallTable.number(of: name[...], in: architecture) == number)
      #expect(SyscallTable.name(of: number, in: architecture) == name)
      guard !handAdded.contains(number) else { continue }
      let theirs = seccomp_syscall_resolve_name_arch(Self.seccompArch(architecture), name)
      if theirs < 0 {
        multiplexed.insert(name)
      } else {
        #expect(theirs == number, "\(name)")
      }
    }
    #expect(multiplexed == (architecture == .i386 ? Self.multiplexedOnI386 : []))
  }

  @Test func wellKnownNumbers() {
    #expect(SyscallTable.number(of: "clone", in: .x86_64) == 56)
    #expect(SyscallTable.number(of: "clone", in: .i386) == 120)
    #expect(SyscallTable.number(of: "clone3", in: .x86_64) == 435)
    #expect(SyscallTable.number(of: "clone3", in: .i386) == 435)
    #expect(SyscallTable.number(of: "futex", in: .x86_64) == 202)
    #expect(SyscallTable.number(of: "futex_waitv", in: .x86_64) == 449)
    #expect(SyscallTable.number(of: "mseal", in: .x86_64) == 462)
    #expect(SyscallTable.number(of: "uretprobe", in: .i386) == nil)
    #expect(SyscallTable.name(of: 334, in: .x86_64) == "rseq")
    #expect(SyscallTable.name(of: -1, in: .x86_64) == nil)
    #expect(SyscallTable.name(of: 4096, in: .x86_64) == nil)
    #expect(SyscallTable.number(of: "no_such_syscall", in: .x86_64) == nil)
  }
}
