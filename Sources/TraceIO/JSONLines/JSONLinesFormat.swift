import TraceModel

/// The constants of threadtrace's trace file format, shared by the writer, the reader and their tests.
/// The format itself is specified in `docs/trace-format.md`; keep the two in step.
public enum JSONLinesFormat {
  /// The schema this code writes, and the major version it reads.
  public static let schema = "threadtrace/1"
  /// The major version of `schema`.
  public static let majorVersion = 1
  /// The `"schema"` prefix that marks a threadtrace trace.
  public static let schemaPrefix = "threadtrace/"

  /// Deepest JSON nesting a line may have (objects and arrays). Deeper lines are rejected with a warning, so no
  /// input can exhaust the stack or the memory of the parser.
  public static let maximumNesting = 512
  /// Most JSON values (scalars, objects, arrays, object keys) one line may hold.
  public static let maximumValuesPerLine = 1 << 20
  /// Deepest `ArgValue` nesting the writer writes; deeper values (which no decoder produces) are written as
  /// `{"text":"…"}`, so every line the writer produces is one the reader accepts.
  public static let maximumArgumentNesting = 200

  /// The event types of version 1, as they appear in `"type"`.
  public static let eventTypes = [
    "syscall", "signal", "group_stop", "exited", "killed", "exec_took_over", "attached", "detached", "cost",
    "registrations",
    "personality", "message",
  ]
  /// The `"type"` of the optional last line.
  public static let endType = "end"

  /// Parses a `"schema"` value: `threadtrace/MAJOR` or `threadtrace/MAJOR.MINOR`. Nil if it is not one.
  public static func version(of schema: String) -> (major: Int, minor: Int)? {
    guard schema.hasPrefix(schemaPrefix) else { return nil }
    let parts = schema.dropFirst(schemaPrefix.count).split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 1 || parts.count == 2 else { return nil }
    func number(_ part: Substring) -> Int? {
      guard !part.isEmpty, part.count <= 9, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
      return Int(part)
    }
    guard let major = number(parts[0]) else { return nil }
    if parts.count == 2 {
      guard let minor = number(parts[1]) else { return nil }
      return (major, minor)
    }
    return (major, 0)
  }
}

/// The wire names of the model's enumerations. They are the format's, not Swift's: renaming a Swift case must not
/// change a file.
extension JSONLinesFormat {
  static func wireName(_ clock: TraceClock) -> String {
    switch clock {
    case .epoch: return "epoch"
    case .timeOfDay: return "time_of_day"
    case .relative: return "relative"
    }
  }

  static func clock(wireName: String) -> TraceClock? {
    switch wireName {
    case "epoch": return .epoch
    case "time_of_day": return .timeOfDay
    case "relative": return .relative
    default: return nil
    }
  }

  static func wireName(_ completeness: SyscallEvent.Completeness) -> String {
    switch completeness {
    case .complete: return "complete"
    case .entryOnly: return "entry_only"
    case .exitOnly: return "exit_only"
    case .resultUnread: return "result_unread"
    }
  }

  static func completeness(wireName: String) -> SyscallEvent.Completeness? {
    switch wireName {
    case "complete": return .complete
    case "entry_only": return .entryOnly
    case "exit_only": return .exitOnly
    case "result_unread": return .resultUnread
    default: return nil
    }
  }

  static func wireName(_ architecture: Architecture) -> String {
    switch architecture {
    case .x86_64: return "x86_64"
    case .i386: return "i386"
    }
  }

  static func architecture(wireName: String) -> Architecture? {
    switch wireName {
    case "x86_64": return .x86_64
    case "i386": return .i386
    default: return nil
    }
  }
}
