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
    // ` [0x…]` at the end.
    var moduleOffset: UInt64?
    var textEnd = end
    if line[end - 1] == UInt8(ascii: "]"), let open = lastIndex(of: UInt8(ascii: "["), in: line, from: 4, to: end - 1),
      line[open - 1] == ASCII.space, let number = hexNumber(in: line, from: open + 1, to: end - 1)
    {
      moduleOffset = number
      textEnd = open - 1
    }
    // MODULE(…): the module is a path; FUNCTION may itself hold parentheses (a demangled C++ name).
    guard textEnd > 4, line[3] == UInt8(ascii: "/"), line[textEnd - 1] == UInt8(ascii: ")"),
      let open = firstIndex(of: UInt8(ascii: "("), in: line, from: 3, to: textEnd)
    else {
      return nil  // an unwind error, or something this reader does not know
    }
    var frame = StackFrame(
      pc: 0, module: String(decoding: line[3..<open], as: UTF8.self), moduleOffset: moduleOffset)
    let inside = (open + 1)..<(textEnd - 1)
    guard !inside.isEmpty else { return frame }
    if let plus = lastIndex(of: UInt8(ascii: "+"), in: line, from: inside.lowerBound, to: inside.upperBound),
      let offset = hexNumber(in: line, from: plus + 1, to: inside.upperBound)
    {
      if plus > inside.lowerBound { frame.function = String(decoding: line[inside.lowerBound..<plus], as: UTF8.self) }
      frame.offset = offset
    } else {
      frame.function = String(decoding: line[inside], as: UTF8.self)
    }
    return frame
  }

  /// `0x` and at most 16 hexadecimal digits filling `start..<end` exactly.
  private static func hexNumber(in line: Bytes, from start: Int, to end: Int) -> UInt64? {
    guard end - start > 2, end - start <= 18, line[start + 1] | 0x20 == ASCII.x,
      let number = line.cNumber(at: start, to: end), number.hex, number.end == end
    else { return nil }
    return number.value
  }

  private static func firstIndex(of byte: UInt8, in line: Bytes, from start: Int, to end: Int) -> Int? {
    var index = start
    while index < end {
      if line[index] == byte { return index }
      index += 1
    }
    return nil
  }

  private static func lastIndex(of byte: UInt8, in line: Bytes, from start: Int, to end: Int) -> Int? {
    var index = end - 1
    while index >= start {
      if line[index] == byte { return index }
      index -= 1
    }
    return nil
  }
}
