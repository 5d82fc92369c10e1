// From include/uapi/linux/wait.h (Linux 7.2)

/// The `options` of wait4(2) and waitid(2). A thread is not reported to `wait` unless the waiter passes `__WALL`
/// (or `__WCLONE`): its exit signal is not SIGCHLD, or it has none.
public enum WaitOptions {
  /// The wait options, in the order strace prints them (`src/xlat/wait4_options.in`).
  public static let table = FlagTable(
    name: "wait options",
    [
      (0x0000_0001, "WNOHANG"),
      // strace prints bit 1 as WSTOPPED (waitid's name); WUNTRACED is wait4's name for the same bit.
      (0x0000_0002, "WSTOPPED"),
      (0x0000_0002, "WUNTRACED"),
      (0x0000_0004, "WEXITED"),
      (0x0000_0008, "WCONTINUED"),
      (0x0100_0000, "WNOWAIT"),
      (0x8000_0000, "__WCLONE"),
      (0x4000_0000, "__WALL"),
      (0x2000_0000, "__WNOTHREAD"),
    ])

  /// What strace prints for bits no row names.
  public static let unknownName = "W???"

  /// The options as strace prints them: `WNOHANG|__WALL`, `0`, `WNOHANG|0x100`.
  public static func render(_ options: UInt64, style: XlatStyle) -> String {
    StraceXlat.flags(options, in: table, unknownName: unknownName, style: style)
  }
}
