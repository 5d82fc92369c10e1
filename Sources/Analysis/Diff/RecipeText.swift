import SyscallDecoding
import TraceModel

/// The values of a recipe as the diff's table shows them.
enum RecipeText {
  static func value(_ aspect: DiffAspect, of group: TaskGroup) -> String {
    let recipe = group.recipe
    switch aspect {
    case .count: return "\(group.count)"
    case .kind: return recipe.kind.rawValue
    case .creator: return recipe.creator?.rawValue ?? "(there at start)"
    case .flags: return recipe.creator == nil ? "-" : flags(recipe.flags, exitSignal: recipe.exitSignal)
    case .stack: return stack(recipe.stack, kind: recipe.kind)
    case .tls: return recipe.ownTLS ? "own" : "creator's (copied)"
    case .robustList: return recipe.robustList ? "registered" : "none"
    case .rseq: return recipe.rseq ? "registered" : recipe.keepsCreatorsRseq ? "its creator's, kept across fork" : "none"
    case .signalStack: return recipe.signalStack.map(signalStack) ?? "none"
    case .name: return recipe.namePattern.map { "\"\($0)\"" } ?? "unnamed"
    case .runtime: return recipe.runtime.map(runtime) ?? "unrecognised"
    case .creatorFrames: return CreatorStackDifference.cells(group, nil).a ?? ""
    case .exec: return group.execs.text
    case .end: return group.ends.text
    case .join: return group.joins.text
    case .tasks, .execs, .runtimes, .stackReservation, .presence: return ""
    }
  }

  /// `VM|FS|FILES|…` (without the `CLONE_` prefix), then the exit signal if any.
  static func flags(_ flags: CloneFlagSet, exitSignal: Int32) -> String {
    var names = flagNames(flags)
    if exitSignal != 0 { names.append(Signals.name(of: exitSignal) ?? "signal \(exitSignal)") }
    return names.isEmpty ? "none" : names.joined(separator: "|")
  }

  static func flagNames(_ flags: CloneFlagSet) -> [String] {
    CloneFlags.table.decompose(flags.rawValue).names.map { $0.hasPrefix("CLONE_") ? String($0.dropFirst(6)) : $0 }
  }

  static func stack(_ shape: SetupRecipe.StackShape, kind: TaskRecord.Kind) -> String {
    switch shape {
    case .mapped(let size, let guardSize, let runtimeGuard):
      var text = Format.size(size) + (guardSize == 0 ? ", no guard" : " + \(Format.size(guardSize)) guard")
      if let runtimeGuard { text += ", runtime guard \(Format.size(runtimeGuard))" }
      return text
    case .sized(let size): return "\(Format.size(size)) (mapped before the trace)"
    case .unmapped: return "runtime memory, no mapping seen"
    case .inherited:
      switch kind {
      case .initial: return "the process's main stack"
      case .process: return "a copy of its creator's"
      case .vfork: return "its creator's, borrowed"
      case .thread: return "none of its own"
      }
    }
  }

  static func signalStack(_ shape: SetupRecipe.SignalStackShape) -> String {
    let size = shape.size.map(Format.size) ?? "unknown size"
    return size + (shape.guardSize == 0 ? ", no guard" : " + \(Format.size(shape.guardSize)) guard")
  }

  static func runtime(_ runtime: RuntimeFingerprint.Runtime) -> String {
    switch runtime {
    case .glibc: return "glibc"
    case .rust: return "Rust std"
    case .go: return "Go runtime"
    case .jvm: return "JVM"
    case .cpython: return "CPython"
    case .musl: return "musl"
    }
  }

  static func runtimes(_ runtimes: [RuntimeFingerprint.Runtime]) -> String {
    runtimes.isEmpty ? "none recognised" : runtimes.map(runtime).joined(separator: ", ")
  }

  /// `1 initial, 4 threads` (kinds with no task left out).
  static func counts(_ counts: SetupProfile.Counts) -> String {
    var parts: [String] = []
    if counts.initial > 0 { parts.append("\(counts.initial) initial") }
    if counts.threads > 0 { parts.append(plural(counts.threads, "thread")) }
    if counts.processes > 0 { parts.append(plural(counts.processes, "process", "processes")) }
    if counts.vforks > 0 { parts.append(plural(counts.vforks, "vfork child", "vfork children")) }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }

  static func reservation(_ profile: SetupProfile) -> String {
    guard profile.mappedStacks > 0 else { return "no stack mappings" }
    var text = "\(Format.size(profile.reservedStackBytes)) in \(plural(profile.mappedStacks, "mapping"))"
    if profile.reusedStacks > 0 { text += ", \(profile.reusedStacks) reused" }
    return text
  }

  static func plural(_ count: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : pluralForm ?? singular + "s")
  }

  /// A group in a few words: `4 threads (clone3, "worker-N")`.
  static func brief(_ group: TaskGroup) -> String {
    let recipe = group.recipe
    let noun: String
    switch recipe.kind {
    case .initial: noun = plural(group.count, "initial task")
    case .thread: noun = plural(group.count, "thread")
    case .process: noun = plural(group.count, "process", "processes")
    case .vfork: noun = plural(group.count, "vfork child", "vfork children")
    }
    var details: [String] = []
    if let creator = recipe.creator { details.append(creator.rawValue) }
    if case .mapped = recipe.stack { details.append(stack(recipe.stack, kind: recipe.kind)) }
    if let name = recipe.namePattern { details.append("\"\(name)\"") }
    return details.isEmpty ? noun : "\(noun) (\(details.joined(separator: ", ")))"
  }
}
