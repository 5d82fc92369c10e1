/// How a decoded constant is printed, after strace's `-X` styles (`src/xlat.h`).
public enum XlatStyle: String, Sendable, CaseIterable {
  /// The number only: `0x3d0f00`.
  case raw
  /// Names, with the leftover bits as a number: `CLONE_VM|CLONE_FS|0x40000000`.
  case abbreviated
  /// Both: `0x3d0f00 /* CLONE_VM|CLONE_FS */`.
  case verbose
}

/// A table of bit flags with literal values, in kernel header order (strace `src/xlat/*.in`).
///
/// Decoding never drops bits: whatever the table does not name is printed as a hexadecimal remainder.
public struct FlagTable: Sendable {
  /// What the flags are, for messages (`clone flags`).
  public let name: String
  /// `(value, name)` rows; a value may have several bits (a composite listed before its parts wins).
  public let entries: [(value: UInt64, name: String)]
  /// Printed when the value is zero (`0`, `PROT_NONE`).
  public let zeroName: String?

  public init(name: String, zeroName: String? = nil, _ entries: [(UInt64, String)]) {
    self.name = name
    self.zeroName = zeroName
    self.entries = entries.map { (value: $0.0, name: $0.1) }
  }

  /// The names of the set bits and what no row explains.
  public func decompose(_ raw: UInt64) -> (names: [String], unknown: UInt64) {
    var remaining = raw
    var names: [String] = []
    // Each name takes at least one bit: one allocation, not one per doubling (a pthread's clone3 has nine).
    names.reserveCapacity(min(entries.count, raw.nonzeroBitCount))
    // Over the buffer, reading a row's value in place: iterating the rows copied each, a retain and a release of
    // its name, for every row (measured: ~1.2 k instructions per clone3 flag word).
    entries.withUnsafeBufferPointer { entries in
      for index in entries.indices {
        let value = entries[index].value
        if value != 0 && remaining & value == value {
          names.append(entries[index].name)
          remaining &= ~value
        }
      }
    }
    return (names, remaining)
  }

  /// The names, with unknown bits as one hexadecimal part, as strace prints them.
  public func parts(_ raw: UInt64) -> [String] {
    if raw == 0 { return [zeroName ?? "0"] }
    let (names, unknown) = decompose(raw)
    return unknown == 0 ? names : names + [hex(unknown)]
  }

  public func render(_ raw: UInt64, style: XlatStyle = .abbreviated) -> String {
    switch style {
    case .raw: return hex(raw)
    case .abbreviated: return parts(raw).joined(separator: "|")
    case .verbose:
      let (names, _) = decompose(raw)
      return names.isEmpty ? hex(raw) : "\(hex(raw)) /* \(parts(raw).joined(separator: "|")) */"
    }
  }

  /// The value of one name in this table.
  public func value(named name: String) -> UInt64? {
    entries.first(where: { $0.name == name })?.value
  }
}

/// A table of distinct values (a command, an option, an advice), strace's `printxval`.
public struct ValueTable: Sendable {
  public let name: String
  public let entries: [(value: UInt64, name: String)]
  /// Printed, with the number, for a value no row names (`MADV_???`).
  public let unknownName: String
  private let byValue: [UInt64: String]

  public init(name: String, unknownName: String, _ entries: [(UInt64, String)]) {
    self.name = name
    self.unknownName = unknownName
    self.entries = entries.map { (value: $0.0, name: $0.1) }
    var byValue: [UInt64: String] = [:]
    for (value, name) in entries where byValue[value] == nil { byValue[value] = name }
    self.byValue = byValue
  }

  public func name(of value: UInt64) -> String? { byValue[value] }

  public func value(named name: String) -> UInt64? {
    entries.first(where: { $0.name == name })?.value
  }

  public func render(_ value: UInt64, style: XlatStyle = .abbreviated) -> String {
    guard let name = byValue[value] else {
      return style == .raw ? "\(value)" : "\(value) /* \(unknownName) */"
    }
    switch style {
    case .raw: return "\(value)"
    case .abbreviated: return name
    case .verbose: return "\(value) /* \(name) */"
    }
  }
}

func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
