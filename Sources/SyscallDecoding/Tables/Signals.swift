// From arch/x86/include/uapi/asm/signal.h (Linux 7.2); descriptions after signal(7).

/// Signal numbers and names on x86 (x86_64 and i386 share them), printed as strace prints them: `SIGCHLD`, and for
/// the real-time signals numbers relative to the kernel's first one, `SIGRTMIN` (32), `SIGRT_1` (33) … `SIGRT_32`
/// (64). glibc's `SIGRTMIN` is 34 because NPTL keeps 32 and 33 for itself; strace (and so threadtrace) counts from
/// the kernel's 32.
public enum Signals {
  /// The standard signals 1…31 and the kernel's `SIGRTMIN`.
  public static let table = ValueTable(
    name: "signal", unknownName: "SIG_???",
    [
      (1, "SIGHUP"),
      (2, "SIGINT"),
      (3, "SIGQUIT"),
      (4, "SIGILL"),
      (5, "SIGTRAP"),
      (6, "SIGABRT"),
      (7, "SIGBUS"),
      (8, "SIGFPE"),
      (9, "SIGKILL"),
      (10, "SIGUSR1"),
      (11, "SIGSEGV"),
      (12, "SIGUSR2"),
      (13, "SIGPIPE"),
      (14, "SIGALRM"),
      (15, "SIGTERM"),
      (16, "SIGSTKFLT"),
      (17, "SIGCHLD"),
      (18, "SIGCONT"),
      (19, "SIGSTOP"),
      (20, "SIGTSTP"),
      (21, "SIGTTIN"),
      (22, "SIGTTOU"),
      (23, "SIGURG"),
      (24, "SIGXCPU"),
      (25, "SIGXFSZ"),
      (26, "SIGVTALRM"),
      (27, "SIGPROF"),
      (28, "SIGWINCH"),
      (29, "SIGIO"),
      (30, "SIGPWR"),
      (31, "SIGSYS"),
      (32, "SIGRTMIN"),
    ])

  /// Other names for the same numbers, accepted when parsing but never printed (`SIGCLD` is glibc's, not the
  /// kernel's; `SIGRTMAX` is the kernel's `_NSIG`).
  public static let aliases: [(name: String, number: Int32)] = [
    ("SIGIOT", 6),
    ("SIGCLD", 17),
    ("SIGPOLL", 29),
    ("SIGRTMAX", 64),
  ]

  /// The kernel's first real-time signal (`SIGRTMIN` in `asm/signal.h`).
  public static let realtimeMin: Int32 = 32
  /// The kernel's last signal on x86 (`_NSIG`).
  public static let realtimeMax: Int32 = 64

  /// What the kernel does with a signal nobody handles (signal(7) "Standard signals").
  public enum DefaultAction: String, Sendable, CaseIterable {
    /// The process is killed.
    case terminate
    /// The process is killed and dumps core.
    case coreDump
    /// Nothing happens.
    case ignore
    /// The process stops (job control).
    case stop
    /// A stopped process continues.
    case `continue`
  }

  private static let details: [Int32: (description: String, action: DefaultAction)] = [
    1: ("hangup of the controlling terminal or death of its controlling process", .terminate),
    2: ("interrupt from the keyboard", .terminate),
    3: ("quit from the keyboard", .coreDump),
    4: ("illegal instruction", .coreDump),
    5: ("trace or breakpoint trap", .coreDump),
    6: ("abort signal, from abort(3)", .coreDump),
    7: ("bus error (bad memory access)", .coreDump),
    8: ("floating-point exception", .coreDump),
    9: ("kill signal, which cannot be caught or ignored", .terminate),
    10: ("user-defined signal 1", .terminate),
    11: ("invalid memory reference", .coreDump),
    12: ("user-defined signal 2", .terminate),
    13: ("broken pipe: write to a pipe with no readers", .terminate),
    14: ("timer signal, from alarm(2)", .terminate),
    15: ("termination signal", .terminate),
    16: ("stack fault on coprocessor (unused)", .terminate),
    17: ("child stopped or terminated", .ignore),
    18: ("continue if stopped", .continue),
    19: ("stop process, which cannot be caught or ignored", .stop),
    20: ("stop typed at the terminal", .stop),
    21: ("terminal input for a background process", .stop),
    22: ("terminal output for a background process", .stop),
    23: ("urgent condition on a socket", .ignore),
    24: ("CPU time limit exceeded", .coreDump),
    25: ("file size limit exceeded", .coreDump),
    26: ("virtual alarm clock", .terminate),
    27: ("profiling timer expired", .terminate),
    28: ("window resize", .ignore),
    29: ("I/O now possible", .terminate),
    30: ("power failure", .terminate),
    31: ("bad system call", .coreDump),
  ]

  private static let numbersByName: [Substring: Int32] = {
    var numbers: [Substring: Int32] = [:]
    for entry in table.entries { numbers[Substring(entry.name)] = Int32(entry.value) }
    for alias in aliases { numbers[Substring(alias.name)] = alias.number }
    return numbers
  }()

  /// The name strace prints for `number`: `SIGCHLD`, `SIGRTMIN`, `SIGRT_3`; nil outside 1…64.
  public static func name(of number: Int32) -> String? {
    if number > realtimeMin && number <= realtimeMax { return "SIGRT_\(number - realtimeMin)" }
    guard number > 0 else { return nil }
    return table.name(of: UInt64(number))
  }

  /// The number of a signal name: `SIGCHLD`, an alias (`SIGCLD`), `SIGRTMIN`, `SIGRT_n`, or the same without the
  /// `SIG` prefix as strace prints signal sets (`[CHLD RTMIN RT_1]`).
  public static func number(named name: some StringProtocol) -> Int32? {
    let name = substring(name)
    let hasPrefix = name.hasPrefix("SIG")
    let bare = hasPrefix ? name.dropFirst(3) : name
    if bare.hasPrefix("RT_") {
      guard let offset = Int32(bare.dropFirst(3)), offset >= 1, offset <= realtimeMax - realtimeMin else { return nil }
      return realtimeMin + offset
    }
    return hasPrefix ? numbersByName[name] : numbersByName[("SIG" + bare)[...]]
  }

  /// A one-line description for messages (`SIGSEGV`: "invalid memory reference").
  public static func description(of number: Int32) -> String? {
    if number >= realtimeMin && number <= realtimeMax { return "real-time signal" }
    return details[number]?.description
  }

  /// What happens when nobody handles the signal; real-time signals terminate.
  public static func defaultAction(of number: Int32) -> DefaultAction? {
    if number >= realtimeMin && number <= realtimeMax { return .terminate }
    return details[number]?.action
  }

  /// The signal as strace prints it (`printsignal`): `SIGCHLD`, `17`, or `17 /* SIGCHLD */`; an unknown number
  /// (0, 65…) is printed in decimal in every style.
  public static func render(_ number: Int32, style: XlatStyle) -> String {
    guard let name = name(of: number) else { return "\(number)" }
    switch style {
    case .raw: return "\(number)"
    case .abbreviated: return name
    case .verbose: return "\(number) /* \(name) */"
    }
  }
}
