import SyscallDecoding
import Testing

/// Signal and errno names as strace prints them. The real-time names were checked against strace 6.1 by sending
/// signals 32, 33, 34 and 64 to a traced program: `SIGRTMIN`, `SIGRT_1`, `SIGRT_2`, `SIGRT_32`; 65 prints as `65`.
struct SignalsAndErrnoTests {
  @Test func signalNames() {
    #expect(Signals.name(of: 17) == "SIGCHLD")
    #expect(Signals.name(of: 11) == "SIGSEGV")
    #expect(Signals.name(of: 6) == "SIGABRT")
    #expect(Signals.name(of: 32) == "SIGRTMIN")
    #expect(Signals.name(of: 33) == "SIGRT_1")
    #expect(Signals.name(of: 34) == "SIGRT_2")
    #expect(Signals.name(of: 64) == "SIGRT_32")
    #expect(Signals.name(of: 65) == nil)
    #expect(Signals.name(of: 0) == nil)
    #expect(Signals.name(of: -1) == nil)
  }

  @Test func signalNumbers() {
    #expect(Signals.number(named: "SIGCHLD") == 17)
    #expect(Signals.number(named: "CHLD") == 17)
    #expect(Signals.number(named: "SIGCLD") == 17)
    #expect(Signals.number(named: "SIGIOT") == 6)
    #expect(Signals.number(named: "SIGPOLL") == 29)
    #expect(Signals.number(named: "SIGRTMIN") == 32)
    #expect(Signals.number(named: "RTMIN") == 32)
    #expect(Signals.number(named: "SIGRT_1") == 33)
    #expect(Signals.number(named: "RT_32") == 64)
    #expect(Signals.number(named: "SIGRTMAX") == 64)
    #expect(Signals.number(named: "SIGRT_0") == nil)
    #expect(Signals.number(named: "SIGRT_33") == nil)
    #expect(Signals.number(named: "SIGFOO") == nil)
    #expect(Signals.number(named: "SIGCHLD,"[...].dropLast()) == 17)
    for number in Int32(1)...64 {
      #expect(Signals.number(named: Signals.name(of: number)!) == number)
    }
  }

  @Test func signalDescriptions() {
    #expect(Signals.description(of: 11) == "invalid memory reference")
    #expect(Signals.description(of: 40) == "real-time signal")
    #expect(Signals.description(of: 0) == nil)
    #expect(Signals.defaultAction(of: 11) == .coreDump)
    #expect(Signals.defaultAction(of: 17) == .ignore)
    #expect(Signals.defaultAction(of: 19) == .stop)
    #expect(Signals.defaultAction(of: 35) == .terminate)
    for number in Int32(1)...64 {
      #expect(Signals.description(of: number) != nil)
      #expect(Signals.defaultAction(of: number) != nil)
    }
  }

  @Test func signalRendering() {
    #expect(Signals.render(17, style: .abbreviated) == "SIGCHLD")
    #expect(Signals.render(17, style: .raw) == "17")
    #expect(Signals.render(17, style: .verbose) == "17 /* SIGCHLD */")
    #expect(Signals.render(65, style: .verbose) == "65")
    #expect(Signals.render(0, style: .abbreviated) == "0")
  }

  @Test func errnoNames() {
    #expect(ErrnoNames.name(of: 2) == "ENOENT")
    #expect(ErrnoNames.message(of: 2) == "No such file or directory")
    #expect(ErrnoNames.name(of: 11) == "EAGAIN")
    #expect(ErrnoNames.name(of: 41) == nil)
    #expect(ErrnoNames.name(of: 58) == nil)
    #expect(ErrnoNames.name(of: 133) == "EHWPOISON")
    #expect(ErrnoNames.name(of: 134) == nil)
    #expect(ErrnoNames.name(of: 0) == nil)
    #expect(ErrnoNames.code(named: "EWOULDBLOCK") == 11)
    #expect(ErrnoNames.code(named: "EDEADLOCK") == 35)
    #expect(ErrnoNames.code(named: "ENOTSUP") == 95)
    #expect(ErrnoNames.code(named: "ESRCH") == 3)
    #expect(ErrnoNames.code(named: "ENOPE") == nil)
    for code in Int32(1)...133 where code != 41 && code != 58 {
      let name = ErrnoNames.name(of: code)
      #expect(name != nil, "errno \(code)")
      #expect(ErrnoNames.code(named: name ?? "") == code)
      #expect(ErrnoNames.message(of: code) != nil)
    }
  }

  /// The kernel-internal codes are not in any userspace header: the literals are include/linux/errno.h's, the texts
  /// strace's (src/syscall.c, except ENOIOCTLCMD, for which strace prints strerror's text).
  @Test func restartCodes() {
    let expected: [(Int32, String, String, Bool)] = [
      (512, "ERESTARTSYS", "To be restarted if SA_RESTART is set", true),
      (513, "ERESTARTNOINTR", "To be restarted", true),
      (514, "ERESTARTNOHAND", "To be restarted if no handler", true),
      (515, "ENOIOCTLCMD", "Unknown error 515", false),
      (516, "ERESTART_RESTARTBLOCK", "Interrupted by signal", true),
    ]
    for (code, name, message, isRestart) in expected {
      #expect(ErrnoNames.name(of: code) == name)
      #expect(ErrnoNames.code(named: name) == code)
      #expect(ErrnoNames.message(of: code) == message)
      #expect(ErrnoNames.isRestart(code) == isRestart)
    }
    #expect(!ErrnoNames.isRestart(4))
  }
}
