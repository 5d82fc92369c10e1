import Analysis
import SyscallDecoding
import TraceModel

#if canImport(Glibc)
  import Glibc
#endif

/// Writes the lifecycle summary as the `threadtrace.summary/1` document (docs/summary-format.md). Records
/// arrive one at a time as the lifecycle model finishes them (`add`), so a trace with millions of tasks needs
/// memory for its live tasks only: finished records wait in a spool, in memory while small, then in an
/// unlinked temporary file. `finish` writes the document with one line per process and per task.
/// Fields are only ever added within `threadtrace.summary/1`, never removed or renamed.
public final class SummaryJSON {
  public struct Source: Sendable {
    public var files: [String]
    public var format: String
    public var warnings: [InputWarning]
    public var warningsTotal: Int
    public var interrupted: Bool

    public init(files: [String], format: String, warnings: [InputWarning] = [], warningsTotal: Int? = nil, interrupted: Bool = false) {
      self.files = files
      self.format = format
      self.warnings = warnings
      self.warningsTotal = warningsTotal ?? warnings.count
      self.interrupted = interrupted
    }
  }

  private let tasks: Spool
  private let processes: Spool
  /// One buffer for every task record: large summaries encode millions of them.
  @exclusivity(unchecked) private var scratch = JSONBytes(capacity: 2048)

  /// `spillAfter`: bytes of finished records kept in memory before they go to a temporary file.
  public init(spillAfter: Int = 8 << 20) {
    tasks = Spool(memoryLimit: spillAfter)
    processes = Spool(memoryLimit: spillAfter)
  }

  public func add(task record: TaskRecord) {
    scratch.reset()
    let creation = record.creation.map { creationFragment($0.flags) }
    let fragmentEnd = Self.encode(record, creationFragment: creation?.bytes, into: &scratch)
    // The creation fragment is a third of a thread's object: the spool keeps its number instead of its bytes.
    var fragment: Spool.FragmentUse?
    if let creation, let fragmentEnd {
      fragment = Spool.FragmentUse(id: creation.id, start: fragmentEnd - creation.bytes.count)
    }
    scratch.withBytes { tasks.append($0, order: record.id, fragment: fragment) }
  }

  /// `"clone_flags":[…],"resources":{…}` for a flag set, encoded once (and numbered in the task spool): a trace
  /// has few distinct flag sets and many tasks.
  @exclusivity(unchecked) private var creationFragments: [UInt64: (bytes: [UInt8], id: Int32)] = [:]
  /// The one the last task used: the next mostly has the same flags (the threads of one program), and a lookup in
  /// `creationFragments` hashes the flags (~140 instructions).
  @exclusivity(unchecked) private var lastCreationFragment: (flags: UInt64, bytes: [UInt8], id: Int32)?

  private func creationFragment(_ flags: CloneFlagSet) -> (bytes: [UInt8], id: Int32) {
    if let last = lastCreationFragment, last.flags == flags.rawValue { return (last.bytes, last.id) }
    let fragment: (bytes: [UInt8], id: Int32)
    if let cached = creationFragments[flags.rawValue] {
      fragment = cached
    } else {
      var json = JSONBytes(capacity: 512)
      Self.encodeCreationFlags(flags, into: &json)
      let bytes = json.bytes
      fragment = (bytes, tasks.addFragment(bytes))
      creationFragments[flags.rawValue] = fragment
    }
    lastCreationFragment = (flags.rawValue, fragment.bytes, fragment.id)
    return fragment
  }

  private static func encodeCreationFlags(_ flags: CloneFlagSet, into json: inout JSONBytes) {
    json.openArray("clone_flags")
    if flags.rawValue != 0 {
      for name in CloneFlags.table.parts(flags.rawValue) { json.element(name) }
    }
    json.closeArray()
    json.openObject("resources")
    for resource in ResourceSharing.Resource.allCases {
      json.field(resource.jsonKey, ResourceSharing.mode(of: resource, flags: flags).rawValue)
    }
    json.closeObject()
  }

