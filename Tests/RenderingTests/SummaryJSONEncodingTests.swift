@testable import Analysis
@testable import Rendering
import SyscallDecoding
import Testing
import TraceModel

/// The task encoder writes its keys as literals with the commas in them, and numbers, addresses and strings a
/// word at a time: every member and every shape of value must come out as the member-by-member encoder wrote it.
@Suite("Summary JSON encoding")
struct SummaryJSONEncodingTests {
  private func text(_ write: (inout JSONBytes) -> Void) -> String {
    var json = JSONBytes()
    write(&json)
    return String(decoding: json.bytes, as: UTF8.self)
  }

  @Test func numbersAtEveryLength() {
    var values: [UInt64] = [0, 1, 9, UInt64.max - 1, UInt64.max, 1 << 63, 12_345_678_901_234_567]
    var power: UInt64 = 1
    for _ in 1...19 {
      power *= 10
      values += [power - 1, power, power + 1]
    }
    for value in values {
      #expect(text { $0.unsigned(value) } == String(value))
      #expect(text { $0.integer(Int64(truncatingIfNeeded: value)) } == String(Int64(truncatingIfNeeded: value)))
    }
    for value: Int64 in [0, -1, -9, -10, -100_000_000, .min, .max] {
      #expect(text { $0.integer(value) } == String(value))
    }
  }

  @Test func addressesAtEveryLength() {
    var values: [UInt64] = [0, 0xa, 0x9, 0x7fe4_482a_d060, 0x5305_3053, 0xdead_beef_cafe_f00d]
    for digits in 1...16 {
      values += [UInt64.max >> (64 - 4 * digits), 1 << (4 * (digits - 1)), 0xa << (4 * (digits - 1))]
    }
    for value in values {
      #expect(text { $0.hex(value) } == "\"0x" + String(value, radix: 16) + "\"")
    }
  }

