import TraceModel

/// Syscall names and numbers for x86_64 and for i386 (the 32-bit compat ABI an x86_64 kernel also runs), as
/// libseccomp names them, plus the syscalls newer than libseccomp 2.5.4 added by hand. The rows are generated into
/// `SyscallTable+x86_64.swift` and `SyscallTable+i386.swift` by `scripts/generate-syscall-tables.sh`.
public enum SyscallTable {
  /// The name of syscall `number` in `architecture`, or nil when that number is not a syscall there.
  public static func name(of number: Int32, in architecture: Architecture) -> String? {
    let names = architecture == .x86_64 ? x64Names : i386Names
    guard number >= 0, Int(number) < names.count else { return nil }
    return names[Int(number)]
  }

  /// The number of syscall `name` in `architecture`, or nil when it has no such syscall.
  public static func number(of name: some StringProtocol, in architecture: Architecture) -> Int32? {
    (architecture == .x86_64 ? x64Numbers : i386Numbers)[substring(name)]
  }

  /// The numbers of those of `names` that `architecture` has: what a table indexed by number is built from.
  ///
  /// Walks the rows and looks each one up among `names`, a few dozen, rather than building the index of every
  /// name (`number(of:)`): tables like this are built at every start, and hashing 900 names into that index was
  /// a tenth of a short trace's start-up.
  public static func numbers(
    of names: some Sequence<String>, in architecture: Architecture
  ) -> [(name: String, number: Int32)] {
    // Grouped by length, not hashed: Swift's seeded String hashing was 470 instructions a row here, where a
    // row's length and a compare with the few names of that length are a few dozen.
    var byLength = [[String]](repeating: [], count: 32)
    for name in names { byLength[min(name.utf8.count, 31)].append(name) }
    let rows = architecture == .x86_64 ? x64Rows : i386Rows
    var found: [(name: String, number: Int32)] = []
    for (number, name) in rows where byLength[min(name.utf8.count, 31)].contains(name) {
      found.append((name: name, number: number))
    }
    return found
  }

  /// `values` (by syscall name) as a table indexed by syscall number, below `count`, `empty` elsewhere: an array
  /// index per event instead of hashing the name of every call.
  @inlinable
  public static func tableByNumber<Value>(
    _ values: [String: Value], in architecture: Architecture, count: Int = 1024, empty: Value
  ) -> [Value] {
    var table = [Value](repeating: empty, count: count)
    for (name, number) in numbers(of: values.keys, in: architecture) where Int(number) < count {
      if let value = values[name] { table[Int(number)] = value }
    }
    return table
  }

  /// Every syscall of `architecture`, by number.
  public static func entries(in architecture: Architecture) -> [(number: Int32, name: String)] {
    switch architecture {
    case .x86_64: return x64Rows.map { (number: $0.0, name: $0.1) }
    case .i386: return i386Rows.map { (number: $0.0, name: $0.1) }
    }
  }

  /// Names by number (nil where a number is unused), and numbers by name: separate, each made at its first use.
  /// Every stop asks for a name; only the strace reader asks for a number (a live trace never does), and that
  /// index is 900 hashed names.
  private static let x64Names = namesByNumber(x64Rows)
  private static let i386Names = namesByNumber(i386Rows)
  private static let x64Numbers = numbersByName(x64Rows)
  private static let i386Numbers = numbersByName(i386Rows)

  private static func namesByNumber(_ rows: [(Int32, String)]) -> [String?] {
    var names = [String?](repeating: nil, count: Int(rows.map(\.0).max() ?? -1) + 1)
    for (number, name) in rows { names[Int(number)] = name }
    return names
  }

  private static func numbersByName(_ rows: [(Int32, String)]) -> [Substring: Int32] {
    var numbers: [Substring: Int32] = [:]
    // Sized once: growing it rehashed every name several times.
    numbers.reserveCapacity(rows.count)
    for (number, name) in rows { numbers[name[...]] = number }
    return numbers
  }
}