  public func add(process record: Lifecycle.ProcessRecord) {
    guard !record.provisional else { return }
    // The task scratch buffer: a trace may end a process for every few tasks.
    scratch.reset()
    Self.encode(record, into: &scratch)
    scratch.withBytes { processes.append($0, order: record.id) }
  }

  private static func encode(_ record: Lifecycle.ProcessRecord, into json: inout JSONBytes) {
    json.openObject()
    json.field("tgid", record.tgid)
    json.field("program", record.program)
    json.openArray("runtimes")
    for fingerprint in record.runtimes {
      json.openObject()
      json.field("runtime", fingerprint.runtime.rawValue)
      json.openArray("evidence")
      for item in fingerprint.evidence { json.element(item) }
      json.closeArray()
      json.closeObject()
    }
    json.closeArray()
    json.closeObject()
  }

  /// Writes the whole document through `write`, in pieces.
  public func finish(counts: Lifecycle.Counts, source: Source, write: ([UInt8]) -> Void) {
    var head = JSONBytes(capacity: 4096)
    head.raw("{\n  ")
    head.field("schema", "threadtrace.summary/1")
    head.nextLine()
    head.openObject("source")
    head.openArray("files")
    for file in source.files { head.element(file) }
    head.closeArray()
    head.field("format", source.format)
    head.field("interrupted", source.interrupted)
    head.openArray("warnings")
    for warning in source.warnings.prefix(1000) { head.element(warning.description) }
    head.closeArray()
    head.field("warnings_total", source.warningsTotal)
    head.closeObject()
    head.nextLine()
    head.openObject("counts")
    head.field("threads", counts.threads)
    head.field("processes", counts.processes)
    head.field("vforks", counts.vforks)
    head.field("execs", counts.execs)
    head.field("tasks", counts.tasks)
    head.field("failed_creations", counts.failedCreations)
    head.field("failed_execs", counts.failedExecs)
    head.field("syscalls", counts.syscalls)
    head.closeObject()
    head.raw(",\n  \"processes\": [")
    write(head.bytes)
    processes.drain(separator: ",", write: write)
    write(Array("\n  ],\n  \"tasks\": [".utf8))
    tasks.drain(separator: ",", write: write)
    write(Array("\n  ]\n}\n".utf8))
  }

  /// The summary of a lifecycle that kept every record (no sink).
  public static func render(_ lifecycle: Lifecycle, source: Source) -> String {
    let summary = SummaryJSON()
    for process in lifecycle.processes { summary.add(process: process) }
    for record in lifecycle.records { summary.add(task: record) }
    var text: [UInt8] = []
    summary.finish(counts: lifecycle.counts, source: source) { text += $0 }
    return String(decoding: text, as: UTF8.self)
  }

