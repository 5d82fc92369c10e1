// From include/uapi/linux/futex.h (Linux 7.2)

/// The `val3` of `FUTEX_WAKE_OP`, packed by the header's `FUTEX_OP(op, oparg, cmp, cmparg)`: the kernel applies `op`
/// with `oparg` to the word at `uaddr2`, wakes `val` waiters on `uaddr`, and also wakes `val2` waiters on `uaddr2`
/// when the word's old value compares true against `cmparg`. glibc's condition variables used it before 2.25.
public enum FutexWakeOp {
  /// The operations on the second word (bits 28…30).
  public static let operationTable = ValueTable(
    name: "futex wake-op operation", unknownName: "FUTEX_OP_???",
    [
      (0, "FUTEX_OP_SET"),
      (1, "FUTEX_OP_ADD"),
      (2, "FUTEX_OP_OR"),
      (3, "FUTEX_OP_ANDN"),
      (4, "FUTEX_OP_XOR"),
    ])

  /// The comparisons of its old value (bits 24…27).
  public static let comparisonTable = ValueTable(
    name: "futex wake-op comparison", unknownName: "FUTEX_OP_CMP_???",
    [
      (0, "FUTEX_OP_CMP_EQ"),
      (1, "FUTEX_OP_CMP_NE"),
      (2, "FUTEX_OP_CMP_LT"),
      (3, "FUTEX_OP_CMP_LE"),
      (4, "FUTEX_OP_CMP_GT"),
      (5, "FUTEX_OP_CMP_GE"),
    ])

  /// `FUTEX_OP_OPARG_SHIFT`, in the operation field (bit 31 of `val3`): the operand is `1 << oparg`.
  public static let opargShiftFlag: UInt64 = 8

  /// The four fields of `val3`.
  public static func decode(_ val3: UInt64) -> (
    operation: UInt64, operationName: String?, opargIsShift: Bool, oparg: UInt64, comparison: UInt64,
    comparisonName: String?, cmparg: UInt64
  ) {
    let operation = (val3 >> 28) & 0x7
    let comparison = (val3 >> 24) & 0xf
    return (
      operation, operationTable.name(of: operation), (val3 >> 28) & opargShiftFlag != 0, (val3 >> 12) & 0xfff,
      comparison, comparisonTable.name(of: comparison), val3 & 0xfff
    )
  }

  /// `val3` as strace prints it with `-Xabbrev`: `FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1`, preceded by
  /// `FUTEX_OP_OPARG_SHIFT<<28|` when that bit is set, an unknown field as `0x6<<24 /* FUTEX_OP_CMP_??? */`. Raw is
  /// the number, verbose the number with that text as a comment (strace spells each field in its own style there),
  /// an unknown field there without its label.
  public static func render(_ val3: UInt64, style: XlatStyle) -> String {
    let fields = decode(val3)
    // Inside verbose's comment an unknown field stays a plain number: C comments do not nest.
    func field(_ value: UInt64, _ name: String?, shift: Int, unknownName: String) -> String {
      if let name { return "\(name)<<\(shift)" }
      let number = "\(StraceXlat.number(value))<<\(shift)"
      return style == .verbose ? number : "\(number) /* \(unknownName) */"
    }
    var parts: [String] = []
    if fields.opargIsShift { parts.append("FUTEX_OP_OPARG_SHIFT<<28") }
    parts.append(field(fields.operation, fields.operationName, shift: 28, unknownName: operationTable.unknownName))
    parts.append("\(StraceXlat.number(fields.oparg))<<12")
    parts.append(
      field(fields.comparison, fields.comparisonName, shift: 24, unknownName: comparisonTable.unknownName))
    parts.append(StraceXlat.number(fields.cmparg))
    return StraceXlat.composite(val3, parts: parts, style: style)
  }
}
