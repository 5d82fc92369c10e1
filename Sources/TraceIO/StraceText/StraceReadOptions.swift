/// How an strace log is read.
public struct StraceReadOptions: Sendable {
  /// Whether to parse the arguments of the syscall with this name. When false the event's `arguments` is empty
  /// and the argument text is never looked at: only the name, the result and the `-T` duration are read, which is
  /// what makes a large log fast to read when the caller interprets few syscalls.
  public var parseArguments: @Sendable (Substring) -> Bool
  /// Events held back while the pid of unprefixed lines is still unknown (strace `-f` to stderr prints no pid
  /// until a second task exists). Past this the reader stops waiting, uses tid 0 and warns.
  public var unknownPIDHoldLimit: Int
  /// Warnings kept per input; past this one summary warning says how many more there were.
  public var warningLimit: Int

  public init(
    parseArguments: @escaping @Sendable (Substring) -> Bool = { _ in true },
    unknownPIDHoldLimit: Int = 4096, warningLimit: Int = 1000
  ) {
    self.parseArguments = parseArguments
    self.unknownPIDHoldLimit = unknownPIDHoldLimit
    self.warningLimit = warningLimit
  }

  /// Parse the arguments of every syscall.
  public static var all: StraceReadOptions { StraceReadOptions() }

  /// Parse the arguments of these syscalls only.
  public static func parsingArguments(of names: Set<String>) -> StraceReadOptions {
    StraceReadOptions(parseArguments: { names.contains(String($0)) })
  }
}
