import CPtraceShim
import SyscallDecoding

/// The memory of one ptrace-stopped task. Only read while the task is in a ptrace-stop: reading a task that
/// runs an exec can block on the exec's locks (`cred_guard_mutex`), and a running task's memory may change
/// underneath.
struct LiveMemory: TraceeMemory {
  let tid: Int32

  func read(_ address: UInt64, count: Int) -> [UInt8]? {
    guard count > 0 else { return [] }
    var buffer = [UInt8](repeating: 0, count: count)
    let got = buffer.withUnsafeMutableBytes { cpt_read_memory(tid, address, $0.baseAddress!, count) }
    guard got > 0 else { return nil }
    if got < count { buffer.removeLast(count - got) }
    return buffer
  }
}
