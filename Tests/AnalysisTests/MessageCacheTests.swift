@testable import Analysis
import Testing

@Suite("Message texts kept once made")
struct MessageCacheTests {
  @Test func aKeptTextIsMadeOnceAndGivenBackForItsKey() {
    let cache = MessageCache<UInt64>()
    var made = 0
    let first = cache.text(7) { made += 1; return "shares address space" }
    let again = cache.text(7) { made += 1; return "something else" }
    let other = cache.text(8) { made += 1; return "copies file descriptor table" }
    #expect(first == "shares address space" && again == first && other == "copies file descriptor table")
    #expect(made == 2)
  }

  /// Past its limit (a log crafted with a new flag value on every line) a text is made each time, not kept.
  @Test func pastItsLimitTextsAreMadeButNotKept() {
    let cache = MessageCache<UInt64>(limit: 1)
    var made = 0
    _ = cache.text(1) { made += 1; return "one" }
    #expect(cache.text(2) { made += 1; return "two" } == "two")
    #expect(cache.text(2) { made += 1; return "two" } == "two")
    #expect(cache.text(1) { made += 1; return "one" } == "one")
    #expect(made == 3)
  }
}
