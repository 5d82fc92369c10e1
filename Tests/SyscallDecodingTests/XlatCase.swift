import SyscallDecoding
import Testing

/// One value and how strace prints it in each `-X` style, like strace's `tests/tests.h` `XLAT_KNOWN`/`XLAT_UNKNOWN`
/// macros, which let one expectation cover `-Xraw`, `-Xabbrev` and `-Xverbose`.
struct XlatCase: Sendable, CustomTestStringConvertible {
  let value: UInt64
  let raw: String
  let abbreviated: String
  let verbose: String

  init(_ value: UInt64, raw: String, abbreviated: String, verbose: String) {
    self.value = value
    self.raw = raw
    self.abbreviated = abbreviated
    self.verbose = verbose
  }

  /// A value with names: raw is the number, verbose is the number with the names as a comment.
  static func known(_ value: UInt64, _ names: String) -> XlatCase {
    let number = value == 0 ? "0" : "0x" + String(value, radix: 16)
    return XlatCase(value, raw: number, abbreviated: names, verbose: "\(number) /* \(names) */")
  }

  /// A value nothing names: the number with the table's unknown label, in abbreviated and verbose alike.
  static func unknown(_ value: UInt64, _ label: String) -> XlatCase {
    let number = "0x" + String(value, radix: 16)
    return XlatCase(value, raw: number, abbreviated: "\(number) /* \(label) */", verbose: "\(number) /* \(label) */")
  }

  var testDescription: String { "0x" + String(value, radix: 16) + " → " + abbreviated }

  /// Checks `render` against all three styles.
  func check(_ render: (UInt64, XlatStyle) -> String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(render(value, .raw) == raw, sourceLocation: sourceLocation)
    #expect(render(value, .abbreviated) == abbreviated, sourceLocation: sourceLocation)
    #expect(render(value, .verbose) == verbose, sourceLocation: sourceLocation)
  }
}
