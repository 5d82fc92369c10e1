import Analysis
@testable import Rendering
import SyscallDecoding
import Testing

/// The tree's sizes, written as bytes: the largest binary unit that divides the size, over the whole range.
struct SummarySizeTests {
  /// What the tree printed when it built sizes as Strings.
  static func reference(_ bytes: UInt64) -> String {
    if bytes == 0 { return "0" }
    for (unit, name) in [(UInt64(1) << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")] where bytes % unit == 0 {
      return "\(bytes / unit) \(name)"
    }
    return "\(bytes) B"
  }

  @Test(arguments: [
    0, 1, 1023, 1024, 4096, 65536, 8 << 20, (8 << 20) + 4096, 3 << 30, 12345, UInt64.max, UInt64.max - 1023,
    1 << 63, (1 << 63) + 1,
  ] as [UInt64])
  func sizesAsBefore(_ bytes: UInt64) {
    #expect(SummaryText.size(bytes) == Self.reference(bytes))
  }
}

/// The fold signature, a struct of the fields, tells tasks apart exactly as the text the tree folded by before
/// (the eight parts joined with `|`): two records are alike by one when they are by the other.
struct SummarySignatureTests {
  static func reference(_ summary: SummaryText, _ record: TaskRecord) -> String {
    let kind: String = record.kind.rawValue
    let syscall: String = record.creation?.syscall.rawValue ?? ""
    let flags = String(record.creation?.flags.rawValue ?? 0)
    let size = String(record.stack?.size ?? 0)
    let guardSize = String(record.stack?.guardSize ?? 0)
    let end: String = summary.endText(record.end)
    let name: String = record.name.map { String($0.prefix { !$0.isNumber }) } ?? ""
    let join: String = record.joinedBy?.how.rawValue ?? ""
    return [kind, syscall, flags, size, guardSize, end, name, join].joined(separator: "|")
  }

  static func records() -> [TaskRecord] {
    var thread = TaskRecord(id: 2, tid: 11, tgid: 10, kind: .thread)
    thread.creation = CloneCall(syscall: .clone3, flags: [.vm, .thread, .io], exitSignal: 0)
    thread.stack = ThreadStack(base: 0x7f00_0000_0000, size: 8 << 20, guardSize: 4096, source: .mapping)
    thread.name = "wörker-٣7|x"
    thread.end = .exited(code: 0, cause: .exit)
    var process = TaskRecord(id: 3, tid: 12, tgid: 12, kind: .process)
    process.creation = CloneCall(syscall: .clone, flags: CloneFlagSet(rawValue: .max), exitSignal: 17)
    process.stack = ThreadStack(base: nil, size: .max, guardSize: 0, source: .cloneArguments)
    process.end = .killed(signal: 9, coreDumped: true)
    process.joinedBy = TaskRecord.Join(tid: 10, id: 1, how: .wait)
    // Each differs from `thread` in one field the signature reads, or only in ones it does not.
    var sibling = thread
    sibling.id = 4
    sibling.tid = 13
    sibling.name = "wörker-٣8|x"
    sibling.stack?.base = 0x7e00_0000_0000
    var otherName = thread
    otherName.id = 5
    otherName.name = "reader-1"
    var otherGuard = thread
    otherGuard.id = 6
    otherGuard.stack?.guardSize = 0
    var otherEnd = thread
    otherEnd.id = 7
    otherEnd.end = .exited(code: 0, cause: .groupExit(by: 10))
    var otherCode = thread
    otherCode.id = 8
    otherCode.end = .exited(code: 1, cause: .exit)
    var joined = thread
    joined.id = 9
    joined.joinedBy = TaskRecord.Join(tid: 10, id: 1, how: .futexOnChildTID)
    var alive = thread
    alive.id = 10
    alive.end = nil
    var unnamed = thread
    unnamed.id = 11
    unnamed.name = nil
    var emptyName = thread
    emptyName.id = 12
    emptyName.name = "7"
    return [
      TaskRecord(id: 1, tid: 10, tgid: 10, kind: .initial), thread, process, sibling, otherName, otherGuard,
      otherEnd, otherCode, joined, alive, unnamed, emptyName,
    ]
  }

  @Test func alikeExactlyWhenTheTextWas() {
    for palette in [Palette.plain, Palette(enabled: true)] {
      let summary = SummaryText(palette: palette)
      let records = Self.records()
      for first in records {
        for second in records {
          let alike = summary.signature(first) == summary.signature(second)
          #expect(alike == (Self.reference(summary, first) == Self.reference(summary, second)), "\(first.id) \(second.id)")
        }
      }
      #expect(summary.signature(records[1]) == summary.signature(records[3]))
    }
  }
}
