@testable import Analysis
import Foundation
import SyscallDecoding
import TestSupport
import TraceIO
import TraceModel

/// Builders for `threadtrace diff` tests: profiles from fixture logs, and hand-made task records.
enum DiffFixture {
  /// The setup profile of a fixture trace, read as `threadtrace diff` reads it.
  static func profile(_ relativePath: String) throws -> SetupProfile {
    let reader = try TraceInput.open([Fixtures.path(relativePath)])
    let collector = SetupCollector()
    while let event = try reader.next() { collector.take(event) }
    return collector.finish()
  }

  /// A fixture strace log converted to a threadtrace JSON Lines trace in a temporary file (the caller removes it).
  static func jsonLines(_ relativePath: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("threadtrace-diff-\(UUID().uuidString).jsonl").path
    let reader = try TraceInput.open([Fixtures.path(relativePath)])
    let writer = try JSONLinesWriter(path: path)
    try writer.writeHeader(TraceHeader(schema: "threadtrace/1", clock: .timeOfDay))
    while let event = try reader.next() { try writer.write(event) }
    try writer.writeEnd(interrupted: false)
    return path
  }

  static func profile(atPath path: String) throws -> SetupProfile {
    let reader = try TraceInput.open([path])
    let collector = SetupCollector()
    while let event = try reader.next() { collector.take(event) }
    return collector.finish()
  }

  static func diff(_ a: String, _ b: String) throws -> SetupDiff {
    SetupDiff(try profile(a), try profile(b))
  }

  static let glibcFlags: CloneFlagSet = [
    .vm, .fs, .files, .sighand, .thread, .sysvsem, .setTLS, .parentSetTID, .childClearTID,
  ]

  /// The process's first task: there at the start, registered rseq and a robust list, ended with exit_group.
  static func initial(tid: Int32 = 100, id: Int = 1) -> TaskRecord {
    var record = TaskRecord(id: id, tid: tid, tgid: tid, kind: .initial)
    record.registrations.rseq = .init(address: 0x7f00_0000_1000 + UInt64(tid), length: 32, signature: 0x5305_3053)
    record.registrations.robustList = .init(head: 0x7f00_0000_2000 + UInt64(tid), length: 24)
    record.registrations.threadPointer = 0x7f00_0000_3000 + UInt64(tid)
    record.end = .exited(code: 0, cause: .exitGroup)
    return record
  }

  /// A glibc pthread (clone3, 8 MiB + 4 KiB guard, rseq, robust list, named `worker-<index>`, exit, joined).
  static func thread(
    tid: Int32, id: Int, index: Int = 0, syscall: CloneCall.Syscall = .clone3, flags: CloneFlagSet = glibcFlags,
    exitSignal: Int32 = 0, stack: ThreadStack? = ThreadStack(base: 0x7f10_0000_0000, size: 8 << 20, guardSize: 4096, source: .mapping),
    robust: Bool = true, rseq: Bool = true, name: String? = "worker-N", runtime: RuntimeFingerprint.Runtime? = .glibc,
    end: TaskRecord.End? = .exited(code: 0, cause: .exit), join: TaskRecord.Join.How? = .futexOnChildTID,
    kind: TaskRecord.Kind? = nil
  ) -> TaskRecord {
    let kind = kind ?? (flags.contains(.thread) ? .thread : flags.contains(.vfork) ? .vfork : .process)
    var record = TaskRecord(id: id, tid: tid, tgid: kind == .thread ? 100 : tid, kind: kind)
    record.parentID = 1
    record.parentTID = 100
    record.creation = CloneCall(
      syscall: syscall, flags: flags, exitSignal: exitSignal, stack: stack?.base.map { $0 + UInt64(tid) << 24 },
      tls: flags.contains(.setTLS) ? 0x7f20_0000_0000 + UInt64(tid) : nil, newTID: tid)
    var placed = stack
    placed?.base = stack?.base.map { $0 + UInt64(tid) << 24 }
    record.stack = placed
    if robust { record.registrations.robustList = .init(head: 0x7f30_0000_0000 + UInt64(tid), length: 24) }
    if rseq { record.registrations.rseq = .init(address: 0x7f40_0000_0000 + UInt64(tid), length: 32, signature: 0x5305_3053) }
    record.name = name.map { $0.replacingOccurrences(of: "N", with: "\(index)") }
    record.createdByRuntime = runtime.map { RuntimeFingerprint($0, evidence: ["test"]) }
    record.end = end
    record.joinedBy = join.map { TaskRecord.Join(tid: 100, id: 1, how: $0) }
    record.firstSeen = TraceTime(microseconds: Int64(tid) * 1000)
    return record
  }

  static func profile(_ records: [TaskRecord], runtimes: [RuntimeFingerprint.Runtime] = [.glibc]) -> SetupProfile {
    var profile = SetupProfile()
    for record in records { profile.add(task: record) }
    var process = Lifecycle.ProcessRecord(id: 1, tgid: 100, program: "./job")
    process.runtimes = runtimes.map { RuntimeFingerprint($0, evidence: ["test"]) }
    profile.add(process: process)
    return profile
  }

  /// A job: its initial task and `count` threads made by `make(tid, id, index)`.
  static func job(
    _ count: Int, tidBase: Int32 = 100, runtimes: [RuntimeFingerprint.Runtime] = [.glibc],
    _ make: (Int32, Int, Int) -> TaskRecord = { tid, id, index in DiffFixture.thread(tid: tid, id: id, index: index) }
  ) -> SetupProfile {
    var records = [initial(tid: tidBase)]
    for index in 0..<count { records.append(make(tidBase + 1 + Int32(index), 2 + index, index)) }
    return profile(records, runtimes: runtimes)
  }

  /// The messages of every difference of one aspect.
  static func messages(_ diff: SetupDiff, _ aspect: DiffAspect) -> [String] {
    diff.allDifferences.filter { $0.aspect == aspect }.map(\.message)
  }
}
