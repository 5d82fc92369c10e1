import SyscallDecoding
import TraceModel

/// One event as a line of text, in strace's shape (`tid  name(args) = result`), built from the model so that a
/// live run and a replayed file print the same. Every piece of trace data is escaped for the terminal.
public struct EventText: Sendable {
  public var palette: Palette
  /// How constants are printed (strace `-X`).
  public var style: XlatStyle

  public init(palette: Palette = .plain, style: XlatStyle = .abbreviated) {
    self.palette = palette
    self.style = style
  }

  public func line(_ event: TraceEvent) -> String {
    let prefix = pad(String(event.tid), 6) + " "
    switch event.body {
    case .syscall(let call):
      guard let stack = call.stack, !stack.isEmpty else { return prefix + syscall(call) }
      return prefix + syscall(call) + "\n" + stackLines(stack)
    case .signal(let signal):
      let details = signal.details.map { " {\(TerminalSafe.escape($0))}" } ?? ""
      return prefix + palette.magenta("--- \(signalName(signal.signal))\(details) ---")
    case .groupStop(let signal):
      return prefix + palette.magenta("--- stopped by \(signalName(signal)) ---")
    case .exited(let code):
      return prefix + palette.bold("+++ exited with \(code) +++")
    case .killed(let signal, let core):
      return prefix + palette.red("+++ killed by \(signalName(signal))\(core ? " (core dumped)" : "") +++")
    case .execTookOver(let former):
      return prefix + palette.bold("+++ superseded by execve in pid \(former) +++")
    case .attached:
      return prefix + palette.dim("(attached)")
    case .detached:
      return prefix + palette.dim("(detached)")
    case .personality(let architecture):
      return prefix + palette.dim("[ runs in \(architecture == .i386 ? "32" : "64") bit mode ]")
    case .tracerMessage(let text):
      return prefix + palette.dim(TerminalSafe.escape(text))
    case .cost(let cost):
      return prefix + palette.dim(
        "(cost: \(cost.stops) ptrace stops; \(cost.voluntarySwitches) voluntary, \(cost.involuntarySwitches) involuntary context switches)")
    }
  }

  public func syscall(_ call: SyscallEvent) -> String {
    var text = palette.bold(TerminalSafe.escape(call.name)) + "("
    text += call.arguments.map(argument).joined(separator: ", ")
    if call.completeness == .entryOnly && call.result == nil {
      // exit and exit_group never return: strace's `= ?`, not a call waiting for its other half.
      if call.name == "exit" || call.name == "exit_group" { return text + ") = ?" }
      text += " <unfinished ...>"
      return text
    }
    text += ")"
    // The fast path did not stop at its return: nothing to show rather than a made-up `= 0`.
    if call.completeness == .resultUnread { return text }
    if call.completeness == .exitOnly { text = "<... " + text + " resumed>" }
    text += " = " + result(call)
    if let duration = call.durationMicroseconds {
      text += palette.dim(" <\(duration / 1_000_000).\(pad6(duration % 1_000_000))>")
    }
    return text
  }

  /// The caller's stack under its call, one frame a line, innermost first, as strace -k prints it:
  /// `MODULE(FUNCTION+0xOFFSET) [0xADDRESS]`, the address being the one in the module's ELF file when known
  /// (the same in every run), else the one in the process.
  public func stackLines(_ stack: [StackFrame]) -> String {
    stack.map { frame in
      var text = "       > "
      if let module = frame.module { text += TerminalSafe.escape(module) }
      if let function = frame.function {
        text += "(" + TerminalSafe.escape(function) + "+0x" + String(frame.offset ?? 0, radix: 16) + ")"
      } else if let moduleOffset = frame.moduleOffset {
        text += "(+0x" + String(moduleOffset, radix: 16) + ")"
      }
      text += " [0x" + String(frame.moduleOffset ?? frame.pc, radix: 16) + "]"
      return palette.dim(text)
    }.joined(separator: "\n")
  }

  func argument(_ argument: Argument) -> String {
    let value = self.value(argument.value)
    guard let name = argument.name else { return value }
    return "\(TerminalSafe.escape(name))=\(value)"
  }

  func value(_ value: ArgValue) -> String {
    switch value {
    case .integer(let number): return String(number)
    case .address(let address): return address == 0 ? "NULL" : "0x" + String(address, radix: 16)
    case .symbolic(let symbolic):
      let names = symbolic.parts.map(TerminalSafe.escape).joined(separator: "|")
      switch style {
      case .abbreviated: return names
      case .raw: return symbolic.raw.map { "0x" + String($0, radix: 16) } ?? names
      case .verbose: return symbolic.raw.map { "0x\(String($0, radix: 16)) /* \(names) */" } ?? names
      }
    case .string(let string): return quoted(string)
    case .structure(let fields): return "{" + fields.map(argument).joined(separator: ", ") + "}"
    case .array(let values, let truncated):
      return "[" + values.map(self.value).joined(separator: ", ") + (truncated ? ", ..." : "") + "]"
    case .fileDescriptor(let fd, let path):
      return path.map { "\(fd)<\(TerminalSafe.escape($0))>" } ?? String(fd)
    case .changed(let from, let to): return "\(self.value(from)) => \(self.value(to))"
    case .text(let text): return TerminalSafe.escape(text)
    }
  }

  /// A C string literal, as strace prints one: escapes for quotes, backslashes and every non-printable byte.
  func quoted(_ string: StringValue) -> String {
    var text = "\""
    for byte in string.bytes {
      switch byte {
      case UInt8(ascii: "\""): text += "\\\""
      case UInt8(ascii: "\\"): text += "\\\\"
      case UInt8(ascii: "\n"): text += "\\n"
      case UInt8(ascii: "\t"): text += "\\t"
      case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
      default: text += "\\" + String(byte, radix: 8)
      }
    }
    return text + "\"" + (string.truncated ? "..." : "")
  }

  func result(_ call: SyscallEvent) -> String {
    switch call.result {
    case .success(let value, let annotation)?:
      let shown = value > 0xFFFF && ["mmap", "mmap2", "brk", "mremap"].contains(call.name) ? "0x" + String(value, radix: 16) : String(value)
      return shown + (annotation.map { " " + TerminalSafe.escape($0) } ?? "")
    case .failure(let errno)?:
      let name = ErrnoNames.name(of: errno) ?? "E\(errno)"
      let message = ErrnoNames.message(of: errno).map { " (\($0))" } ?? ""
      return palette.red("-1 \(name)\(message)")
    case .interrupted(let errno)?:
      let name = ErrnoNames.name(of: errno) ?? "E\(errno)"
      let message = ErrnoNames.message(of: errno).map { " (\($0))" } ?? ""
      return palette.yellow("? \(name)\(message)")
    case .noReturn?, nil:
      return "?"
    }
  }

  private func signalName(_ signal: Int32) -> String { Signals.name(of: signal) ?? "signal \(signal)" }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }

  private func pad6(_ value: Int64) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
  }
}
