import ArgumentParser
import TraceEngine

/// `trace -e`/`--syscalls LIST`: syscall names separated by commas, strace's `trace=` prefix allowed, and a few
/// groups. Every name must be one the kernel has (libseccomp's tables): a misspelt name would otherwise
/// silently trace nothing.
enum SyscallSet {
  static let groups: [String: [String]] = [
    "%lifecycle": SeccompFilter.lifecycleCalls + ["exit", "futex", "write"],
    "%process": [
      "clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "kill",
      "tkill", "tgkill",
    ],
    "%memory": ["mmap", "mprotect", "munmap", "madvise", "mremap", "brk"],
  ]

  static func parse(_ text: String) throws -> Set<String> {
    let list = text.hasPrefix("trace=") ? text.dropFirst("trace=".count) : Substring(text)
    var names = Set<String>()
    for item in list.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where !item.isEmpty {
      if let group = groups[item] {
        names.formUnion(group)
      } else if item.hasPrefix("%") {
        throw ValidationError("unknown syscall group \(item) (known: \(groups.keys.sorted().joined(separator: ", ")))")
      } else if SeccompSyscalls.number(of: item, in: .x86_64) != nil || SeccompSyscalls.number(of: item, in: .i386) != nil {
        names.insert(item)
      } else {
        throw ValidationError("unknown syscall \"\(item)\" in --syscalls")
      }
    }
    if names.isEmpty { throw ValidationError("--syscalls needs at least one syscall") }
    return names
  }
}
