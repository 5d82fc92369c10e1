/// Every constant name the tables know, with its value: what turns strace's `CLONE_VM|CLONE_FS|SIGCHLD` back into a
/// number. Names come from all the flag and value tables (composite names such as `FUTEX_WAIT_PRIVATE` included),
/// signals (`SIGCHLD`, `SIGRT_3`), errno names, `AT_FDCWD` and the `MAP_HUGE_*` sizes.
public enum SymbolTable {
  /// The value of one constant name, or nil when no table has it.
  public static func value(of name: some StringProtocol) -> UInt64? {
    values[substring(name)]
  }

  /// The OR of the parts of a `|`-joined constant as strace prints it, or nil if any part is unknown or empty.
  ///
  /// A part is a name (`CLONE_VM`), a number in C syntax (`0x40000000`, `17`, `0600`, `-100`), or a shift of either
  /// (`21<<MAP_HUGE_SHIFT`, `1<<26`, `FUTEX_OP_SET<<28`); a trailing comment (`0x8 /* MAP_??? */`) and surrounding
  /// spaces are ignored.
  public static func resolve(parts: [Substring]) -> UInt64? {
    guard !parts.isEmpty else { return nil }
    var result: UInt64 = 0
    for part in parts {
      guard let value = resolve(part: part) else { return nil }
      result |= value
    }
    return result
  }

  /// Keyed by `Substring` so that `resolve` looks parts up without copying them into `String`s (names longer than 15
  /// bytes, like `CLONE_CHILD_CLEARTID`, would need a heap allocation each).
  // Built at the first strace line of every run, so its cost is paid per run (measured: a tenth of explaining a
  // small log): sized once, and one store per name, in reverse so that the first entry of a name is the one kept.
  static let values: [Substring: UInt64] = {
    let entries = Self.entries
    var values: [Substring: UInt64] = [:]
    values.reserveCapacity(entries.count)
    for (name, value) in entries.reversed() { values[name[...]] = value }
    return values
  }()

  /// The shift amounts a `N<<NAME` part may name.
  private static let shifts: [Substring: UInt64] = ["MAP_HUGE_SHIFT": MmapFlags.hugeShift]

  /// Every (name, value) pair, in table order; names containing `|` (strace's spelled-out futex combinations) are
  /// left out because `resolve` sees their parts.
  static var entries: [(name: String, value: UInt64)] {
    var entries: [(name: String, value: UInt64)] = []
    let flagTables = [
      CloneFlags.table, MmapProt.table, MmapFlags.table, FutexOperation.modifierTable, Futex2Flags.table,
      RseqFlags.table, RseqCsFlags.table, SigaltstackFlags.table, OpenFlags.table, AtFlags.table, WaitOptions.table,
    ]
    for table in flagTables {
      entries += table.entries.map { ($0.name, $0.value) }
      if let zeroName = table.zeroName { entries.append((zeroName, 0)) }
    }
    let valueTables = [
      MmapFlags.typeTable, MmapFlags.hugePageSizeTable, MadviseAdvice.table, FutexOperation.table,
      FutexOperation.commandTable, FutexOperation.bitsetTable, FutexWakeOp.operationTable,
      FutexWakeOp.comparisonTable, Futex2Flags.sizeTable, PrctlOption.table,
      PrctlOption.setVMATable, ArchPrctlCode.table, OpenFlags.accessModeTable, WaitIdType.table,
      SigprocmaskHow.table, Signals.table, ErrnoNames.table,
    ]
    for table in valueTables { entries += table.entries.map { ($0.name, $0.value) } }
    entries += OpenFlags.aliases
    entries += Signals.aliases.map { ($0.name, UInt64($0.number)) }
    for number in (Signals.realtimeMin + 1)...Signals.realtimeMax {
      entries.append((Signals.name(of: number)!, UInt64(number)))
    }
    entries += ErrnoNames.aliases.map { ($0.name, UInt64($0.code)) }
    entries.append(("AT_FDCWD", UInt64(bitPattern: Int64(AtFlags.fdcwd))))
    entries.append(("FUTEX_OP_OPARG_SHIFT", FutexWakeOp.opargShiftFlag))
    // (Over the bytes: a `String` search walks `Character`s, and the names are ASCII.)
    return entries.filter { !$0.name.utf8.contains(UInt8(ascii: "|")) }
  }

  private static func resolve(part: Substring) -> UInt64? {
    // Most parts are plain names: look them up before scanning for comments, spaces, numbers and shifts.
    if let value = values[part] { return value }
    var text = part
    if let comment = text.utf8.firstIndex(of: UInt8(ascii: "/")) { text = text[..<comment] }
    text = trimmed(text)
    guard let shift = text.utf8.firstIndex(of: UInt8(ascii: "<")) else { return operand(text) }
    let rest = text[text.utf8.index(after: shift)...]
    guard rest.utf8.first == UInt8(ascii: "<"), let base = operand(text[..<shift]) else { return nil }
    let amountText = rest.dropFirst()
    guard let amount = shifts[amountText] ?? number(amountText), amount < 64 else { return nil }
    return base << amount
  }

  /// A number, or a name (`FUTEX_OP_SET` in `FUTEX_OP_SET<<28`).
  private static func operand(_ text: Substring) -> UInt64? {
    guard let first = text.utf8.first else { return nil }
    if first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) { return number(text) }
    return values[text]
  }

  private static func trimmed(_ text: Substring) -> Substring {
    var text = text
    while text.utf8.first == UInt8(ascii: " ") { text = text.dropFirst() }
    while text.utf8.last == UInt8(ascii: " ") { text = text.dropLast() }
    return text
  }

  /// A C integer literal: `0x…` hexadecimal, `0…` octal, else decimal; `-n` as its 64-bit two's complement.
  private static func number(_ text: Substring) -> UInt64? {
    var digits = text.utf8[...]
    let negative = digits.first == UInt8(ascii: "-")
    if negative { digits = digits.dropFirst() }
    var radix: UInt64 = 10
    if digits.count > 1, digits.first == UInt8(ascii: "0") {
      digits = digits.dropFirst()
      if digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X") {
        radix = 16
        digits = digits.dropFirst()
      } else {
        radix = 8
      }
    }
    guard !digits.isEmpty else { return nil }
    var value: UInt64 = 0
    for byte in digits {
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
      default: return nil
      }
      guard digit < radix else { return nil }
      let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
      guard !overflow else { return nil }
      let (sum, carry) = shifted.addingReportingOverflow(digit)
      guard !carry else { return nil }
      value = sum
    }
    return negative ? 0 &- value : value
  }
}
