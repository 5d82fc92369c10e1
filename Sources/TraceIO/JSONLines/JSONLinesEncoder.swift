import TraceModel

/// Encodes the header, events and end record of a trace file as JSON lines into one reused byte buffer.
///
/// Hand-written rather than `JSONEncoder`: the live tracer encodes every syscall it sees, so this path allocates
/// nothing per event once the buffer has grown, and it controls exactly which bytes are escaped (every control
/// character, so a trace file shown with `cat` or `less` can never drive the terminal).
final class JSONLinesEncoder {
  let buffer = ByteBuffer()
  /// The name of an errno value (`ENOENT`), or nil when unknown; the name is then left out.
  let errnoName: (Int32) -> String?
  /// The name of a signal (`SIGCHLD`), or nil when unknown; the name is then left out.
  let signalName: (Int32) -> String?

  init(errnoName: @escaping (Int32) -> String?, signalName: @escaping (Int32) -> String?) {
    self.errnoName = errnoName
    self.signalName = signalName
  }

  // MARK: Lines

  /// Appends the header line (`interrupted` belongs to the end record and is not written here).
  func encodeHeader(_ header: TraceHeader) {
    buffer.append("{\"schema\":")
    appendString(JSONLinesFormat.schema)
    if let toolVersion = header.toolVersion {
      buffer.append(",\"tool_version\":")
      appendString(toolVersion)
    }
    if let kernel = header.kernel {
      buffer.append(",\"kernel\":")
      appendString(kernel)
    }
    buffer.append(",\"arch\":")
    appendString(JSONLinesFormat.wireName(header.architecture))
    if let command = header.command {
      buffer.append(",\"command\":[")
      for (index, word) in command.enumerated() {
        if index > 0 { buffer.append(UInt8(ascii: ",")) }
        appendString(word)
      }
      buffer.append(UInt8(ascii: "]"))
    }
    if let startTime = header.startTime {
      buffer.append(",\"start_time_us\":")
      appendInteger(startTime.microseconds)
    }
    if let clock = header.clock {
      buffer.append(",\"clock\":")
      appendString(JSONLinesFormat.wireName(clock))
    }
    buffer.append("}\n")
  }

  /// Appends the end record.
  func encodeEnd(_ end: JSONLinesEnd) {
    buffer.append("{\"type\":\"end\",\"interrupted\":")
    buffer.append(end.interrupted ? "true" : "false")
    if let time = end.time {
      buffer.append(",\"time_us\":")
      appendInteger(time.microseconds)
    }
    if let eventCount = end.eventCount {
      buffer.append(",\"events\":")
      appendInteger(eventCount)
    }
    if let reason = end.reason {
      buffer.append(",\"reason\":")
      appendString(reason)
    }
    buffer.append("}\n")
  }

  /// Appends one event line. The event's `origin` is where a reader found it, so it is not written.
  func encodeEvent(_ event: TraceEvent) {
    buffer.append("{\"type\":")
    switch event.body {
    case .syscall: buffer.append("\"syscall\"")
    case .signal: buffer.append("\"signal\"")
    case .groupStop: buffer.append("\"group_stop\"")
    case .exited: buffer.append("\"exited\"")
    case .killed: buffer.append("\"killed\"")
    case .execTookOver: buffer.append("\"exec_took_over\"")
    case .attached: buffer.append("\"attached\"")
    case .detached: buffer.append("\"detached\"")
    case .personality: buffer.append("\"personality\"")
    case .tracerMessage: buffer.append("\"message\"")
    case .cost: buffer.append("\"cost\"")
    case .registrations: buffer.append("\"registrations\"")
    }
    buffer.append(",\"tid\":")
    buffer.appendDecimal(Int64(event.tid))
    if let tgid = event.tgid {
      buffer.append(",\"tgid\":")
      buffer.appendDecimal(Int64(tgid))
    }
    if let time = event.time {
      buffer.append(",\"time_us\":")
      appendInteger(time.microseconds)
    }
    switch event.body {
    case .syscall(let call):
      encodeSyscall(call)
    case .signal(let signal):
      appendSignal(signal.signal)
      if let code = signal.code {
        buffer.append(",\"code\":")
        appendString(code)
      }
      if let sender = signal.senderPID {
        buffer.append(",\"sender_pid\":")
        buffer.appendDecimal(Int64(sender))
      }
      if let details = signal.details {
        buffer.append(",\"details\":")
        appendString(details)
      }
    case .groupStop(let signal):
      appendSignal(signal)
    case .exited(let code):
      buffer.append(",\"code\":")
      buffer.appendDecimal(Int64(code))
    case .killed(let signal, let coreDumped):
      appendSignal(signal)
      buffer.append(",\"core_dumped\":")
      buffer.append(coreDumped ? "true" : "false")
    case .execTookOver(let formerTID):
      buffer.append(",\"former_tid\":")
      buffer.appendDecimal(Int64(formerTID))
    case .attached, .detached:
      break
    case .personality(let architecture):
      buffer.append(",\"arch\":")
      appendString(JSONLinesFormat.wireName(architecture))
    case .tracerMessage(let text):
      buffer.append(",\"text\":")
      appendString(text)
    case .cost(let cost):
      buffer.append(",\"stops\":")
      buffer.appendDecimal(Int64(cost.stops))
      buffer.append(",\"voluntary_switches\":")
      buffer.appendDecimal(Int64(cost.voluntarySwitches))
      buffer.append(",\"involuntary_switches\":")
      buffer.appendDecimal(Int64(cost.involuntarySwitches))
    case .registrations(let state):
      encodeRegistrations(state)
    }
    buffer.append("}\n")
  }

