import CLibunwindPtrace
import CPtraceShim

/// Walks a ptrace-stopped task's user stack with libunwind-ptrace, giving the return addresses only (naming
/// them is `Symbolizer`'s job: libunwind's names are wrong wherever a library lacks `.symtab`).
///
/// One libunwind address space per process, kept across unwinds: with its global cache, libunwind parses a
/// code address's unwind info once rather than at every clone from the same place. Processes are few (a fork
/// shares its parent's code, and is unwound under its own tgid anyway); an exec throws its space away.
final class Unwinder {
  struct Result {
    /// Innermost first.
    var pcs: [UInt64]
    /// `pcs[0]` had no unwind info (glibc's `__clone3` and `__clone` at their `syscall`): the rest starts from
    /// the return address on top of the stack.
    var firstSynthesized: Bool
    /// The libunwind error (-UNW_*) that ended the walk early, or nil when it reached the outermost frame or the
    /// depth.
    var error: Int32?
  }

  private var spaces: [Int32: unw_addr_space_t] = [:]
  /// Per process, whether unwind info covers an IP where a stack began. Asking libunwind costs a read of
  /// /proc/PID/maps and an open and mmap of the ELF file each time (its caches skip that only for `unw_step`),
  /// and a program creates its threads from a handful of places.
  private var covered: [Int32: [UInt64: Bool]] = [:]
  private let accessors = cpt_unwind_accessors()
  private static let maximumSpaces = 64

  deinit {
    for space in spaces.values { cunw_destroy_addr_space(space) }
  }

  /// The process `tgid` exec'd (or ended): its cached unwind info describes code that is gone.
  func forget(tgid: Int32) {
    if let space = spaces.removeValue(forKey: tgid) { cunw_destroy_addr_space(space) }
    covered[tgid] = nil
  }

  /// Up to `depth` return addresses of `tid`, which must be in a ptrace-stop.
  func unwind(tid: Int32, tgid: Int32, depth: Int) -> Result {
    var result = Result(pcs: [], firstSynthesized: false, error: nil)
    guard depth > 0, let space = space(for: tgid) else { return result }
    guard let handle = _UPT_create(tid) else { return result }
    _ = cpt_unwind_begin(handle, tid)
    defer {
      cpt_unwind_end()
      _UPT_destroy(handle)
    }
    var cursor = unw_cursor_t()
    var status = cunw_init_remote(&cursor, space, handle)
    var ip: unw_word_t = 0
    var sp: unw_word_t = 0
    guard status >= 0, cunw_get_ip(&cursor, &ip) >= 0, cunw_get_sp(&cursor, &sp) >= 0 else {
      result.error = status < 0 ? status : nil
      return result
    }
    result.pcs.append(ip)
    var stepped = false
    if hasUnwindInfo(&cursor, ip: ip, tgid: tgid) {
      status = cunw_step(&cursor)
      stepped = status > 0
    }
    if !stepped {
      // A leaf at a syscall that its unwind info does not describe. glibc's __clone3 and __clone end their CFI
      // just before the `syscall` and push nothing: the caller's IP is at [rsp], its SP just above. Go's
      // syscall.rawVforkSyscall pops its return address into R12 for the vfork (the child must not write the
      // shared stack): the caller's IP is R12 and its SP is rsp. Either is taken only if it follows a call
      // instruction: a stack made from a data word would name functions that never ran.
      guard depth > 1, let caller = callerOfLeaf(tid: tid, sp: sp) else {
        result.error = status < 0 ? status : nil
        return result
      }
      cpt_unwind_start_at(caller.ip, caller.sp)
      result.firstSynthesized = true
      status = cunw_init_remote(&cursor, space, handle)
      guard status >= 0 else {
        result.error = status
        return result
      }
    }
    while result.pcs.count < depth {
      guard cunw_get_ip(&cursor, &ip) >= 0, ip != 0 else { break }
      result.pcs.append(ip)
      status = cunw_step(&cursor)
      if status <= 0 {
        result.error = status < 0 ? status : nil
        break
      }
    }
    return result
  }

  /// The caller of a leaf stopped at a syscall, when its frame can be read without unwind info.
  private func callerOfLeaf(tid: Int32, sp: UInt64) -> (ip: UInt64, sp: UInt64)? {
    func isReturnAddress(_ address: UInt64) -> Bool {
      var before = [UInt8](repeating: 0, count: 7)
      return address > 7 && cpt_read_memory(tid, address - 7, &before, 7) == 7 && Self.followsCall(before)
    }
    var top: UInt64 = 0
    if cpt_read_memory(tid, sp, &top, 8) == 8, isReturnAddress(top) { return (top, sp + 8) }
    let r12 = cpt_unwind_r12()
    if isReturnAddress(r12) { return (r12, sp) }
    return nil
  }

  /// Whether the 7 bytes before a return address end with an x86-64 call: `e8 rel32`, or `ff /2` (an indirect
  /// call through a register or memory, 2 to 7 bytes, after an optional REX prefix).
  static func followsCall(_ before: [UInt8]) -> Bool {
    guard before.count == 7 else { return false }
    if before[2] == 0xE8 { return true }
    for length in [2, 3, 4, 6, 7] {
      let start = 7 - length
      if before[start] == 0xFF && (before[start + 1] >> 3) & 7 == 2 { return true }
    }
    return false
  }

  private func hasUnwindInfo(_ cursor: inout unw_cursor_t, ip: UInt64, tgid: Int32) -> Bool {
    if let known = covered[tgid]?[ip] { return known }
    let answer = cunw_has_unwind_info(&cursor)
    // An error is not an answer: ask again next time, and meanwhile trust libunwind's own walk.
    guard answer >= 0 else { return true }
    if covered[tgid, default: [:]].count >= 4096 { covered[tgid] = [:] }
    covered[tgid, default: [:]][ip] = answer == 1
    return answer == 1
  }

  private func space(for tgid: Int32) -> unw_addr_space_t? {
    if let space = spaces[tgid] { return space }
    if spaces.count >= Self.maximumSpaces, let victim = spaces.keys.first { forget(tgid: victim) }
    guard let space = cunw_create_addr_space_with(accessors) else { return nil }
    spaces[tgid] = space
    return space
  }
}
