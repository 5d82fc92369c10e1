import Analysis
import ArgumentParser
import Rendering
import TraceEngine
import TraceIO
import TraceModel

#if canImport(Glibc)
  import Glibc
#endif

extension ThreadTrace {
  struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
      // Named here: otherwise ArgumentParser derives the name from the type's through String(describing:), a
      // reflection pass at every start.
      commandName: "diff",
      abstract: "Compare how two programs set up their threads and processes, and say what differs and why it matters.",
      discussion: """
        A and B are traces of either format (strace text or threadtrace JSON Lines), or commands traced here one \
        after the other with --run 'CMD A' --run 'CMD B'. Tasks are grouped by their setup recipe (creating call, \
        flags, stack and guard, TLS, robust list, rseq, sigaltstack, name pattern, runtime, and the creator's frames \
        when both traces were recorded with trace --stacks); tids, addresses and times never count. Exit status: 0 same setup, 1 different, 2 trouble (like diff).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    @ArgumentParser.Argument(help: "The two trace files (or one, with one --run).")
    var files: [String] = []

    @Option(
      name: .customLong("run"),
      help: ArgumentHelp("A command to trace and compare (give it twice, or once with one file).", valueName: "command"))
    var runs: [String] = []

    @Flag(
      name: .customLong("stacks"),
      help: "With --run: record each creator's stack (trace --stacks), so tasks are also grouped by where they are created.")
    var stacks = false

    @Option(help: "Output format: the side-by-side text, or JSON (threadtrace.diff/1, docs/diff-format.md).")
    var format: Format = .text

    @Option(name: .customLong("color"), help: "Colour: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    func run() throws {
      guard files.count + runs.count == 2 else {
        Diagnostics.error("diff compares two traces: give two files, two --run commands, or one of each")
        throw ExitCode(2)
      }
      var sides: [(name: String, profile: SetupProfile)] = []
      for file in files { sides.append((file, try Self.profile(ofFile: file))) }
      for command in runs { sides.append((command, try Self.profile(ofCommand: command, stacks: stacks))) }
      for (side, entry) in zip(["A", "B"], sides) where entry.profile.counts.tasks == 0 {
        Diagnostics.error(TerminalSafe.escape(SetupDiff.emptyInput(side: side, path: entry.name)))
        throw ExitCode(2)
      }
      let diff = SetupDiff(sides[0].profile, sides[1].profile)
      let output = FileOutput(fd: 1)
      switch format {
      case .text:
        output.write(
          DiffText(palette: Palette(enabled: color.enabled(for: 1))).render(diff, nameA: sides[0].name, nameB: sides[1].name))
      case .json:
        output.write(bytes: DiffJSON.render(diff, fileA: sides[0].name, fileB: sides[1].name))
      }
      output.flush()
      if let failure = output.failure, failure != EPIPE {
        Diagnostics.error("cannot write the output: \(String(cString: strerror(failure)))")
        throw ExitCode(2)
      }
      if !diff.isSame { throw ExitCode(1) }
    }

    /// Reads a trace file into its setup profile; a bad file is reported as `explain` reports it (exit 2).
    static func profile(ofFile path: String) throws -> SetupProfile {
      let collector = SetupCollector()
      do {
        let reader = try TraceInput.open([path], options: .parsingArguments(of: Lifecycle.interpretedSyscalls))
        var count = 0
        while let event = try reader.next() {
          collector.take(event)
          count += 1
          if count & 0x3FFF == 0 { warn(reader.drainWarnings()) }
        }
        warn(reader.drainWarnings())
      } catch {
        Diagnostics.error(TerminalSafe.escape("\(error)"))
        throw ExitCode(2)
      }
      return collector.finish()
    }

    private static func warn(_ warnings: [InputWarning]) {
      for warning in warnings { Diagnostics.warning(TerminalSafe.escape(warning.description)) }
    }

    /// Traces `command` (split into words like a shell would, without expansions) to its end. Its standard
    /// output goes to our standard error, so that the report on standard output stays clean.
    static func profile(ofCommand command: String, stacks: Bool = false) throws -> SetupProfile {
      let words = CommandWords.split(command)
      guard !words.isEmpty else {
        Diagnostics.error("--run needs a command")
        throw ExitCode(2)
      }
      InterruptSignals.install()
      let savedOutput = dup(1)
      dup2(2, 1)
      defer {
        dup2(savedOutput, 1)
        close(savedOutput)
      }
      let tracer = Tracer(command: words, options: TraceOptions(mode: .fast))
      if stacks { tracer.stacks = StackCollector(depth: StackCollector.defaultDepth) }
      do {
        try tracer.start()
      } catch {
        Diagnostics.error("cannot start \(TerminalSafe.escape(words[0])): \(error)")
        throw ExitCode(2)
      }
      let collector = SetupCollector()
      let outcome: TraceOutcome
      do {
        outcome = try tracer.run { collector.take($0) }
      } catch {
        Diagnostics.error("tracing failed: \(error)")
        throw ExitCode(2)
      }
      if let failure = outcome.spawnFailure {
        Diagnostics.error("\(TerminalSafe.escape(words[0])): \(failure.reason)")
        throw ExitCode(2)
      }
      if outcome.interruptedBy != nil { throw ExitCode(2) }
      return collector.finish()
    }
  }
}

/// Splits a command line into words: spaces separate, single and double quotes group, a backslash escapes the
/// next character. No variables, globs or other shell expansions.
enum CommandWords {
  static func split(_ line: String) -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in line {
      if escaped {
        word.append(character)
        escaped = false
        continue
      }
      if character == "\\" && quote != "'" {
        escaped = true
        inWord = true
        continue
      }
      if let open = quote {
        if character == open { quote = nil } else { word.append(character) }
        continue
      }
      if character == "'" || character == "\"" {
        quote = character
        inWord = true
      } else if character == " " || character == "\t" || character == "\n" {
        if inWord { words.append(word) }
        word = ""
        inWord = false
      } else {
        word.append(character)
        inWord = true
      }
    }
    if inWord { words.append(word) }
    return words
  }
}
