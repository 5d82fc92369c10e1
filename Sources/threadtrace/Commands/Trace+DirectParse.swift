extension ThreadTrace.Trace {
  /// The usual `trace` command lines, read without ArgumentParser.
  ///
  /// ArgumentParser learns a command's options by reflecting over it; that first parse instantiates every option's
  /// generic wrapper type and scans the binary's protocol conformances for each: 12.5 M instructions, more than
  /// the rest of a start-up (1.5 ms of a short trace's wall time). A tracer wrapping short commands pays that on
  /// every run. This reads the usual forms itself and returns nil for anything else (help, `-p`, a repeated or
  /// unknown option, a value that does not parse or starts with `-`), which ArgumentParser then reads and reports
  /// as usual; a test checks that both readings agree on every form this one accepts.
  static func parseDirectly(_ arguments: ArraySlice<String>) -> Self? {
    var trace = Self.withDefaults()
    var seen = Set<String>()
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      if argument == "--" || !argument.hasPrefix("-") {
        trace.command = Array(arguments[index...])
        return trace
      }
      var name = argument
      var attached: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        attached = String(argument[argument.index(after: equals)...])
      }
      guard seen.insert(Self.aliases[name] ?? name).inserted else { return nil }
      if let flag = Self.flags[name] {
        guard attached == nil else { return nil }
        flag(&trace)
        index += 1
        continue
      }
      guard let option = Self.options[name] else { return nil }
      let value: String
      if let attached {
        value = attached
        index += 1
      } else {
        guard index + 1 < arguments.endIndex else { return nil }
        value = arguments[index + 1]
        index += 2
      }
      guard !value.hasPrefix("-"), option(&trace, value) else { return nil }
    }
    return trace
  }

  /// ArgumentParser's defaults, set here because an option that was never parsed has no value to read. The test
  /// that compares both readings fails if an option is added to the command and not here.
  private static func withDefaults() -> Self {
    var trace = Self()
    trace.output = nil
    trace.outputText = nil
    trace.timeline = nil
    trace.summary = .text
    trace.summaryOutput = nil
    trace.allSyscalls = false
    trace.syscalls = nil
    trace.allFutex = false
    trace.stacks = false
    trace.stackDepth = nil
    trace.quiet = false
    trace.repeatExplanations = false
    trace.color = .auto
    trace.xlat = .abbreviated
    trace.attach = []
    trace.command = []
    return trace
  }

  private static let aliases = ["-e": "--syscalls"]

  private static let flags: [String: @Sendable (inout Self) -> Void] = [
    "--all-syscalls": { $0.allSyscalls = true },
    "--all-futex": { $0.allFutex = true },
    "--stacks": { $0.stacks = true },
    "--quiet": { $0.quiet = true },
    "--repeat-explanations": { $0.repeatExplanations = true },
  ]

  /// Each sets its option from the value and says whether the value was one the option takes.
  private static let options: [String: @Sendable (inout Self, String) -> Bool] = [
    "-o": { $0.output = $1; return true },
    "--output-text": { $0.outputText = $1; return true },
    "--timeline": { $0.timeline = $1; return true },
    "--summary-output": { $0.summaryOutput = $1; return true },
    "-e": { $0.syscalls = $1; return true },
    "--syscalls": { $0.syscalls = $1; return true },
    "--summary": { trace, value in
      guard let format = SummaryFormat(rawValue: value) else { return false }
      trace.summary = format
      return true
    },
    "--color": { trace, value in
      guard let choice = ColorChoice(rawValue: value) else { return false }
      trace.color = choice
      return true
    },
    "--xlat": { trace, value in
      guard let style = XlatStyleOption(rawValue: value) else { return false }
      trace.xlat = style
      return true
    },
    "--stack-depth": { trace, value in
      guard let depth = Int(value) else { return false }
      trace.stackDepth = depth
      return true
    },
  ]
}
