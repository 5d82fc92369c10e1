import TraceModel

/// Reads a threadtrace trace file (`docs/trace-format.md`), one event at a time.
///
/// The header (line 1) is read by `init`, which refuses input that is not a threadtrace trace, a newer major
/// version, or a header cut short. After that nothing stops reading but an I/O error: a malformed line, a
/// missing or mistyped field, an unknown event type or a cut last line (a killed tracer) each become an
/// `InputWarning` with the file, line and reason, and reading goes on with the next line.
///
/// Each line is parsed in place from `LineSource`'s buffer by a small JSON parser (`JSONTape`) that allocates
/// nothing per line beyond the values it returns, and that rejects, rather than trips on, hostile input (deep
/// nesting, huge lines, broken escapes).
public final class JSONLinesReader: TraceReader {
  /// The header. `interrupted` becomes true when the end record says so, when the last line was cut,
  /// or at the end of a file that has no end record.
  public private(set) var header: TraceHeader
  /// The end record, once read (nil when the file has none: the run was cut short without one).
  public private(set) var end: JSONLinesEnd?
  /// The schema version of the file (`threadtrace/1.2` is (1, 2)).
  public let version: (major: Int, minor: Int)

  private let source: LineSource
  private let fileIndex: Int32
  private var tape = JSONTape()
  private var warnings: [InputWarning] = []
  /// Unknown event types and value tags already warned about: each is reported once, not once per line.
  private var reportedUnknowns: Set<String> = []
  private var eventLines: Int64 = 0
  private var overlongLinesReported = 0
  private var lastOverlongLine = 0
  private var warnedEventsAfterEnd = false

  /// Reads the header from `source`'s first line (blank lines before it are skipped).
  ///
  /// - Parameter fileIndex: the `origin.file` of the events (0 for a single file).
  public convenience init(source: LineSource, fileIndex: Int32 = 0) throws(TraceReadError) {
    var tape = JSONTape()
    var outcome: HeaderOutcome?
    repeat {
      outcome = try source.withNextLine { line -> HeaderOutcome in
        if Self.isBlank(line) { return .blank }
        return Self.readHeader(
          line, tape: &tape, name: source.name, lineNumber: source.lineNumber,
          unterminated: source.lastLineWasUnterminated)
      }
    } while outcome?.isBlank == true
    try self.init(source: source, fileIndex: fileIndex, tape: tape, outcome: outcome)
  }

  /// Reads the header from `headerLine`, the line `source` handed out last, which format detection has already
  /// taken (a pipe cannot be read twice); the events follow from `source`.
  public convenience init(source: LineSource, headerLine: [UInt8], fileIndex: Int32 = 0) throws(TraceReadError) {
    var tape = JSONTape()
    let outcome = headerLine.withUnsafeBufferPointer { line in
      Self.readHeader(
        line, tape: &tape, name: source.name, lineNumber: max(source.lineNumber, 1),
        unterminated: source.lastLineWasUnterminated)
    }
    try self.init(source: source, fileIndex: fileIndex, tape: tape, outcome: outcome)
  }

  private init(source: LineSource, fileIndex: Int32, tape: JSONTape, outcome: HeaderOutcome?) throws(TraceReadError) {
    self.source = source
    self.fileIndex = fileIndex
    switch outcome {
    case nil, .blank?:
      throw TraceReadError(.empty, file: source.name, reason: "empty file: a threadtrace trace starts with a header")
    case .failure(let error)?:
      throw error
    case .header(let header, let version, let headerWarnings, let line)?:
      self.header = header
      self.version = version
      self.tape = tape
      for reason in headerWarnings { warn(reason, line: line) }
    }
  }

  private enum HeaderOutcome {
    case blank
    case header(TraceHeader, version: (major: Int, minor: Int), warnings: [String], line: Int)
    case failure(TraceReadError)

    var isBlank: Bool {
      if case .blank = self { return true }
      return false
    }
  }

  public var progress: (consumed: Int64, total: Int64?) { (source.consumed, source.totalSize) }

