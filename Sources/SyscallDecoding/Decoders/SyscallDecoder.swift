import TraceModel

/// Turns a syscall's raw register arguments (and the tracee's memory) into the same `Argument`s the strace text
/// reader makes of strace's line for that call, so the lifecycle model and the views (`CloneCall`, `MemoryCall`,
/// `FutexCall` …) read a live event exactly as they read a recorded one.
///
/// The shapes follow the reader: decimal numbers are `.integer`, what strace prints in hex (pointers, `rseq`'s
/// length and signature, non-zero mmap offsets) is `.address`, `NULL` is `.address(0)`, flag words are `.symbolic`
/// with the parts strace prints and the raw value, strings are `.string`, structures are `.structure` with
/// strace's field names. Anything unreadable stays an address: a decoder never fails.
public enum SyscallDecoder {
  /// strace's default `-s 32`: longer data strings are cut (and marked truncated).
  public static let dataStringLimit = 32
  /// Paths are read whole up to PATH_MAX.
  public static let pathLimit = 4096
  /// At most this many `execve` arguments are read (the rest are marked as elided).
  public static let argvLimit = 64
  /// O_CREAT (0o100) and __O_TMPFILE (0o20000000): the flags that make open/openat read their mode argument.
  static let openTakesMode: UInt64 = 0o100 | 0o2000_0000

  /// The call's name in `architecture`, or strace's `syscall_0x…` for a number no table knows.
  public static func name(of number: Int32, in architecture: Architecture) -> String {
    SyscallTable.name(of: number, in: architecture) ?? "syscall_0x" + String(number, radix: 16)
  }

  /// The arguments at syscall entry.
  public static func entry(
    name: String, architecture: Architecture, args raw: [UInt64], memory: some TraceeMemory
  ) -> [Argument] {
    // The engine always passes six: no padded copy then.
    let a = raw.count >= 6 ? raw : raw + [UInt64](repeating: 0, count: 6 - raw.count)
    if architecture == .i386 { return i386Entry(name: name, args: a.map { $0 & 0xffff_ffff }) }
    switch Call(name) {
    case .clone: return clone(flags: a[0], stack: a[1], parentTID: a[2], childTID: a[3], tls: a[4])
    case .clone3: return [Argument(cloneArgs(at: a[0], size: a[1], memory: memory)), Argument(int(a[1]))]
    case .noArguments: return []
    case .mmap:
      return [
        Argument(.address(a[0])), Argument(int(a[1])), Argument(prot(a[2])),
        Argument(Self.mmapFlagsMemo.value(a[3]) { flags(parts: MmapFlags.printedParts($0, style: .abbreviated), $0) }),
        Argument(int32(a[4])), Argument(a[5] == 0 ? .integer(0) : .address(a[5])),
      ]
    case .mprotect:
      return [
        Argument(.address(a[0])), Argument(int(a[1])), Argument(prot(a[2])),
      ]
    case .munmap: return [Argument(.address(a[0])), Argument(int(a[1]))]
    case .madvise:
      return [
        Argument(.address(a[0])), Argument(int(a[1])),
        Argument(Self.adviceMemo.value(a[2]) { flags(MadviseAdvice.render($0, style: .abbreviated), $0) }),
      ]
    case .futex: return futex(a, memory: memory)
    case .setRobustList: return [Argument(.address(a[0])), Argument(int(a[1]))]
    case .rseq:
      return [
        Argument(.address(a[0])), Argument(.address(a[1] & 0xffff_ffff)),
        Argument(
          Self.rseqFlagsMemo.value(a[2] & 0xffff_ffff) {
            flags($0, in: RseqFlags.table, unknownName: RseqFlags.unknownName)
          }),
        Argument(.address(a[3] & 0xffff_ffff)),
      ]
    case .sigaltstack: return [Argument(stackT(at: a[0], memory: memory)), Argument(.address(a[1]))]
    case .prctl: return prctl(a, memory: memory)
    case .setTIDAddress: return [Argument(.address(a[0]))]
    case .archPrctl:
      return [Argument(flags(ArchPrctlCode.render(a[0], style: .abbreviated), a[0])), Argument(.address(a[1]))]
    case .schedSetaffinity:
      return [Argument(int32(a[0])), Argument(int(a[1])), Argument(cpuSet(at: a[2], size: a[1], memory: memory))]
    case .execve:
      return [
        Argument(path(a[0], memory: memory)), Argument(argv(at: a[1], memory: memory)), Argument(.address(a[2])),
      ]
    case .execveat:
      return [
        Argument(directory(a[0])), Argument(path(a[1], memory: memory)), Argument(argv(at: a[2], memory: memory)),
        Argument(.address(a[3])), Argument(flags(AtFlags.render(a[4], style: .abbreviated), a[4])),
      ]
    case .openat:
      var arguments = [
        Argument(directory(a[0])), Argument(path(a[1], memory: memory)),
        Argument(flags(OpenFlags.render(a[2], style: .abbreviated), a[2])),
      ]
      if a[2] & Self.openTakesMode != 0 { arguments.append(Argument(int(a[3] & 0o7777))) }
      return arguments
    case .open:
      var arguments = [Argument(path(a[0], memory: memory)), Argument(flags(OpenFlags.render(a[1], style: .abbreviated), a[1]))]
      if a[1] & Self.openTakesMode != 0 { arguments.append(Argument(int(a[2] & 0o7777))) }
      return arguments
    case .write, .pwrite64:
      var arguments = [Argument(int32(a[0])), Argument(data(at: a[1], count: a[2], memory: memory)), Argument(int(a[2]))]
      if name == "pwrite64" { arguments.append(Argument(int(a[3]))) }
      return arguments
    case .close: return [Argument(int32(a[0]))]
    case .exit: return [Argument(int32(a[0]))]
    case .wait4:
      return [
        Argument(int32(a[0])), Argument(.address(a[1])),
        Argument(flags(WaitOptions.render(a[2], style: .abbreviated), a[2])), Argument(.address(a[3])),
      ]
    case .kill: return [Argument(int32(a[0])), Argument(signal(a[1]))]
    case .tgkill: return [Argument(int32(a[0])), Argument(int32(a[1])), Argument(signal(a[2]))]
    case .other: return generic(name: name, args: a)
    }
  }

