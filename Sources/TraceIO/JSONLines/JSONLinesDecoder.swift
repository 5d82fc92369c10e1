import TraceModel

#if canImport(Glibc)
  import Glibc
#endif

/// Turns one parsed line (a `JSONTape.View` whose first token is an object) into model values.
///
/// Every problem is a `DecodeProblem` naming the field, which the reader turns into a warning for the line.
/// Unknown members are ignored (the version rule); an argument value with an unknown tag is kept as text and
/// noted in `unknownTags`, so one new kind of value in a newer minor version does not cost the whole event.
struct JSONLinesDecoder {
  let view: JSONTape.View
  /// The header's architecture, for syscalls that do not name theirs.
  let defaultArchitecture: Architecture
  /// Tags of argument values this version does not know, met while decoding.
  private(set) var unknownTags: [String] = []

  init(view: JSONTape.View, defaultArchitecture: Architecture) {
    self.view = view
    self.defaultArchitecture = defaultArchitecture
  }

  // MARK: Events

  /// Decodes an event of a known `type` from the object at token 0.
  mutating func event(type: String) throws(DecodeProblem) -> (
    tid: Int32, tgid: Int32?, time: TraceTime?, TraceEvent.Body
  ) {
    let object = 0
    let tid = try requiredInt32("tid", of: object)
    let tgid = try optionalInt32("tgid", of: object)
    let time = try optionalInt64("time_us", of: object).map(TraceTime.init(microseconds:))
    let body: TraceEvent.Body
    switch type {
    case "syscall":
      body = .syscall(try syscall(object))
    case "signal":
      body = .signal(
        SignalEvent(
          signal: try requiredInt32("signal", of: object), code: try optionalString("code", of: object),
          senderPID: try optionalInt32("sender_pid", of: object), details: try optionalString("details", of: object)))
    case "group_stop":
      body = .groupStop(signal: try requiredInt32("signal", of: object))
    case "exited":
      body = .exited(code: try requiredInt32("code", of: object))
    case "killed":
      body = .killed(
        signal: try requiredInt32("signal", of: object),
        coreDumped: try optionalBool("core_dumped", of: object) ?? false)
    case "exec_took_over":
      body = .execTookOver(formerTID: try requiredInt32("former_tid", of: object))
    case "attached":
      body = .attached
    case "detached":
      body = .detached
    case "personality":
      guard let architecture = try optionalArchitecture("arch", of: object) else {
        throw DecodeProblem("missing field \"arch\"")
      }
      body = .personality(architecture)
    case "cost":
      body = .cost(
        TaskCost(
          stops: Int(try requiredInt32("stops", of: object)),
          voluntarySwitches: Int(try requiredInt32("voluntary_switches", of: object)),
          involuntarySwitches: Int(try requiredInt32("involuntary_switches", of: object))))
    case "registrations":
      body = .registrations(try registrations(object))
    case "message":
      guard let text = try optionalString("text", of: object) else { throw DecodeProblem("missing field \"text\"") }
      body = .tracerMessage(text)
    default:
      throw DecodeProblem("unknown event type \"\(type)\"")
    }
    return (tid, tgid, time, body)
  }

  private func registrations(_ object: Int) throws(DecodeProblem) -> RegistrationState {
    guard let wireName = try optionalString("at", of: object) else { throw DecodeProblem("missing field \"at\"") }
    guard let moment = RegistrationState.Moment(rawValue: wireName) else {
      throw DecodeProblem("field \"at\" is \"\(wireName)\", not attach, exec or exit")
    }
    var state = RegistrationState(moment: moment)
    if let list = present("robust_list", of: object) {
      guard view.kind(list) == .object else { throw typeProblem("robust_list", list, expected: "an object") }
      state.robustList = .init(
        head: try requiredUInt64("head", of: list),
        length: UInt64(bitPattern: try optionalInt64("length", of: list) ?? 0))
    }
    if let rseq = present("rseq", of: object) {
      guard view.kind(rseq) == .object else { throw typeProblem("rseq", rseq, expected: "an object") }
      state.rseq = .init(
        address: try requiredUInt64("address", of: rseq),
        length: UInt32(truncatingIfNeeded: try optionalInt64("length", of: rseq) ?? 0),
        signature: UInt32(truncatingIfNeeded: try requiredUInt64("signature", of: rseq)),
        flags: UInt32(truncatingIfNeeded: try optionalInt64("flags", of: rseq) ?? 0))
    }
    return state
  }

