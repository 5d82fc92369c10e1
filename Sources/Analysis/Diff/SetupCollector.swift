import TraceModel

/// Folds one trace's events into its `SetupProfile`: the lifecycle fold streams finished records into the
/// profile, so memory follows live tasks and distinct recipes, not the length of the trace.
public final class SetupCollector {
  private final class Sink {
    var profile = SetupProfile()
  }

  private let sink = Sink()
  public let lifecycle: Lifecycle

  public init() {
    let sink = self.sink
    lifecycle = Lifecycle(taskSink: { sink.profile.add(task: $0) }, processSink: { sink.profile.add(process: $0) })
  }

  public func take(_ event: TraceEvent) {
    lifecycle.apply(event)
  }

  /// Ends the input and returns the profile.
  public func finish() -> SetupProfile {
    lifecycle.finish()
    return sink.profile
  }

  /// The profile of a whole list of events (tests, small inputs).
  public static func profile(of events: [TraceEvent]) -> SetupProfile {
    let collector = SetupCollector()
    for event in events { collector.take(event) }
    return collector.finish()
  }
}
