// From include/uapi/linux/sched.h (Linux 7.2)

/// The flags of clone(2), clone3(2) and unshare(2), in the order strace prints them (`src/xlat/clone_flags.in`, then
/// `clone3_flags.in`).
///
/// clone(2) keeps the child's exit signal in the low byte of its flags word (`CSIGNAL`); clone3(2) has a field for it
/// and uses that byte for `CLONE_NEWTIME`. `render(_:style:exitSignalInLowByte:)` takes care of the difference.
public enum CloneFlags {
  /// The clone flags; the bits above 31 are meaningful to clone3(2) only.
  public static let table = FlagTable(
    name: "clone flags",
    [
      (0x0000_0100, "CLONE_VM"),
      (0x0000_0200, "CLONE_FS"),
      (0x0000_0400, "CLONE_FILES"),
      (0x0000_0800, "CLONE_SIGHAND"),
      (0x0000_1000, "CLONE_PIDFD"),
      (0x0000_2000, "CLONE_PTRACE"),
      (0x0000_4000, "CLONE_VFORK"),
      (0x0000_8000, "CLONE_PARENT"),
      (0x0001_0000, "CLONE_THREAD"),
      (0x0002_0000, "CLONE_NEWNS"),
      (0x0004_0000, "CLONE_SYSVSEM"),
      (0x0008_0000, "CLONE_SETTLS"),
      (0x0010_0000, "CLONE_PARENT_SETTID"),
      (0x0020_0000, "CLONE_CHILD_CLEARTID"),
      // CLONE_DETACHED 0x0040_0000 is left out, as strace does: clone(2) ignores it and clone3(2) rejects it, so
      // it prints as an unknown bit.
      (0x0080_0000, "CLONE_UNTRACED"),
      (0x0100_0000, "CLONE_CHILD_SETTID"),
      (0x0200_0000, "CLONE_NEWCGROUP"),
      (0x0400_0000, "CLONE_NEWUTS"),
      (0x0800_0000, "CLONE_NEWIPC"),
      (0x1000_0000, "CLONE_NEWUSER"),
      (0x2000_0000, "CLONE_NEWPID"),
      (0x4000_0000, "CLONE_NEWNET"),
      (0x8000_0000, "CLONE_IO"),
      // clone3(2) and unshare(2) only: in clone(2) this bit is part of the exit signal.
      (0x0000_0080, "CLONE_NEWTIME"),
      // clone3(2) only: clone(2) passes the kernel just the low 32 bits of its flags.
      (0x0001_0000_0000, "CLONE_CLEAR_SIGHAND"),
      (0x0002_0000_0000, "CLONE_INTO_CGROUP"),
      (0x0004_0000_0000, "CLONE_AUTOREAP"),
      (0x0008_0000_0000, "CLONE_NNP"),
      (0x0010_0000_0000, "CLONE_PIDFD_AUTOKILL"),
      (0x0020_0000_0000, "CLONE_EMPTY_MNTNS"),
    ])

  /// clone(2)'s exit-signal byte (`CSIGNAL`): the signal the parent gets when the child exits, 0 for none.
  public static let exitSignalMask: UInt64 = 0xff

  /// The legacy `CLONE_DETACHED` bit, which no row names (see the table): clone(2) ignores it, clone3(2) fails
  /// with EINVAL.
  public static let detached: UInt64 = 0x0040_0000

  /// What strace prints for a flag word no row explains.
  public static let unknownName = "CLONE_???"

  /// The names of the set flags, clone(2)'s exit signal, and the bits no flag explains.
  ///
  /// With `exitSignalInLowByte` (clone(2)) the low byte is the exit signal (reported even when it is 0) and bits
  /// 32…63 are unknown, because the kernel truncates clone(2)'s flags to 32 bits (`kernel/fork.c`,
  /// `lower_32_bits(clone_flags)`). Without it (clone3(2), unshare(2)) every bit is a flag and `exitSignal` is nil.
  public static func decompose(_ flags: UInt64, exitSignalInLowByte: Bool) -> (
    names: [String], exitSignal: Int32?, unknown: UInt64
  ) {
    guard exitSignalInLowByte else {
      let (names, unknown) = table.decompose(flags)
      return (names, nil, unknown)
    }
    let (names, unknown) = table.decompose(flags & 0xffff_ff00)
    return (names, Int32(flags & exitSignalMask), unknown | (flags & 0xffff_ffff_0000_0000))
  }

  /// The flags as strace prints them.
  ///
  /// For clone(2) (`exitSignalInLowByte`): `CLONE_VM|CLONE_VFORK|SIGCHLD`; raw `0x4100|17`; verbose
  /// `0x4100 /* CLONE_VM|CLONE_VFORK */|17 /* SIGCHLD */`; the signal alone when no flag is set (`SIGCHLD`, `0`).
  /// For clone3(2) and unshare(2): `CLONE_VM|CLONE_NEWTIME|0x10000000000`, or `0x10000000000 /* CLONE_??? */`.
  public static func render(_ flags: UInt64, style: XlatStyle, exitSignalInLowByte: Bool) -> String {
    guard exitSignalInLowByte else {
      return StraceXlat.flags(flags, in: table, unknownName: unknownName, style: style)
    }
    let signal = Int32(flags & exitSignalMask)
    let rest = flags & ~exitSignalMask
    if rest == 0 { return Signals.render(signal, style: style) }
    let (names, _, unknown) = decompose(flags, exitSignalInLowByte: true)
    let text = StraceXlat.flags(
      rest, names: names, unknown: unknown, zeroName: nil, unknownName: unknownName, style: style)
    return signal == 0 ? text : text + "|" + Signals.render(signal, style: style)
  }
}
