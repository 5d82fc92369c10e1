// From include/uapi/asm-generic/signal-defs.h (Linux 7.2), which x86 uses.

/// The `how` argument of rt_sigprocmask(2). glibc blocks every signal around clone in pthread_create, so the new
/// thread starts with all signals blocked until it has set itself up.
public enum SigprocmaskHow {
  /// The ways to change the mask.
  public static let table = ValueTable(
    name: "sigprocmask how", unknownName: "SIG_???",
    [
      (0, "SIG_BLOCK"),
      (1, "SIG_UNBLOCK"),
      (2, "SIG_SETMASK"),
    ])

  /// The value as strace prints it: `SIG_BLOCK`, raw `0`, verbose `0 /* SIG_BLOCK */`.
  public static func render(_ how: UInt64, style: XlatStyle) -> String {
    StraceXlat.value(how, in: table, style: style)
  }
}
