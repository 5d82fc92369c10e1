/// Trace data is untrusted: a thread name, a path or a string argument can hold terminal escape sequences.
/// Everything taken from a trace goes through `escape` before it reaches a terminal, so control bytes are shown
/// as `\xNN` escapes and can never move the cursor, retitle the window or hide lines.
public enum TerminalSafe {
  public static func escape(_ text: String) -> String {
    var needsWork = false
    for scalar in text.unicodeScalars where isControl(scalar) {
      needsWork = true
      break
    }
    guard needsWork else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      if isControl(scalar) {
        result += "\\x" + hex2(scalar.value)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// C0 controls, DEL and C1 controls (U+0080–U+009F, which some terminals take as CSI and OSC).
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
  }

  private static func hex2(_ value: UInt32) -> String {
    let digits = Array("0123456789abcdef")
    return String(digits[Int(value >> 4) & 0xF]) + String(digits[Int(value) & 0xF])
  }
}

/// ANSI styling, or none. `Palette.plain` adds nothing.
public struct Palette: Sendable {
  public let enabled: Bool

  public init(enabled: Bool) { self.enabled = enabled }

  public static let plain = Palette(enabled: false)

  public func bold(_ text: String) -> String { wrap(text, "1") }
  public func dim(_ text: String) -> String { wrap(text, "2") }
  public func red(_ text: String) -> String { wrap(text, "31") }
  public func green(_ text: String) -> String { wrap(text, "32") }
  public func yellow(_ text: String) -> String { wrap(text, "33") }
  public func blue(_ text: String) -> String { wrap(text, "34") }
  public func magenta(_ text: String) -> String { wrap(text, "35") }
  public func cyan(_ text: String) -> String { wrap(text, "36") }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
