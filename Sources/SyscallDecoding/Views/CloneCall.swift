import TraceModel

/// The clone flags the lifecycle model reasons about, with the kernel's values (include/uapi/linux/sched.h).
/// `CloneFlags.table` holds every flag for printing; a test checks these agree with it.
public struct CloneFlagSet: OptionSet, Hashable, Sendable {
  public let rawValue: UInt64
  public init(rawValue: UInt64) { self.rawValue = rawValue }

  public static let newTime = CloneFlagSet(rawValue: 0x0000_0080)
  public static let vm = CloneFlagSet(rawValue: 0x0000_0100)
  public static let fs = CloneFlagSet(rawValue: 0x0000_0200)
  public static let files = CloneFlagSet(rawValue: 0x0000_0400)
  public static let sighand = CloneFlagSet(rawValue: 0x0000_0800)
  public static let pidfd = CloneFlagSet(rawValue: 0x0000_1000)
  public static let ptrace = CloneFlagSet(rawValue: 0x0000_2000)
  public static let vfork = CloneFlagSet(rawValue: 0x0000_4000)
  public static let parent = CloneFlagSet(rawValue: 0x0000_8000)
  public static let thread = CloneFlagSet(rawValue: 0x0001_0000)
  public static let newNS = CloneFlagSet(rawValue: 0x0002_0000)
  public static let sysvsem = CloneFlagSet(rawValue: 0x0004_0000)
  public static let setTLS = CloneFlagSet(rawValue: 0x0008_0000)
  public static let parentSetTID = CloneFlagSet(rawValue: 0x0010_0000)
  public static let childClearTID = CloneFlagSet(rawValue: 0x0020_0000)
  public static let untraced = CloneFlagSet(rawValue: 0x0080_0000)
  public static let childSetTID = CloneFlagSet(rawValue: 0x0100_0000)
  public static let newCgroup = CloneFlagSet(rawValue: 0x0200_0000)
  public static let newUTS = CloneFlagSet(rawValue: 0x0400_0000)
  public static let newIPC = CloneFlagSet(rawValue: 0x0800_0000)
  public static let newUser = CloneFlagSet(rawValue: 0x1000_0000)
  public static let newPID = CloneFlagSet(rawValue: 0x2000_0000)
  public static let newNet = CloneFlagSet(rawValue: 0x4000_0000)
  public static let io = CloneFlagSet(rawValue: 0x8000_0000)
  public static let clearSighand = CloneFlagSet(rawValue: 0x1_0000_0000)
  public static let intoCgroup = CloneFlagSet(rawValue: 0x2_0000_0000)
}

/// A task-creating call — `clone`, `clone3`, `fork` or `vfork` — with its arguments in one shape.
public struct CloneCall: Hashable, Sendable {
  public enum Syscall: String, Hashable, Sendable { case clone, clone3, fork, vfork }

  public var syscall: Syscall
  /// The flags without the exit signal (clone's low byte).
  public var flags: CloneFlagSet
  /// The signal sent to the parent when the child ends (0: none, as for threads).
  public var exitSignal: Int32
  /// clone3: the lowest address of the stack area; clone: the initial stack pointer (the top). nil/0: none
  /// (the child runs on a copy of the parent's stack, as after fork).
  public var stack: UInt64?
  /// clone3 only: the stack area's size.
  public var stackSize: UInt64?
  public var tls: UInt64?
  /// Where the kernel stores the child's tid and, with `CLONE_CHILD_CLEARTID`, clears it at exit and wakes it.
  public var childTIDAddress: UInt64?
  public var parentTIDAddress: UInt64?
  /// The new task's id as returned to the parent, when the call succeeded.
  public var newTID: Int32?