  /// The x86_64 calls `entry` decodes, by decoder.
  enum Call {
    case clone, clone3, noArguments, mmap, mprotect, munmap, madvise, futex, setRobustList, rseq, sigaltstack, prctl
    case setTIDAddress, archPrctl, schedSetaffinity, execve, execveat, openat, open, write, pwrite64, close, exit
    case wait4, kill, tgkill, other

    /// By the name's length first, then one name at a time: a `switch` over all the names compared the name with
    /// each in turn, a runtime call per mismatch (measured: ~12 per call, a tenth of decoding a live call).
    init(_ name: String) {
      switch name.utf8.count {
      case 4:
        switch name {
        case "mmap": self = .mmap
        case "rseq": self = .rseq
        case "exit": self = .exit
        case "fork": self = .noArguments
        case "open": self = .open
        case "kill": self = .kill
        default: self = .other
        }
      case 5:
        switch name {
        case "futex": self = .futex
        case "clone": self = .clone
        case "prctl": self = .prctl
        case "write": self = .write
        case "close": self = .close
        case "wait4": self = .wait4
        case "tkill": self = .kill
        case "vfork", "pause": self = .noArguments
        default: self = .other
        }
      case 6:
        switch name {
        case "clone3": self = .clone3
        case "munmap": self = .munmap
        case "execve": self = .execve
        case "openat": self = .openat
        case "tgkill": self = .tgkill
        case "getpid", "gettid": self = .noArguments
        default: self = .other
        }
      case 7:
        switch name {
        case "madvise": self = .madvise
        case "getppid": self = .noArguments
        default: self = .other
        }
      case 8:
        switch name {
        case "mprotect": self = .mprotect
        case "execveat": self = .execveat
        case "pwrite64": self = .pwrite64
        default: self = .other
        }
      case 10:
        switch name {
        case "exit_group": self = .exit
        case "arch_prctl": self = .archPrctl
        default: self = .other
        }
      case 11:
        switch name {
        case "sigaltstack": self = .sigaltstack
        case "sched_yield": self = .noArguments
        default: self = .other
        }
      case 15:
        switch name {
        case "set_robust_list": self = .setRobustList
        case "set_tid_address": self = .setTIDAddress
        default: self = .other
        }
      case 17:
        self = name == "sched_setaffinity" ? .schedSetaffinity : .other
      default:
        self = .other
      }
    }
  }

