// From include/uapi/asm-generic/mman-common.h (Linux 7.2); x86 adds no protection bits of its own.

/// The `prot` argument of mmap(2), mprotect(2) and pkey_mprotect(2).
public enum MmapProt {
  /// The protection bits; zero is `PROT_NONE`, a guard page or a reservation.
  public static let table = FlagTable(
    name: "memory protection", zeroName: "PROT_NONE",
    [
      (0x0000_0001, "PROT_READ"),
      (0x0000_0002, "PROT_WRITE"),
      (0x0000_0004, "PROT_EXEC"),
      (0x0000_0008, "PROT_SEM"),
      // mprotect(2) only: extend the change to the start (end) of a grows-down (grows-up) mapping.
      (0x0100_0000, "PROT_GROWSDOWN"),
      (0x0200_0000, "PROT_GROWSUP"),
    ])

  /// What strace prints for bits no row names.
  public static let unknownName = "PROT_???"

  /// The protection as strace prints it: `PROT_READ|PROT_WRITE`, `PROT_NONE`, `0x10 /* PROT_??? */`.
  public static func render(_ prot: UInt64, style: XlatStyle) -> String {
    StraceXlat.flags(prot, in: table, unknownName: unknownName, style: style)
  }
}
