import Analysis
import SyscallDecoding
import TraceModel

/// The lifecycle summary as the `threadtrace.summary/1` JSON document of DESIGN.md §4 (documented field by
/// field in docs/summary-format.md). Fields are only ever added, never removed or renamed.
public struct SummaryJSON {
  public struct Source: Sendable {
    public var files: [String]
    public var format: String
    public var warnings: [InputWarning]
    public var interrupted: Bool

    public init(files: [String], format: String, warnings: [InputWarning] = [], interrupted: Bool = false) {
      self.files = files
      self.format = format
      self.warnings = warnings
      self.interrupted = interrupted
    }
  }

  public init() {}

  public func render(_ lifecycle: Lifecycle, source: Source) -> String {
    var json = JSONBuilder()
    json.beginObject()
    json.field("schema", "threadtrace.summary/1")
    json.beginObject("source")
    json.beginArray("files")
    for file in source.files { json.element(file) }
    json.endArray()
    json.field("format", source.format)
    json.field("interrupted", source.interrupted)
    json.beginArray("warnings")
    for warning in source.warnings.prefix(1000) { json.element(warning.description) }
    json.endArray()
    json.field("warnings_total", source.warnings.count)
    json.endObject()

    let counts = lifecycle.counts
    json.beginObject("counts")
    json.field("threads", counts.threads)
    json.field("processes", counts.processes)
    json.field("vforks", counts.vforks)
    json.field("execs", counts.execs)
    json.field("tasks", counts.tasks)
    json.field("failed_creations", counts.failedCreations)
    json.field("failed_execs", counts.failedExecs)
    json.field("syscalls", counts.syscalls)
    json.endObject()

    json.beginArray("processes")
    for process in lifecycle.processes where !process.provisional {
      json.beginObject()
      json.field("tgid", process.tgid)
      json.field("program", process.program)
      json.beginArray("runtimes")
      for fingerprint in process.runtimes {
        json.beginObject()
        json.field("runtime", fingerprint.runtime.rawValue)
        json.beginArray("evidence")
        for item in fingerprint.evidence { json.element(item) }
        json.endArray()
        json.endObject()
      }
      json.endArray()
      json.endObject()
    }
    json.endArray()

    json.beginArray("tasks")
    for record in lifecycle.records { task(record, lifecycle: lifecycle, into: &json) }
    json.endArray()
    json.endObject()
    return json.text + "\n"
  }

  private func task(_ record: TaskRecord, lifecycle: Lifecycle, into json: inout JSONBuilder) {
    json.beginObject()
    json.field("id", record.id)
    json.field("tid", record.tid)
    json.field("tgid", record.tgid)
    json.field("parent", record.parentTID)
    json.field("parent_id", record.parentID)
    json.field("kind", record.kind.rawValue)
    json.field("former_tid", record.formerTID)
    if let call = record.creation {
      json.field("created_by", call.syscall.rawValue)
      json.beginArray("clone_flags")
      for name in CloneFlags.table.parts(call.flags.rawValue) where call.flags.rawValue != 0 { json.element(name) }
      json.endArray()
      json.field("exit_signal", call.exitSignal == 0 ? nil : Signals.name(of: call.exitSignal) ?? String(call.exitSignal))
      json.hexField("tls", call.flags.contains(.setTLS) ? call.tls : nil)
      json.hexField("child_tid_address", call.flags.contains(.childClearTID) ? call.childTIDAddress : nil)
      json.beginObject("resources")
      for (resource, mode) in ResourceSharing(call).modes { json.field(resource.rawValue, mode.rawValue) }
      json.endObject()
    } else {
      json.null("created_by")
      json.beginArray("clone_flags")
      json.endArray()
    }
    if let stack = record.stack {
      json.beginObject("stack")
      json.hexField("base", stack.base)
      json.field("size", stack.size)
      json.field("guard_size", stack.guardSize)
      json.field("source", stack.source.rawValue)
      json.field("reused_from", stack.reusedFromTID)
      json.endObject()
    } else {
      json.null("stack")
    }
    json.field("name", record.name)
    json.field("name_source", record.nameSource?.rawValue)
    json.field("comm", record.comm)
    registrations(record.registrations, into: &json)
    json.beginArray("execs")
    for exec in record.execs {
      json.beginObject()
      json.field("path", exec.path)
      json.field("ok", exec.succeeded)
      json.field("errno", exec.errno.flatMap { ErrnoNames.name(of: $0) })
      json.endObject()
    }
    json.endArray()
    exit(record.end, into: &json)
    if let join = record.joinedBy {
      json.beginObject("joined_by")
      json.field("tid", join.tid)
      json.field("id", join.id)
      json.field("how", join.how.rawValue)
      json.endObject()
    } else {
      json.null("joined_by")
    }
    json.field("runtime", record.createdByRuntime?.runtime.rawValue)
    json.field("syscalls", record.syscallCount)
    json.field("first_seen_us", record.firstSeen?.microseconds)
    json.field("last_seen_us", record.lastSeen?.microseconds)
    json.endObject()
  }

  private func registrations(_ registrations: Registrations, into json: inout JSONBuilder) {
    if let rseq = registrations.rseq {
      json.beginObject("rseq")
      json.hexField("address", rseq.address)
      json.field("length", rseq.length)
      json.hexField("signature", rseq.signature)
      json.endObject()
    } else {
      json.null("rseq")
    }
    if let robust = registrations.robustList {
      json.beginObject("robust_list")
      json.hexField("head", robust.head)
      json.field("length", robust.length)
      json.endObject()
    } else {
      json.null("robust_list")
    }
    if let stack = registrations.signalStack {
      json.beginObject("sigaltstack")
      json.hexField("base", stack.base)
      json.field("size", stack.size)
      json.field("guard_size", stack.guardSize)
      json.field("disabled", stack.disabled)
      json.endObject()
    } else {
      json.null("sigaltstack")
    }
    json.field("affinity", registrations.affinity)
  }

  private func exit(_ end: TaskRecord.End?, into json: inout JSONBuilder) {
    guard let end else {
      json.null("exit")
      return
    }
    json.beginObject("exit")
    switch end {
    case .exited(let code, let cause):
      json.field("code", code)
      switch cause {
      case .exit: json.field("cause", "exit")
      case .exitGroup: json.field("cause", "exit_group")
      case .groupExit(let by):
        json.field("cause", "exit_group_of_other_thread")
        json.field("by", by)
      case .execByOtherThread(let by):
        json.field("cause", "execve_of_other_thread")
        json.field("by", by)
      case .unknown: json.field("cause", "unknown")
      }
    case .killed(let signal, let coreDumped):
      json.field("signal", Signals.name(of: signal) ?? String(signal))
      json.field("signal_number", signal)
      json.field("core_dumped", coreDumped)
    case .supersededByExec(let by):
      json.field("superseded_by", by)
    }
    json.endObject()
  }
}
