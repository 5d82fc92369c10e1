import Analysis
import ArgumentParser
import Rendering
import SyscallDecoding
import TraceIO
import TraceModel

#if canImport(Glibc)
  import Glibc
#endif

extension ThreadTrace {
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      // Named here: otherwise ArgumentParser derives the name from the type's through String(describing:), a
      // reflection pass at every start.
      commandName: "explain",
      abstract: "Explain a recorded trace: strace text (-f, -ff, any timestamps, -T, -y, -X) or threadtrace JSON Lines.",
      discussion: """
        Prints each event with a plain-language note on what the kernel did, then a summary: a tree of every \
        task with how it was made, its stack and guard, what it shares, its name, how it ended and who joined it.

        FILE may be `-` for standard input, an strace -ff directory, the -ff prefix, or several -ff files.

        --format chrome -o timeline.json writes a Chrome trace-event timeline instead (open it in \
        ui.perfetto.dev or chrome://tracing; docs/timeline.md).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json, chrome
    }

    @ArgumentParser.Argument(help: "The trace file(s), or - for standard input.")
    var files: [String]

    @Option(help: "Output format: the annotated text, the JSON summary (threadtrace.summary/1), or a Chrome trace-event timeline.")
    var format: Format = .text

    @Option(name: .short, help: ArgumentHelp("With --format chrome: write the timeline to FILE (default: standard output).", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("lifecycle-only"), help: "Show only the events of the thread story (creation, stacks, registration, names, joins, exits).")
    var lifecycleOnly = false

    @Flag(name: .customLong("summary-only"), help: "Print only the lifecycle summary, not the events.")
    var summaryOnly = false

    @Flag(name: .customLong("no-summary"), help: "Print only the annotated events.")
    var noSummary = false

    @Flag(
      name: .customLong("repeat-explanations"),
      help: "Print an explanation every time it applies; by default one printed before, word for word, is not repeated.")
    var repeatExplanations = false

    @Flag(name: .customLong("full-tree"), help: "List every task in the summary tree; do not fold runs of alike tasks.")
    var fullTree = false

    @Flag(
      inversion: .prefixedNo,
      help: "Tell each task's story in sentences after the tree (default: when there are at most 12 tasks).")
    var stories: Bool?

    @Option(name: .customLong("color"), help: "Colour: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    @Option(name: .customLong("xlat"), help: "How constants are shown: abbreviated (names), raw (numbers) or verbose (both).")
    var xlat: XlatStyleOption = .abbreviated

    func validate() throws {
      if summaryOnly && noSummary { throw ValidationError("--summary-only and --no-summary exclude each other") }
      if output != nil && format != .chrome { throw ValidationError("-o writes a timeline: use it with --format chrome") }
    }

    func run() throws {
      let showEvents = format == .text && !summaryOnly
      let options: StraceReadOptions = showEvents ? .all : .parsingArguments(of: Lifecycle.interpretedSyscalls)
      let reader: any TraceReader
      do {
        reader = try TraceInput.open(files, options: options)
      } catch {
        Diagnostics.error(TerminalSafe.escape("\(error)"))
        throw ExitCode(2)
      }

      if format == .chrome {
        try Timeline.write(from: reader, to: output)
        return
      }
      let output = FileOutput(fd: 1)
      let story = StoryOutput(
        text: output, palette: Palette(enabled: format == .text && color.enabled(for: 1)), xlat: xlat.style,
        streamJSON: format == .json, textSummary: format == .text && !noSummary ? (!fullTree, stories) : nil,
        noSummary: format == .text && noSummary, repeatExplanations: repeatExplanations)
      let lifecycle = story.lifecycle
      if !showEvents, let strace = reader as? StraceTextReader {
        // Calls the fold does not interpret are only counted: the reader hands it their task and time instead
        // of an event (the options above leave exactly those calls' arguments unparsed).
        strace.uninterpretedCallSink = {
          lifecycle.applyUninterpretedCall(tid: $0, time: $1, startedBeforeTrace: $2)
        }
      }
      let progress = ProgressBar(total: reader.progress.total)
      var warnings: [InputWarning] = []
      var eventCount = 0
      // Read once: an option's `wrappedValue` getter goes through ArgumentParser's storage (measured: 4% of
      // `explain --format json` when read per event).
      let lifecycleOnly = lifecycleOnly

      do {
        while let event = try reader.next() {
          eventCount += 1
          if showEvents {
            story.take(event, show: true, lifecycleOnly: lifecycleOnly)
          } else {
            // What `take` does when nothing is shown, without the notes only the shown events' explanations read.
            lifecycle.applyWithoutNotes(event)
          }
          if eventCount & 0x3FFF == 0 {
            report(reader.drainWarnings(), into: &warnings)
            progress?.update(consumed: reader.progress.consumed)
          }
        }
      } catch {
        progress?.finish()
        output.flush()
        Diagnostics.error(TerminalSafe.escape("\(error)"))
        throw ExitCode(2)
      }
      report(reader.drainWarnings(), into: &warnings)
      progress?.finish()
      lifecycle.finish()
      if showEvents { story.endEvents() }

      switch format {
      case .json:
        let source = SummaryJSON.Source(
          files: files, format: reader.header.schema, warnings: warnings, interrupted: reader.header.interrupted)
        story.writeJSONSummary(source: source, to: output)
      case .text:
        if !noSummary { story.writeTextSummary(afterEvents: showEvents, foldAlike: !fullTree, stories: stories) }
      case .chrome:
        break  // written above
      }
      output.flush()
      if let failure = output.failure, failure != EPIPE {
        Diagnostics.error("cannot write the output: \(String(cString: strerror(failure)))")
        throw ExitCode(1)
      }
    }

    /// Warnings go to standard error as they come (never into the report on standard output).
    private func report(_ new: [InputWarning], into all: inout [InputWarning]) {
      for warning in new { Diagnostics.warning(TerminalSafe.escape(warning.description)) }
      all += new
    }
  }
}

enum XlatStyleOption: String, ExpressibleByArgument, CaseIterable {
  case abbreviated, raw, verbose

  var style: XlatStyle {
    switch self {
    case .abbreviated: return .abbreviated
    case .raw: return .raw
    case .verbose: return .verbose
    }
  }
}
