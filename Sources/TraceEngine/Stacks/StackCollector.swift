import Glibc
import TraceModel

/// The creator's user stack at every clone, clone3, fork and vfork (`trace --stacks`): unwound with
/// libunwind-ptrace (`Unwinder`) and named from the mapped ELF files (`Symbolizer`).
///
/// Used by the `Tracer` on its ptrace thread, at the entry stop of those calls, while the task is stopped.
/// A failed or partial unwind never fails the trace: the stack then holds what was found, at least the IP.
public final class StackCollector {
  /// The most frames recorded per stack, innermost first.
  public let depth: Int
  private let unwinder = Unwinder()
  private let symbolizer: Symbolizer

  /// Stacks taken, and the time spent taking them (unwinding and naming), for `--stacks`' cost.
  public private(set) var captures = 0
  public private(set) var nanoseconds: UInt64 = 0
  /// Stacks whose first frame had no unwind info and was synthesised (glibc's clone stubs), and stacks that
  /// libunwind gave up on before the outermost frame or the depth (those keep the frames found).
  public private(set) var synthesizedFirstFrames = 0
  public private(set) var unwindErrors = 0

  public static let defaultDepth = 16

  /// `debugRoot`: where separate debug files are looked up by build id (nil: never).
  public init(depth: Int = StackCollector.defaultDepth, debugRoot: String? = "/usr/lib/debug") {
    self.depth = max(1, depth)
    symbolizer = Symbolizer(debugRoot: debugRoot)
  }

  /// Whether a stack is taken at calls to `name`: the calls that make tasks.
  public static func records(_ name: String) -> Bool {
    name == "clone3" || name == "clone" || name == "fork" || name == "vfork"
  }

  /// The user stack of `tid` (of process `tgid`), stopped at a syscall entry whose IP is `instructionPointer`.
  public func capture(tid: Int32, tgid: Int32, instructionPointer: UInt64) -> [StackFrame] {
    let start = Self.monotonicNanoseconds()
    defer {
      captures += 1
      nanoseconds += Self.monotonicNanoseconds() &- start
    }
    let unwound = unwinder.unwind(tid: tid, tgid: tgid, depth: depth)
    if unwound.firstSynthesized { synthesizedFirstFrames += 1 }
    if unwound.error != nil { unwindErrors += 1 }
    var pcs = unwound.pcs
    if pcs.isEmpty { pcs = [instructionPointer] }
    var refreshed = false
    return pcs.map { symbolizer.frame(pc: $0, tgid: tgid, refreshed: &refreshed) }
  }

  /// Process `tgid` exec'd: a new program, other code at the same addresses.
  public func addressSpaceReplaced(tgid: Int32) {
    unwinder.forget(tgid: tgid)
    symbolizer.forget(tgid: tgid)
  }

  private static func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }
}