  /// Strings are checked 8 bytes at a time: a character that needs escaping anywhere in one, or near its end.
  @Test func stringsEscapeAtEveryPosition() {
    let special: [Unicode.Scalar] = [
      "\"", "\\", "\n", "\t", "\r", "\u{00}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}", "\u{2028}", "\u{2029}",
    ]
    let plain: [Unicode.Scalar] = [" ", "~", "é", "\u{A0}", "\u{2027}", "😀"]
    func expected(_ text: String) -> String {
      var out = "\""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
      }
      return out + "\""
    }
    for length in 0..<20 {
      let text = String(repeating: "a", count: length)
      #expect(self.text { $0.string(text) } == expected(text))
    }
    for scalar in special + plain {
      for position in 0..<20 {
        var text = String(repeating: "a", count: position)
        text.unicodeScalars.append(scalar)
        text += String(repeating: "b", count: 19 - position)
        #expect(self.text { $0.string(text) } == expected(text), "\(scalar.value) at \(position)")
      }
    }
  }

  @Test func literalsAreTheRawValues() {
    for source in [TaskRecord.NameSource.prctl, .commWrite] { #expect(source.jsonValue.description == source.rawValue) }
    for runtime in RuntimeFingerprint.Runtime.allCases { #expect(runtime.jsonValue.description == runtime.rawValue) }
  }

  /// Records with every member set, and with none, in every shape the summary has.
  @Test func tasksWithEveryMember() {
    var full = TaskRecord(id: 2, tid: 1234, tgid: 1200, kind: .thread)
    full.formerTID = 99
    full.parentID = 1
    full.parentTID = 1200
    full.creation = CloneCall(
      syscall: .clone3, flags: [.vm, .fs, .files, .sighand, .thread, .sysvsem, .setTLS, .parentSetTID, .childClearTID],
      exitSignal: 0, tls: 0x7f00_0000_16c0, childTIDAddress: 0x7f00_0000_1990)
    full.stack = ThreadStack(
      base: 0x7f00_0000_0000, size: 8_388_608, guardSize: 4096, source: .mapping, reusedFromID: 1, reusedFromTID: 1201)
    full.stack?.runtimeGuardSize = 16384
    full.name = "worker \"1\"\n"
    full.nameSource = .commWrite
    full.comm = "worker"
    full.registrations.rseq = .init(address: 0x7f00_0000_2000, length: 32, signature: 0x5305_3053)
    full.registrations.robustList = .init(head: 0x7f00_0000_19a0, length: 24)
    full.registrations.signalStack = .init(base: 0xc0_0000_8000, size: 32768, guardSize: 4096, disabled: false)
    full.registrations.affinity = "0-3"
    full.execs = [
      .init(path: "/bin/true", arguments: ["true"], succeeded: false, errno: 2, time: nil),
      .init(path: nil, arguments: [], succeeded: true, errno: nil, time: nil),
    ]
    full.end = .killed(signal: 9, coreDumped: true)
    full.joinedBy = .init(tid: 1200, id: 1, how: .futexOnChildTID)
    full.createdByRuntime = RuntimeFingerprint(.jvm, evidence: ["a guard page"])
    full.syscallCount = 123_456_789_012
    full.cost = TaskCost(stops: 5, voluntarySwitches: 0, involuntarySwitches: 100_000_000)
    full.firstSeen = TraceTime(microseconds: 1_700_000_000_123_456)
    full.lastSeen = TraceTime(microseconds: -5)
    full.creatorStack = [
      StackFrame(pc: 0x7f00_0000_38d9, function: "clone3", offset: 25, module: "/lib/libc.so.6", moduleOffset: 0x10_98d9),
      StackFrame(pc: 0),
    ]
    var records = [TaskRecord(id: 1, tid: 1200, tgid: 1200, kind: .initial), full]
    let ends: [TaskRecord.End] = [
      .exited(code: 0, cause: .exit), .exited(code: 1, cause: .exitGroup), .exited(code: 0, cause: .groupExit(by: 7)),
      .exited(code: 0, cause: .execByOtherThread(by: 8)), .exited(code: -1, cause: .unknown),
      .supersededByExec(by: 9), .killed(signal: 77, coreDumped: false),
    ]
    for (index, end) in ends.enumerated() {
      var record = TaskRecord(id: 3 + index, tid: Int32(1300 + index), tgid: Int32(1300 + index), kind: .process)
      record.creation = CloneCall(
        syscall: [CloneCall.Syscall.fork, .vfork, .clone][index % 3], flags: index % 2 == 0 ? [] : [.vm, .vfork],
        exitSignal: ([17, 0, 40, 200] as [Int32])[index % 4])
      record.stack = ThreadStack(base: nil, size: nil, guardSize: nil, source: [ThreadStack.Source.cloneArguments, .unmapped][index % 2])
      record.nameSource = .prctl
      record.createdByRuntime = RuntimeFingerprint(RuntimeFingerprint.Runtime.allCases[index % 6], evidence: [])
      record.end = end
      record.joinedBy = .init(tid: 1200, id: 1, how: .wait)
      records.append(record)
    }
    let summary = SummaryJSON()
    for record in records.reversed() { summary.add(task: record) }
    var bytes: [UInt8] = []
    summary.finish(counts: Lifecycle.Counts(), source: .init(files: ["x"], format: "strace")) { bytes += $0 }
    let document = String(decoding: bytes, as: UTF8.self)
    let tasks = document.split(separator: "\n").drop { !$0.hasSuffix("\"tasks\": [") }.dropFirst().dropLast(2)
    #expect(Array(tasks) == expectedTasks.split(separator: "\n"))
  }

  private let expectedTasks = #"""
        {"id":1,"tid":1200,"tgid":1200,"parent":null,"parent_id":null,"kind":"initial","former_tid":null,"created_by":null,"clone_flags":[],"stack":null,"name":null,"name_source":null,"comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":null,"joined_by":null,"runtime":null,"syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null},
        {"id":2,"tid":1234,"tgid":1200,"parent":1200,"parent_id":1,"kind":"thread","former_tid":99,"created_by":"clone3","clone_flags":["CLONE_VM","CLONE_FS","CLONE_FILES","CLONE_SIGHAND","CLONE_THREAD","CLONE_SYSVSEM","CLONE_SETTLS","CLONE_PARENT_SETTID","CLONE_CHILD_CLEARTID"],"resources":{"address_space":"shared","file_descriptors":"shared","fs_info":"shared","signal_handlers":"shared","thread_group":"shared","sysv_sem_undo":"shared","namespaces":"shared","tls":"new","io_context":"new"},"exit_signal":null,"tls":"0x7f00000016c0","child_tid_address":"0x7f0000001990","stack":{"base":"0x7f0000000000","size":8388608,"guard_size":4096,"runtime_guard_size":16384,"source":"mapping","reused_from":1201},"name":"worker \"1\"\n","name_source":"comm_write","comm":"worker","rseq":{"address":"0x7f0000002000","length":32,"signature":"0x53053053"},"robust_list":{"head":"0x7f00000019a0","length":24},"sigaltstack":{"base":"0xc000008000","size":32768,"guard_size":4096,"disabled":false},"affinity":"0-3","execs":[{"path":"/bin/true","ok":false,"errno":"ENOENT"},{"path":null,"ok":true,"errno":null}],"exit":{"signal":"SIGKILL","signal_number":9,"core_dumped":true},"joined_by":{"tid":1200,"id":1,"how":"futex_child_tid"},"runtime":"jvm","syscalls":123456789012,"first_seen_us":1700000000123456,"last_seen_us":-5,"cost":{"stops":5,"voluntary_switches":0,"involuntary_switches":100000000},"creator_stack":[{"pc":"0x7f00000038d9","function":"clone3","offset":25,"module":"/lib/libc.so.6","module_offset":"0x1098d9"},{"pc":"0x0","function":null,"offset":null,"module":null,"module_offset":null}]},
        {"id":3,"tid":1300,"tgid":1300,"parent":null,"parent_id":null,"kind":"process","former_tid":null,"created_by":"fork","clone_flags":[],"resources":{"address_space":"copied","file_descriptors":"copied","fs_info":"copied","signal_handlers":"copied","thread_group":"new","sysv_sem_undo":"new","namespaces":"shared","tls":"copied","io_context":"new"},"exit_signal":"SIGCHLD","tls":null,"child_tid_address":null,"stack":{"base":null,"size":null,"guard_size":null,"runtime_guard_size":null,"source":"clone_arguments","reused_from":null},"name":null,"name_source":"prctl","comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":{"code":0,"cause":"exit"},"joined_by":{"tid":1200,"id":1,"how":"wait"},"runtime":"glibc","syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null},
        {"id":4,"tid":1301,"tgid":1301,"parent":null,"parent_id":null,"kind":"process","former_tid":null,"created_by":"vfork","clone_flags":["CLONE_VM","CLONE_VFORK"],"resources":{"address_space":"shared","file_descriptors":"copied","fs_info":"copied","signal_handlers":"copied","thread_group":"new","sysv_sem_undo":"new","namespaces":"shared","tls":"copied","io_context":"new"},"exit_signal":null,"tls":null,"child_tid_address":null,"stack":{"base":null,"size":null,"guard_size":null,"runtime_guard_size":null,"source":"unmapped","reused_from":null},"name":null,"name_source":"prctl","comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":{"code":1,"cause":"exit_group"},"joined_by":{"tid":1200,"id":1,"how":"wait"},"runtime":"rust-std","syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null},
        {"id":5,"tid":1302,"tgid":1302,"parent":null,"parent_id":null,"kind":"process","former_tid":null,"created_by":"clone","clone_flags":[],"resources":{"address_space":"copied","file_descriptors":"copied","fs_info":"copied","signal_handlers":"copied","thread_group":"new","sysv_sem_undo":"new","namespaces":"shared","tls":"copied","io_context":"new"},"exit_signal":"SIGRT_8","tls":null,"child_tid_address":null,"stack":{"base":null,"size":null,"guard_size":null,"runtime_guard_size":null,"source":"clone_arguments","reused_from":null},"name":null,"name_source":"prctl","comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":{"code":0,"cause":"exit_group_of_other_thread","by":7},"joined_by":{"tid":1200,"id":1,"how":"wait"},"runtime":"go","syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null},
        {"id":6,"tid":1303,"tgid":1303,"parent":null,"parent_id":null,"kind":"process","former_tid":null,"created_by":"fork","clone_flags":["CLONE_VM","CLONE_VFORK"],"resources":{"address_space":"shared","file_descriptors":"copied","fs_info":"copied","signal_handlers":"copied","thread_group":"new","sysv_sem_undo":"new","namespaces":"shared","tls":"copied","io_context":"new"},"exit_signal":"200","tls":null,"child_tid_address":null,"stack":{"base":null,"size":null,"guard_size":null,"runtime_guard_size":null,"source":"unmapped","reused_from":null},"name":null,"name_source":"prctl","comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":{"code":0,"cause":"execve_of_other_thread","by":8},"joined_by":{"tid":1200,"id":1,"how":"wait"},"runtime":"jvm","syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null},
        {"id":7,"tid":1304,"tgid":1304,"parent":null,"parent_id":null,"kind":"process","former_tid":null,"created_by":"vfork","clone_flags":[],"resources":{"address_space":"copied","file_descriptors":"copied","fs_info":"copied","signal_handlers":"copied","thread_group":"new","sysv_sem_undo":"new","namespaces":"shared","tls":"copied","io_context":"new"},"exit_signal":"SIGCHLD","tls":null,"child_tid_address":null,"stack":{"base":null,"size":null,"guard_size":null,"runtime_guard_size":null,"source":"clone_arguments","reused_from":null},"name":null,"name_source":"prctl","comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":{"code":-1,"cause":"unknown"},"joined_by":{"tid":1200,"id":1,"how":"wait"},"runtime":"cpython","syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null},
        {"id":8,"tid":1305,"tgid":1305,"parent":null,"parent_id":null,"kind":"process","former_tid":null,"created_by":"clone","clone_flags":["CLONE_VM","CLONE_VFORK"],"resources":{"address_space":"shared","file_descriptors":"copied","fs_info":"copied","signal_handlers":"copied","thread_group":"new","sysv_sem_undo":"new","namespaces":"shared","tls":"copied","io_context":"new"},"exit_signal":null,"tls":null,"child_tid_address":null,"stack":{"base":null,"size":null,"guard_size":null,"runtime_guard_size":null,"source":"unmapped","reused_from":null},"name":null,"name_source":"prctl","comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":{"superseded_by":9},"joined_by":{"tid":1200,"id":1,"how":"wait"},"runtime":"musl","syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null},
        {"id":9,"tid":1306,"tgid":1306,"parent":null,"parent_id":null,"kind":"process","former_tid":null,"created_by":"fork","clone_flags":[],"resources":{"address_space":"copied","file_descriptors":"copied","fs_info":"copied","signal_handlers":"copied","thread_group":"new","sysv_sem_undo":"new","namespaces":"shared","tls":"copied","io_context":"new"},"exit_signal":"SIGRT_8","tls":null,"child_tid_address":null,"stack":{"base":null,"size":null,"guard_size":null,"runtime_guard_size":null,"source":"clone_arguments","reused_from":null},"name":null,"name_source":"prctl","comm":null,"rseq":null,"robust_list":null,"sigaltstack":null,"affinity":null,"execs":[],"exit":{"signal":"77","signal_number":77,"core_dumped":false},"joined_by":{"tid":1200,"id":1,"how":"wait"},"runtime":"glibc","syscalls":0,"first_seen_us":null,"last_seen_us":null,"cost":null,"creator_stack":null}
    """#
}
