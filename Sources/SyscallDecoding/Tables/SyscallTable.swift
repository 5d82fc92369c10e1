import TraceModel

/// Syscall names and numbers for x86_64 and for i386 (the 32-bit compat ABI an x86_64 kernel also runs), as
/// libseccomp names them, plus the syscalls newer than libseccomp 2.5.4 added by hand. The rows are generated into
/// `SyscallTable+x86_64.swift` and `SyscallTable+i386.swift` by `scripts/generate-syscall-tables.sh`.
public enum SyscallTable {
  /// The name of syscall `number` in `architecture`, or nil when that number is not a syscall there.
  public static func name(of number: Int32, in architecture: Architecture) -> String? {
    let names = index(architecture).names
    guard number >= 0, Int(number) < names.count else { return nil }
    return names[Int(number)]
  }

  /// The number of syscall `name` in `architecture`, or nil when it has no such syscall.
  public static func number(of name: some StringProtocol, in architecture: Architecture) -> Int32? {
    index(architecture).numbers[substring(name)]
  }

  /// Every syscall of `architecture`, by number.
  public static func entries(in architecture: Architecture) -> [(number: Int32, name: String)] {
    switch architecture {
    case .x86_64: return x64Rows.map { (number: $0.0, name: $0.1) }
    case .i386: return i386Rows.map { (number: $0.0, name: $0.1) }
    }
  }

  private struct Index: Sendable {
    /// Indexed by number; nil where the number is unused.
    let names: [String?]
    let numbers: [Substring: Int32]

    init(_ rows: [(Int32, String)]) {
      var names = [String?](repeating: nil, count: Int(rows.map(\.0).max() ?? -1) + 1)
      var numbers: [Substring: Int32] = [:]
      // Sized once: built on every run, and growing it rehashed every name several times.
      numbers.reserveCapacity(rows.count)
      for (number, name) in rows {
        names[Int(number)] = name
        numbers[name[...]] = number
      }
      self.names = names
      self.numbers = numbers
    }
  }

  private static let x64Index = Index(x64Rows)
  private static let i386Index = Index(i386Rows)

  private static func index(_ architecture: Architecture) -> Index {
    switch architecture {
    case .x86_64: return x64Index
    case .i386: return i386Index
    }
  }
}
