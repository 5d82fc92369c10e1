// From include/uapi/asm-generic/mman-common.h (Linux 7.2)

/// The `advice` argument of madvise(2) and process_madvise(2). glibc frees a dead thread's cached stack with
/// `MADV_DONTNEED`; guard regions (`MADV_GUARD_INSTALL`) are the lightweight alternative to `PROT_NONE` guard pages.
public enum MadviseAdvice {
  /// The advice values.
  public static let table = ValueTable(
    name: "madvise advice", unknownName: "MADV_???",
    [
      (0, "MADV_NORMAL"),
      (1, "MADV_RANDOM"),
      (2, "MADV_SEQUENTIAL"),
      (3, "MADV_WILLNEED"),
      (4, "MADV_DONTNEED"),
      (8, "MADV_FREE"),
      (9, "MADV_REMOVE"),
      (10, "MADV_DONTFORK"),
      (11, "MADV_DOFORK"),
      (100, "MADV_HWPOISON"),
      (101, "MADV_SOFT_OFFLINE"),
      (12, "MADV_MERGEABLE"),
      (13, "MADV_UNMERGEABLE"),
      (14, "MADV_HUGEPAGE"),
      (15, "MADV_NOHUGEPAGE"),
      (16, "MADV_DONTDUMP"),
      (17, "MADV_DODUMP"),
      (18, "MADV_WIPEONFORK"),
      (19, "MADV_KEEPONFORK"),
      (20, "MADV_COLD"),
      (21, "MADV_PAGEOUT"),
      (22, "MADV_POPULATE_READ"),
      (23, "MADV_POPULATE_WRITE"),
      (24, "MADV_DONTNEED_LOCKED"),
      (25, "MADV_COLLAPSE"),
      (102, "MADV_GUARD_INSTALL"),
      (103, "MADV_GUARD_REMOVE"),
    ])

  /// The advice as strace prints it: `MADV_DONTNEED`, raw `0x4`, verbose `0x4 /* MADV_DONTNEED */`,
  /// unknown `0x4d /* MADV_??? */`.
  public static func render(_ advice: UInt64, style: XlatStyle) -> String {
    StraceXlat.value(advice, in: table, style: style)
  }
}