  private mutating func syscall(_ object: Int) throws(DecodeProblem) -> SyscallEvent {
    guard let name = try optionalString("name", of: object) else { throw DecodeProblem("missing field \"name\"") }
    var call = SyscallEvent(name: name)
    call.number = try optionalInt32("nr", of: object)
    call.architecture = try optionalArchitecture("arch", of: object) ?? defaultArchitecture
    if let args = present("args", of: object) {
      guard view.kind(args) == .array else { throw typeProblem("args", args, expected: "an array") }
      var arguments: [Argument] = []
      arguments.reserveCapacity(view.elementCount(of: args))
      try view.forEachElement(of: args) { (element) throws(DecodeProblem) in
        arguments.append(try argument(element, field: "args"))
      }
      call.arguments = arguments
    }
    if let errno = try optionalInt32("errno", of: object) {
      call.result =
        try optionalBool("restart", of: object) == true ? .interrupted(errno: errno) : .failure(errno: errno)
    } else if let value = try optionalInt64("ret", of: object) {
      call.result = .success(value, annotation: try optionalString("ret_note", of: object))
    } else if try optionalBool("no_return", of: object) == true {
      call.result = .noReturn
    }
    if let completeness = present("completeness", of: object) {
      let wireName = try text(completeness, field: "completeness")
      guard let value = JSONLinesFormat.completeness(wireName: wireName) else {
        throw DecodeProblem("field \"completeness\" is \"\(wireName)\", not complete, entry_only, exit_only or result_unread")
      }
      call.completeness = value
    }
    call.entryTime = try optionalInt64("entry_time_us", of: object).map(TraceTime.init(microseconds:))
    call.durationMicroseconds = try optionalInt64("duration_us", of: object)
    if let stack = present("stack", of: object) {
      guard view.kind(stack) == .array else { throw typeProblem("stack", stack, expected: "an array of frames") }
      var frames: [StackFrame] = []
      frames.reserveCapacity(view.elementCount(of: stack))
      try view.forEachElement(of: stack) { (element) throws(DecodeProblem) in
        frames.append(try frame(element))
      }
      call.stack = frames
    }
    return call
  }

  /// A stack frame: `pc` required, the rest optional.
  private func frame(_ token: Int) throws(DecodeProblem) -> StackFrame {
    guard view.kind(token) == .object else { throw typeProblem("stack", token, expected: "a frame object") }
    guard let pcToken = present("pc", of: token) else { throw DecodeProblem("missing field \"pc\" in a stack frame") }
    guard let pc = uint64(pcToken) else { throw typeProblem("pc", pcToken, expected: "a \"0x…\" address") }
    var frame = StackFrame(pc: pc)
    frame.function = try optionalString("function", of: token)
    if let offset = try optionalInt64("offset", of: token) {
      guard offset >= 0 else { throw DecodeProblem("field \"offset\" of a stack frame is negative: \(offset)") }
      frame.offset = UInt64(offset)
    }
    frame.module = try optionalString("module", of: token)
    if let moduleOffsetToken = present("module_offset", of: token) {
      guard let moduleOffset = uint64(moduleOffsetToken) else {
        throw typeProblem("module_offset", moduleOffsetToken, expected: "a \"0x…\" address")
      }
      frame.moduleOffset = moduleOffset
    }
    return frame
  }

  // MARK: The end record

