import SyscallDecoding
import TraceModel

/// Explains: for each created task, which kernel resources it shares with its creator, which it gets a copy
/// of, and which it gets fresh — including what a missing flag means.
struct ResourceSharingRule: ExplainRule {
  func annotate(_ event: TraceEvent, notes: [LifecycleNote], lifecycle: Lifecycle) -> [Annotation] {
    notes.compactMap { note -> Annotation? in
      guard case .created(let id) = note, let call = lifecycle.record(id).creation else { return nil }
      return self.note(Message.matrix(ResourceSharing(call)))
    }
  }
}

extension ResourceSharingRule {
  fileprivate enum Message {
    static func matrix(_ sharing: ResourceSharing) -> String {
      var parts: [String] = []
      for mode in [ResourceSharing.Mode.shared, .copied, .new] {
        let resources = sharing.modes.filter { $0.mode == mode }.map { item -> String in
          if item.resource == .namespaces && mode == .new {
            return "\(Format.list(sharing.newNamespaces)) namespaces"
          }
          return item.resource.phrase
        }
        guard !resources.isEmpty else { continue }
        parts.append("\(label(mode)) \(resources.joined(separator: ", "))")
      }
      return parts.joined(separator: "; ")
    }

    static func label(_ mode: ResourceSharing.Mode) -> String {
      switch mode {
      case .shared: return "shares"
      case .copied: return "copies"
      case .new: return "new"
      }
    }
  }
}
