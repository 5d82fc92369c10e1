/// Rust symbol names as people read them: `std::thread::lifecycle::spawn_unchecked` for the legacy mangling
/// (`_ZN3std6thread9lifecycle15spawn_unchecked17h2fc2967ebe2ed99dE`) and `<std::sys::thread::unix::Thread>::new`
/// for v0 (`_RNvMs0_NtNtNtCsjrHSEGnQ3l9_3std3sys6thread4unixNtB5_6Thread3new`).
///
/// Rust's stack frames name std's thread machinery; mangled, a creator stack of a Rust program is unreadable and
/// a `diff` of two builds shows hash differences. Only the paths real creator stacks hold are decoded: a name with
/// generic arguments, a non-path type or Punycode is kept as it is rather than half decoded.
enum RustDemangler {
  static func demangle(_ name: String) -> String? {
    if name.hasPrefix("_ZN") { return legacy(Array(name.utf8)) }
    if name.hasPrefix("_R") {
      var parser = V0(bytes: Array(name.utf8.dropFirst(2)))
      return parser.symbol()
    }
    return nil
  }

  // MARK: Legacy (`_ZN` len-prefixed components `E`, the last one the hash `17h` + 16 hex digits)

  private static func legacy(_ bytes: [UInt8]) -> String? {
    var index = 3
    var components: [String] = []
    while index < bytes.count, bytes[index] != UInt8(ascii: "E") {
      var length = 0
      while index < bytes.count, let digit = decimalDigit(bytes[index]) {
        length = length * 10 + digit
        index += 1
        if length > bytes.count { return nil }
      }
      guard length > 0, index + length <= bytes.count else { return nil }
      components.append(String(decoding: bytes[index..<(index + length)], as: UTF8.self))
      index += length
    }
    guard index == bytes.count - 1, !components.isEmpty else { return nil }
    if let last = components.last, last.utf8.count == 17, last.hasPrefix("h"),
      last.utf8.dropFirst().allSatisfy({ hexDigit($0) != nil })
    {
      components.removeLast()
    }
    guard !components.isEmpty else { return nil }
    return components.map(unescapeLegacy).joined(separator: "::")
  }

  /// `$LT$` `<`, `$GT$` `>`, `$RF$` `&`, `$BP$` `*`, `$C$` `,`, `$SP$` `@`, `$LP$` `(`, `$RP$` `)`, `$uXX$` any
  /// character, `..` `::`.
  private static func unescapeLegacy(_ component: String) -> String {
    var text = component
    if text.hasPrefix("_$") { text.removeFirst() }
    guard text.contains("$") || text.contains("..") else { return text }
    var out = ""
    var rest = Substring(text)
    while !rest.isEmpty {
      if rest.hasPrefix("..") {
        out += "::"
        rest = rest.dropFirst(2)
      } else if rest.first == "$", let close = rest.dropFirst().firstIndex(of: "$") {
        let code = rest[rest.index(after: rest.startIndex)..<close]
        switch code {
        case "LT": out += "<"
        case "GT": out += ">"
        case "RF": out += "&"
        case "BP": out += "*"
        case "C": out += ","
        case "SP": out += "@"
        case "LP": out += "("
        case "RP": out += ")"
        default:
          guard code.first == "u", let scalar = UInt32(code.dropFirst(), radix: 16).flatMap(Unicode.Scalar.init) else {
            return component
          }
          out.unicodeScalars.append(scalar)
        }
        rest = rest[rest.index(after: close)...]
      } else {
        out.append(rest.removeFirst())
      }
    }
    return out
  }

  // MARK: v0 (RFC 2603): paths only

  private struct V0 {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func symbol() -> String? {
      // An optional encoding version (decimal) comes first; none is defined yet.
      guard index < bytes.count, decimalDigit(bytes[index]) == nil, let text = path() else { return nil }
      // What is left, if anything, is the instantiating crate: not part of the name.
      return text
    }

    private mutating func next() -> UInt8? {
      guard index < bytes.count else { return nil }
      defer { index += 1 }
      return bytes[index]
    }