  func end() throws(DecodeProblem) -> JSONLinesEnd {
    guard let interrupted = try optionalBool("interrupted", of: 0) else {
      throw DecodeProblem("missing field \"interrupted\"")
    }
    return JSONLinesEnd(
      interrupted: interrupted, time: try optionalInt64("time_us", of: 0).map(TraceTime.init(microseconds:)),
      eventCount: try optionalInt64("events", of: 0), reason: try optionalString("reason", of: 0))
  }

  // MARK: Argument values

  /// An argument: a value object with an optional `"name"`.
  private mutating func argument(_ token: Int, field: String) throws(DecodeProblem) -> Argument {
    guard view.kind(token) == .object else { throw typeProblem(field, token, expected: "an object") }
    return Argument(name: try optionalString("name", of: token), try valueMembers(token, field: field))
  }

  private mutating func value(_ token: Int, field: String) throws(DecodeProblem) -> ArgValue {
    guard view.kind(token) == .object else { throw typeProblem(field, token, expected: "a value object") }
    return try valueMembers(token, field: field)
  }

  private enum Tag {
    case integer, address, symbolic, string, bytes, structure, array, fileDescriptor, changed, text
  }

  /// The value of an object by its first member with a known tag.
  private mutating func valueMembers(_ object: Int, field: String) throws(DecodeProblem) -> ArgValue {
    var found: (tag: Tag, value: Int)?
    var unknown: Int?
    let view = self.view
    try view.forEachMember(of: object) { (key, value) throws(DecodeProblem) in
      guard found == nil else { return }
      if let tag = Self.tag(key, view) {
        found = (tag, value)
      } else if unknown == nil && !Self.isCompanion(key, view) {
        unknown = key
      }
    }
    guard let (tag, token) = found else {
      if let unknown {
        // A value form from a newer minor version: keep what it says, as text.
        unknownTags.append(view.string(unknown))
        return .text(view.rawText(object, limit: 4096))
      }
      throw DecodeProblem("a value in \"\(field)\" has no tag (int, addr, sym, str, …): \(view.rawText(object))")
    }
    switch tag {
    case .integer:
      guard let number = int64(token) else { throw typeProblem("int", token, expected: "a 64-bit integer") }
      return .integer(number)
    case .address:
      guard let address = uint64(token) else { throw typeProblem("addr", token, expected: "a \"0x…\" address") }
      return .address(address)
    case .symbolic:
      guard view.kind(token) == .array else { throw typeProblem("sym", token, expected: "an array of strings") }
      var parts: [String] = []
      try view.forEachElement(of: token) { (element) throws(DecodeProblem) in
        parts.append(try text(element, field: "sym"))
      }
      var raw: UInt64?
      if let rawToken = present("raw", of: object) {
        guard let value = uint64(rawToken) else { throw typeProblem("raw", rawToken, expected: "a \"0x…\" number") }
        raw = value
      }
      return .symbolic(Symbolic(parts: parts, raw: raw))
    case .string:
      guard view.kind(token) == .string || view.kind(token) == .escapedString else {
        throw typeProblem("str", token, expected: "a string")
      }
      return .string(StringValue(bytes: view.bytes(token), truncated: try optionalBool("trunc", of: object) ?? false))
    case .bytes:
      let encoded = try stringToken(token, field: "bytes_b64")
      guard let bytes = view.withStringBytes(encoded, { Base64.decode($0) }) else {
        throw typeProblem("bytes_b64", token, expected: "base64")
      }
      return .string(StringValue(bytes: bytes, truncated: try optionalBool("trunc", of: object) ?? false))
    case .structure:
      guard view.kind(token) == .array else { throw typeProblem("struct", token, expected: "an array") }
      var fields: [Argument] = []
      try view.forEachElement(of: token) { (element) throws(DecodeProblem) in
        fields.append(try argument(element, field: "struct"))
      }
      return .structure(fields)
    case .array:
      guard view.kind(token) == .array else { throw typeProblem("array", token, expected: "an array") }
      var elements: [ArgValue] = []
      elements.reserveCapacity(view.elementCount(of: token))
      try view.forEachElement(of: token) { (element) throws(DecodeProblem) in
        elements.append(try value(element, field: "array"))
      }
      return .array(elements, truncated: try optionalBool("trunc", of: object) ?? false)
    case .fileDescriptor:
      guard let fd = int32(token) else { throw typeProblem("fd", token, expected: "a 32-bit integer") }
      return .fileDescriptor(fd, path: try optionalString("path", of: object))
    case .changed:
      guard view.kind(token) == .object else { throw typeProblem("changed", token, expected: "an object") }
      guard let from = present("from", of: token) else { throw DecodeProblem("missing field \"from\" in \"changed\"") }
      guard let to = present("to", of: token) else { throw DecodeProblem("missing field \"to\" in \"changed\"") }
      return .changed(from: try value(from, field: "from"), to: try value(to, field: "to"))
    case .text:
      return .text(try text(token, field: "text"))
    }
  }

