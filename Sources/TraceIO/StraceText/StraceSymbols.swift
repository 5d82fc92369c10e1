import SyscallDecoding
import TraceModel

/// The reader's one door into `SyscallDecoding`'s tables: names strace prints back to numbers.
enum StraceSymbols {
  /// The OR of constants as strace joined them (`CLONE_VM|SIGCHLD|0x40000000`), nil when a name is unknown.
  static func resolve(_ parts: [Substring]) -> UInt64? {
    SymbolTable.resolve(parts: parts)
  }

  static func value(of name: String) -> UInt64? {
    SymbolTable.value(of: name)
  }

  static func errno(named name: Substring) -> Int32? {
    ErrnoNames.code(named: name)
  }

  static func signal(named name: Substring) -> Int32? {
    Signals.number(named: name)
  }

  static func syscallNumber(of name: String, in architecture: Architecture) -> Int32? {
    SyscallTable.number(of: name, in: architecture)
  }
}