  /// Whether `line` (a file's first line) is a threadtrace header of any version: a JSON object whose `"schema"`
  /// starts with `threadtrace/`. For format detection; `init` then says whether the version is readable.
  public static func isHeaderLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    var line = line
    if line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
      line = UnsafeBufferPointer(rebasing: line[3...])
    }
    var tape = JSONTape()
    do throws(JSONTape.SyntaxError) { try tape.parse(line) } catch { return false }
    return tape.withView(line) { view in
      guard view.kind(0) == .object else { return false }
      let decoder = JSONLinesDecoder(view: view, defaultArchitecture: .x86_64)
      guard let schema = decoder.present("schema", of: 0), let text = try? decoder.text(schema, field: "schema")
      else { return false }
      return text.hasPrefix(JSONLinesFormat.schemaPrefix)
    }
  }

  public func drainWarnings() -> [InputWarning] {
    defer { warnings.removeAll() }
    return warnings
  }

  public func next() throws(TraceReadError) -> TraceEvent? {
    while true {
      let outcome = try source.withNextLine { line in readEvent(line) }
      reportOverlongLines()
      guard let outcome else {
        // No end record: the tracer stopped without finishing the file (killed, crashed, disk full).
        if end == nil { header.interrupted = true }
        return nil
      }
      if let event = outcome { return event }
    }
  }

  // MARK: Events

  /// The event on `line`, or nil for a line that holds none (blank, the end record, a problem reported).
  private func readEvent(_ line: UnsafeBufferPointer<UInt8>) -> TraceEvent? {
    if Self.isBlank(line) { return nil }
    let lineNumber = source.lineNumber
    do throws(JSONTape.SyntaxError) {
      try tape.parse(line)
    } catch {
      eventLines += 1
      if source.lastLineWasUnterminated {
        header.interrupted = true
        warn("truncated last line (the tracer was probably killed)", line: lineNumber)
      } else {
        warn("malformed JSON at column \(error.offset + 1): \(error.reason)", line: lineNumber)
      }
      return nil
    }
    return tape.withView(line) { view -> TraceEvent? in
      guard view.kind(0) == .object else {
        eventLines += 1
        warn("not a JSON object: \(view.rawText(0))", line: lineNumber)
        return nil
      }
      var decoder = JSONLinesDecoder(view: view, defaultArchitecture: header.architecture)
      guard let typeToken = decoder.present("type", of: 0) else {
        if decoder.present("schema", of: 0) != nil {
          warn("a second header, ignored (were two traces joined into one file?)", line: lineNumber)
        } else {
          eventLines += 1
          warn("missing field \"type\"", line: lineNumber)
        }
        return nil
      }
      let type: String
      do throws(DecodeProblem) {
        type = try decoder.text(typeToken, field: "type")
      } catch {
        eventLines += 1
        warn(error.reason, line: lineNumber)
        return nil
      }
      if type == JSONLinesFormat.endType {
        readEnd(decoder, line: lineNumber)
        return nil
      }
      eventLines += 1
      if end != nil && !warnedEventsAfterEnd {
        warnedEventsAfterEnd = true
        warn("events after the end record (were two traces joined into one file?)", line: lineNumber)
      }
      guard JSONLinesFormat.eventTypes.contains(type) else {
        warnOnce(
          "unknown:" + type,
          "unknown event type \"\(type)\" (from a newer threadtrace?): skipped, here and on later lines",
          line: lineNumber)
        return nil
      }
      do throws(DecodeProblem) {
        let (tid, tgid, time, body) = try decoder.event(type: type)
        for tag in decoder.unknownTags {
          warnOnce(
            "tag:" + tag,
            "unknown argument value \"\(tag)\" (from a newer threadtrace?): kept as text, here and on later lines",
            line: lineNumber)
        }
        return TraceEvent(
          tid: tid, tgid: tgid, time: time, body: body, origin: TraceEvent.Origin(file: fileIndex, line: lineNumber))
      } catch {
        warn("\(type) event skipped: \(error.reason)", line: lineNumber)
        return nil
      }
    }
  }

  private func readEnd(_ decoder: JSONLinesDecoder, line: Int) {
    let record: JSONLinesEnd
    do throws(DecodeProblem) {
      record = try decoder.end()
    } catch {
      warn("end record ignored: \(error.reason)", line: line)
      return
    }
    if end != nil {
      warn("a second end record (were two traces joined into one file?)", line: line)
    }
    end = record
    if record.interrupted { header.interrupted = true }
    if let expected = record.eventCount, expected != eventLines {
      warn(
        "the end record counts \(expected) events but \(eventLines) event lines precede it (lines lost or added?)",
        line: line)
    }
  }

  private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    for byte in line where byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
    return true
  }

  private func reportOverlongLines() {
    let overlong = source.overlongLines
    while overlongLinesReported < overlong.count {
      let line = overlong[overlongLinesReported]
      overlongLinesReported += 1
      // LineSource records a line once per buffer-full it drops; report each line once.
      if line == lastOverlongLine { continue }
      lastOverlongLine = line
      warn("a line longer than \(source.maximumLineLength) bytes was skipped", line: line)
    }
  }

  private func warn(_ reason: String, line: Int) {
    warnings.append(InputWarning(file: source.name, line: line, reason: reason))
  }

  /// Warns about `key` the first time only (at most 1000 distinct keys are remembered).
  private func warnOnce(_ key: String, _ reason: String, line: Int) {
    guard !reportedUnknowns.contains(key) else { return }
    if reportedUnknowns.count < 1000 { reportedUnknowns.insert(key) }
    warn(reason, line: line)
  }

  // MARK: The header

  private static func readHeader(
    _ rawLine: UnsafeBufferPointer<UInt8>, tape: inout JSONTape, name: String, lineNumber: Int, unterminated: Bool
  ) -> HeaderOutcome {
    func failure(_ kind: TraceReadError.Kind, _ reason: String) -> HeaderOutcome {
      .failure(TraceReadError(kind, file: name, line: lineNumber, reason: reason))
    }
    var line = rawLine
    // A UTF-8 byte order mark, which some editors add.
    if line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
      line = UnsafeBufferPointer(rebasing: line[3...])
    }
    let expected = "a threadtrace trace starts with a header line {\"schema\":\"\(JSONLinesFormat.schema)\",…}"
    do throws(JSONTape.SyntaxError) {
      try tape.parse(line)
    } catch {
      if unterminated && error.atEnd {
        return failure(.unrecognizedFormat, "the header is cut short (the tracer was probably killed)")
      }
      return failure(.unrecognizedFormat, "not a threadtrace header (\(error.reason)); \(expected)")
    }
    return tape.withView(line) { view in
      guard view.kind(0) == .object else {
        return failure(.unrecognizedFormat, "not a JSON object; \(expected)")
      }
      let decoder = JSONLinesDecoder(view: view, defaultArchitecture: .x86_64)
      guard let schemaToken = decoder.present("schema", of: 0) else {
        if let typeToken = decoder.present("type", of: 0), let type = try? decoder.text(typeToken, field: "type") {
          return failure(.unrecognizedFormat, "missing header: a \"\(type)\" event comes first; \(expected)")
        }
        return failure(.unrecognizedFormat, "missing header: no \"schema\"; \(expected)")
      }
      guard let schema = try? decoder.text(schemaToken, field: "schema") else {
        return failure(.unrecognizedFormat, "\"schema\" is not a string; \(expected)")
      }
      guard let version = JSONLinesFormat.version(of: schema) else {
        return failure(.unrecognizedFormat, "unknown schema \"\(schema)\"; \(expected)")
      }
      guard version.major == JSONLinesFormat.majorVersion else {
        let writer = (try? decoder.optionalString("tool_version", of: 0)).flatMap { $0 }.map { " by threadtrace \($0)" }
        let newer = version.major > JSONLinesFormat.majorVersion
        return failure(
          .unsupportedVersion,
          "this trace is \(schema) (written\(writer ?? "") in \(newer ? "a newer" : "an older") format), but this "
            + "threadtrace reads \(JSONLinesFormat.schema) only: "
            + (newer ? "upgrade threadtrace to read it" : "read it with the threadtrace that wrote it"))
      }
      var header = TraceHeader(schema: schema)
      var warnings: [String] = []
      func field<T>(_ read: () throws(DecodeProblem) -> T?) -> T? {
        do throws(DecodeProblem) { return try read() } catch {
          warnings.append("header: \(error.reason)")
          return nil
        }
      }
      header.toolVersion = field { () throws(DecodeProblem) in try decoder.optionalString("tool_version", of: 0) }
      header.kernel = field { () throws(DecodeProblem) in try decoder.optionalString("kernel", of: 0) }
      do throws(DecodeProblem) {
        if let architecture = try decoder.optionalArchitecture("arch", of: 0) {
          header.architecture = architecture
        } else {
          warnings.append("header: missing field \"arch\"; assuming x86_64")
        }
      } catch {
        return failure(.unrecognizedFormat, error.reason)
      }
      header.command = field { () throws(DecodeProblem) -> [String]? in
        guard let token = decoder.present("command", of: 0) else { return nil }
        guard view.kind(token) == .array else {
          throw DecodeProblem("field \"command\" is not an array of strings: \(view.rawText(token))")
        }
        var words: [String] = []
        try view.forEachElement(of: token) { (element) throws(DecodeProblem) in
          words.append(try decoder.text(element, field: "command"))
        }
        return words
      }
      header.startTime = field { () throws(DecodeProblem) in
        try decoder.optionalInt64("start_time_us", of: 0).map(TraceTime.init(microseconds:))
      }
      header.clock = field { () throws(DecodeProblem) -> TraceClock? in
        guard let wireName = try decoder.optionalString("clock", of: 0) else { return nil }
        guard let clock = JSONLinesFormat.clock(wireName: wireName) else {
          throw DecodeProblem("field \"clock\" is \"\(wireName)\", not epoch, time_of_day or relative")
        }
        return clock
      }
      if unterminated {
        // A file that is only a header without its newline: the tracer died before the first event.
        header.interrupted = true
      }
      return .header(header, version: (version.major, version.minor), warnings: warnings, line: lineNumber)
    }
  }
}
