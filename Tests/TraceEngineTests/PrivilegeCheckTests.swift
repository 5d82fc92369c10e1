import Foundation
import Testing
import TraceEngine

#if canImport(Glibc)
  import Glibc
#endif

@Suite("The warning before tracing a program that gains privileges at exec")
struct PrivilegeCheckTests {
  static func file(mode: mode_t) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("privilege-\(UUID().uuidString)").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8)))
    #expect(chmod(path, mode) == 0)
    return path
  }

  @Test func setuidAndSetgidProgramsAreNamedWithWhatTheyLose() throws {
    let setuid = try Self.file(mode: 0o4755)
    let setgid = try Self.file(mode: 0o2755)
    let plain = try Self.file(mode: 0o755)
    defer { for path in [setuid, setgid, plain] { unlink(path) } }
    let uid = getuid()
    #expect(
      PrivilegeCheck.warning(for: setuid, fastPath: true, hasSysPtrace: false)
        == "\(setuid) is set-user-ID (runs as uid \(uid)): traced by threadtrace without CAP_SYS_PTRACE it runs "
        + "without those privileges (the kernel drops them at exec under ptrace), so it may fail or behave differently")
    #expect(PrivilegeCheck.warning(for: setgid, fastPath: false, hasSysPtrace: false)?.contains("is set-group-ID (runs as gid ") == true)
    #expect(PrivilegeCheck.warning(for: plain, fastPath: true, hasSysPtrace: false, hasSysAdmin: false) == nil)
    // With CAP_SYS_PTRACE, and CAP_SYS_ADMIN for the fast path's filter, the kernel honours the bits.
    #expect(PrivilegeCheck.warning(for: setuid, fastPath: true, hasSysPtrace: true, hasSysAdmin: true) == nil)
    #expect(PrivilegeCheck.warning(for: setuid, fastPath: false, hasSysPtrace: true, hasSysAdmin: false) == nil)
    // Without CAP_SYS_ADMIN the fast path's filter needs NO_NEW_PRIVS.
    #expect(
      PrivilegeCheck.warning(for: setuid, fastPath: true, hasSysPtrace: true, hasSysAdmin: false)
        == "\(setuid) is set-user-ID (runs as uid \(uid)): the fast path's seccomp filter needs NO_NEW_PRIVS without "
        + "CAP_SYS_ADMIN, under which it runs without those privileges, so it may fail or behave differently; "
        + "--all-syscalls runs it with them")
  }

  @Test func commandsAreFoundInPATHAsExecvpFindsThem() throws {
    #expect(PrivilegeCheck.warning(for: "no-such-command-\(UUID().uuidString)", fastPath: true, hasSysPtrace: false) == nil)
    // `su` is set-user-ID root on Debian; where it exists, a bare name is looked up in PATH.
    if let su = ["/usr/bin/su", "/bin/su"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
      var info = stat()
      if stat(su, &info) == 0, info.st_mode & S_ISUID != 0 {
        #expect(PrivilegeCheck.warning(for: "su", fastPath: true, hasSysPtrace: false)?.contains("is set-user-ID (runs as uid 0)") == true)
      }
    }
  }

  /// The capability check reads `CapEff` from /proc/self/status: bit for bit what the kernel reports there.
  @Test func capabilitiesAreTheEffectiveSetOfProcSelfStatus() throws {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("CapEff:") })
    let effective = try #require(UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16))
    for bit in 0..<41 {
      #expect(AttachCheck.hasCapability(bit) == (effective & (1 << UInt64(bit)) != 0), "capability \(bit)")
    }
  }
}