  /// Returns where the creation fragment (`"clone_flags":[…],"resources":{…}` for the record's flags) ends in
  /// `json`, when the record has one.
  ///
  /// A task's object has the same members in the same order every time: each key is written with what comes
  /// before it (the comma, a closing bracket) as one literal, and values go straight after, without `field`'s
  /// comma bookkeeping and a call per member. Measured on a 16 MB strace log (8,156 tasks): with `field` and
  /// `object` this took about 7,800 instructions a task, so about 3,200.
  @discardableResult
  static func encode(_ record: TaskRecord, creationFragment: [UInt8]?, into json: inout JSONBytes) -> Int? {
    var fragmentEnd: Int?
    json.raw(#"{"id":"#, record.id)
    json.raw(#","tid":"#, record.tid)
    json.raw(#","tgid":"#, record.tgid)
    json.raw(#","parent":"#, record.parentTID)
    json.raw(#","parent_id":"#, record.parentID)
    json.raw(#","kind":"#, literal: record.kind.jsonValue)
    json.raw(#","former_tid":"#, record.formerTID)
    if let call = record.creation {
      json.raw(#","created_by":"#, literal: call.syscall.jsonValue)
      json.raw(",")
      json.raw(creationFragment ?? [])
      fragmentEnd = json.count
      json.raw(#","exit_signal":"#, exitSignal(call.exitSignal))
      json.raw(#","tls":"#, hex: call.flags.contains(.setTLS) ? call.tls : nil)
      json.raw(#","child_tid_address":"#, hex: call.flags.contains(.childClearTID) ? call.childTIDAddress : nil)
    } else {
      json.raw(#","created_by":null,"clone_flags":[]"#)
    }
    if let stack = record.stack {
      json.raw(#","stack":{"base":"#, hex: stack.base)
      json.raw(#","size":"#, stack.size)
      json.raw(#","guard_size":"#, stack.guardSize)
      json.raw(#","runtime_guard_size":"#, stack.runtimeGuardSize)
      json.raw(#","source":"#, literal: stack.source.jsonValue)
      json.raw(#","reused_from":"#, stack.reusedFromTID)
      json.raw("}")
    } else {
      json.raw(#","stack":null"#)
    }
    json.raw(#","name":"#, record.name)
    if let source = record.nameSource {
      json.raw(#","name_source":"#, literal: source.jsonValue)
    } else {
      json.raw(#","name_source":null"#)
    }
    json.raw(#","comm":"#, record.comm)
    registrations(of: record, into: &json)
    json.raw(#","execs":["#)
    for (index, exec) in record.execs.enumerated() {
      json.raw(index == 0 ? #"{"path":"# : #",{"path":"#, exec.path)
      json.raw(#","ok":"#, exec.succeeded)
      json.raw(#","errno":"#, exec.errno.flatMap { ErrnoNames.name(of: $0) })
      json.raw("}")
    }
    json.raw("]")
    exit(record.end, into: &json)
    if let join = record.joinedBy {
      json.raw(#","joined_by":{"tid":"#, join.tid)
      json.raw(#","id":"#, join.id)
      json.raw(#","how":"#, literal: join.how.jsonValue)
      json.raw("}")
    } else {
      json.raw(#","joined_by":null"#)
    }
    if let runtime = record.createdByRuntime?.runtime {
      json.raw(#","runtime":"#, literal: runtime.jsonValue)
    } else {
      json.raw(#","runtime":null"#)
    }
    json.raw(#","syscalls":"#, record.syscallCount)
    json.raw(#","first_seen_us":"#, record.firstSeen?.microseconds)
    json.raw(#","last_seen_us":"#, record.lastSeen?.microseconds)
    if let cost = record.cost {
      json.raw(#","cost":{"stops":"#, cost.stops)
      json.raw(#","voluntary_switches":"#, cost.voluntarySwitches)
      json.raw(#","involuntary_switches":"#, cost.involuntarySwitches)
      json.raw("}")
    } else {
      json.raw(#","cost":null"#)
    }
    if let frames = record.creatorStack {
      json.raw(#","creator_stack":["#)
      for (index, frame) in frames.enumerated() {
        json.raw(index == 0 ? #"{"pc":"# : #",{"pc":"#, hex: frame.pc)
        json.raw(#","function":"#, frame.function)
        json.raw(#","offset":"#, frame.offset)
        json.raw(#","module":"#, frame.module)
        json.raw(#","module_offset":"#, hex: frame.moduleOffset)
        json.raw("}")
      }
      json.raw("]}")
    } else {
      json.raw(#","creator_stack":null}"#)
    }
    return fragmentEnd
  }

  /// A clone's exit signal by name (its number, as a string, when it has none); nil for none (threads).
  private static func exitSignal(_ number: Int32) -> String? {
    number == 0 ? nil : Signals.name(of: number) ?? String(number)
  }

  /// (Given the record: given its `Registrations`, the caller copied them, 152 bytes, for the call.)
  private static func registrations(of record: TaskRecord, into json: inout JSONBytes) {
    let registrations = record.registrations
    if let rseq = registrations.rseq {
      json.raw(#","rseq":{"address":"#, hex: rseq.address)
      json.raw(#","length":"#, rseq.length)
      json.raw(#","signature":"#, hex: rseq.signature)
      json.raw("}")
    } else {
      json.raw(#","rseq":null"#)
    }
    if let robust = registrations.robustList {
      json.raw(#","robust_list":{"head":"#, hex: robust.head)
      json.raw(#","length":"#, robust.length)
      json.raw("}")
    } else {
      json.raw(#","robust_list":null"#)
    }
    if let stack = registrations.signalStack {
      json.raw(#","sigaltstack":{"base":"#, hex: stack.base)
      json.raw(#","size":"#, stack.size)
      json.raw(#","guard_size":"#, stack.guardSize)
      json.raw(#","disabled":"#, stack.disabled)
      json.raw("}")
    } else {
      json.raw(#","sigaltstack":null"#)
    }
    json.raw(#","affinity":"#, registrations.affinity)
  }

  private static func exit(_ end: TaskRecord.End?, into json: inout JSONBytes) {
    guard let end else { return json.raw(#","exit":null"#) }
    switch end {
    case .exited(let code, let cause):
      json.raw(#","exit":{"code":"#, code)
      switch cause {
      case .exit: json.raw(#","cause":"exit""#)
      case .exitGroup: json.raw(#","cause":"exit_group""#)
      case .groupExit(let by): json.raw(#","cause":"exit_group_of_other_thread","by":"#, by)
      case .execByOtherThread(let by): json.raw(#","cause":"execve_of_other_thread","by":"#, by)
      case .unknown: json.raw(#","cause":"unknown""#)
      }
    case .killed(let signal, let coreDumped):
      json.raw(#","exit":{"signal":"#, Signals.name(of: signal) ?? String(signal))
      json.raw(#","signal_number":"#, signal)
      json.raw(#","core_dumped":"#, coreDumped)
    case .supersededByExec(let by):
      json.raw(#","exit":{"superseded_by":"#, by)
    }
    json.raw("}")
  }
}

// The values of the enums every task has, as StaticStrings: copied without the escaping pass a `String` gets.
// Each must equal the case's `rawValue`.

extension TaskRecord.Kind {
  var jsonValue: StaticString {
    switch self {
    case .initial: return "initial"
    case .thread: return "thread"
    case .process: return "process"
    case .vfork: return "vfork"
    }
  }
}

extension CloneCall.Syscall {
  var jsonValue: StaticString {
    switch self {
    case .clone: return "clone"
    case .clone3: return "clone3"
    case .fork: return "fork"
    case .vfork: return "vfork"
    }
  }
}

extension ThreadStack.Source {
  var jsonValue: StaticString {
    switch self {
    case .mapping: return "mapping"
    case .cloneArguments: return "clone_arguments"
    case .unmapped: return "unmapped"
    }
  }
}

extension TaskRecord.NameSource {
  var jsonValue: StaticString {
    switch self {
    case .prctl: return "prctl"
    case .commWrite: return "comm_write"
    }
  }
}

extension RuntimeFingerprint.Runtime {
  var jsonValue: StaticString {
    switch self {
    case .glibc: return "glibc"
    case .rust: return "rust-std"
    case .go: return "go"
    case .jvm: return "jvm"
    case .cpython: return "cpython"
    case .musl: return "musl"
    }
  }
}

extension TaskRecord.Join.How {
  var jsonValue: StaticString {
    switch self {
    case .futexOnChildTID: return "futex_child_tid"
    case .wait: return "wait"
    }
  }
}

extension ResourceSharing.Resource {
  /// The key in the JSON summary (StaticString, so the encoder copies it without building a String).
  var jsonKey: StaticString {
    switch self {
    case .addressSpace: return "address_space"
    case .fileDescriptors: return "file_descriptors"
    case .filesystemInfo: return "fs_info"
    case .signalHandlers: return "signal_handlers"
    case .threadGroup: return "thread_group"
    case .semaphoreUndo: return "sysv_sem_undo"
    case .namespaces: return "namespaces"
    case .tls: return "tls"
    case .ioContext: return "io_context"
    }
  }
}

/// Finished JSON objects waiting for the end of the input: kept in memory, sorted by id at the end, while they
/// are few; past `memoryLimit` bytes spilled to an unlinked temporary file, in the order they came.
///
/// In the file each object is a record: a header (the lengths of the bytes before and after a fragment, and the
/// fragment's number or -1), then those bytes. A fragment (`addFragment`) is a byte string many objects hold:
/// it is spilled as its number, which keeps the file, and the kernel's copying into and out of it, smaller; and
/// the objects go out without a search for where each ends.
final class Spool {
  /// Where an object holds a fragment: its number and its first byte in the object.
  struct FragmentUse {
    var id: Int32
    var start: Int
  }

  private struct RecordHeader {
    var prefixLength: UInt32
    var fragment: Int32
    var suffixLength: UInt32
  }

  // Used by one summary on one thread and never re-entered: the dynamic exclusivity checks, runtime calls on
  // every object appended, are skipped.
  /// A `JSONBytes`, grown with `realloc`: an `[UInt8]` copied itself at each doubling on the way to
  /// `memoryLimit`, 3.5 million instructions for the 16 MB strace log's summary.
  @exclusivity(unchecked) private var memory = JSONBytes(capacity: 1 << 16)
  @exclusivity(unchecked) private var entries: [(order: Int, start: Int, end: Int)] = []
  @exclusivity(unchecked) private var file: UnsafeMutablePointer<FILE>?
  private let memoryLimit: Int
  @exclusivity(unchecked) private var fragments: [[UInt8]] = []
  /// Larger than any object the summary writes.
  private static let maximumRecord: UInt32 = 64 << 20

  init(memoryLimit: Int = 8 << 20) { self.memoryLimit = memoryLimit }

  deinit { if let file { fclose(file) } }

  /// Numbers a byte string objects may hold, for `append`'s `fragment`.
  func addFragment(_ bytes: [UInt8]) -> Int32 {
    fragments.append(bytes)
    return Int32(fragments.count - 1)
  }

  func append(_ object: [UInt8], order: Int) {
    object.withUnsafeBufferPointer { append($0, order: order) }
  }

  /// `fragment`: where the object holds a fragment's bytes (it must: the file keeps only the number).
  func append(_ object: UnsafeBufferPointer<UInt8>, order: Int, fragment: FragmentUse? = nil) {
    if let file {
      if let fragment {
        let suffixStart = fragment.start + fragments[Int(fragment.id)].count
        write(
          UnsafeBufferPointer(rebasing: object[..<fragment.start]), fragment.id,
          UnsafeBufferPointer(rebasing: object[suffixStart...]), to: file)
      } else {
        write(object, -1, UnsafeBufferPointer(start: nil, count: 0), to: file)
      }
      return
    }
    entries.append((order, memory.count, memory.count + object.count))
    memory.append(contentsOf: object)
    if memory.count > memoryLimit, let spill = tmpfile() {
      // The default buffer is one block (4 KiB): a write call per few records.
      setvbuf(spill, nil, _IOFBF, 1 << 20)
      file = spill
      memory.withBytes { memory in
        for entry in entries {
          write(
            UnsafeBufferPointer(rebasing: memory[entry.start..<entry.end]), -1,
            UnsafeBufferPointer(start: nil, count: 0), to: spill)
        }
      }
      memory = JSONBytes(capacity: 0)
      entries = []
    }
  }

  private func write(
    _ prefix: UnsafeBufferPointer<UInt8>, _ fragment: Int32, _ suffix: UnsafeBufferPointer<UInt8>,
    to file: UnsafeMutablePointer<FILE>
  ) {
    var header = RecordHeader(
      prefixLength: UInt32(prefix.count), fragment: fragment, suffixLength: UInt32(suffix.count))
    _ = withUnsafeBytes(of: &header) { fwrite($0.baseAddress, 1, $0.count, file) }
    if prefix.count > 0 { _ = fwrite(prefix.baseAddress, 1, prefix.count, file) }
    if suffix.count > 0 { _ = fwrite(suffix.baseAddress, 1, suffix.count, file) }
  }

  /// Hands every object to `write`, each on its own line after `separator`, and empties the spool.
  func drain(separator: String, write: ([UInt8]) -> Void) {
    var first = true
    let lead = Array("\n    ".utf8)
    let between = Array(separator.utf8) + lead
    if let file {
      fflush(file)
      rewind(file)
      var reader = SpillReader(file)
      var chunk: [UInt8] = []
      chunk.reserveCapacity(1 << 20)
      let headerSize = MemoryLayout<RecordHeader>.size
      while reader.fill(atLeast: headerSize) {
        let header: RecordHeader? = reader.take(headerSize) { bytes in
          bytes.count == headerSize ? UnsafeRawBufferPointer(bytes).loadUnaligned(as: RecordHeader.self) : nil
        }
        // (Only a spill file cut short, say by a full disk, could hold other lengths: its objects stop there.)
        guard let header, header.prefixLength <= Self.maximumRecord, header.suffixLength <= Self.maximumRecord,
          header.fragment < fragments.count
        else { break }
        chunk += first ? lead : between
        first = false
        reader.take(Int(header.prefixLength)) { chunk += $0 }
        if header.fragment >= 0 { chunk += fragments[Int(header.fragment)] }
        reader.take(Int(header.suffixLength)) { chunk += $0 }
        if chunk.count >= 1 << 20 {
          write(chunk)
          chunk.removeAll(keepingCapacity: true)
        }
      }
      if !chunk.isEmpty { write(chunk) }
      fclose(file)
      self.file = nil
      return
    }
    var chunk: [UInt8] = []
    // Room for a chunk and the object that ends it: growing from empty copied it at each doubling.
    chunk.reserveCapacity(1 << 17)
    for entry in entries.sorted(by: { $0.order < $1.order }) {
      chunk += first ? lead : between
      first = false
      memory.withBytes { chunk += $0[entry.start..<entry.end] }
      if chunk.count > 1 << 16 {
        write(chunk)
        chunk.removeAll(keepingCapacity: true)
      }
    }
    if !chunk.isEmpty { write(chunk) }
    memory = JSONBytes(capacity: 0)
    entries = []
  }
}

/// Reads a spill file in large blocks and hands out its bytes in pieces of known length.
private struct SpillReader {
  private let file: UnsafeMutablePointer<FILE>
  private var buffer = [UInt8](repeating: 0, count: 1 << 20)
  private var start = 0
  private var end = 0

  init(_ file: UnsafeMutablePointer<FILE>) { self.file = file }

  /// Makes `count` bytes available (fewer only at the end of the file); false when none are left.
  mutating func fill(atLeast count: Int) -> Bool {
    if end - start < count {
      if start > 0 {
        let pending = end - start
        buffer.withUnsafeMutableBytes { raw in
          if pending > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: pending) }
        }
        start = 0
        end = pending
      }
      if buffer.count < count { buffer += [UInt8](repeating: 0, count: count - buffer.count) }
      while end < count {
        let read = buffer.withUnsafeMutableBytes { fread($0.baseAddress! + end, 1, $0.count - end, file) }
        if read <= 0 { break }
        end += read
      }
    }
    return end > start
  }

  /// The next `count` bytes (fewer at the end of a truncated file), valid only inside `body`.
  mutating func take<R>(_ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    _ = fill(atLeast: count)
    let length = min(count, end - start)
    let from = start
    start += length
    return buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[from..<(from + length)])) }
  }
}