    private mutating func path() -> String? {
      depth += 1
      defer { depth -= 1 }
      guard depth < 64, let tag = next() else { return nil }
      switch tag {
      case UInt8(ascii: "C"):
        return identifier()?.name
      case UInt8(ascii: "N"):
        guard let namespace = next(), let parent = path(), let (name, disambiguator) = identifier() else { return nil }
        switch namespace {
        case UInt8(ascii: "C"): return parent + "::{closure#\(disambiguator)}" + (name.isEmpty ? "" : "::" + name)
        case UInt8(ascii: "S"): return parent + "::{shim" + (name.isEmpty ? "" : ":" + name) + "#\(disambiguator)}"
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return name.isEmpty ? parent : parent + "::" + name
        default: return nil
        }
      case UInt8(ascii: "M"):
        guard skipDisambiguator(), path() != nil, let type = type() else { return nil }
        return "<" + type + ">"
      case UInt8(ascii: "X"):
        guard skipDisambiguator(), path() != nil, let type = type(), let trait = path() else { return nil }
        return "<" + type + " as " + trait + ">"
      case UInt8(ascii: "Y"):
        guard let type = type(), let trait = path() else { return nil }
        return "<" + type + " as " + trait + ">"
      case UInt8(ascii: "B"):
        return backref { $0.path() }
      default:
        return nil  // generic arguments (I), or anything newer
      }
    }

    /// Only types that are paths (or back-references to one): a struct's or trait object's name.
    private mutating func type() -> String? {
      guard index < bytes.count else { return nil }
      switch bytes[index] {
      case UInt8(ascii: "C"), UInt8(ascii: "N"), UInt8(ascii: "M"), UInt8(ascii: "X"), UInt8(ascii: "Y"):
        return path()
      case UInt8(ascii: "B"):
        index += 1
        return backref { $0.type() }
      default:
        return nil
      }
    }

    /// A back-reference: parse at an earlier position (counted after `_R`), then carry on after the reference.
    private mutating func backref(_ parse: (inout V0) -> String?) -> String? {
      guard let target = base62(), target >= 0, target < index - 1 else { return nil }
      let resume = index
      index = target
      let text = parse(&self)
      index = resume
      return text
    }

    private mutating func skipDisambiguator() -> Bool {
      guard index < bytes.count, bytes[index] == UInt8(ascii: "s") else { return true }
      index += 1
      return base62() != nil
    }

    /// `[s<base-62>] <decimal length> [_] <bytes>`; Punycode (`u`) is not decoded.
    private mutating func identifier() -> (name: String, disambiguator: Int)? {
      var disambiguator = 0
      if index < bytes.count, bytes[index] == UInt8(ascii: "s") {
        index += 1
        guard let value = base62() else { return nil }
        disambiguator = value &+ 1
      }
      guard index < bytes.count, bytes[index] != UInt8(ascii: "u") else { return nil }
      var length = 0
      var digits = 0
      while index < bytes.count, let digit = decimalDigit(bytes[index]) {
        length = length * 10 + digit
        digits += 1
        index += 1
        if length > bytes.count { return nil }
      }
      guard digits > 0 else { return nil }
      if index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
      guard index + length <= bytes.count else { return nil }
      defer { index += length }
      return (String(decoding: bytes[index..<(index + length)], as: UTF8.self), disambiguator)
    }

    /// `_` is 0; otherwise digits 0-9 a-z A-Z, then `_`, plus one.
    private mutating func base62() -> Int? {
      var value = 0
      var digits = 0
      while let byte = next() {
        if byte == UInt8(ascii: "_") { return digits == 0 ? 0 : value &+ 1 }
        let digit: Int
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = Int(byte - UInt8(ascii: "A")) + 36
        default: return nil
        }
        // Wrapping: a crate's disambiguator is a 64-bit hash; only back-references need the value, and they are
        // small and checked against the position.
        value = value &* 62 &+ digit
        digits += 1
      }
      return nil
    }
  }

  private static func decimalDigit(_ byte: UInt8) -> Int? {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
  }

  private static func hexDigit(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
    default: return nil
    }
  }
}