  private static func tag(_ key: Int, _ view: JSONTape.View) -> Tag? {
    guard let bytes = view.plainKey(key), bytes.count >= 2 else { return slowTag(key, view) }
    // Sorted by length and first byte first: value objects are most of a trace's keys.
    @inline(__always) func matches(_ literal: StaticString) -> Bool {
      bytes.count == literal.utf8CodeUnitCount && memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
    }
    switch (bytes.count, bytes[0]) {
    case (3, UInt8(ascii: "i")): return matches("int") ? .integer : nil
    case (4, UInt8(ascii: "a")): return matches("addr") ? .address : nil
    case (3, UInt8(ascii: "s")): return matches("sym") ? .symbolic : matches("str") ? .string : nil
    case (9, UInt8(ascii: "b")): return matches("bytes_b64") ? .bytes : nil
    case (6, UInt8(ascii: "s")): return matches("struct") ? .structure : nil
    case (5, UInt8(ascii: "a")): return matches("array") ? .array : nil
    case (2, UInt8(ascii: "f")): return matches("fd") ? .fileDescriptor : nil
    case (7, UInt8(ascii: "c")): return matches("changed") ? .changed : nil
    case (4, UInt8(ascii: "t")): return matches("text") ? .text : nil
    default: return nil
    }
  }

  /// `tag` for keys written with escapes (`"\u0069nt"`), which no writer produces but JSON allows.
  private static func slowTag(_ key: Int, _ view: JSONTape.View) -> Tag? {
    if view.keyEquals(key, "int") { return .integer }
    if view.keyEquals(key, "addr") { return .address }
    if view.keyEquals(key, "sym") { return .symbolic }
    if view.keyEquals(key, "str") { return .string }
    if view.keyEquals(key, "bytes_b64") { return .bytes }
    if view.keyEquals(key, "struct") { return .structure }
    if view.keyEquals(key, "array") { return .array }
    if view.keyEquals(key, "fd") { return .fileDescriptor }
    if view.keyEquals(key, "changed") { return .changed }
    if view.keyEquals(key, "text") { return .text }
    return nil
  }

  /// Members that accompany a tag rather than being one.
  private static func isCompanion(_ key: Int, _ view: JSONTape.View) -> Bool {
    view.keyEquals(key, "name") || view.keyEquals(key, "raw") || view.keyEquals(key, "trunc")
      || view.keyEquals(key, "path")
  }

  // MARK: Fields

  /// The value token of member `key`, or nil when it is absent or `null`.
  func present(_ key: StaticString, of object: Int) -> Int? {
    guard let token = view.member(key, of: object), view.kind(token) != .null else { return nil }
    return token
  }

  func requiredInt32(_ key: StaticString, of object: Int) throws(DecodeProblem) -> Int32 {
    guard let value = try optionalInt32(key, of: object) else { throw DecodeProblem("missing field \"\(key)\"") }
    return value
  }

