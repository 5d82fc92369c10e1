import Analysis
import ArgumentParser
import Rendering
import SyscallDecoding
import TraceEngine
import TraceIO
import TraceModel

#if canImport(Glibc)
  import Glibc
#endif

extension ThreadTrace {
  struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
      // Named here: otherwise ArgumentParser derives the name from the type's through String(describing:), a
      // reflection pass at every start.
      commandName: "trace",
      abstract: "Run a command under ptrace and explain every thread-lifecycle event as it happens.",
      discussion: """
        The annotated events go to standard error (or --output-text FILE) as they happen; -o FILE records a \
        JSON Lines trace that `threadtrace explain FILE` replays. A summary follows when the command ends. The \
        exit code is the command's (128+N after death by signal N).

        By default a seccomp filter stops the command only at the calls of the thread story (clone, mmap, \
        futex on shared words, exit …); --all-syscalls stops at every call, like strace -f.
        """)

    enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
      case text, json, none
    }

    @Option(name: .short, help: ArgumentHelp("Record the trace as JSON Lines to FILE.", valueName: "FILE"))
    var output: String?

    @Option(
      name: .customLong("output-text"),
      help: ArgumentHelp("Write the annotated events to FILE instead of standard error.", valueName: "FILE"))
    var outputText: String?

    @Option(
      name: .customLong("timeline"),
      help: ArgumentHelp("Also write a Chrome trace-event timeline to FILE (ui.perfetto.dev opens it).", valueName: "file"))
    var timeline: String?

    @Option(name: .customLong("summary"), help: "The summary at the end: text, json (threadtrace.summary/1) or none.")
    var summary: SummaryFormat = .text

    @Option(
      name: .customLong("summary-output"),
      help: ArgumentHelp(
        "Write the summary to FILE. By default the text summary follows the events, and the JSON summary goes to "
          + "standard output, where the command's own output goes too.", valueName: "FILE"))
    var summaryOutput: String?

    @Flag(name: .customLong("all-syscalls"), help: "Stop at every syscall (no seccomp filter) and show each one.")
    var allSyscalls = false

    @Option(
      name: [.customShort("e"), .customLong("syscalls")],
      help: ArgumentHelp(
        "Stop at and show these syscalls instead of the thread story's set: names separated by commas, as strace's "
          + "-e trace=LIST (the trace= is optional); %lifecycle is the default set, %process and %memory are groups. "
          + "Creations, execs and exits are followed whatever the set.", valueName: "LIST"))
    var syscalls: String?

    @Flag(name: .customLong("all-futex"), help: "Also stop at private futex calls (mutexes, condition variables).")
    var allFutex = false

    @Flag(
      name: .customLong("stacks"),
      help: "Record the calling thread's user stack at every clone, clone3, fork and vfork (like strace -k).")
    var stacks = false

    @Option(
      name: .customLong("stack-depth"),
      help: ArgumentHelp("With --stacks: the most frames per stack (default 16).", valueName: "N"))
    var stackDepth: Int?

    @Flag(name: .customLong("quiet"), help: "Do not print the events, only the summary.")
    var quiet = false

    @Flag(
      name: .customLong("repeat-explanations"),
      help: "Print an explanation every time it applies; by default one printed before, word for word, is not repeated.")
    var repeatExplanations = false

    @Option(name: .customLong("color"), help: "Colour: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    @Option(name: .customLong("xlat"), help: "How constants are shown: abbreviated (names), raw (numbers) or verbose (both).")
    var xlat: XlatStyleOption = .abbreviated

    @Option(
      name: .customShort("p"),
      help: ArgumentHelp(
        "Attach to the running process PID and all its threads (repeatable) instead of running a command. "
          + "Ctrl-C detaches and leaves it running.", valueName: "PID"))
    var attach: [Int32] = []

    @ArgumentParser.Argument(parsing: .captureForPassthrough, help: "The command to run, after --.")
    var command: [String] = []

    mutating func validate() throws {
      // captureForPassthrough keeps a leading `--` and even `--help`.
      if command.first == "--" { command.removeFirst() }
      if command == ["--help"] || command == ["-h"] { throw CleanExit.helpRequest(self) }
      if !attach.isEmpty {
        if !command.isEmpty { throw ValidationError("give either -p PID or a command, not both") }
        if allFutex { throw ValidationError("--all-futex applies to launched commands only") }
      } else if command.isEmpty {
        throw CleanExit.helpRequest(self)
      }
      if summaryOutput != nil && summary == .none { throw ValidationError("--summary-output needs --summary text or json") }
      if allFutex && allSyscalls { throw ValidationError("--all-futex applies to the default (filtered) mode only") }
      if syscalls != nil && allSyscalls { throw ValidationError("--syscalls chooses a set; --all-syscalls takes every call") }
      if let syscalls { _ = try SyscallSet.parse(syscalls) }
      if let stackDepth {
        if !stacks { throw ValidationError("--stack-depth applies with --stacks only") }
        if !(1...256).contains(stackDepth) { throw ValidationError("--stack-depth must be 1 to 256") }
      }
    }

    func run() throws {
      // Opened before the command starts, so that a path that cannot be written is said before anything runs.
      let textFD: Int32
      if let outputText {
        guard let fd = FileOutput.openForWriting(outputText) else { throw ExitCode(2) }
        textFD = fd
      } else {
        textFD = 2
      }
      var summaryFD: Int32?
      if let summaryOutput {
        guard let fd = FileOutput.openForWriting(summaryOutput) else { throw ExitCode(2) }
        summaryFD = fd
      }
      var writer: JSONLinesWriter?
      if let output {
        do {
          writer = try JSONLinesWriter(path: output)
        } catch {
          Diagnostics.error(TerminalSafe.escape(error.description))
          throw ExitCode(2)
        }
      }
      var timelineWriter: Timeline?
      if let timeline {
        do {
          timelineWriter = try Timeline(path: timeline, timeIsEntry: false)
        } catch {
          throw ExitCode(2)
        }
      }
      InterruptSignals.install()
      let options = TraceOptions(
        mode: allSyscalls ? .allSyscalls : .fast, allFutex: allFutex, syscalls: try syscalls.map(SyscallSet.parse))
      let attaching = !attach.isEmpty
      let tracer = attaching ? Tracer(attachingTo: attach, options: options) : Tracer(command: command, options: options)
      if stacks { tracer.stacks = StackCollector(depth: stackDepth ?? StackCollector.defaultDepth) }
      let startTime = Self.now()
      var tracedCommand = command
      if attaching {
        try attachOrExplain(tracer)
        tracedCommand = AttachCheck.command(of: attach[0]).map { $0.split(separator: " ").map(String.init) } ?? []
      } else {
        if let warning = PrivilegeCheck.warning(for: command[0], fastPath: !allSyscalls) {
          Diagnostics.warning(TerminalSafe.escape(warning))
        }
        do {
          try tracer.start()
        } catch {
          if error.ptraceNotPermitted {
            Diagnostics.error(
              "ptrace is not permitted here (\(error)): a seccomp profile or container policy blocks it, "
                + "or kernel.yama.ptrace_scope is 3")
          } else {
            Diagnostics.error("cannot start \(TerminalSafe.escape(command[0])): \(error)")
          }
          throw ExitCode(1)
        }
      }

      var header = TraceHeader(
        schema: JSONLinesFormat.schema, toolVersion: ToolVersion.string, kernel: Self.kernelRelease(),
        architecture: .x86_64, command: tracedCommand, startTime: startTime, clock: .epoch)
      header.interrupted = false
      var traceFailure: TraceWriteError?
      func record(_ body: () throws(TraceWriteError) -> Void) {
        guard traceFailure == nil else { return }
        do { try body() } catch {
          traceFailure = error
          Diagnostics.error(TerminalSafe.escape(error.description))
        }
      }
      if let writer { record { () throws(TraceWriteError) in try writer.writeHeader(header) } }

      let text = FileOutput(fd: textFD)
      // Every summary takes finished records out of the fold as they finish: memory follows the live tasks, not
      // every task a long trace of a thread-churning service ever saw.
      let summaryOut = summaryFD.map { FileOutput(fd: $0) }
      let story = StoryOutput(
        text: text, palette: Palette(enabled: color.enabled(for: textFD)),
        summaryPalette: summaryFD.map { Palette(enabled: color.enabled(for: $0)) }, xlat: xlat.style,
        streamJSON: summary == .json, textSummary: summary == .text ? (foldAlike: true, stories: nil) : nil,
        noSummary: summary == .none, repeatExplanations: repeatExplanations)
      let showEvents = !quiet

      let batch = EventBatch { event in
        story.take(event, show: showEvents)
        timelineWriter?.take(event)
      }
      // What the tracer has to say goes after the events before it.
      tracer.notice = {
        batch.drain()
        text.flush()
        Diagnostics.say("threadtrace: " + TerminalSafe.escape($0))
      }
      let outcome: TraceOutcome
      do {
        // Output is written whenever the tracees run and no stop waits: live, without a write per event.
        outcome = try tracer.run(
          idle: {
            batch.drain()
            text.flush()
          }
        ) { event in
          if let writer { record { () throws(TraceWriteError) in try writer.write(event) } }
          batch.add(event)
        }
        batch.drain()
      } catch {
        batch.drain()
        text.flush()
        Diagnostics.error("tracing failed: \(error)")
        throw ExitCode(1)
      }
      story.lifecycle.finish()
      if showEvents { story.endEvents() }
      let timelineWritten = timelineWriter?.finish() ?? true
      // The last events before the closing messages, which go straight to standard error.
      text.flush()
      let interrupted = outcome.interruptedBy != nil
      if let writer {
        record { () throws(TraceWriteError) in
          try writer.writeEnd(
            interrupted: interrupted, time: Self.now(),
            reason: outcome.interruptedBy.map { "interrupted by \(Signals.name(of: $0) ?? "signal \($0)")" })
        }
      }
      if attaching, let signal = outcome.interruptedBy {
        Diagnostics.say(
          "threadtrace: \(Signals.name(of: signal) ?? "signal \(signal)"): detached; the traced processes run on as before")
      } else if let failure = outcome.spawnFailure {
        Diagnostics.error("\(TerminalSafe.escape(command[0])): \(failure.reason)")
      }
      if !attaching, let signal = outcome.interruptedBy {
        Diagnostics.say(
          "threadtrace: interrupted by \(Signals.name(of: signal) ?? "signal \(signal)"): killed the traced processes")
      }

      switch summary {
      case .none: break
      case .text:
        story.writeTextSummary(afterEvents: showEvents && summaryOut == nil, foldAlike: true, stories: nil, to: summaryOut)
      case .json:
        let source = SummaryJSON.Source(
          files: output.map { [$0] } ?? [], format: JSONLinesFormat.schema, interrupted: interrupted)
        let out = summaryOut ?? FileOutput(fd: 1)
        story.writeJSONSummary(source: source, to: out)
        out.flush()
      }
      text.flush()
      if textFD != 2 { close(textFD) }
      summaryOut?.flush()
      if let summaryFD { close(summaryFD) }
      // The events text could not be written (a full disk, a closed pipe): as incomplete as a failed trace file,
      // said once (T22). FileOutput stops writing at the first failure.
      if let failure = text.failure {
        Diagnostics.error("\(TerminalSafe.escape(outputText ?? "standard error")): cannot write the events: \(String(cString: strerror(failure)))")
      }
      if let summaryOutput, let failure = summaryOut?.failure {
        Diagnostics.error("\(TerminalSafe.escape(summaryOutput)): cannot write the summary: \(String(cString: strerror(failure)))")
      }
      // An incomplete trace file is a failure of ours even when the command succeeded (hard-cases rule 11).
      // Attached, the processes are not ours: their exit codes are not threadtrace's (as with strace -p).
      let exitCode = attaching ? 0 : outcome.exitCode
      let incomplete = traceFailure != nil || text.failure != nil || summaryOut?.failure != nil || !timelineWritten
      if incomplete && exitCode == 0 { throw ExitCode(3) }
      if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Checks and attaches to the -p targets, or says in one line why not and exits (2 for a target that must
    /// not be traced, 1 when ptrace refuses).
    private func attachOrExplain(_ tracer: Tracer) throws {
      for pid in attach {
        do {
          try AttachCheck.check(pid)
        } catch {
          Diagnostics.error(error.description)
          throw ExitCode(2)
        }
      }
      do {
        try tracer.attach()
      } catch {
        if error.errno == EPERM {
          Diagnostics.error(AttachCheck.permissionDenied(tracer.attachTargets.first ?? 0))
        } else if error.errno == ESRCH {
          Diagnostics.error("process \(attach[0]) is gone")
        } else {
          Diagnostics.error("cannot attach: \(error)")
        }
        throw ExitCode(error.errno == EPERM ? 1 : 2)
      }
      let described = attach.map { pid in
        "process \(pid)" + (AttachCheck.command(of: pid).map { " (\(TerminalSafe.escape(String($0.prefix(60)))))" } ?? "")
      }
      Diagnostics.say(
        "threadtrace: attached to \(described.joined(separator: ", ")). A running process cannot be given the seccomp "
          + "filter, so every one of its syscalls stops (slower than a launched trace); Ctrl-C detaches.")
    }

    static func now() -> TraceTime {
      var time = timespec()
      clock_gettime(CLOCK_REALTIME, &time)
      return TraceTime(microseconds: Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000)
    }

    static func kernelRelease() -> String? {
      var name = utsname()
      guard uname(&name) == 0 else { return nil }
      return withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
  }
}
