@testable import Rendering
import Testing

/// The tree's sizes, written as bytes: the largest binary unit that divides the size, over the whole range.
struct SummarySizeTests {
  /// What the tree printed when it built sizes as Strings.
  static func reference(_ bytes: UInt64) -> String {
    if bytes == 0 { return "0" }
    for (unit, name) in [(UInt64(1) << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")] where bytes % unit == 0 {
      return "\(bytes / unit) \(name)"
    }
    return "\(bytes) B"
  }

  @Test(arguments: [
    0, 1, 1023, 1024, 4096, 65536, 8 << 20, (8 << 20) + 4096, 3 << 30, 12345, UInt64.max, UInt64.max - 1023,
    1 << 63, (1 << 63) + 1,
  ] as [UInt64])
  func sizesAsBefore(_ bytes: UInt64) {
    #expect(SummaryText.size(bytes) == Self.reference(bytes))
  }
}