  /// `"at"`, then `"robust_list"` and `"rseq"` when they were read (an address of 0: none registered).
  private func encodeRegistrations(_ state: RegistrationState) {
    buffer.append(",\"at\":")
    appendString(state.moment.rawValue)
    if let list = state.robustList {
      buffer.append(",\"robust_list\":{\"head\":")
      appendHexString(list.head)
      buffer.append(",\"length\":")
      appendInteger(Int64(bitPattern: list.length))
      buffer.append("}")
    }
    if let rseq = state.rseq {
      buffer.append(",\"rseq\":{\"address\":")
      appendHexString(rseq.address)
      buffer.append(",\"length\":")
      buffer.appendDecimal(Int64(rseq.length))
      buffer.append(",\"signature\":")
      appendHexString(UInt64(rseq.signature))
      buffer.append(",\"flags\":")
      buffer.appendDecimal(Int64(rseq.flags))
      buffer.append("}")
    }
  }

  private func encodeSyscall(_ call: SyscallEvent) {
    buffer.append(",\"name\":")
    appendString(call.name)
    if let number = call.number {
      buffer.append(",\"nr\":")
      buffer.appendDecimal(Int64(number))
    }
    buffer.append(",\"arch\":")
    appendString(JSONLinesFormat.wireName(call.architecture))
    buffer.append(",\"args\":[")
    for (index, argument) in call.arguments.enumerated() {
      if index > 0 { buffer.append(UInt8(ascii: ",")) }
      appendArgument(argument, depth: 1)
    }
    buffer.append(UInt8(ascii: "]"))
    switch call.result {
    case nil:
      break
    case .success(let value, let annotation)?:
      buffer.append(",\"ret\":")
      appendInteger(value)
      if let annotation {
        buffer.append(",\"ret_note\":")
        appendString(annotation)
      }
    case .failure(let errno)?:
      appendErrno(errno)
    case .interrupted(let errno)?:
      appendErrno(errno)
      buffer.append(",\"restart\":true")
    case .noReturn?:
      buffer.append(",\"no_return\":true")
    }
    buffer.append(",\"completeness\":")
    appendString(JSONLinesFormat.wireName(call.completeness))
    if let entryTime = call.entryTime {
      buffer.append(",\"entry_time_us\":")
      appendInteger(entryTime.microseconds)
    }
    if let duration = call.durationMicroseconds {
      buffer.append(",\"duration_us\":")
      appendInteger(duration)
    }
    if let stack = call.stack {
      buffer.append(",\"stack\":[")
      for (index, frame) in stack.enumerated() {
        if index > 0 { buffer.append(UInt8(ascii: ",")) }
        appendFrame(frame)
      }
      buffer.append(UInt8(ascii: "]"))
    }
  }

  /// `{"pc":"0x…","function":…,"offset":N,"module":…,"module_offset":"0x…"}`, the optional members left out.
  private func appendFrame(_ frame: StackFrame) {
    buffer.append("{\"pc\":")
    appendHexString(frame.pc)
    if let function = frame.function {
      buffer.append(",\"function\":")
      appendString(function)
    }
    if let offset = frame.offset {
      buffer.append(",\"offset\":")
      appendInteger(Int64(bitPattern: offset))
    }
    if let module = frame.module {
      buffer.append(",\"module\":")
      appendString(module)
    }
    if let moduleOffset = frame.moduleOffset {
      buffer.append(",\"module_offset\":")
      appendHexString(moduleOffset)
    }
    buffer.append(UInt8(ascii: "}"))
  }

