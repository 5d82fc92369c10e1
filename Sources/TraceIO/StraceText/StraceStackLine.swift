import TraceModel

/// One line of the stack `strace -k` prints after a call, as a frame.
///
/// strace's forms (its `unwind.c`): ` > MODULE(FUNCTION+0xOFFSET) [0xMODULE_OFFSET]`, ` > MODULE() [0xMODULE_OFFSET]`
/// when no symbol covers the address, and ` > ERROR [0xMODULE_OFFSET]` or ` > ERROR` when the unwind failed. The
/// bracket is the address as the module's file numbers it; strace never prints the address in the process, so
/// `pc` is 0 (unknown) in these frames.
enum StraceStackLine {
  static func frame(_ line: Bytes) -> StackFrame? {
    guard line.count > 3, line.has(" > ", at: 0) else { return nil }
    var end = line.count
    while end > 3, line[end - 1] == ASCII.space || line[end - 1] == 0x0D { end -= 1 }
    // `[0x…]` at the end.
    var moduleOffset: UInt64?
    var textEnd = end
    if end > 6, line[end - 1] == UInt8(ascii: "]"), let open = lastIndex(of: UInt8(ascii: "["), in: line, before: end - 1),
      open > 3, line[open - 1] == ASCII.space, line[open + 1] == UInt8(ascii: "0"), line[open + 2] == UInt8(ascii: "x")
    {
      moduleOffset = hex(line, from: open + 3, to: end - 1)
      textEnd = open - 1
    }
    let text = Array(line[3..<textEnd])
    // MODULE(…): the module is a path; FUNCTION may itself hold parentheses (a demangled C++ name).
    guard text.first == UInt8(ascii: "/"), text.last == UInt8(ascii: ")"),
      let open = text.firstIndex(of: UInt8(ascii: "("))
    else {
      return nil  // an unwind error, or something this reader does not know
    }
    var frame = StackFrame(pc: 0, module: String(decoding: text[..<open], as: UTF8.self), moduleOffset: moduleOffset)
    let inside = text[(open + 1)..<(text.count - 1)]
    guard !inside.isEmpty else { return frame }
    if let plus = lastPlusHex(inside) {
      frame.function = String(decoding: inside[..<plus], as: UTF8.self)
      frame.offset = hex(Array(inside), from: plus - inside.startIndex + 3, to: inside.count)
    } else {
      frame.function = String(decoding: inside, as: UTF8.self)
    }
    if frame.function?.isEmpty == true { frame.function = nil }
    return frame
  }

  private static func lastIndex(of byte: UInt8, in line: Bytes, before end: Int) -> Int? {
    var index = end - 1
    while index >= 0 {
      if line[index] == byte { return index }
      index -= 1
    }
    return nil
  }

  /// Where `+0x` starts in `FUNCTION+0xOFFSET`.
  private static func lastPlusHex(_ text: ArraySlice<UInt8>) -> Int? {
    var index = text.endIndex - 3
    while index >= text.startIndex {
      if text[index] == UInt8(ascii: "+"), text[index + 1] == UInt8(ascii: "0"), text[index + 2] == UInt8(ascii: "x") {
        return index
      }
      index -= 1
    }
    return nil
  }

  private static func hex(_ bytes: Bytes, from start: Int, to end: Int) -> UInt64? {
    hex(Array(bytes[start..<end]), from: 0, to: end - start)
  }

  private static func hex(_ bytes: [UInt8], from start: Int, to end: Int) -> UInt64? {
    guard start < end, end - start <= 16 else { return nil }
    var value: UInt64 = 0
    for byte in bytes[start..<end] {
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt64(digit)
    }
    return value
  }
}
