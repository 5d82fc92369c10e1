// From include/uapi/linux/rseq.h (Linux 7.2); the signature from glibc's sysdeps/unix/sysv/linux/x86/bits/rseq.h.

/// The `flags` argument of rseq(2). glibc (2.35 and later) registers every thread's `struct rseq` itself, in the
/// thread's TCB, right after it starts; `RSEQ_FLAG_UNREGISTER` undoes that.
public enum RseqFlags {
  /// The rseq(2) flags.
  public static let table = FlagTable(
    name: "rseq flags",
    [
      (0x0000_0001, "RSEQ_FLAG_UNREGISTER"),
      (0x0000_0002, "RSEQ_FLAG_SLICE_EXT_DEFAULT_ON"),
    ])

  /// glibc's `RSEQ_SIG` on x86, the `sig` argument of its rseq(2) registration. The kernel only checks that the
  /// four bytes before a critical section's abort handler equal the signature given at registration; on x86
  /// glibc's value is the immediate of a `ud1 0x53053053(%rip), %edi`, an instruction that traps if ever run.
  public static let glibcSignatureX86: UInt64 = 0x5305_3053

  /// What strace prints for bits no row names.
  public static let unknownName = "RSEQ_FLAG_???"

  /// The flags as strace prints them: `0`, `RSEQ_FLAG_UNREGISTER`, `0x4 /* RSEQ_FLAG_??? */`.
  public static func render(_ flags: UInt64, style: XlatStyle) -> String {
    StraceXlat.flags(flags, in: table, unknownName: unknownName, style: style)
  }
}