  /// Reads a creation call from an event; nil if the event is not one.
  public init?(_ event: borrowing SyscallEvent) {
    // A `switch` compares the name with each literal directly; `Syscall(rawValue:)` goes through the
    // standard library's generic string-switch lookup, slower for every call the fold reads.
    switch event.name {
    case "clone": syscall = .clone
    case "clone3": syscall = .clone3
    case "fork": syscall = .fork
    case "vfork": syscall = .vfork
    default: return nil
    }
    arguments: switch syscall {
    case .fork:
      flags = []
      exitSignal = 17  // SIGCHLD: fork() is clone(SIGCHLD)
    case .vfork:
      flags = [.vm, .vfork]
      exitSignal = 17
    case .clone:
      // x86_64 order: flags, stack, parent_tid, child_tid, tls; strace names them (child_stack= first).
      let raw = event.argument(named: "flags", at: 0)?.unsignedValue ?? 0
      flags = CloneFlagSet(rawValue: raw & ~0xff)
      exitSignal = Int32(raw & 0xff)
      stack = event.argument(named: "child_stack", at: 1)?.unsignedValue ?? event.argument(named: "stack")?.unsignedValue
      parentTIDAddress = Self.address(event.argument(named: "parent_tid", at: 2))
      childTIDAddress = Self.address(event.argument(named: "child_tidptr", at: 3))
      tls = event.argument(named: "tls", at: 4)?.unsignedValue
    case .clone3:
      let args = event.argument(at: 0)
      // strace prints a successful clone3's argument as changed (`{flags=…} => {parent_tid=[…]}`): a field is
      // the exit side's, else the entry side's, as `field` finds it.
      let sides: (exit: [Argument], entry: [Argument]?)
      switch args {
      case .structure(let fields)?: sides = (fields, nil)
      case .changed(.structure(let from), .structure(let to))?: sides = (to, from)
      default:
        // Unread (an address), or a shape `field` has its own rules for: each field as `field` finds it.
        let raw = args?.field("flags")?.unsignedValue ?? 0
        flags = CloneFlagSet(rawValue: raw)
        exitSignal = Int32(truncatingIfNeeded: args?.field("exit_signal")?.unsignedValue ?? 0)
        stack = args?.field("stack")?.unsignedValue
        stackSize = args?.field("stack_size")?.unsignedValue
        tls = args?.field("tls")?.unsignedValue
        childTIDAddress = Self.address(args?.field("child_tid"))
        parentTIDAddress = Self.address(args?.field("parent_tid"))
        break arguments
      }
      // One pass over the fields of each side, the first of each name counting (as `field` finds it): seven
      // look-ups, each scanning and copying, were a visible part of reading every clone3, which the fold and a
      // rule both do.
      var seen: UInt8 = 0
      var raw: UInt64?
      var signal: UInt64?
      flags = []
      exitSignal = 0
      sides.exit.withUnsafeBufferPointer { readClone3Fields($0, seen: &seen, flags: &raw, exitSignal: &signal) }
      sides.entry?.withUnsafeBufferPointer { readClone3Fields($0, seen: &seen, flags: &raw, exitSignal: &signal) }
      flags = CloneFlagSet(rawValue: raw ?? 0)
      exitSignal = Int32(truncatingIfNeeded: signal ?? 0)
    }
    if case .success(let value, _)? = event.result, value > 0 { newTID = Int32(truncatingIfNeeded: value) }
  }

  public init(
    syscall: Syscall, flags: CloneFlagSet, exitSignal: Int32, stack: UInt64? = nil, stackSize: UInt64? = nil,
    tls: UInt64? = nil, childTIDAddress: UInt64? = nil, parentTIDAddress: UInt64? = nil, newTID: Int32? = nil
  ) {
    self.syscall = syscall
    self.flags = flags
    self.exitSignal = exitSignal
    self.stack = stack
    self.stackSize = stackSize
    self.tls = tls
    self.childTIDAddress = childTIDAddress
    self.parentTIDAddress = parentTIDAddress
    self.newTID = newTID
  }

  /// All flag bits including the exit signal, as `clone(2)` takes them.
  public var rawFlags: UInt64 { flags.rawValue | (syscall == .clone3 ? 0 : UInt64(exitSignal) & 0xff) }

  /// clone3's fields of one side of its argument, the first of each name counting (`seen`: the names found, a
  /// bit each). A method with its state passed in, not a local function over captured locals: those were boxed
  /// and every change checked for exclusive access at run time.
  private mutating func readClone3Fields(
    _ fields: UnsafeBufferPointer<Argument>, seen: inout UInt8, flags: inout UInt64?, exitSignal: inout UInt64?
  ) {
    for index in fields.indices {
      guard let name = fields[index].name else { continue }
      let bit = Self.clone3FieldBit(name)
      guard bit != 0, seen & bit == 0 else { continue }
      seen |= bit
      // (Each value read in place: a copy of the flags, a symbolic value, retains its parts.)
      switch bit {
      case 1: flags = fields[index].value.unsignedValue
      case 2: exitSignal = fields[index].value.unsignedValue
      case 4: stack = fields[index].value.unsignedValue
      case 8: stackSize = fields[index].value.unsignedValue
      case 16: tls = fields[index].value.unsignedValue
      case 32: childTIDAddress = Self.address(fields[index].value)
      default: parentTIDAddress = Self.address(fields[index].value)
      }
    }
  }

  /// The bit of a clone3 field the view reads, 0 for others. By length first, so that a field costs one
  /// comparison of names: a `switch` over the seven compared a name with each in turn, a runtime call per
  /// mismatch.
  private static func clone3FieldBit(_ name: String) -> UInt8 {
    switch name.utf8.count {
    case 3: return name == "tls" ? 16 : 0
    case 5: return name == "flags" ? 1 : name == "stack" ? 4 : 0
    case 9: return name == "child_tid" ? 32 : 0
    case 10: return name == "stack_size" ? 8 : name == "parent_tid" ? 64 : 0
    case 11: return name == "exit_signal" ? 2 : 0
    default: return 0
    }
  }

  /// A pointer argument as an address: strace prints `parent_tid` as `[123]` at exit (the value written), in
  /// which case the address itself is not shown.
  private static func address(_ value: ArgValue?) -> UInt64? {
    guard let value else { return nil }
    switch value {
    case .address(let address): return address
    case .integer(let value): return UInt64(bitPattern: value)
    case .changed(let from, _): return address(from)
    default: return nil
    }
  }

  /// What the new task is, from the flags.
  public var createsThread: Bool { flags.contains(.thread) }
  public var isVfork: Bool { flags.contains(.vfork) }
}
