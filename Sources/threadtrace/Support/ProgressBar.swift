#if canImport(Glibc)
  import Glibc
#endif

/// A progress bar on standard error for long inputs, only when standard error is a terminal. It redraws at
/// most a few times a second and erases itself at the end, so it never mixes with the report.
final class ProgressBar {
  private let total: Int64
  private var lastDraw: Double = 0
  private let start: Double
  private var drawn = false
  let active: Bool

  init?(total: Int64?, minimumSize: Int64 = 32 << 20) {
    guard let total, total >= minimumSize, isatty(2) == 1 else { return nil }
    self.total = total
    self.start = Self.now()
    self.active = true
  }

  func update(consumed: Int64) {
    let now = Self.now()
    guard now - lastDraw >= 0.2 else { return }
    lastDraw = now
    let fraction = min(1, Double(consumed) / Double(max(total, 1)))
    let width = 30
    let filled = Int(fraction * Double(width))
    let rate = Double(consumed) / max(now - start, 0.001) / 1_048_576
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let text = "\r[\(bar)] \(Int(fraction * 100))%  \(consumed >> 20)/\(total >> 20) MiB  \(Int(rate)) MiB/s"
    _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
    drawn = true
  }

  func finish() {
    guard drawn else { return }
    let clear = "\r\u{1B}[K"
    _ = clear.withCString { Glibc.write(2, $0, strlen($0)) }
  }

  private static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}