  /// `"ret"` is the raw value the kernel returned (`-errno`), `"errno"` the positive number, then its name.
  private func appendErrno(_ errno: Int32) {
    buffer.append(",\"ret\":")
    buffer.appendDecimal(-Int64(errno))
    buffer.append(",\"errno\":")
    buffer.appendDecimal(Int64(errno))
    if let name = errnoName(errno) {
      buffer.append(",\"errno_name\":")
      appendString(name)
    }
  }

  private func appendSignal(_ signal: Int32) {
    buffer.append(",\"signal\":")
    buffer.appendDecimal(Int64(signal))
    if let name = signalName(signal) {
      buffer.append(",\"signal_name\":")
      appendString(name)
    }
  }

  // MARK: Argument values

  /// An argument is its value object with an optional `"name"` member first.
  private func appendArgument(_ argument: Argument, depth: Int) {
    buffer.append(UInt8(ascii: "{"))
    if let name = argument.name {
      buffer.append("\"name\":")
      appendString(name)
      buffer.append(UInt8(ascii: ","))
    }
    appendValueMembers(argument.value, depth: depth)
    buffer.append(UInt8(ascii: "}"))
  }

  private func appendValue(_ value: ArgValue, depth: Int) {
    buffer.append(UInt8(ascii: "{"))
    appendValueMembers(value, depth: depth)
    buffer.append(UInt8(ascii: "}"))
  }

  /// The members of a value object: one tag member and the tag's companions.
  private func appendValueMembers(_ value: ArgValue, depth: Int) {
    if depth > JSONLinesFormat.maximumArgumentNesting {
      // No decoder nests this deep; cut here so that every line written stays within the reader's limits.
      buffer.append("\"text\":\"(nested too deeply)\"")
      return
    }
    switch value {
    case .integer(let number):
      buffer.append("\"int\":")
      appendInteger(number)
    case .address(let address):
      buffer.append("\"addr\":")
      appendHexString(address)
    case .symbolic(let symbolic):
      buffer.append("\"sym\":[")
      for (index, part) in symbolic.parts.enumerated() {
        if index > 0 { buffer.append(UInt8(ascii: ",")) }
        appendString(part)
      }
      buffer.append(UInt8(ascii: "]"))
      if let raw = symbolic.raw {
        buffer.append(",\"raw\":")
        appendHexString(raw)
      }
    case .string(let string):
      appendStringValue(string)
    case .structure(let fields):
      buffer.append("\"struct\":[")
      for (index, field) in fields.enumerated() {
        if index > 0 { buffer.append(UInt8(ascii: ",")) }
        appendArgument(field, depth: depth + 1)
      }
      buffer.append(UInt8(ascii: "]"))
    case .array(let elements, let truncated):
      buffer.append("\"array\":[")
      for (index, element) in elements.enumerated() {
        if index > 0 { buffer.append(UInt8(ascii: ",")) }
        appendValue(element, depth: depth + 1)
      }
      buffer.append(UInt8(ascii: "]"))
      if truncated { buffer.append(",\"trunc\":true") }
    case .fileDescriptor(let fd, let path):
      buffer.append("\"fd\":")
      buffer.appendDecimal(Int64(fd))
      if let path {
        buffer.append(",\"path\":")
        appendString(path)
      }
    case .changed(let from, let to):
      buffer.append("\"changed\":{\"from\":")
      appendValue(from, depth: depth + 1)
      buffer.append(",\"to\":")
      appendValue(to, depth: depth + 1)
      buffer.append(UInt8(ascii: "}"))
    case .text(let text):
      buffer.append("\"text\":")
      appendString(text)
    }
  }

  /// `"str"` when the bytes are UTF-8, else `"bytes_b64"`; `"trunc"` only when true.
  private func appendStringValue(_ string: StringValue) {
    let mark = buffer.count
    buffer.append("\"str\":")
    let isUTF8 = string.bytes.withUnsafeBufferPointer { appendEscaped($0) }
    if !isUTF8 {
      buffer.count = mark
      buffer.append("\"bytes_b64\":\"")
      string.bytes.withUnsafeBufferPointer { Base64.encode($0, into: buffer) }
      buffer.append(UInt8(ascii: "\""))
    }
    if string.truncated { buffer.append(",\"trunc\":true") }
  }

  // MARK: Scalars