  func optionalInt32(_ key: StaticString, of object: Int) throws(DecodeProblem) -> Int32? {
    guard let token = present(key, of: object) else { return nil }
    guard let value = int32(token) else { throw typeProblem("\(key)", token, expected: "a 32-bit integer") }
    return value
  }

  func optionalInt64(_ key: StaticString, of object: Int) throws(DecodeProblem) -> Int64? {
    guard let token = present(key, of: object) else { return nil }
    guard let value = int64(token) else { throw typeProblem("\(key)", token, expected: "a 64-bit integer") }
    return value
  }

  func requiredUInt64(_ key: StaticString, of object: Int) throws(DecodeProblem) -> UInt64 {
    guard let token = present(key, of: object) else { throw DecodeProblem("missing field \"\(key)\"") }
    guard let value = uint64(token) else { throw typeProblem("\(key)", token, expected: "a \"0x…\" address") }
    return value
  }

  func optionalBool(_ key: StaticString, of object: Int) throws(DecodeProblem) -> Bool? {
    guard let token = present(key, of: object) else { return nil }
    switch view.kind(token) {
    case .true: return true
    case .false: return false
    default: throw typeProblem("\(key)", token, expected: "true or false")
    }
  }

  func optionalString(_ key: StaticString, of object: Int) throws(DecodeProblem) -> String? {
    guard let token = present(key, of: object) else { return nil }
    return try text(token, field: "\(key)")
  }

  func optionalArchitecture(_ key: StaticString, of object: Int) throws(DecodeProblem) -> Architecture? {
    guard let wireName = try optionalString(key, of: object) else { return nil }
    guard let architecture = JSONLinesFormat.architecture(wireName: wireName) else {
      throw DecodeProblem("field \"\(key)\" is \"\(wireName)\", not an architecture this threadtrace knows")
    }
    return architecture
  }

  func text(_ token: Int, field: String) throws(DecodeProblem) -> String {
    view.string(try stringToken(token, field: field))
  }

  private func stringToken(_ token: Int, field: String) throws(DecodeProblem) -> Int {
    guard view.kind(token) == .string || view.kind(token) == .escapedString else {
      throw typeProblem(field, token, expected: "a string")
    }
    return token
  }

  // MARK: Numbers

  /// A signed 64-bit value: a JSON integer in Int64's range, or above it up to UInt64.max (the bit pattern, as a
  /// 64-bit register holds it), or a `"0x…"` string of the bit pattern.
  func int64(_ token: Int) -> Int64? {
    if let (magnitude, negative) = view.integerBits(token) {
      if negative {
        guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
        return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
      }
      return Int64(bitPattern: magnitude)
    }
    return hexString(token).map { Int64(bitPattern: $0) }
  }

  /// An unsigned 64-bit value: a `"0x…"` string, or a non-negative JSON integer.
  func uint64(_ token: Int) -> UInt64? {
    if let (magnitude, negative) = view.integerBits(token) {
      return negative && magnitude != 0 ? nil : magnitude
    }
    return hexString(token)
  }

  /// A signed 32-bit value, in any of the forms of `int64`.
  func int32(_ token: Int) -> Int32? {
    guard let value = int64(token) else { return nil }
    return Int32(exactly: value)
  }

  /// `"0x…"` (or `"0X…"`) with 1 to 16 hexadecimal digits.
  private func hexString(_ token: Int) -> UInt64? {
    guard view.kind(token) == .string else { return nil }
    return view.withStringBytes(token) { bytes -> UInt64? in
      guard bytes.count >= 3, bytes.count <= 18, bytes[0] == UInt8(ascii: "0"),
        bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "X")
      else { return nil }
      var value: UInt64 = 0
      for index in 2..<bytes.count {
        guard let digit = hexValue(bytes[index]) else { return nil }
        value = value << 4 | UInt64(digit)
      }
      return value
    }
  }

  private func typeProblem(_ field: String, _ token: Int, expected: String) -> DecodeProblem {
    DecodeProblem("field \"\(field)\" is not \(expected): \(view.rawText(token))")
  }
}
