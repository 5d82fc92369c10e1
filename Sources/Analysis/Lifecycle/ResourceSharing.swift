import SyscallDecoding

/// What a new task shares with its creator, gets a copy of, or gets fresh — decided by the clone flags, by the
/// kernel's `copy_process()` (kernel/fork.c): each `copy_*` helper shares the resource when its flag is set and
/// duplicates it otherwise.
public struct ResourceSharing: Hashable, Sendable {
  public enum Resource: String, Hashable, Sendable, CaseIterable {
    case addressSpace = "address_space"
    case fileDescriptors = "file_descriptors"
    case filesystemInfo = "fs_info"
    case signalHandlers = "signal_handlers"
    case threadGroup = "thread_group"
    case semaphoreUndo = "sysv_sem_undo"
    case namespaces
    case tls
    case ioContext = "io_context"

    /// How the resource is named in messages.
    public var phrase: String {
      switch self {
      case .addressSpace: return "address space"
      case .fileDescriptors: return "file descriptor table"
      case .filesystemInfo: return "cwd, root and umask"
      case .signalHandlers: return "signal handlers"
      case .threadGroup: return "thread group (pid)"
      case .semaphoreUndo: return "SysV semaphore undo list"
      case .namespaces: return "namespaces"
      case .tls: return "TLS (thread pointer)"
      case .ioContext: return "I/O context"
      }
    }
  }

  public enum Mode: String, Hashable, Sendable {
    /// The same kernel object: a change by one is seen by the other.
    case shared
    /// A duplicate made at clone time; the two evolve separately (memory copy-on-write).
    case copied
    /// Not inherited: the task starts with its own, empty or default one.
    case new
  }

  public var modes: [(resource: Resource, mode: Mode)]
  /// Namespaces the task gets fresh (`CLONE_NEW*`), by short name.
  public var newNamespaces: [String]

  public static func == (lhs: ResourceSharing, rhs: ResourceSharing) -> Bool {
    lhs.modes.map(\.resource) == rhs.modes.map(\.resource) && lhs.modes.map(\.mode) == rhs.modes.map(\.mode)
      && lhs.newNamespaces == rhs.newNamespaces
  }

  public func hash(into hasher: inout Hasher) {
    for (resource, mode) in modes {
      hasher.combine(resource)
      hasher.combine(mode)
    }
    hasher.combine(newNamespaces)
  }

  public func mode(of resource: Resource) -> Mode? {
    modes.first(where: { $0.resource == resource })?.mode
  }

  public init(_ call: CloneCall) {
    modes = Resource.allCases.map { (resource: $0, mode: Self.mode(of: $0, flags: call.flags)) }
    newNamespaces = Self.namespaceFlags.filter { call.flags.contains($0.0) }.map(\.1)
  }

  static let namespaceFlags: [(CloneFlagSet, String)] = [
    (.newNS, "mount"), (.newUTS, "uts"), (.newIPC, "ipc"), (.newUser, "user"), (.newPID, "pid"),
    (.newNet, "net"), (.newCgroup, "cgroup"), (.newTime, "time"),
  ]

  /// What `flags` give the new task for one resource.
  public static func mode(of resource: Resource, flags: CloneFlagSet) -> Mode {
    switch resource {
    case .addressSpace: return flags.contains(.vm) ? .shared : .copied
    case .fileDescriptors: return flags.contains(.files) ? .shared : .copied
    case .filesystemInfo: return flags.contains(.fs) ? .shared : .copied
    // CLONE_CLEAR_SIGHAND resets every handler to SIG_DFL in the child (clone3 only).
    case .signalHandlers: return flags.contains(.sighand) ? .shared : flags.contains(.clearSighand) ? .new : .copied
    case .threadGroup: return flags.contains(.thread) ? .shared : .new
    // Without CLONE_SYSVSEM the child starts with no semaphore adjustments of its own (copy_semundo).
    case .semaphoreUndo: return flags.contains(.sysvsem) ? .shared : .new
    case .namespaces: return namespaceFlags.contains { flags.contains($0.0) } ? .new : .shared
    // Without CLONE_SETTLS the child's thread pointer register is a copy of the creator's.
    case .tls: return flags.contains(.setTLS) ? .new : .copied
    case .ioContext: return flags.contains(.io) ? .shared : .new
    }
  }

  /// The kernel's rules on flag combinations (copy_process, kernel/fork.c) that this call breaks: each makes
  /// the call fail with EINVAL.
  public static func ruleViolations(_ call: CloneCall) -> [String] {
    let flags = call.flags
    var broken: [String] = []
    if flags.contains(.thread) && !flags.contains(.sighand) {
      broken.append("CLONE_THREAD needs CLONE_SIGHAND: a thread group shares one set of signal handlers")
    }
    if flags.contains(.sighand) && !flags.contains(.vm) {
      broken.append("CLONE_SIGHAND needs CLONE_VM: handlers are addresses, meaningless in another address space")
    }
    if flags.contains(.newNS) && flags.contains(.fs) {
      broken.append("CLONE_NEWNS cannot be combined with CLONE_FS: a new mount namespace needs its own root and cwd")
    }
    if flags.contains(.newUser) && flags.contains(.fs) {
      broken.append("CLONE_NEWUSER cannot be combined with CLONE_FS")
    }
    if flags.contains(.thread) && (flags.contains(.newUser) || flags.contains(.newPID)) {
      broken.append("a thread cannot get a new user or pid namespace")
    }
    if flags.contains(.clearSighand) && flags.contains(.sighand) {
      broken.append("CLONE_CLEAR_SIGHAND contradicts CLONE_SIGHAND")
    }
    if call.syscall == .clone && flags.contains(.pidfd) && flags.contains(.parentSetTID) {
      broken.append("clone() returns the pidfd through parent_tid, so CLONE_PIDFD excludes CLONE_PARENT_SETTID")
    }
    return broken
  }
}
