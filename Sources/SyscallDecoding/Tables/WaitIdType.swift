// From include/uapi/linux/wait.h (Linux 7.2)

/// The `idtype` argument of waitid(2).
public enum WaitIdType {
  /// The id types.
  public static let table = ValueTable(
    name: "waitid id type", unknownName: "P_???",
    [
      (0, "P_ALL"),
      (1, "P_PID"),
      (2, "P_PGID"),
      (3, "P_PIDFD"),
    ])

  /// The id type as strace prints it: `P_ALL`, raw `0`, verbose `0 /* P_ALL */`.
  public static func render(_ idType: UInt64, style: XlatStyle) -> String {
    StraceXlat.value(idType, in: table, style: style)
  }
}
