/// A syscall argument value, decoded as far as the source could, keeping the raw value wherever one exists.
///
/// The same shapes come from strace text (parsed) and from the live engine (decoded from registers and
/// tracee memory), so the lifecycle model reads arguments the same way whatever the source.
///
/// Only `changed` is `indirect` (it holds two values): an indirect case is a heap box per value, and a log's
/// millions of plain numbers and constants should cost none.
public enum ArgValue: Hashable, Sendable {
  /// A plain number as printed in decimal (a length, a count, a signed value).
  case integer(Int64)
  /// An address or other hexadecimal value. `NULL` is `.address(0)`.
  case address(UInt64)
  /// A constant or an OR of constants (`CLONE_VM|CLONE_FS|0x40000000`, `FUTEX_WAIT_PRIVATE`, `PROT_NONE`),
  /// with the raw value when every part is known.
  case symbolic(Symbolic)
  /// A string from tracee memory.
  case string(StringValue)
  /// A structure `{name=value, …}`; strace sometimes omits names.
  case structure([Argument])
  /// An array `[a, b, …]`; `truncated` when the source printed `...`.
  case array([ArgValue], truncated: Bool)
  /// A file descriptor with the path strace's `-y` printed (`3</proc/self/task/7/comm>`).
  case fileDescriptor(Int32, path: String?)
  /// The kernel changed the value during the call: strace's `in => out`.
  indirect case changed(from: ArgValue, to: ArgValue)
  /// Anything else, kept verbatim: an expression, a comment (`/* 35 vars */`), an unparsed argument list.
  case text(String)
}

/// Constants joined with `|`, as the source named them, and their value when every part is known.
public struct Symbolic: Hashable, Sendable {
  /// The parts as printed: names, and numbers for unknown bits (`"0x40000000"`).
  public var parts: [String]
  /// The combined value, when every name is known to the tables.
  public var raw: UInt64?

  public init(parts: [String], raw: UInt64?) {
    self.parts = parts
    self.raw = raw
  }
}

/// Bytes read from the tracee. Not necessarily UTF-8, possibly cut short.
public struct StringValue: Hashable, Sendable {
  public var bytes: [UInt8]
  /// The source printed fewer bytes than the string has (strace `-s`: `"abc"...`).
  public var truncated: Bool

  public init(bytes: [UInt8], truncated: Bool = false) {
    self.bytes = bytes
    self.truncated = truncated
  }

  public init(_ text: String, truncated: Bool = false) {
    self.init(bytes: Array(text.utf8), truncated: truncated)
  }

  /// The text with invalid UTF-8 replaced, for display (callers still sanitize control characters).
  public var lossyText: String { String(decoding: bytes, as: UTF8.self) }
}

extension ArgValue {
  /// The value as an unsigned number, if it is one (an address, an integer, or a fully known symbol set).
  /// A changed value gives its value at entry.
  // Inlinable, and recursive only through `nestedUnsignedValue`, so that it inlines into a view reading a number
  // in place (`ArgumentList`), which then reads a symbolic value's number without copying the value: a copy
  // is a retain and a release of its parts, twice for an `mmap`.
  @inlinable
  public var unsignedValue: UInt64? {
    switch self {
    case .integer(let value): return UInt64(bitPattern: value)
    case .address(let value): return value
    case .symbolic(let symbolic): return symbolic.raw
    case .fileDescriptor(let fd, _): return UInt64(bitPattern: Int64(fd))
    case .changed, .array: return nestedUnsignedValue
    default: return nil
    }
  }

  /// `unsignedValue` of the values that hold others.
  @usableFromInline
  var nestedUnsignedValue: UInt64? {
    switch self {
    case .changed(let from, _): return from.unsignedValue
    case .array(let elements, _) where elements.count == 1: return elements[0].unsignedValue
    default: return nil
    }
  }

  /// The value as a signed number, if it is one.
  @inlinable
  public var signedValue: Int64? {
    switch self {
    case .integer(let value): return value
    case .fileDescriptor(let fd, _): return Int64(fd)
    default: return unsignedValue.map { Int64(bitPattern: $0) }
    }
  }

  /// The value after the call: the right side of `=>`, or the value itself.
  public var valueAfterCall: ArgValue {
    if case .changed(_, let to) = self { return to }
    return self
  }

  /// The field called `name` of a structure.
  public func field(_ name: String) -> ArgValue? {
    switch self {
    case .structure(let fields): return fields.first(where: { $0.name == name })?.value
    case .changed(let from, let to): return to.field(name) ?? from.field(name)
    default: return nil
    }
  }

  /// The string's bytes, if the value is a string.
  public var stringValue: StringValue? {
    if case .string(let string) = self { return string }
    return nil
  }
}
