import Synchronization

/// The texts of messages that depend on a few values shared by many events, kept once made.
///
/// A trace of two thousand threads makes two thousand clones with one flag set and two thousand stacks of one
/// size: the sharing matrix and the stack messages are the same text each time. Building one (two dozen
/// appends, sizes turned into words) cost thousands of instructions per event, against a dictionary look-up;
/// the shared text also makes `ExplanationMemory`'s comparison a pointer check. Bounded: past `limit` keys
/// (a log crafted with a new flag value per line) texts are made and not kept.
final class MessageCache<Key: Hashable & Sendable>: Sendable {
  private let texts = Mutex<[Key: String]>([:])
  private let limit: Int

  init(limit: Int = 256) { self.limit = limit }

  func text(_ key: Key, _ make: () -> String) -> String {
    if let known = texts.withLock({ $0[key] }) { return known }
    let text = make()
    texts.withLock { texts in
      if texts.count < limit { texts[key] = text }
    }
    return text
  }
}