  // Flag words that repeat from call to call, decoded once (see `ArgValueMemo`).
  static let cloneFlagsMemo = ArgValueMemo()
  static let clone3FlagsMemo = ArgValueMemo()
  static let mmapFlagsMemo = ArgValueMemo()
  static let protMemo = ArgValueMemo()
  static let adviceMemo = ArgValueMemo()
  static let rseqFlagsMemo = ArgValueMemo()
  static let signalMemo = ArgValueMemo()
  static let futexOperationMemo = ArgValueMemo()

  /// The arguments after the call returned: where the kernel wrote results back (`wait4`'s status,
  /// `PR_GET_NAME`'s name, `sigaltstack`'s old stack), the entry's arguments otherwise.
  public static func exit(
    name: String, architecture: Architecture, args raw: [UInt64], arguments: [Argument], result: SyscallResult,
    memory: some TraceeMemory
  ) -> [Argument] {
    guard architecture == .x86_64, result.isSuccess, raw.count >= 3 else { return arguments }
    var arguments = arguments
    switch name {
    case "wait4" where raw[1] != 0 && arguments.count > 1:
      if let bytes = memory.bytes(at: raw[1], count: 4) {
        let status = Int32(bitPattern: bytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) })
        arguments[1] = Argument(.array([.text(waitStatus(status))], truncated: false))
      }
    case "prctl" where raw[0] == 16 && arguments.count > 1:  // PR_GET_NAME
      if let name = memory.string(at: raw[1], limit: 16) { arguments[1] = Argument(.string(name)) }
    case "sigaltstack" where raw[1] != 0 && arguments.count > 1:
      arguments[1] = Argument(stackT(at: raw[1], memory: memory))
    default:
      break
    }
    return arguments
  }

  // MARK: Families

  static func clone(flags raw: UInt64, stack: UInt64, parentTID: UInt64, childTID: UInt64, tls: UInt64) -> [Argument] {
    let flags = raw & 0xffff_ffff
    var arguments = [
      Argument(name: "child_stack", .address(stack)),
      Argument(
        name: "flags",
        cloneFlagsMemo.value(flags) { self.flags(CloneFlags.render($0, style: .abbreviated, exitSignalInLowByte: true), $0) }),
    ]
    // strace prints the pointer arguments only when a flag makes the kernel use them.
    let set = CloneFlagSet(rawValue: flags)
    if set.contains(.parentSetTID) || set.contains(.pidfd) { arguments.append(Argument(name: "parent_tid", .address(parentTID))) }
    if set.contains(.setTLS) { arguments.append(Argument(name: "tls", .address(tls))) }
    if set.contains(.childSetTID) || set.contains(.childClearTID) {
      arguments.append(Argument(name: "child_tidptr", .address(childTID)))
    }
    return arguments
  }

  /// `struct clone_args` (include/uapi/linux/sched.h): 64 bytes in its first version, 88 since 5.5 (set_tid),
  /// 88 still with cgroup (5.7). Only the bytes `size` says are there are read; fields beyond are absent.
  static func cloneArgs(at address: UInt64, size: UInt64, memory: some TraceeMemory) -> ArgValue {
    let count = Int(min(size, 88)) / 8
    guard size >= 64, let fields = memory.words(at: address, count: count) else { return .address(address) }
    let flags = fields[0]
    let set = CloneFlagSet(rawValue: flags)
    var out: [Argument] = []
    // Eleven fields at most: one allocation, not one per doubling.
    out.reserveCapacity(11)
    out.append(
      Argument(
        name: "flags", clone3FlagsMemo.value(flags) { self.flags($0, in: CloneFlags.table, unknownName: CloneFlags.unknownName) }))
    if set.contains(.pidfd) { out.append(Argument(name: "pidfd", .address(fields[1]))) }
    if set.contains(.childSetTID) || set.contains(.childClearTID) { out.append(Argument(name: "child_tid", .address(fields[2]))) }
    if set.contains(.parentSetTID) { out.append(Argument(name: "parent_tid", .address(fields[3]))) }
    out.append(Argument(name: "exit_signal", signal(fields[4])))
    out.append(Argument(name: "stack", .address(fields[5])))
    out.append(Argument(name: "stack_size", fields[6] == 0 ? .integer(0) : .address(fields[6])))
    if set.contains(.setTLS) { out.append(Argument(name: "tls", .address(fields[7]))) }
    if count >= 10, fields[9] != 0 {
      out.append(Argument(name: "set_tid", .address(fields[8])))
      out.append(Argument(name: "set_tid_size", .integer(Int64(bitPattern: fields[9]))))
    }
    if count >= 11, set.contains(.intoCgroup) { out.append(Argument(name: "cgroup", .integer(Int64(bitPattern: fields[10])))) }
    return .structure(out)
  }

  /// strace's `do_futex`: which of val2/uaddr2/val3 are shown depends on the command.
  static func futex(_ a: [UInt64], memory: some TraceeMemory) -> [Argument] {
    let op = a[1] & 0xffff_ffff
    var arguments = [
      Argument(.address(a[0])),
      Argument(futexOperationMemo.value(op) { flags(FutexOperation.render($0, style: .abbreviated), $0) }),
      Argument(int32(a[2])),
    ]
    switch FutexCall.Command(rawValue: op & FutexOperation.commandMask) {
    case .wait?:
      arguments.append(Argument(timespec(at: a[3], memory: memory)))
    case .waitBitset?, .waitRequeuePI?:
      arguments.append(Argument(timespec(at: a[3], memory: memory)))
      arguments.append(Argument(bitset(a[5])))
    case .wakeBitset?:
      arguments.append(Argument(.address(a[3])))
      arguments.append(Argument(.address(a[4])))
      arguments.append(Argument(bitset(a[5])))
    case .requeue?:
      arguments.append(Argument(int32(a[3])))
      arguments.append(Argument(.address(a[4])))
    case .cmpRequeue?, .cmpRequeuePI?, .wakeOp?:
      arguments.append(Argument(int32(a[3])))
      arguments.append(Argument(.address(a[4])))
      arguments.append(Argument(.address(a[5] & 0xffff_ffff)))
    case .lockPI?, .lockPI2?:
      arguments.append(Argument(timespec(at: a[3], memory: memory)))
    case .wake?, .fd?, .unlockPI?, .trylockPI?, nil:
      break
    }
    return arguments
  }

  static func prctl(_ a: [UInt64], memory: some TraceeMemory) -> [Argument] {
    let option = a[0] & 0xffff_ffff
    let first = Argument(flags(PrctlOption.render(option, style: .abbreviated), option))
    switch option {
    case 15:  // PR_SET_NAME: the kernel copies at most TASK_COMM_LEN (16) bytes.
      return [first, Argument(memory.string(at: a[1], limit: 16).map(ArgValue.string) ?? .address(a[1]))]
    case 16:  // PR_GET_NAME: filled in at exit.
      return [first, Argument(.address(a[1]))]
    default:
      return [first] + a[1...4].map { Argument(hexOrZero($0)) }
    }
  }

  /// `stack_t` (include/uapi/asm-generic/signal.h): `ss_sp`, `ss_flags` (int, padded), `ss_size`.
  static func stackT(at address: UInt64, memory: some TraceeMemory) -> ArgValue {
    guard address != 0 else { return .address(0) }
    guard let words = memory.words(at: address, count: 3) else { return .address(address) }
    let flags = words[1] & 0xffff_ffff
    return .structure([
      Argument(name: "ss_sp", .address(words[0])),
      Argument(name: "ss_flags", self.flags(SigaltstackFlags.render(flags, style: .abbreviated), flags)),
      Argument(name: "ss_size", int(words[2])),
    ])
  }

  static func timespec(at address: UInt64, memory: some TraceeMemory) -> ArgValue {
    guard address != 0 else { return .address(0) }
    guard let words = memory.words(at: address, count: 2) else { return .address(address) }
    return .structure([
      Argument(name: "tv_sec", .integer(Int64(bitPattern: words[0]))),
      Argument(name: "tv_nsec", .integer(Int64(bitPattern: words[1]))),
    ])
  }

  static func cpuSet(at address: UInt64, size: UInt64, memory: some TraceeMemory) -> ArgValue {
    let count = Int(min(size, 128))
    guard count > 0, let bytes = memory.bytes(at: address, count: count) else { return .address(address) }
    var cpus: [ArgValue] = []
    for (index, byte) in bytes.enumerated() where byte != 0 {
      for bit in 0..<8 where byte & (1 << bit) != 0 { cpus.append(.integer(Int64(index * 8 + bit))) }
    }
    return .array(cpus, truncated: false)
  }

  static func path(_ address: UInt64, memory: some TraceeMemory) -> ArgValue {
    guard address != 0 else { return .address(0) }
    return memory.string(at: address, limit: pathLimit).map(ArgValue.string) ?? .address(address)
  }

  static func data(at address: UInt64, count: UInt64, memory: some TraceeMemory) -> ArgValue {
    guard address != 0 else { return .address(0) }
    let want = Int(min(count, UInt64(dataStringLimit)))
    guard let bytes = memory.read(address, count: want), bytes.count == want else { return .address(address) }
    return .string(StringValue(bytes: bytes, truncated: count > UInt64(want)))
  }

  /// `argv`: a NULL-terminated array of string pointers.
  static func argv(at address: UInt64, memory: some TraceeMemory) -> ArgValue {
    guard address != 0 else { return .address(0) }
    var values: [ArgValue] = []
    var next = address
    while values.count < argvLimit {
      guard let pointer = memory.words(at: next, count: 1)?[0] else {
        return values.isEmpty ? .address(address) : .array(values, truncated: true)
      }
      if pointer == 0 { return .array(values, truncated: false) }
      values.append(memory.string(at: pointer, limit: dataStringLimit).map(ArgValue.string) ?? .address(pointer))
      next &+= 8
    }
    return .array(values, truncated: true)
  }

  static func i386Entry(name: String, args a: [UInt64]) -> [Argument] {
    switch name {
    // i386 clone's order differs from x86_64's: flags, stack, parent_tid, tls, child_tid.
    case "clone": return clone(flags: a[0], stack: a[1], parentTID: a[2], childTID: a[4], tls: a[3])
    case "exit", "exit_group": return [Argument(int32(a[0]))]
    case "fork", "vfork", "getpid": return []
    default: return generic(name: name, args: a)
    }
  }

  /// A call with no decoder: its raw arguments, small numbers in decimal and the rest in hex, as many as the
  /// call takes when `SyscallArity` knows it.
  static func generic(name: String, args: [UInt64]) -> [Argument] {
    let count = SyscallArity.count(of: name) ?? 6
    return args.prefix(count).map { Argument(hexOrSmall($0)) }
  }

  // MARK: Values

  /// A flag word as the reader makes of strace's text: a bare number when strace prints one, else the parts.
  static func flags(_ rendered: String, _ raw: UInt64) -> ArgValue {
    guard let first = rendered.utf8.first else { return .integer(Int64(bitPattern: raw)) }
    if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") || first == UInt8(ascii: "-") {
      return raw == 0 || !rendered.hasPrefix("0x") ? .integer(Int64(bitPattern: raw)) : .address(raw)
    }
    return .symbolic(Symbolic(parts: parts(of: rendered), raw: raw))
  }

  /// `flags(render(raw, style: .abbreviated), raw)` for a table printed by `StraceXlat.flags`, from its parts.
  static func flags(_ raw: UInt64, in table: FlagTable, unknownName: String?) -> ArgValue {
    flags(parts: StraceXlat.abbreviatedParts(raw, in: table, unknownName: unknownName), raw)
  }

  /// `flags(parts.joined(separator: "|"), raw)` without the joined text, for parts none of which is empty or
  /// holds a `|` (so splitting the joined text gives them back).
  static func flags(parts: [String], _ raw: UInt64) -> ArgValue {
    guard let first = parts.first?.utf8.first else { return .integer(Int64(bitPattern: raw)) }
    if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") || first == UInt8(ascii: "-") {
      return raw == 0 || !parts[0].hasPrefix("0x") ? .integer(Int64(bitPattern: raw)) : .address(raw)
    }
    return .symbolic(Symbolic(parts: parts, raw: raw))
  }

  /// mmap's and mprotect's `prot`.
  static func prot(_ raw: UInt64) -> ArgValue {
    protMemo.value(raw) { flags($0, in: MmapProt.table, unknownName: MmapProt.unknownName) }
  }

  /// `rendered.split(separator: "|").map(String.init)`, over the bytes: splitting by `Character` was most of
  /// decoding a live call's flags. Names are ASCII, so a byte `|` is the separator a `Character` split finds.
  static func parts(of rendered: String) -> [String] {
    if !rendered.utf8.contains(UInt8(ascii: "|")) { return rendered.isEmpty ? [] : [rendered] }
    var rendered = rendered
    return rendered.withUTF8 { utf8 in
      var parts: [String] = []
      var start = 0
      for index in 0...utf8.count where index == utf8.count || utf8[index] == UInt8(ascii: "|") {
        if index > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<index]), as: UTF8.self)) }
        start = index + 1
      }
      return parts
    }
  }

  static func signal(_ raw: UInt64) -> ArgValue {
    signalMemo.value(raw) { raw in
      let number = Int32(truncatingIfNeeded: raw)
      return flags(Signals.render(number, style: .abbreviated), UInt64(bitPattern: Int64(number)))
    }
  }

  static func bitset(_ raw: UInt64) -> ArgValue {
    let value = raw & 0xffff_ffff
    if let name = FutexOperation.bitsetTable.name(of: value) { return .symbolic(Symbolic(parts: [name], raw: value)) }
    return .address(value)
  }

  static func directory(_ raw: UInt64) -> ArgValue {
    let fd = Int32(truncatingIfNeeded: raw)
    if fd == AtFlags.fdcwd { return .symbolic(Symbolic(parts: ["AT_FDCWD"], raw: UInt64(bitPattern: Int64(fd)))) }
    return .integer(Int64(fd))
  }

  static func int(_ raw: UInt64) -> ArgValue { .integer(Int64(bitPattern: raw)) }
  static func int32(_ raw: UInt64) -> ArgValue { .integer(Int64(Int32(truncatingIfNeeded: raw))) }
  static func hexOrZero(_ raw: UInt64) -> ArgValue { raw == 0 ? .integer(0) : .address(raw) }
  static func hexOrSmall(_ raw: UInt64) -> ArgValue {
    let signed = Int64(bitPattern: raw)
    return signed > -4096 && signed < 0x10000 ? .integer(signed) : .address(raw)
  }

  /// A wait status as strace prints it (`printstatus`).
  public static func waitStatus(_ status: Int32) -> String {
    if status & 0x7f == 0 { return "{WIFEXITED(s) && WEXITSTATUS(s) == \((status >> 8) & 0xff)}" }
    if status & 0xff == 0x7f { return "{WIFSTOPPED(s) && WSTOPSIG(s) == \(Signals.render((status >> 8) & 0xff, style: .abbreviated))}" }
    let signal = Signals.render(status & 0x7f, style: .abbreviated)
    return "{WIFSIGNALED(s) && WTERMSIG(s) == \(signal)\(status & 0x80 != 0 ? " && WCOREDUMP(s)" : "")}"
  }
}