  /// Integers within ±(2^53 − 1) as JSON numbers; others as a string of their 64-bit pattern in hexadecimal, so
  /// that no consumer that reads JSON numbers as doubles silently changes them.
  func appendInteger(_ value: Int64) {
    if value >= -JSONLinesEncoder.maximumSafeInteger && value <= JSONLinesEncoder.maximumSafeInteger {
      buffer.appendDecimal(value)
    } else {
      appendHexString(UInt64(bitPattern: value))
    }
  }

  static let maximumSafeInteger: Int64 = (1 << 53) - 1

  private func appendHexString(_ value: UInt64) {
    buffer.append(UInt8(ascii: "\""))
    buffer.appendHex(value)
    buffer.append(UInt8(ascii: "\""))
  }

  /// Appends a JSON string.
  func appendString(_ string: String) {
    var string = string
    let mark = buffer.count
    if !string.withUTF8({ appendEscaped($0) }) {
      // A Swift string is valid UTF-8 by construction, so this is unreachable; repair rather than write bad JSON.
      buffer.count = mark
      var repaired = String(decoding: Array(string.utf8), as: UTF8.self)
      _ = repaired.withUTF8 { appendEscaped($0) }
    }
  }

  /// Appends `bytes` as a quoted JSON string, or returns false (having written part of it) when they are not
  /// UTF-8. Escaped: `"` and `\`, every C0 control character (short forms for `\b \f \n \r \t`, else `\u00XX`,
  /// so ESC is `\u001b`), DEL, the C1 controls U+0080–U+009F (U+009B is a one-character CSI on some terminals)
  /// and U+2028/U+2029 (line breaks to JavaScript).
  func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    buffer.reserve(bytes.count + 2)
    buffer.append(UInt8(ascii: "\""))
    let count = bytes.count
    var index = 0
    var runStart = 0
    func flush(upTo end: Int) {
      if end > runStart { buffer.append(UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
    }
    while index < count {
      let byte = bytes[index]
      if byte >= 0x20 && byte < 0x7F {
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
          flush(upTo: index)
          buffer.append(UInt8(ascii: "\\"))
          buffer.append(byte)
          runStart = index + 1
        }
        index += 1
        continue
      }
      if byte < 0x80 {
        flush(upTo: index)
        appendControlEscape(byte)
        index += 1
        runStart = index
        continue
      }
      let length = utf8SequenceLength(bytes, at: index)
      if length == 0 { return false }
      if byte == 0xC2 && bytes[index + 1] <= 0x9F {
        flush(upTo: index)
        appendControlEscape(bytes[index + 1])
        runStart = index + 2
      } else if byte == 0xE2 && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9) {
        flush(upTo: index)
        buffer.append(bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029")
        runStart = index + 3
      }
      index += length
    }
    flush(upTo: count)
    buffer.append(UInt8(ascii: "\""))
    return true
  }

  /// `\b \t \n \f \r` or `\u00XX` for a control character (C0, DEL or C1).
  private func appendControlEscape(_ code: UInt8) {
    switch code {
    case 0x08: buffer.append("\\b")
    case 0x09: buffer.append("\\t")
    case 0x0A: buffer.append("\\n")
    case 0x0C: buffer.append("\\f")
    case 0x0D: buffer.append("\\r")
    default:
      buffer.append("\\u00")
      buffer.append(hexDigit(code >> 4))
      buffer.append(hexDigit(code & 0xF))
    }
  }
}

/// The length of the well-formed UTF-8 sequence at `index` (Unicode Table 3-7: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or 0 when there is none.
@inline(__always)
func utf8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
  @inline(__always) func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
  let count = bytes.count
  let lead = bytes[index]
  if lead < 0x80 { return 1 }
  if lead < 0xC2 { return 0 }
  if lead < 0xE0 {
    return index + 1 < count && isContinuation(bytes[index + 1]) ? 2 : 0
  }
  if lead < 0xF0 {
    guard index + 2 < count else { return 0 }
    let second = bytes[index + 1]
    let lower: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
    let upper: UInt8 = lead == 0xED ? 0x9F : 0xBF
    return second >= lower && second <= upper && isContinuation(bytes[index + 2]) ? 3 : 0
  }
  if lead < 0xF5 {
    guard index + 3 < count else { return 0 }
    let second = bytes[index + 1]
    let lower: UInt8 = lead == 0xF0 ? 0x90 : 0x80
    let upper: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
    return second >= lower && second <= upper && isContinuation(bytes[index + 2])
      && isContinuation(bytes[index + 3]) ? 4 : 0
  }
  return 0
}
