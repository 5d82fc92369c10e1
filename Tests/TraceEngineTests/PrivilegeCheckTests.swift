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
      PrivilegeCheck.warning(for: setuid, hasSysPtrace: false)
        == "\(setuid) is set-user-ID (runs as uid \(uid)): traced by threadtrace without CAP_SYS_PTRACE it runs "
        + "without those privileges (the kernel drops them at exec under ptrace), so it may fail or behave differently")
    #expect(PrivilegeCheck.warning(for: setgid, hasSysPtrace: false)?.contains("is set-group-ID (runs as gid ") == true)
    #expect(PrivilegeCheck.warning(for: plain, hasSysPtrace: false) == nil)
    // With CAP_SYS_PTRACE the kernel honours the bits: nothing to warn about.
    #expect(PrivilegeCheck.warning(for: setuid, hasSysPtrace: true) == nil)
  }

  @Test func commandsAreFoundInPATHAsExecvpFindsThem() throws {
    #expect(PrivilegeCheck.warning(for: "no-such-command-\(UUID().uuidString)", hasSysPtrace: false) == nil)
    // `su` is set-user-ID root on Debian; where it exists, a bare name is looked up in PATH.
    if let su = ["/usr/bin/su", "/bin/su"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
      var info = stat()
      if stat(su, &info) == 0, info.st_mode & S_ISUID != 0 {
        #expect(PrivilegeCheck.warning(for: "su", hasSysPtrace: false)?.contains("is set-user-ID (runs as uid 0)") == true)
      }
    }
  }
}
