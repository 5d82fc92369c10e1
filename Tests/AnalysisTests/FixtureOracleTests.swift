import Analysis
import Foundation
import Testing
import TestSupport
import TraceIO
import TraceModel

/// Every recorded fixture log against what the program itself printed during the same run (its `.stdout`
/// oracle): thread and process counts, each thread's stack and guard size, names, signal stacks, exec tid
/// changes and deaths. The fixture programs print `key=value` lines for exactly this.
@Suite("Fixture logs agree with what the programs reported")
struct FixtureOracleTests {
  static let logs: [String] = {
    let fixtures = Fixtures.directory.appendingPathComponent("strace")
    var logs: [String] = []
    for folder in ["strace", "strace/runtimes"] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.appendingPathComponent(folder).path)) ?? []
      for name in names.sorted() where name.hasSuffix(".stdout") {
        let base = String(name.dropLast(".stdout".count))
        let log = "\(folder)/\(base)"
        for candidate in [log + ".strace", log] where FileManager.default.fileExists(atPath: Fixtures.directory.appendingPathComponent(candidate).path) {
          logs.append(candidate)
          break
        }
      }
    }
    _ = fixtures
    return logs
  }()

  @Test func thereAreFixtures() { #expect(Self.logs.count >= 40) }

  @Test(arguments: logs)
  func agreesWithTheProgram(_ log: String) throws {
    let oraclePath = log.hasSuffix(".strace") ? String(log.dropLast(".strace".count)) + ".stdout" : log + ".stdout"
    let oracle = String(decoding: Fixtures.data(oraclePath), as: UTF8.self)
    let reader = try TraceInput.open([Fixtures.path(log)])
    let lifecycle = Lifecycle()
    while let event = try reader.next() { lifecycle.apply(event) }
    lifecycle.finish()
    // A log recorded with a syscall filter (-e trace=…) cannot show stacks; a log attached mid-run misses
    // creations.
    let filtered = log.contains("-e-")
    let attached = log.contains("-p-")

    let startPID = oracle.split(separator: "\n").first { $0.hasPrefix("start ") }.flatMap { Self.fields($0)["pid"] }
      .flatMap { Int32($0) }
    for line in oracle.split(separator: "\n") {
      let fields = Self.fields(line)
      let kind = line.split(separator: " ").first.map(String.init) ?? ""
      // Runtimes make threads of their own (the JVM's GC and compiler threads, Go's sysmon): their programs'
      // counts are of their own threads only.
      if kind == "done", !attached, !log.hasPrefix("strace/runtimes/") {
        if let threads = fields["threads"].flatMap(Int.init) {
          #expect(lifecycle.counts.threads == threads, "\(log): threads")
        }
        if let processes = fields["processes"].flatMap(Int.init) {
          #expect(lifecycle.counts.processes + lifecycle.counts.vforks == processes, "\(log): processes")
        }
      }
      guard let tid = fields["tid"].flatMap(Int32.init) else { continue }
      let records = lifecycle.records.filter { $0.tid == tid || $0.formerTID == tid }
      guard let record = records.last else {
        Issue.record("\(log): no task \(tid) (\(line))")
        continue
      }
      // Threads running when strace attached are threads too, of the attached process.
      if kind == "thread", fields["index"] != nil || fields["role"] != nil {
        #expect(records.contains { $0.kind == .thread }, "\(log): \(tid) is a thread")
        if attached, let pid = startPID {
          #expect(record.tgid == pid, "\(log): \(tid) is a thread of \(pid)")
        }
      }
      if kind == "thread", !filtered, let size = fields["stack_size"].flatMap(UInt64.init) {
        #expect(record.stack?.size == size, "\(log): stack of \(tid)")
        #expect(record.stack?.guardSize == fields["guard_size"].flatMap(UInt64.init), "\(log): guard of \(tid)")
      }
      // Only names the program set on the OS thread (`set_by=`); other `name=` fields are labels.
      if let name = fields["name"], fields["set_by"] != nil {
        #expect(records.contains { $0.name == name }, "\(log): name of \(tid)")
      }
      if kind == "altstack", !filtered {
        #expect(record.registrations.signalStack?.size == fields["ss_size"].flatMap(UInt64.init), "\(log): altstack of \(tid)")
        #expect(record.registrations.signalStack?.guardSize == fields["guard_size"].flatMap(UInt64.init), "\(log): altstack guard of \(tid)")
      }
      if kind == "after_exec", let former = fields["former_tid"].flatMap(Int32.init) {
        #expect(lifecycle.records.contains { $0.formerTID == former && $0.tid == tid }, "\(log): exec took over \(tid)")
      }
      if kind == "thread", let signal = fields["signal"] {
        if case .killed(let number, _)? = record.end {
          #expect(Self.signalNumbers[signal] == number, "\(log): \(tid) killed by \(signal)")
        } else {
          Issue.record("\(log): \(tid) should be killed by \(signal), ended \(String(describing: record.end))")
        }
      }
    }
  }

  static let signalNumbers: [String: Int32] = ["SIGSEGV": 11, "SIGKILL": 9, "SIGABRT": 6, "SIGBUS": 7, "SIGTERM": 15]

  static func fields(_ line: Substring) -> [String: String] {
    var fields: [String: String] = [:]
    for part in line.split(separator: " ") {
      guard let equals = part.firstIndex(of: "=") else { continue }
      fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
    }
    return fields
  }
}
