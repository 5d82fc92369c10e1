// From include/uapi/asm-generic/fcntl.h (Linux 7.2), which x86 uses.

/// The `flags` of open(2), openat(2) and `struct open_how`: the access mode in the low two bits is a value, printed
/// first; the rest are flags, in the order strace prints them (`src/xlat/open_mode_flags.in`).
public enum OpenFlags {
  /// The access mode field (`O_ACCMODE`).
  public static let accessModeMask: UInt64 = 0o3

  /// The access modes; strace prints the invalid mode 3 as `O_ACCMODE`.
  public static let accessModeTable = ValueTable(
    name: "access mode", unknownName: "O_???",
    [
      (0o0, "O_RDONLY"),
      (0o1, "O_WRONLY"),
      (0o2, "O_RDWR"),
      (0o3, "O_ACCMODE"),
    ])

  /// The flags; a composite comes before its parts, so that the composite's name wins.
  public static let table = FlagTable(
    name: "open flags",
    [
      (0o0000_0100, "O_CREAT"),
      (0o0000_0200, "O_EXCL"),
      (0o0000_0400, "O_NOCTTY"),
      (0o0000_1000, "O_TRUNC"),
      (0o0000_2000, "O_APPEND"),
      (0o0000_4000, "O_NONBLOCK"),
      // O_SYNC is __O_SYNC|O_DSYNC: the kernel keeps the old O_SYNC bit as O_DSYNC.
      (0o0401_0000, "O_SYNC"),
      (0o0400_0000, "__O_SYNC"),
      (0o0001_0000, "O_DSYNC"),
      (0o0004_0000, "O_DIRECT"),
      (0o0010_0000, "O_LARGEFILE"),
      (0o0040_0000, "O_NOFOLLOW"),
      (0o0100_0000, "O_NOATIME"),
      (0o0200_0000, "O_CLOEXEC"),
      (0o1000_0000, "O_PATH"),
      // O_TMPFILE is __O_TMPFILE|O_DIRECTORY: a kernel that ignores the unknown bit then fails (a directory cannot be
      // opened for writing) instead of opening the directory.
      (0o2020_0000, "O_TMPFILE"),
      (0o2000_0000, "__O_TMPFILE"),
      (0o0020_0000, "O_DIRECTORY"),
      (0o4_0000_0000, "O_EMPTYPATH"),
      (0o0002_0000, "FASYNC"),
    ])

  /// Other names for the same bits, accepted when parsing, never printed.
  public static let aliases: [(name: String, value: UInt64)] = [
    ("O_NDELAY", 0o4000)
  ]

  /// The flags as strace prints them: `O_RDWR|O_CREAT|O_CLOEXEC`, `O_RDONLY`, `O_ACCMODE|0x40000000`; raw
  /// `0x80042`; verbose `0x80042 /* O_RDWR|O_CREAT|O_CLOEXEC */`.
  public static func render(_ flags: UInt64, style: XlatStyle) -> String {
    // Every value of the two-bit field has a name.
    let mode = accessModeTable.name(of: flags & accessModeMask) ?? hex(flags & accessModeMask)
    let (names, unknown) = table.decompose(flags & ~accessModeMask)
    var parts = [mode] + names
    if unknown != 0 { parts.append(hex(unknown)) }
    return StraceXlat.composite(flags, parts: parts, style: style)
  }
}
