import Analysis

/// `threadtrace diff` for the terminal: a side-by-side table of the two setups, like `diff -y` (` ` same,
/// `|` different, `<` only in A, `>` only in B), each group followed by what its differences mean.
public struct DiffText: Sendable {
  public var palette: Palette
  /// Width of each side's column; longer values wrap.
  public var columnWidth: Int

  static let labelWidth = 23

  public init(palette: Palette = Palette(enabled: false), columnWidth: Int = 36) {
    self.palette = palette
    self.columnWidth = columnWidth
  }

  public func render(_ diff: SetupDiff, nameA: String, nameB: String) -> String {
    var lines: [String] = []
    if diff.isSame {
      return ([diff.verdict] + diff.notes).joined(separator: "\n") + "\n"
    }
    lines.append(palette.bold(diff.verdict))
    lines.append("A: " + TerminalSafe.escape(nameA))
    lines.append("B: " + TerminalSafe.escape(nameB))
    lines += diff.notes.map { palette.dim($0) }
    lines.append("")
    lines.append(palette.bold(pad("", Self.labelWidth) + "  " + pad("A", columnWidth) + "   " + "B"))
    for row in diff.rows { lines += table(row) }
    lines += messages(diff.differences)
    for group in diff.groups {
      lines.append("")
      if group.isSame, let a = group.a {
        lines.append(palette.dim("= " + TerminalSafe.escape(Self.title(a)) + ": same in both"))
        continue
      }
      lines.append(palette.bold(Self.title(group)))
      if group.a == nil || group.b == nil {
        // Nothing to set beside it: the recipe in a few lines rather than a half-empty table.
        lines += wrap(Self.recipeLine(group), columnWidth * 2 + 20).map { "  " + TerminalSafe.escape($0) }
        continue
      }
      for row in group.rows { lines += table(row) }
      lines += messages(group.differences)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func title(_ group: AlignedGroups) -> String {
    switch (group.a, group.b) {
    case (let a?, nil): return "< only in A: " + TerminalSafe.escape(title(a))
    case (nil, let b?): return "> only in B: " + TerminalSafe.escape(title(b))
    case (let a?, let b?) where title(a) == title(b): return TerminalSafe.escape(title(a))
    case (let a?, let b?): return TerminalSafe.escape(title(a)) + "  ~  " + TerminalSafe.escape(title(b))
    default: return ""
    }
  }

  /// `threads "worker-N" (clone3)`.
  static func title(_ group: TaskGroup) -> String {
    let recipe = group.recipe
    var text = recipe.kind == .initial ? "initial task" : recipe.kind == .process ? "processes" : recipe.kind == .vfork ? "vfork children" : "threads"
    if let name = recipe.namePattern { text += " \"\(name)\"" }
    if let creator = recipe.creator { text += " (\(creator.rawValue))" }
    return text
  }

  /// `1 thread; clone flags VM|…; stack 1 MiB + 4 KiB guard; …` for a group only one side has.
  static func recipeLine(_ group: AlignedGroups) -> String {
    let shown: Set<DiffAspect> = [.kind, .creator, .name]
    return group.rows.filter { !shown.contains($0.aspect) }.map { row in
      "\(row.aspect.label) \(row.a ?? row.b ?? "")"
    }.joined(separator: "; ")
  }

  private func table(_ row: DiffRow) -> [String] {
    let left = wrap(TerminalSafe.escape(row.a ?? ""), columnWidth)
    let right = wrap(TerminalSafe.escape(row.b ?? ""), columnWidth)
    let marker: String
    switch (row.a, row.b) {
    case (_?, nil): marker = "<"
    case (nil, _?): marker = ">"
    default: marker = row.differs ? "|" : " "
    }
    var lines: [String] = []
    for index in 0..<max(left.count, right.count) {
      let label = index == 0 ? row.aspect.label : ""
      let mark = index == 0 ? marker : " "
      let a = index < left.count ? left[index] : ""
      let b = index < right.count ? right[index] : ""
      let line = "  " + pad(label, Self.labelWidth - 2) + "  " + pad(a, columnWidth) + " " + mark + " " + b
      lines.append(row.differs && index == 0 ? highlight(line) : line)
    }
    return lines.map { $0.trailingSpacesRemoved }
  }

  private func highlight(_ line: String) -> String { palette.yellow(line) }

  private func messages(_ differences: [SetupDifference]) -> [String] {
    differences.map { "  " + palette.cyan("↳ " + TerminalSafe.escape($0.message)) }
  }

  private func pad(_ text: String, _ width: Int) -> String {
    let count = text.count
    return count >= width ? text : text + String(repeating: " ", count: width - count)
  }

  /// Breaks `text` into lines of at most `width` characters, after a `|`, `,` or space when it can.
  func wrap(_ text: String, _ width: Int) -> [String] {
    var lines: [String] = []
    var rest = Substring(text)
    while rest.count > width {
      let window = rest.prefix(width)
      let cut = window.lastIndex(where: { $0 == "|" || $0 == "," || $0 == " " }).map { rest.index(after: $0) }
        ?? window.endIndex
      lines.append(String(rest[..<cut]).trailingSpacesRemoved)
      rest = rest[cut...].drop(while: { $0 == " " })
    }
    if !rest.isEmpty || lines.isEmpty { lines.append(String(rest)) }
    return lines
  }
}

extension String {
  fileprivate var trailingSpacesRemoved: String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
