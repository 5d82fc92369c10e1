/// Standard base64 (RFC 4648 §4, `+` and `/`, `=` padding) for the bytes of tracee strings that are not UTF-8.
/// Hand-written because the format code stays free of Foundation.
enum Base64 {
  private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

  /// Appends the padded encoding of `bytes`.
  static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into buffer: ByteBuffer) {
    let table = alphabet.utf8Start
    buffer.reserve((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= bytes.count {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      buffer.append(table[Int(chunk >> 18)])
      buffer.append(table[Int(chunk >> 12 & 0x3F)])
      buffer.append(table[Int(chunk >> 6 & 0x3F)])
      buffer.append(table[Int(chunk & 0x3F)])
      index += 3
    }
    let left = bytes.count - index
    if left == 1 {
      let chunk = UInt32(bytes[index]) << 16
      buffer.append(table[Int(chunk >> 18)])
      buffer.append(table[Int(chunk >> 12 & 0x3F)])
      buffer.append("==")
    } else if left == 2 {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
      buffer.append(table[Int(chunk >> 18)])
      buffer.append(table[Int(chunk >> 12 & 0x3F)])
      buffer.append(table[Int(chunk >> 6 & 0x3F)])
      buffer.append(UInt8(ascii: "="))
    }
  }

  /// Decodes `text`; padding is optional. Nil when it holds anything but the alphabet, or a dangling character.
  static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    var end = text.count
    var padding = 0
    while end > 0 && text[end - 1] == UInt8(ascii: "=") && padding < 2 {
      end -= 1
      padding += 1
    }
    if padding > 0 && text.count % 4 != 0 { return nil }
    if end % 4 == 1 { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(end / 4 * 3 + 2)
    var accumulator: UInt32 = 0
    var bits = 0
    for index in 0..<end {
      guard let value = sextet(text[index]) else { return nil }
      accumulator = accumulator << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        accumulator &= (1 << UInt32(bits)) - 1
      }
    }
    return output
  }

  private static func sextet(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
  }
}
