// From include/uapi/linux/rseq.h (Linux 7.2)

/// The `flags` of `struct rseq` and `struct rseq_cs`. The three `NO_RESTART` bits are historical: the kernel now
/// requires them to be clear, and uses the field to advertise features (the `SLICE_EXT` bits).
public enum RseqCsFlags {
  /// The rseq critical-section flags.
  public static let table = FlagTable(
    name: "rseq cs flags",
    [
      (0x0000_0001, "RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT"),
      (0x0000_0002, "RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL"),
      (0x0000_0004, "RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE"),
      (0x0000_0010, "RSEQ_CS_FLAG_SLICE_EXT_AVAILABLE"),
      (0x0000_0020, "RSEQ_CS_FLAG_SLICE_EXT_ENABLED"),
    ])

  /// What strace prints for bits no row names.
  public static let unknownName = "RSEQ_CS_FLAG_???"

  /// The flags as strace prints them.
  public static func render(_ flags: UInt64, style: XlatStyle) -> String {
    StraceXlat.flags(flags, in: table, unknownName: unknownName, style: style)
  }
}
