import Analysis
import Rendering
import SyscallDecoding
import TraceModel

/// What `explain` and `trace` both do with a stream of events: fold it into the lifecycle model, explain each
/// event and print it, then print the summary. Only the source of the events differs between the two.
final class StoryOutput {
  let lifecycle: Lifecycle
  let palette: Palette
  /// The text summary's colours: its own when it goes elsewhere than the events (`trace --summary-output`).
  let summaryPalette: Palette
  private let text: FileOutput
  private let eventText: EventText
  private let explainer = Explainer()
  private let summaryJSON = SummaryJSON()

  /// Traces of at most this many tasks get each task's story after the tree unless asked otherwise.
  static let storiesByDefaultUpTo = 12

  /// The text summary built as records finish, when `textSummary` was given.
  private let summaryText: SummaryTextCollector?
  /// The explanations printed so far; nil when every one is printed (`--repeat-explanations`).
  private var explained: ExplanationMemory?

  /// `streamJSON`: the JSON summary takes finished records out of the fold as they finish, so memory follows
  /// live tasks only. `textSummary` (foldAlike, stories): the text summary does the same, keeping a few
  /// printed lines per task instead of its record; `noSummary`: no summary, records are dropped as they
  /// finish; with neither the fold keeps every record for the end.
  init(
    text: FileOutput, palette: Palette, summaryPalette: Palette? = nil, xlat: XlatStyle, streamJSON: Bool,
    textSummary: (foldAlike: Bool, stories: Bool?)? = nil, noSummary: Bool = false, repeatExplanations: Bool = false
  ) {
    self.text = text
    explained = repeatExplanations ? nil : ExplanationMemory()
    self.palette = palette
    self.summaryPalette = summaryPalette ?? palette
    eventText = EventText(palette: palette, style: xlat)
    if streamJSON {
      let summary = summaryJSON
      summaryText = nil
      lifecycle = Lifecycle(taskSink: { summary.add(task: $0) }, processSink: { summary.add(process: $0) })
    } else if let textSummary {
      let collector = SummaryTextCollector(
        summary: SummaryText(palette: self.summaryPalette, foldAlike: textSummary.foldAlike), stories: textSummary.stories,
        storiesUpTo: Self.storiesByDefaultUpTo)
      summaryText = collector
      lifecycle = Lifecycle(taskSink: { collector.add(task: $0) }, processSink: { collector.add(process: $0) })
    } else if noSummary {
      // Finished records are of no further use: let them go.
      summaryText = nil
      lifecycle = Lifecycle(taskSink: { _ in }, processSink: { _ in })
    } else {
      summaryText = nil
      lifecycle = Lifecycle()
    }
  }

  /// Folds one event and, when `show`, prints it with its explanations (`lifecycleOnly`: only events of the
  /// thread story).
  func take(_ event: TraceEvent, show: Bool, lifecycleOnly: Bool = false) {
    let notes = lifecycle.apply(event)
    // A task's cost is for the summary; in the stream it would be a line per task saying little.
    guard show else { return }
    if case .cost = event.body { return }
    let annotations = explainer.annotate(event, notes: notes, lifecycle: lifecycle)
    guard !lifecycleOnly || !annotations.isEmpty || !notes.isEmpty || Self.isLifecycleEvent(event) else { return }
    text.writeLine { eventText.write(event, to: &$0) }
    for annotation in annotations where explained?.shouldPrint(annotation) ?? true {
      text.writeLine { eventText.writeAnnotation(annotation, to: &$0) }
    }
  }

  /// After the last event: how many explanations were not repeated, if any were withheld.
  func endEvents() {
    guard let withheld = explained?.withheld, withheld > 0 else { return }
    text.writeLine(
      palette.dim(
        "(\(withheld) explanation\(withheld == 1 ? "" : "s") already given above \(withheld == 1 ? "was" : "were") not "
          + "repeated; --repeat-explanations prints every one)"))
  }

  /// The task tree, then the stories (`stories` nil: for small traces only), after the events or to `output`.
  func writeTextSummary(afterEvents: Bool, foldAlike: Bool, stories: Bool?, to output: FileOutput? = nil) {
    let out = output ?? text
    let palette = summaryPalette
    if afterEvents { out.writeLine("") }
    if let summaryText {
      summaryText.write(counts: lifecycle.counts) { out.write($0) }
      if let cost = CostText(palette: palette).render(summaryText.costedRecords) { out.write(cost) }
      guard stories ?? (lifecycle.counts.tasks <= Self.storiesByDefaultUpTo) else { return }
      out.writeLine("")
      for story in summaryText.keptStories { out.writeLine(palette.bold("\(story.tid)") + ": " + TerminalSafe.escape(story.text)) }
      return
    }
    // `records` sorts every record it copies out: once here, not once per use.
    let records = lifecycle.records
    SummaryText(palette: palette, foldAlike: foldAlike).write(
      records: records, processes: lifecycle.processes, counts: lifecycle.counts
    ) { out.write($0) }
    if let cost = CostText(palette: palette).render(records) { out.write(cost) }
    guard stories ?? (lifecycle.counts.tasks <= Self.storiesByDefaultUpTo) else { return }
    out.writeLine("")
    for record in records {
      out.writeLine(palette.bold("\(record.tid)") + ": " + TerminalSafe.escape(TaskStory.tell(record)))
    }
  }

  func writeJSONSummary(source: SummaryJSON.Source, to output: FileOutput) {
    summaryJSON.finish(counts: lifecycle.counts, source: source) { output.write(bytes: $0) }
  }

  static func isLifecycleEvent(_ event: TraceEvent) -> Bool {
    switch event.body {
    case .syscall: return false
    case .exited, .killed, .execTookOver, .signal, .groupStop, .registrations: return true
    case .attached, .detached, .personality, .tracerMessage, .cost: return false
    }
  }
}
