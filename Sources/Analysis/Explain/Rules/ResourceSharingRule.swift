import SyscallDecoding
import TraceModel

/// Explains: for each created task, which kernel resources it shares with its creator, which it gets a copy
/// of, and which it gets fresh — including what a missing flag means.
struct ResourceSharingRule: ExplainRule {
  var scope: RuleScope { .notes(.created) }

  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    notes.compactMap { note -> Annotation? in
      guard case .created(let id) = note, let call = lifecycle.record(id).creation else { return nil }
      return self.note(Message.matrix(call.flags))
    }
  }
}

extension ResourceSharingRule {
  fileprivate enum Message {
    /// What `ResourceSharing(call)` says, one clause per mode, read from the flags directly: building the
    /// `ResourceSharing` and filtering, mapping and joining its lists was a tenth of explaining a clone, and
    /// appending its two dozen pieces to a `String` most of the rest.
    static func matrix(_ flags: CloneFlagSet) -> String {
      matrices.text(flags.rawValue) { build(flags) }
    }

    private static let matrices = MessageCache<UInt64>()

    private static func build(_ flags: CloneFlagSet) -> String {
      var text = MessageText(capacity: 256)
      let resources = ResourceSharing.Resource.allCases
      let modes = resources.map { ResourceSharing.mode(of: $0, flags: flags) }
      for mode in [ResourceSharing.Mode.shared, .copied, .new] {
        var first = true
        for (resource, resourceMode) in zip(resources, modes) where resourceMode == mode {
          if first {
            if !text.isEmpty { text.append("; ") }
            text.append(label(mode))
            text.append(" ")
            first = false
          } else {
            text.append(", ")
          }
          if resource == .namespaces && mode == .new {
            let names = ResourceSharing.namespaceFlags.filter { flags.contains($0.0) }.map(\.1)
            text.append(Format.list(names))
            text.append(" namespaces")
          } else {
            text.append(resource.phrase)
          }
        }
      }
      return Format.message(text)
    }

    static func label(_ mode: ResourceSharing.Mode) -> StaticString {
      switch mode {
      case .shared: return "shares"
      case .copied: return "copies"
      case .new: return "new"
      }
    }
  }
}
