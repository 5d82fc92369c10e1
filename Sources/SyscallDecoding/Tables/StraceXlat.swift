/// strace's printing rules for a decoded constant (`src/xlat.c`: `printflags_ex`, `printxval`), shared by the tables'
/// `render` functions so that every table prints the way strace 6.x does in all three `-X` styles.
///
/// Numbers are hexadecimal as C's `%#llx` prints them (`0` for zero, never `0x0`). An argument nothing in its table
/// names keeps the table's "unknown" label as a comment (`0x10 /* PROT_??? */`), so the line still says what kind of
/// value it was.
enum StraceXlat {
  /// `%#llx`: `0` for zero, else `0x…`.
  static func number(_ value: UInt64) -> String { value == 0 ? "0" : hex(value) }

  /// A flag set already split into names and leftover bits (`printflags_ex`).
  static func flags(
    _ raw: UInt64, names: [String], unknown: UInt64, zeroName: String?, unknownName: String?, style: XlatStyle
  ) -> String {
    if style == .raw { return number(raw) }
    if raw == 0 {
      guard let zeroName else { return "0" }
      return style == .verbose ? "0 /* \(zeroName) */" : zeroName
    }
    if names.isEmpty {
      guard let unknownName else { return hex(raw) }
      return "\(hex(raw)) /* \(unknownName) */"
    }
    let joined = join(names, unknown: unknown)
    return style == .verbose ? "\(hex(raw)) /* \(joined) */" : joined
  }

  /// What `flags(_:names:unknown:zeroName:unknownName:style: .abbreviated)` prints, as the parts it joins with
  /// `|`: the live decoder keeps the parts (`Symbolic.parts`), and joining them only to split them again was most
  /// of decoding a call's flags. No part is empty or holds a `|` (table names never do).
  static func abbreviatedParts(
    _ raw: UInt64, names: [String], unknown: UInt64, zeroName: String?, unknownName: String?
  ) -> [String] {
    if raw == 0 { return [zeroName ?? "0"] }
    if names.isEmpty {
      guard let unknownName else { return [hex(raw)] }
      return ["\(hex(raw)) /* \(unknownName) */"]
    }
    return unknown == 0 ? names : names + [hex(unknown)]
  }

  /// `abbreviatedParts` of a flag set decoded by one table.
  static func abbreviatedParts(_ raw: UInt64, in table: FlagTable, unknownName: String?) -> [String] {
    let (names, unknown) = table.decompose(raw)
    return abbreviatedParts(raw, names: names, unknown: unknown, zeroName: table.zeroName, unknownName: unknownName)
  }

  /// A flag set decoded by one table (`printflags_ex` with that table).
  static func flags(_ raw: UInt64, in table: FlagTable, unknownName: String?, style: XlatStyle) -> String {
    let (names, unknown) = table.decompose(raw)
    return flags(raw, names: names, unknown: unknown, zeroName: table.zeroName, unknownName: unknownName, style: style)
  }

  /// One value of a value table (`printxval`): the name, or the number with the table's unknown label.
  static func value(_ raw: UInt64, in table: ValueTable, style: XlatStyle) -> String {
    let name = table.name(of: raw)
    switch style {
    case .raw: return number(raw)
    case .abbreviated: return name ?? "\(number(raw)) /* \(table.unknownName) */"
    case .verbose: return "\(number(raw)) /* \(name ?? table.unknownName) */"
    }
  }

  /// A word made of fields and flags (mmap flags, open flags, futex2 flags), from its already printed parts;
  /// `raw` and `verbose` wrap the parts the way `printflags_ex` does.
  static func composite(_ raw: UInt64, parts: [String], style: XlatStyle) -> String {
    switch style {
    case .raw: return number(raw)
    case .abbreviated: return parts.joined(separator: "|")
    case .verbose: return "\(number(raw)) /* \(parts.joined(separator: "|")) */"
    }
  }

  static func join(_ names: [String], unknown: UInt64) -> String {
    let joined = names.joined(separator: "|")
    return unknown == 0 ? joined : joined + "|" + hex(unknown)
  }
}

/// The text as a `Substring` without copying when it already is one or a `String` (the common cases), so lookups in
/// `Substring`-keyed dictionaries cost no allocation.
@inline(__always)
func substring(_ text: some StringProtocol) -> Substring {
  if let text = text as? Substring { return text }
  if let text = text as? String { return text[...] }
  return String(text)[...]
}
