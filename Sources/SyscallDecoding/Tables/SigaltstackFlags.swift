// From include/uapi/linux/signal.h (Linux 7.2)

/// `ss_flags` of `stack_t` (sigaltstack(2)). Rust's runtime gives each thread an alternate signal stack, with a
/// guard page, so that a stack overflow can be reported instead of killing the process silently.
public enum SigaltstackFlags {
  /// The sigaltstack flags; `SS_ONSTACK` is only ever reported back (the thread is running on the stack).
  public static let table = FlagTable(
    name: "sigaltstack flags",
    [
      (0x0000_0001, "SS_ONSTACK"),
      (0x0000_0002, "SS_DISABLE"),
      (0x8000_0000, "SS_AUTODISARM"),
    ])

  /// What strace prints for bits no row names.
  public static let unknownName = "SS_???"

  /// The flags as strace prints them: `0`, `SS_DISABLE`, `SS_ONSTACK|SS_AUTODISARM`.
  public static func render(_ flags: UInt64, style: XlatStyle) -> String {
    StraceXlat.flags(flags, in: table, unknownName: unknownName, style: style)
  }
}
