// From include/uapi/linux/fcntl.h (Linux 7.2)

/// The `*at` family's common pieces: the `AT_FDCWD` directory descriptor and the `AT_*` flags strace decodes for
/// them (`src/xlat/at_flags.in`, plus `AT_EXECVE_CHECK` for execveat(2)).
public enum AtFlags {
  /// The `dirfd` meaning "the current working directory" (`AT_FDCWD`).
  public static let fdcwd: Int32 = -100

  /// The flags.
  public static let table = FlagTable(
    name: "at flags",
    [
      (0x0000_0100, "AT_SYMLINK_NOFOLLOW"),
      (0x0000_0200, "AT_REMOVEDIR"),
      (0x0000_0400, "AT_SYMLINK_FOLLOW"),
      (0x0000_0800, "AT_NO_AUTOMOUNT"),
      (0x0000_1000, "AT_EMPTY_PATH"),
      (0x0000_8000, "AT_RECURSIVE"),
      (0x0001_0000, "AT_EXECVE_CHECK"),
    ])

  /// What strace prints for bits no row names.
  public static let unknownName = "AT_???"

  /// The flags as strace prints them: `AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH`.
  public static func render(_ flags: UInt64, style: XlatStyle) -> String {
    StraceXlat.flags(flags, in: table, unknownName: unknownName, style: style)
  }

  /// A directory descriptor as strace prints it: `AT_FDCWD`, raw `-100`, verbose `-100 /* AT_FDCWD */`, or the
  /// number.
  public static func renderDirectory(_ fd: Int32, style: XlatStyle) -> String {
    guard fd == fdcwd else { return "\(fd)" }
    switch style {
    case .raw: return "\(fd)"
    case .abbreviated: return "AT_FDCWD"
    case .verbose: return "\(fd) /* AT_FDCWD */"
    }
  }
}
