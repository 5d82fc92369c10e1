// From arch/x86/include/uapi/asm/prctl.h (Linux 7.2)

/// The `code` argument of arch_prctl(2) on x86. A new thread's TLS pointer is normally set by clone's
/// `CLONE_SETTLS`; the main thread's is set by the dynamic loader with `ARCH_SET_FS`.
public enum ArchPrctlCode {
  /// The arch_prctl(2) codes.
  public static let table = ValueTable(
    name: "arch_prctl code", unknownName: "ARCH_???",
    [
      (0x1001, "ARCH_SET_GS"),
      (0x1002, "ARCH_SET_FS"),
      (0x1003, "ARCH_GET_FS"),
      (0x1004, "ARCH_GET_GS"),
      (0x1011, "ARCH_GET_CPUID"),
      (0x1012, "ARCH_SET_CPUID"),
      (0x1021, "ARCH_GET_XCOMP_SUPP"),
      (0x1022, "ARCH_GET_XCOMP_PERM"),
      (0x1023, "ARCH_REQ_XCOMP_PERM"),
      (0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
      (0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
      (0x2001, "ARCH_MAP_VDSO_X32"),
      (0x2002, "ARCH_MAP_VDSO_32"),
      (0x2003, "ARCH_MAP_VDSO_64"),
      (0x4001, "ARCH_GET_UNTAG_MASK"),
      (0x4002, "ARCH_ENABLE_TAGGED_ADDR"),
      (0x4003, "ARCH_GET_MAX_TAG_BITS"),
      (0x4004, "ARCH_FORCE_TAGGED_SVA"),
      (0x5001, "ARCH_SHSTK_ENABLE"),
      (0x5002, "ARCH_SHSTK_DISABLE"),
      (0x5003, "ARCH_SHSTK_LOCK"),
      (0x5004, "ARCH_SHSTK_UNLOCK"),
      (0x5005, "ARCH_SHSTK_STATUS"),
    ])

  /// The code as strace prints it: `ARCH_SET_FS`, raw `0x1002`, verbose `0x1002 /* ARCH_SET_FS */`.
  public static func render(_ code: UInt64, style: XlatStyle) -> String {
    StraceXlat.value(code, in: table, style: style)
  }
}
