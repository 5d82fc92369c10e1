/// Pairs the groups of one trace with those of the other: identical recipes first, then the most alike of the
/// rest (a thread made another way is still "the workers"), and what is left stands alone.
enum RecipeAlignment {
  static func align(_ a: [TaskGroup], _ b: [TaskGroup]) -> [(a: TaskGroup?, b: TaskGroup?)] {
    var pairs: [(a: Int?, b: Int?)] = []
    var freeA = Set(a.indices)
    var freeB = Set(b.indices)
    for i in a.indices {
      if let j = b.indices.first(where: { freeB.contains($0) && b[$0].recipe == a[i].recipe }) {
        pairs.append((i, j))
        freeA.remove(i)
        freeB.remove(j)
      }
    }
    // Greedy on similarity: the best-scoring pair first, ties broken by order of appearance.
    var candidates: [(score: Int, i: Int, j: Int)] = []
    for i in freeA.sorted() {
      for j in freeB.sorted() {
        if let score = similarity(a[i], b[j]) { candidates.append((score, i, j)) }
      }
    }
    candidates.sort { ($0.score, -$0.i, -$0.j) > ($1.score, -$1.i, -$1.j) }
    for candidate in candidates where freeA.contains(candidate.i) && freeB.contains(candidate.j) {
      pairs.append((candidate.i, candidate.j))
      freeA.remove(candidate.i)
      freeB.remove(candidate.j)
    }
    for i in freeA { pairs.append((i, nil)) }
    for j in freeB { pairs.append((nil, j)) }
    // Shown in the order of side A, groups only in B after the B group they follow.
    let ordered = pairs.sorted { order($0, a, b) < order($1, a, b) }
    return ordered.map { (a: $0.a.map { a[$0] }, b: $0.b.map { b[$0] }) }
  }

  private static func order(_ pair: (a: Int?, b: Int?), _ a: [TaskGroup], _ b: [TaskGroup]) -> (Int, Int) {
    if let i = pair.a { return (i, pair.b ?? Int.max) }
    return (a.count, pair.b ?? 0)
  }

  /// How alike two groups are; nil when they cannot stand for the same tasks (a task present at the start and
  /// a created one).
  static func similarity(_ a: TaskGroup, _ b: TaskGroup) -> Int? {
    let x = a.recipe
    let y = b.recipe
    guard (x.kind == .initial) == (y.kind == .initial) else { return nil }
    var score = 0
    if x.kind == y.kind { score += 8 }
    if let name = x.namePattern, name == y.namePattern { score += 6 }
    if x.creator == y.creator { score += 2 }
    if x.flags == y.flags { score += 2 }
    if x.stack == y.stack { score += 2 }
    if x.runtime == y.runtime { score += 1 }
    if x.robustList == y.robustList { score += 1 }
    if x.rseq == y.rseq { score += 1 }
    if x.signalStack == y.signalStack { score += 1 }
    if x.ownTLS == y.ownTLS { score += 1 }
    if a.count == b.count { score += 1 }
    // Weak: a call site that changed is still the same workers.
    if let frames = x.creatorFrames, let other = y.creatorFrames, CreatorStackDifference.compatible(frames, other) {
      score += 1
    }
    return score
  }
}
