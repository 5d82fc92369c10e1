import TraceModel

/// Names the code addresses of traced processes: address → mapping (/proc/PID/maps) → file and ELF address →
/// function (`ElfSymbols`). Everything is cached: each process's mappings until an address falls outside them
/// or the process execs, each file's symbols for the session, each (file, offset)'s answer.
final class Symbolizer {
  private struct Resolved {
    var function: String?
    var functionStart: UInt64
    var moduleOffset: UInt64?
  }

  private struct AddressKey: Hashable {
    var file: Int
    var fileOffset: UInt64
  }

  private var maps: [Int32: ProcessMaps] = [:]
  /// Files by `device:inode path`, as indexes into `files`.
  private var fileIndexes: [String: Int] = [:]
  private var files: [ElfSymbols?] = []
  private var resolved: [AddressKey: Resolved] = [:]
  private let debugRoot: String?

  /// Lookups answered from the caches, and ones that read a file or /proc; for tests and measurements.
  private(set) var cacheHits = 0
  private(set) var mapsReads = 0

  init(debugRoot: String? = "/usr/lib/debug") {
    self.debugRoot = debugRoot
  }

  /// The process `tgid` exec'd or ended: its mappings mean nothing any more.
  func forget(tgid: Int32) {
    maps[tgid] = nil
  }

  /// A frame for `pc` in process `tgid`. `refreshed` is set once /proc/PID/maps was read again during this
  /// stack, so a stack that leaves the known mappings several times reads it once.
  func frame(pc: UInt64, tgid: Int32, refreshed: inout Bool) -> StackFrame {
    var mapping = maps[tgid]?.mapping(containing: pc)
    if mapping == nil, !refreshed {
      refreshed = true
      mapsReads += 1
      if maps.count >= 256 { maps.removeAll(keepingCapacity: true) }
      maps[tgid] = ProcessMaps.read(pid: tgid)
      mapping = maps[tgid]?.mapping(containing: pc)
    }
    guard let mapping else { return StackFrame(pc: pc) }
    var frame = StackFrame(pc: pc, module: mapping.path)
    guard mapping.path.hasPrefix("/") else { return frame }
    let file = fileIndex(mapping)
    let fileOffset = pc - mapping.start + mapping.offset
    let key = AddressKey(file: file, fileOffset: fileOffset)
    let answer: Resolved
    if let known = resolved[key] {
      cacheHits += 1
      answer = known
    } else {
      answer = resolve(files[file], fileOffset: fileOffset)
      if resolved.count >= 1 << 16 { resolved.removeAll(keepingCapacity: true) }
      resolved[key] = answer
    }
    frame.moduleOffset = answer.moduleOffset ?? fileOffset
    if let function = answer.function {
      frame.function = function
      frame.offset = answer.moduleOffset.map { $0 - answer.functionStart }
    }
    return frame
  }

  private func fileIndex(_ mapping: ProcessMaps.Mapping) -> Int {
    let key = mapping.identity + " " + mapping.path
    if let index = fileIndexes[key] { return index }
    // A deleted or replaced file ("… (deleted)") cannot be opened by path: it stays nameless.
    files.append(ElfSymbols(path: mapping.path, debugRoot: debugRoot))
    fileIndexes[key] = files.count - 1
    return files.count - 1
  }

  private func resolve(_ symbols: ElfSymbols?, fileOffset: UInt64) -> Resolved {
    guard let symbols, let address = symbols.address(ofFileOffset: fileOffset) else {
      return Resolved(function: nil, functionStart: 0, moduleOffset: nil)
    }
    // A return address can be the first byte after a call to a function that does not return, which is the
    // next function's start; and at a syscall stop the IP is after the `syscall`. The byte before is always
    // inside the instruction that was running.
    guard address > 0, let found = symbols.function(containing: address - 1) else {
      return Resolved(function: nil, functionStart: 0, moduleOffset: address)
    }
    // Demangled once here, where the answer is cached, not at every frame.
    return Resolved(
      function: RustDemangler.demangle(found.name) ?? found.name, functionStart: found.start, moduleOffset: address)
  }
}
