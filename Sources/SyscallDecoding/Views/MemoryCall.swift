import TraceModel

/// Protection bits (include/uapi/asm-generic/mman-common.h).
public struct MemoryProtection: OptionSet, Hashable, Sendable {
  public let rawValue: UInt64
  public init(rawValue: UInt64) { self.rawValue = rawValue }
  public static let read = MemoryProtection(rawValue: 0x1)
  public static let write = MemoryProtection(rawValue: 0x2)
  public static let exec = MemoryProtection(rawValue: 0x4)
  /// `PROT_NONE`: any access faults. A guard page is a `PROT_NONE` range.
  public static let none: MemoryProtection = []
}

/// mmap flags the lifecycle model looks at (include/uapi/linux/mman.h, asm-generic/mman*.h, x86).
public struct MappingFlags: OptionSet, Hashable, Sendable {
  public let rawValue: UInt64
  public init(rawValue: UInt64) { self.rawValue = rawValue }
  public static let shared = MappingFlags(rawValue: 0x01)
  public static let `private` = MappingFlags(rawValue: 0x02)
  public static let fixed = MappingFlags(rawValue: 0x10)
  public static let anonymous = MappingFlags(rawValue: 0x20)
  public static let growsDown = MappingFlags(rawValue: 0x0100)
  public static let noReserve = MappingFlags(rawValue: 0x4000)
  /// `MAP_STACK`: a hint that the mapping is a stack (glibc and most runtimes set it for thread stacks).
  public static let stack = MappingFlags(rawValue: 0x20000)
}

/// A memory-mapping call that shapes the address space: `mmap`, `mprotect`, `munmap`, `madvise`.
public enum MemoryCall: Hashable, Sendable {
  /// `mmap` of `length` bytes; `address` is where the kernel put it (nil if the call failed or was not seen).
  case map(address: UInt64?, length: UInt64, protection: MemoryProtection, flags: MappingFlags, fd: Int64)
  case protect(address: UInt64, length: UInt64, protection: MemoryProtection)
  case unmap(address: UInt64, length: UInt64)
  case advise(address: UInt64, length: UInt64, advice: UInt64)

  public init?(_ event: borrowing SyscallEvent) {
    // The six names differ in length: one comparison of names for a call, where a `switch` over them compared
    // the name with each in turn, a runtime call per mismatch.
    let name = event.name
    let kind: Kind
    switch name.utf8.count {
    case 4: kind = name == "mmap" ? .map : .other
    case 5: kind = name == "mmap2" ? .map : .other
    case 6: kind = name == "munmap" ? .unmap : .other
    case 7: kind = name == "madvise" ? .advise : .other
    case 8: kind = name == "mprotect" ? .protect : .other
    case 13: kind = name == "pkey_mprotect" ? .protect : .other
    default: kind = .other
    }
    // The arguments are read in place (`withArguments`): a copy of each value costs reference counting.
    let call: MemoryCall? = event.withArguments { arguments in
      switch kind {
      case .map:
        guard let length = arguments.unsigned(at: 1) else { return nil }
        let protection = MemoryProtection(rawValue: arguments.unsigned(at: 2) ?? 0)
        // `bits` reads the value's number first: only a constant the tables do not know needs the copy.
        let flags = MappingFlags(
          rawValue: arguments.unsigned(at: 3) ?? Self.bits(arguments.value(at: 3), known: Self.namedMappingFlags))
        let fd = arguments.signed(at: 4) ?? -1
        let address = event.result?.value.map { UInt64(bitPattern: $0) }
        return .map(address: address, length: length, protection: protection, flags: flags, fd: fd)
      case .protect:
        guard let address = arguments.unsigned(at: 0), let length = arguments.unsigned(at: 1) else { return nil }
        let protection = MemoryProtection(rawValue: arguments.unsigned(at: 2) ?? 0)
        return .protect(address: address, length: length, protection: protection)
      case .unmap:
        guard let address = arguments.unsigned(at: 0), let length = arguments.unsigned(at: 1) else { return nil }
        return .unmap(address: address, length: length)
      case .advise:
        guard let address = arguments.unsigned(at: 0), let length = arguments.unsigned(at: 1),
          let advice = arguments.unsigned(at: 2)
        else { return nil }
        return .advise(address: address, length: length, advice: advice)
      case .other:
        return nil
      }
    }
    guard let call else { return nil }
    self = call
  }

  private enum Kind { case map, protect, unmap, advise, other }

  /// Made once: a dictionary literal at the call site is built (allocated and hashed) for every `mmap`.
  static let namedMappingFlags: [String: UInt64] = ["MAP_STACK": 0x20000]

  /// The bits of a flag argument; when a part is a name the tables do not know, keep the bits we can name.
  static func bits(_ value: ArgValue?, known: [String: UInt64]) -> UInt64 {
    guard let value else { return 0 }
    if let raw = value.unsignedValue { return raw }
    if case .symbolic(let symbolic) = value {
      return symbolic.parts.reduce(0) { $0 | (known[$1] ?? 0) }
    }
    return 0
  }
}

/// `madvise` advice values the lifecycle model names (include/uapi/asm-generic/mman-common.h).
public enum Advice {
  public static let dontNeed: UInt64 = 4
  public static let free: UInt64 = 8
  public static let guardInstall: UInt64 = 102
}
