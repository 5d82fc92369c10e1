/// Differs: the runtime whose creation code made the tasks (recognised from the clone arguments).
enum RuntimeDifference {
  static func compare(_ a: TaskGroup, _ b: TaskGroup) -> [SetupDifference] {
    guard a.recipe.runtime != b.recipe.runtime else { return [] }
    return [SetupDifference(.runtime, Message.runtime(a.recipe.runtime, b.recipe.runtime))]
  }
}

extension RuntimeDifference {
  fileprivate enum Message {
    static func runtime(_ a: RuntimeFingerprint.Runtime?, _ b: RuntimeFingerprint.Runtime?) -> String {
      "made by \(name(a)) in A, by \(name(b)) in B"
    }

    private static func name(_ runtime: RuntimeFingerprint.Runtime?) -> String {
      guard let runtime else { return "code no fingerprint recognises" }
      switch runtime {
      case .glibc: return "glibc (pthread_create, fork or posix_spawn)"
      case .rust: return "Rust std"
      case .go: return "the Go runtime (newosproc)"
      case .jvm: return "the JVM"
      case .cpython: return "CPython"
      case .musl: return "musl (pthread_create)"
      }
    }
  }
}
