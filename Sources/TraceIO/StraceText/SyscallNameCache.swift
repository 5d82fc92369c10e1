import TraceModel

/// What the reader needs to know about a syscall name, worked out once per (name, personality).
struct SyscallNameInfo {
  let name: String
  let number: Int32?
  /// The ABI the number belongs to: the task's personality, or i386 for names only i386 has (`getgid32`),
  /// since `-o FILE CMD` hides strace's personality switch lines (its implied `-q`).
  let architecture: Architecture
  let parseArguments: Bool
  /// A call the caller said it does not interpret, known by its name (not an `syscall_0xNNN`, whose number may
  /// stand for a call that is interpreted): it may go to the reader's `uninterpretedCallSink`.
  let uninterpreted: Bool
  /// `restart_syscall`: a call resumed after an interruption, the first call strace shows of a task it attached
  /// to in the middle of a call.
  let isRestart: Bool

  init(name: String, number: Int32?, architecture: Architecture, parseArguments: Bool) {
    self.name = name
    self.number = number
    self.architecture = architecture
    self.parseArguments = parseArguments
    uninterpreted = !parseArguments && !name.hasPrefix("syscall_")
    isRestart = name == "restart_syscall"
  }
}

/// Maps the bytes of a syscall name to its `SyscallNameInfo` without building a `String` per line. The `String`
/// in each info is made once, so every event of a syscall shares it (interned).
final class SyscallNameCache {
  private let table = ShortNameTable<SyscallNameInfo>(bits: 11)
  private let parseArguments: @Sendable (Substring) -> Bool

  init(parseArguments: @escaping @Sendable (Substring) -> Bool) {
    self.parseArguments = parseArguments
  }

  @inline(__always)
  func lookup(_ bytes: Bytes, from start: Int, to end: Int, architecture: Architecture) -> SyscallNameInfo {
    guard let key = ShortName(bytes, from: start, to: end, tag: architecture == .i386 ? 2 : 1) else {
      return compute(bytes.string(start, end), architecture: architecture)
    }
    return table.value(for: key) { compute(bytes.string(start, end), architecture: architecture) }
  }

  /// `lookup`, read in place: the per-line paths read a few fields, and a copy of the info is a retain and a
  /// release of its name. Valid until the next lookup.
  @inline(__always)
  func find(
    _ bytes: Bytes, from start: Int, to end: Int, architecture: Architecture
  ) -> UnsafePointer<SyscallNameInfo> {
    guard let key = ShortName(bytes, from: start, to: end, tag: architecture == .i386 ? 2 : 1) else {
      return table.keep(compute(bytes.string(start, end), architecture: architecture))
    }
    return table.pointer(for: key) { compute(bytes.string(start, end), architecture: architecture) }
  }

  private func compute(_ name: String, architecture: Architecture) -> SyscallNameInfo {
    let parse = parseArguments(Substring(name))
    // strace prints a syscall it has no name for as `syscall_0x1f4`, the number in the task's personality.
    if name.hasPrefix("syscall_0x"), let number = Int32(name.dropFirst(10), radix: 16) {
      return SyscallNameInfo(name: name, number: number, architecture: architecture, parseArguments: parse)
    }
    if let number = StraceSymbols.syscallNumber(of: name, in: architecture) {
      return SyscallNameInfo(name: name, number: number, architecture: architecture, parseArguments: parse)
    }
    if architecture == .x86_64, let number = StraceSymbols.syscallNumber(of: name, in: .i386) {
      return SyscallNameInfo(name: name, number: number, architecture: .i386, parseArguments: parse)
    }
    return SyscallNameInfo(name: name, number: nil, architecture: architecture, parseArguments: parse)
  }
}
