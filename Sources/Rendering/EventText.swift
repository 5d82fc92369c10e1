import Analysis
import SyscallDecoding
import TraceModel

/// One event as a line of text, in strace's shape (`tid  name(args) = result`), built from the model so that a
/// live run and a replayed file print the same. Every piece of trace data is escaped for the terminal.
///
/// The text is written as UTF-8 bytes into a caller's buffer: a traced program's every event goes through here,
/// and building it from `String` pieces (a concatenation, a `joined`, a `String(radix:)` each) was most of the
/// cost of printing one.
public struct EventText: Sendable {
  public var palette: Palette
  /// How constants are printed (strace `-X`).
  public var style: XlatStyle

  public init(palette: Palette = .plain, style: XlatStyle = .abbreviated) {
    self.palette = palette
    self.style = style
  }

  public func line(_ event: TraceEvent) -> String {
    var bytes: [UInt8] = []
    write(event, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the event's line (without a newline; a stack adds lines below it) to `out`.
  public func write(_ event: TraceEvent, to out: inout [UInt8]) {
    TextBytes.decimal(Int64(event.tid), width: 6, to: &out)
    out.append(UInt8(ascii: " "))
    switch event.body {
    case .syscall(let call):
      write(call, to: &out)
      if let stack = call.stack, !stack.isEmpty {
        out.append(0x0A)
        writeStack(stack, to: &out)
      }
    case .signal(let signal):
      palette.start(Palette.magentaCode, &out)
      TextBytes.append("--- ", to: &out)
      TextBytes.append(signalName(signal.signal), to: &out)
      if let details = signal.details {
        TextBytes.append(" {", to: &out)
        TerminalSafe.write(details, to: &out)
        out.append(UInt8(ascii: "}"))
      }
      TextBytes.append(" ---", to: &out)
      palette.end(&out)
    case .groupStop(let signal):
      palette.start(Palette.magentaCode, &out)
      TextBytes.append("--- stopped by ", to: &out)
      TextBytes.append(signalName(signal), to: &out)
      TextBytes.append(" ---", to: &out)
      palette.end(&out)
    case .exited(let code):
      palette.start(Palette.boldCode, &out)
      TextBytes.append("+++ exited with ", to: &out)
      TextBytes.decimal(Int64(code), to: &out)
      TextBytes.append(" +++", to: &out)
      palette.end(&out)
    case .killed(let signal, let core):
      palette.start(Palette.redCode, &out)
      TextBytes.append("+++ killed by ", to: &out)
      TextBytes.append(signalName(signal), to: &out)
      if core { TextBytes.append(" (core dumped)", to: &out) }
      TextBytes.append(" +++", to: &out)
      palette.end(&out)
    case .execTookOver(let former):
      palette.start(Palette.boldCode, &out)
      TextBytes.append("+++ superseded by execve in pid ", to: &out)
      TextBytes.decimal(Int64(former), to: &out)
      TextBytes.append(" +++", to: &out)
      palette.end(&out)
    case .attached:
      TextBytes.append(palette.dim("(attached)"), to: &out)
    case .detached:
      TextBytes.append(palette.dim("(detached)"), to: &out)
    case .personality(let architecture):
      TextBytes.append(palette.dim("[ runs in \(architecture == .i386 ? "32" : "64") bit mode ]"), to: &out)
    case .tracerMessage(let text):
      palette.start(Palette.dimCode, &out)
      TerminalSafe.write(text, to: &out)
      palette.end(&out)
    case .cost(let cost):
      TextBytes.append(
        palette.dim(
          "(cost: \(cost.stops) ptrace stops; \(cost.voluntarySwitches) voluntary, \(cost.involuntarySwitches) involuntary context switches)"
        ), to: &out)
    case .registrations(let state):
      palette.start(Palette.dimCode, &out)
      writeRegistrations(state, to: &out)
      palette.end(&out)
    }
  }

  /// An explanation under its event: `       ↳ TEXT`, coloured by its tone.
  public func writeAnnotation(_ annotation: Annotation, to out: inout [UInt8]) {
    switch annotation.tone {
    case .explanation: palette.start(Palette.cyanCode, &out)
    case .kernel: palette.start(Palette.blueCode, &out)
    case .warning: palette.start(Palette.yellowCode, &out)
    }
    TextBytes.append("       ↳ ", to: &out)
    TerminalSafe.write(annotation.text, to: &out)
    palette.end(&out)
  }

  public func syscall(_ call: SyscallEvent) -> String {
    var bytes: [UInt8] = []
    write(call, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  func write(_ call: SyscallEvent, to out: inout [UInt8]) {
    let completeness = call.completeness
    let unfinished = completeness == .entryOnly && call.result == nil
    // Only a call whose entry the trace missed reads `<... name(args) resumed>`.
    if !unfinished && completeness == .exitOnly { TextBytes.append("<... ", to: &out) }
    palette.start(Palette.boldCode, &out)
    TerminalSafe.write(call.name, to: &out)
    palette.end(&out)
    out.append(UInt8(ascii: "("))
    var first = true
    for argument in call.arguments {
      if !first { TextBytes.append(", ", to: &out) }
      first = false
      write(argument, to: &out)
    }
    if unfinished {
      // exit and exit_group never return: strace's `= ?`, not a call waiting for its other half.
      let name = call.name
      if name == "exit" || name == "exit_group" {
        TextBytes.append(") = ?", to: &out)
      } else {
        TextBytes.append(" <unfinished ...>", to: &out)
      }
      return
    }
    out.append(UInt8(ascii: ")"))
    // The fast path did not stop at its return: nothing to show rather than a made-up `= 0`.
    if completeness == .resultUnread { return }
    if completeness == .exitOnly { TextBytes.append(" resumed>", to: &out) }
    TextBytes.append(" = ", to: &out)
    writeResult(call, to: &out)
    if let duration = call.durationMicroseconds {
      palette.start(Palette.dimCode, &out)
      if duration >= 0 {
        TextBytes.append(" <", to: &out)
        TextBytes.decimal(duration / 1_000_000, to: &out)
        out.append(UInt8(ascii: "."))
        TextBytes.decimal(duration % 1_000_000, zeroPaddedTo: 6, to: &out)
        out.append(UInt8(ascii: ">"))
      } else {
        // Never seen from a real trace; kept in the old shape (a minus sign inside the padding).
        let micros = String(duration % 1_000_000)
        TextBytes.append(
          " <\(duration / 1_000_000).\(String(repeating: "0", count: max(0, 6 - micros.count)) + micros)>", to: &out)
      }
      palette.end(&out)
    }
  }

  /// The caller's stack under its call, one frame a line, innermost first, as strace -k prints it:
  /// `MODULE(FUNCTION+0xOFFSET) [0xADDRESS]`, the address being the one in the module's ELF file when known
  /// (the same in every run), else the one in the process.
  public func stackLines(_ stack: [StackFrame]) -> String {
    var bytes: [UInt8] = []
    writeStack(stack, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `(at exit: robust_list=0x… len 24, rseq=0x… len 32 sig 0x53053053)`: what the tracer read, in the calls'
  /// own terms; `none` where nothing is registered.
  func writeRegistrations(_ state: RegistrationState, to out: inout [UInt8]) {
    TextBytes.append("(at ", to: &out)
    TextBytes.append(state.moment.rawValue, to: &out)
    TextBytes.append(":", to: &out)
    if let list = state.robustList, Self.writeRegistered(" robust_list=", at: list.head, to: &out) {
      TextBytes.append(" len ", to: &out)
      TextBytes.decimal(Int64(bitPattern: list.length), to: &out)
    }
    if let rseq = state.rseq,
      Self.writeRegistered(state.robustList == nil ? " rseq=" : ", rseq=", at: rseq.address, to: &out)
    {
      TextBytes.append(" len ", to: &out)
      TextBytes.decimal(Int64(rseq.length), to: &out)
      TextBytes.append(" sig ", to: &out)
      TextBytes.hex(UInt64(rseq.signature), prefixed: true, to: &out)
    }
    out.append(UInt8(ascii: ")"))
  }

  /// `label` and the address, or `none` for 0; whether there is one to describe further.
  private static func writeRegistered(_ label: String, at address: UInt64, to out: inout [UInt8]) -> Bool {
    TextBytes.append(label, to: &out)
    guard address != 0 else {
      TextBytes.append("none", to: &out)
      return false
    }
    TextBytes.hex(address, prefixed: true, to: &out)
    return true
  }

  func writeStack(_ stack: [StackFrame], to out: inout [UInt8]) {
    for (index, frame) in stack.enumerated() {
      if index > 0 { out.append(0x0A) }
      palette.start(Palette.dimCode, &out)
      TextBytes.append("       > ", to: &out)
      if let module = frame.module { TerminalSafe.write(module, to: &out) }
      if let function = frame.function {
        out.append(UInt8(ascii: "("))
        TerminalSafe.write(function, to: &out)
        TextBytes.append("+0x", to: &out)
        TextBytes.hex(frame.offset ?? 0, to: &out)
        out.append(UInt8(ascii: ")"))
      } else if let moduleOffset = frame.moduleOffset {
        TextBytes.append("(+0x", to: &out)
        TextBytes.hex(moduleOffset, to: &out)
        out.append(UInt8(ascii: ")"))
      }
      TextBytes.append(" [0x", to: &out)
      TextBytes.hex(frame.moduleOffset ?? frame.pc, to: &out)
      out.append(UInt8(ascii: "]"))
      palette.end(&out)
    }
  }

  func write(_ argument: Argument, to out: inout [UInt8]) {
    if let name = argument.name {
      TerminalSafe.write(name, to: &out)
      out.append(UInt8(ascii: "="))
    }
    write(argument.value, to: &out)
  }

  func write(_ value: ArgValue, to out: inout [UInt8]) {
    switch value {
    case .integer(let number): TextBytes.decimal(number, to: &out)
    case .address(let address):
      if address == 0 {
        TextBytes.append("NULL", to: &out)
      } else {
        TextBytes.hex(address, prefixed: true, to: &out)
      }
    case .symbolic(let symbolic):
      switch style {
      case .abbreviated:
        writeNames(symbolic.parts, to: &out)
      case .raw:
        if let raw = symbolic.raw {
          TextBytes.hex(raw, prefixed: true, to: &out)
        } else {
          writeNames(symbolic.parts, to: &out)
        }
      case .verbose:
        if let raw = symbolic.raw {
          TextBytes.hex(raw, prefixed: true, to: &out)
          TextBytes.append(" /* ", to: &out)
          writeNames(symbolic.parts, to: &out)
          TextBytes.append(" */", to: &out)
        } else {
          writeNames(symbolic.parts, to: &out)
        }
      }
    case .string(let string): writeQuoted(string, to: &out)
    case .structure(let fields):
      out.append(UInt8(ascii: "{"))
      for (index, field) in fields.enumerated() {
        if index > 0 { TextBytes.append(", ", to: &out) }
        write(field, to: &out)
      }
      out.append(UInt8(ascii: "}"))
    case .array(let values, let truncated):
      out.append(UInt8(ascii: "["))
      for (index, element) in values.enumerated() {
        if index > 0 { TextBytes.append(", ", to: &out) }
        write(element, to: &out)
      }
      if truncated { TextBytes.append(", ...", to: &out) }
      out.append(UInt8(ascii: "]"))
    case .fileDescriptor(let fd, let path):
      TextBytes.decimal(Int64(fd), to: &out)
      if let path {
        out.append(UInt8(ascii: "<"))
        TerminalSafe.write(path, to: &out)
        out.append(UInt8(ascii: ">"))
      }
    case .changed(let from, let to):
      write(from, to: &out)
      TextBytes.append(" => ", to: &out)
      write(to, to: &out)
    case .text(let text): TerminalSafe.write(text, to: &out)
    }
  }

  private func writeNames(_ parts: [String], to out: inout [UInt8]) {
    for (index, part) in parts.enumerated() {
      if index > 0 { out.append(UInt8(ascii: "|")) }
      TerminalSafe.write(part, to: &out)
    }
  }

  /// A C string literal, as strace prints one: escapes for quotes, backslashes and every non-printable byte.
  func writeQuoted(_ string: StringValue, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in string.bytes {
      switch byte {
      case UInt8(ascii: "\""): TextBytes.append("\\\"", to: &out)
      case UInt8(ascii: "\\"): TextBytes.append("\\\\", to: &out)
      case UInt8(ascii: "\n"): TextBytes.append("\\n", to: &out)
      case UInt8(ascii: "\t"): TextBytes.append("\\t", to: &out)
      case 0x20...0x7E: out.append(byte)
      default:
        // Octal without leading zeros, as strace prints it (`\0`, `\33`, `\377`).
        out.append(UInt8(ascii: "\\"))
        if byte >= 0o100 { out.append(UInt8(ascii: "0") + byte >> 6) }
        if byte >= 0o10 { out.append(UInt8(ascii: "0") + (byte >> 3) & 7) }
        out.append(UInt8(ascii: "0") + byte & 7)
      }
    }
    out.append(UInt8(ascii: "\""))
    if string.truncated { TextBytes.append("...", to: &out) }
  }

  func writeResult(_ call: SyscallEvent, to out: inout [UInt8]) {
    switch call.result {
    case .success(let value, let annotation)?:
      if value > 0xFFFF && Self.printsAddress(call.name) {
        TextBytes.hex(UInt64(value), prefixed: true, to: &out)
      } else {
        TextBytes.decimal(value, to: &out)
      }
      if let annotation {
        out.append(UInt8(ascii: " "))
        TerminalSafe.write(annotation, to: &out)
      }
    case .failure(let errno)?:
      palette.start(Palette.redCode, &out)
      TextBytes.append("-1 ", to: &out)
      writeErrno(errno, to: &out)
      palette.end(&out)
    case .interrupted(let errno)?:
      palette.start(Palette.yellowCode, &out)
      TextBytes.append("? ", to: &out)
      writeErrno(errno, to: &out)
      palette.end(&out)
    case .noReturn?, nil:
      out.append(UInt8(ascii: "?"))
    }
  }

  /// The calls whose result is an address, printed in hex as strace does.
  private static func printsAddress(_ name: String) -> Bool {
    name == "mmap" || name == "mmap2" || name == "brk" || name == "mremap"
  }

  private func writeErrno(_ errno: Int32, to out: inout [UInt8]) {
    if let name = ErrnoNames.name(of: errno) {
      TextBytes.append(name, to: &out)
    } else {
      out.append(UInt8(ascii: "E"))
      TextBytes.decimal(Int64(errno), to: &out)
    }
    if let message = ErrnoNames.message(of: errno) {
      TextBytes.append(" (", to: &out)
      TextBytes.append(message, to: &out)
      out.append(UInt8(ascii: ")"))
    }
  }

  private func signalName(_ signal: Int32) -> String { Signals.name(of: signal) ?? "signal \(signal)" }
}

/// Numbers and text appended to a byte buffer as UTF-8, with no intermediate `String`.
enum TextBytes {
  static func append(_ text: StaticString, to out: inout [UInt8]) {
    text.withUTF8Buffer { out.append(contentsOf: $0) }
  }

  static func append(_ text: String, to out: inout [UInt8]) {
    out.append(contentsOf: text.utf8)
  }

  /// Decimal, right-aligned in `width` columns with spaces (no padding when it is wider).
  static func decimal(_ value: Int64, width: Int = 0, to out: inout [UInt8]) {
    digits(value.magnitude, base: 10, prefix: value < 0 ? .minus : .none, width: width, to: &out)
  }

  /// Decimal, the whole unsigned range.
  static func decimal(unsigned value: UInt64, to out: inout [UInt8]) {
    digits(value, base: 10, prefix: .none, width: 0, to: &out)
  }

  /// A non-negative decimal with leading zeros to `width` digits (a duration's microseconds).
  static func decimal(_ value: Int64, zeroPaddedTo width: Int, to out: inout [UInt8]) {
    var rest = value
    var digits = 1
    while rest >= 10 {
      rest /= 10
      digits += 1
    }
    while digits < width {
      out.append(UInt8(ascii: "0"))
      digits += 1
    }
    decimal(value, to: &out)
  }

  /// Lowercase hex digits as `String(value, radix: 16)`, after `0x` when `prefixed`.
  static func hex(_ value: UInt64, prefixed: Bool = false, to out: inout [UInt8]) {
    digits(value, base: 16, prefix: prefixed ? .hex : .none, width: 0, to: &out)
  }

  private enum Prefix { case none, minus, hex }

  /// `prefix` and `magnitude`'s digits in `base` (10 or 16, lowercase), right-aligned in `width` columns with
  /// spaces. Put together on the stack and appended as one contiguous copy: an append per digit (or of a
  /// `repeatElement`) took the generic element-by-element path, for every tid and address of every line.
  /// Inlined, so that each caller's constant base turns the division into a multiply or a shift.
  @inline(__always)
  private static func digits(_ magnitude: UInt64, base: UInt64, prefix: Prefix, width: Int, to out: inout [UInt8]) {
    // 20 decimal digits at most, and a 2-byte prefix.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
      let end = buffer.count
      var start = end
      var rest = magnitude
      repeat {
        start -= 1
        let digit = UInt8(truncatingIfNeeded: rest % base)
        buffer[start] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
        rest /= base
      } while rest > 0
      switch prefix {
      case .none: break
      case .minus:
        start -= 1
        buffer[start] = UInt8(ascii: "-")
      case .hex:
        start -= 2
        buffer[start] = UInt8(ascii: "0")
        buffer[start + 1] = UInt8(ascii: "x")
      }
      var count = end - start
      while count < width {
        out.append(UInt8(ascii: " "))
        count += 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end]))
    }
  }

}
