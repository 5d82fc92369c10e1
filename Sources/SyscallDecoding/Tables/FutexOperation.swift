// From include/uapi/linux/futex.h (Linux 7.2)

/// The `futex_op` argument of futex(2): a command in the low 7 bits plus modifier bits. strace looks the whole word
/// up in one table of commands and the composite names (`src/xlat/futexops.in`), so a command with a modifier it
/// does not list prints as `0x101 /* FUTEX_??? */`; `render` does the same.
public enum FutexOperation {
  /// The command field (`op & 127`; the kernel's `FUTEX_CMD_MASK` also clears the modifier bits).
  public static let commandMask: UInt64 = 127
  /// `FUTEX_PRIVATE_FLAG`: the futex is not shared with other processes, so the kernel keys it by address only.
  public static let privateFlag: UInt64 = 128
  /// `FUTEX_CLOCK_REALTIME`: an absolute timeout is on CLOCK_REALTIME instead of CLOCK_MONOTONIC.
  public static let clockRealtimeFlag: UInt64 = 256

  /// The commands alone.
  public static let commandTable = ValueTable(
    name: "futex command", unknownName: "FUTEX_???",
    [
      (0, "FUTEX_WAIT"),
      (1, "FUTEX_WAKE"),
      (2, "FUTEX_FD"),
      (3, "FUTEX_REQUEUE"),
      (4, "FUTEX_CMP_REQUEUE"),
      (5, "FUTEX_WAKE_OP"),
      (6, "FUTEX_LOCK_PI"),
      (7, "FUTEX_UNLOCK_PI"),
      (8, "FUTEX_TRYLOCK_PI"),
      (9, "FUTEX_WAIT_BITSET"),
      (10, "FUTEX_WAKE_BITSET"),
      (11, "FUTEX_WAIT_REQUEUE_PI"),
      (12, "FUTEX_CMP_REQUEUE_PI"),
      (13, "FUTEX_LOCK_PI2"),
    ])

  /// The modifier bits, with the robust-list unlock operations of Linux 7.2.
  public static let modifierTable = FlagTable(
    name: "futex modifiers",
    [
      (0x080, "FUTEX_PRIVATE_FLAG"),
      (0x100, "FUTEX_CLOCK_REALTIME"),
      (0x200, "FUTEX_ROBUST_UNLOCK"),
      (0x400, "FUTEX_ROBUST_LIST32"),
    ])

  /// Whole `futex_op` words as strace names them: commands, then the header's composite names, then the
  /// combinations strace spells out with `|`.
  public static let table = ValueTable(
    name: "futex operation", unknownName: "FUTEX_???",
    commandTable.entries.map { ($0.value, $0.name) } + [
      (128, "FUTEX_WAIT_PRIVATE"),
      (129, "FUTEX_WAKE_PRIVATE"),
      (130, "FUTEX_FD|FUTEX_PRIVATE_FLAG"),
      (131, "FUTEX_REQUEUE_PRIVATE"),
      (132, "FUTEX_CMP_REQUEUE_PRIVATE"),
      (133, "FUTEX_WAKE_OP_PRIVATE"),
      (134, "FUTEX_LOCK_PI_PRIVATE"),
      (135, "FUTEX_UNLOCK_PI_PRIVATE"),
      (136, "FUTEX_TRYLOCK_PI_PRIVATE"),
      (137, "FUTEX_WAIT_BITSET_PRIVATE"),
      (138, "FUTEX_WAKE_BITSET_PRIVATE"),
      (139, "FUTEX_WAIT_REQUEUE_PI_PRIVATE"),
      (140, "FUTEX_CMP_REQUEUE_PI_PRIVATE"),
      (141, "FUTEX_LOCK_PI2_PRIVATE"),
      (256, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"),
      (384, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"),
      (265, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"),
      (393, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"),
      (267, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"),
      (395, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"),
      (519, "FUTEX_UNLOCK_PI_LIST64"),
      (647, "FUTEX_UNLOCK_PI_LIST64_PRIVATE"),
      (1543, "FUTEX_UNLOCK_PI_LIST32"),
      (1671, "FUTEX_UNLOCK_PI_LIST32_PRIVATE"),
      (513, "FUTEX_UNLOCK_WAKE_LIST64"),
      (641, "FUTEX_UNLOCK_WAKE_LIST64_PRIVATE"),
      (1537, "FUTEX_UNLOCK_WAKE_LIST32"),
      (1665, "FUTEX_UNLOCK_WAKE_LIST32_PRIVATE"),
      (522, "FUTEX_UNLOCK_BITSET_LIST64"),
      (650, "FUTEX_UNLOCK_BITSET_LIST64_PRIVATE"),
      (1546, "FUTEX_UNLOCK_BITSET_LIST32"),
      (1674, "FUTEX_UNLOCK_BITSET_LIST32_PRIVATE"),
    ])

  /// The `val3` of the bitset commands that matches every waiter (strace prints it by name).
  public static let bitsetTable = ValueTable(
    name: "futex bitset", unknownName: "FUTEX_BITSET_???",
    [
      (0xffff_ffff, "FUTEX_BITSET_MATCH_ANY")
    ])

  /// The command, its name, the private and realtime-clock modifiers, and any other bits (unknown ones, and the
  /// robust-unlock bits of `modifierTable`, which `render` names through `table`).
  public static func decode(_ op: UInt64) -> (
    command: UInt64, commandName: String?, isPrivate: Bool, clockRealtime: Bool, unknown: UInt64
  ) {
    let command = op & commandMask
    return (
      command, commandTable.name(of: command), op & privateFlag != 0, op & clockRealtimeFlag != 0,
      op & ~(commandMask | privateFlag | clockRealtimeFlag)
    )
  }

  /// The operation as strace prints it: `FUTEX_WAIT_PRIVATE`, `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`,
  /// `FUTEX_WAKE`; raw `0x81`; verbose `0x81 /* FUTEX_WAKE_PRIVATE */`; unknown `0x8e /* FUTEX_??? */`.
  public static func render(_ op: UInt64, style: XlatStyle) -> String {
    StraceXlat.value(op, in: table, style: style)
  }
}
