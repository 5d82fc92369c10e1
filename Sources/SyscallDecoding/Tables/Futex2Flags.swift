// From include/uapi/linux/futex.h (Linux 7.2)

/// The `flags` of futex_wait(2), futex_wake(2), futex_requeue(2) and of each `struct futex_waitv` of
/// futex_waitv(2): a size field (the futex word's width) plus flags, printed as strace's `print_futex2_flags`
/// (`src/futex2.c`) does: `FUTEX2_SIZE_U32|FUTEX2_PRIVATE`.
public enum Futex2Flags {
  /// The size field (`FUTEX2_SIZE_MASK`).
  public static let sizeMask: UInt64 = 0x03

  /// The futex word sizes.
  public static let sizeTable = ValueTable(
    name: "futex2 size", unknownName: "FUTEX2_SIZE_???",
    [
      (0x00, "FUTEX2_SIZE_U8"),
      (0x01, "FUTEX2_SIZE_U16"),
      (0x02, "FUTEX2_SIZE_U32"),
      (0x03, "FUTEX2_SIZE_U64"),
    ])

  /// The flags beside the size.
  public static let table = FlagTable(
    name: "futex2 flags",
    [
      (0x04, "FUTEX2_NUMA"),
      (0x08, "FUTEX2_MPOL"),
      (0x80, "FUTEX2_PRIVATE"),
    ])

  /// The most waiters one futex_waitv(2) call takes (`FUTEX_WAITV_MAX`).
  public static let waitvMax = 128

  /// The size's name, the flag names and the bits nothing explains.
  public static func decompose(_ flags: UInt64) -> (size: String, flags: [String], unknown: UInt64) {
    let (names, unknown) = table.decompose(flags & ~sizeMask)
    // Every value of the two-bit field has a name.
    return (sizeTable.name(of: flags & sizeMask) ?? hex(flags & sizeMask), names, unknown)
  }

  /// The flags as strace prints them: `FUTEX2_SIZE_U32|FUTEX2_PRIVATE`, raw `0x82`,
  /// verbose `0x82 /* FUTEX2_SIZE_U32|FUTEX2_PRIVATE */`.
  public static func render(_ flags: UInt64, style: XlatStyle) -> String {
    let (size, names, unknown) = decompose(flags)
    var parts = [size] + names
    if unknown != 0 { parts.append(hex(unknown)) }
    return StraceXlat.composite(flags, parts: parts, style: style)
  }
}
