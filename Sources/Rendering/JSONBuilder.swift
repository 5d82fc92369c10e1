/// A small JSON writer that keeps keys in the order written (the summary contract reads best in a fixed order)
/// and escapes every control character, so untrusted trace text cannot break the document or a terminal.
struct JSONBuilder {
  private(set) var text = ""
  private var needsComma: [Bool] = [false]
  let indentUnit: String
  private var depth = 0

  init(pretty: Bool = true) { indentUnit = pretty ? "  " : "" }

  mutating func beginObject(_ key: String? = nil) { open(key, "{") }
  mutating func endObject() { close("}") }
  mutating func beginArray(_ key: String? = nil) { open(key, "[") }
  mutating func endArray() { close("]") }

  mutating func field(_ key: String, _ value: String?) { raw(key, value.map(Self.quote) ?? "null") }
  mutating func field(_ key: String, _ value: Int?) { raw(key, value.map(String.init) ?? "null") }
  mutating func field(_ key: String, _ value: Int32?) { raw(key, value.map(String.init) ?? "null") }
  mutating func field(_ key: String, _ value: Int64?) { raw(key, value.map(String.init) ?? "null") }
  mutating func field(_ key: String, _ value: UInt64?) { raw(key, value.map(String.init) ?? "null") }
  mutating func field(_ key: String, _ value: Bool?) { raw(key, value.map { $0 ? "true" : "false" } ?? "null") }
  mutating func hexField(_ key: String, _ value: UInt64?) {
    raw(key, value.map { Self.quote("0x" + String($0, radix: 16)) } ?? "null")
  }
  mutating func null(_ key: String) { raw(key, "null") }
  mutating func element(_ value: String) { raw(nil, Self.quote(value)) }
  mutating func element(_ value: Int) { raw(nil, String(value)) }

  private mutating func open(_ key: String?, _ bracket: String) {
    prefix(key)
    text += bracket
    depth += 1
    needsComma.append(false)
  }

  private mutating func close(_ bracket: String) {
    let hadElements = needsComma.removeLast()
    depth -= 1
    if hadElements && !indentUnit.isEmpty { text += "\n" + String(repeating: indentUnit, count: depth) }
    text += bracket
  }

  private mutating func raw(_ key: String?, _ value: String) {
    prefix(key)
    text += value
  }

  private mutating func prefix(_ key: String?) {
    if needsComma[needsComma.count - 1] { text += "," }
    needsComma[needsComma.count - 1] = true
    if depth > 0 && !indentUnit.isEmpty { text += "\n" + String(repeating: indentUnit, count: depth) }
    if let key { text += Self.quote(key) + (indentUnit.isEmpty ? ":" : ": ") }
  }

  static func quote(_ string: String) -> String {
    var result = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F) {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
