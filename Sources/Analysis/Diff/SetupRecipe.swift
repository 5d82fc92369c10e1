import SyscallDecoding
import TraceModel

/// How one task was set up: what `threadtrace diff` groups tasks by and compares. Nothing in it differs from run
/// to run of the same program (no tid, address or time), so two runs of one program have the same recipes.
public struct SetupRecipe: Hashable, Sendable {
  public var kind: TaskRecord.Kind
  /// The creating call (nil: the task was there when the trace began).
  public var creator: CloneCall.Syscall?
  /// The clone flags, without the exit signal.
  public var flags: CloneFlagSet
  public var exitSignal: Int32
  public var stack: StackShape
  /// The task got a thread pointer of its own: `CLONE_SETTLS`, or `arch_prctl(ARCH_SET_FS)` by the task.
  public var ownTLS: Bool
  public var robustList: Bool
  public var rseq: Bool
  public var signalStack: SignalStackShape?
  /// The explicit name with every run of digits replaced by `N` (`worker-3` → `worker-N`); nil: not named.
  public var namePattern: String?
  /// The runtime whose creation code made the task (from the clone arguments).
  public var runtime: RuntimeFingerprint.Runtime?
  /// Where the creating call was made: the functions of the creator's stack, innermost first, at most
  /// `creatorFrameLimit` of them (`creatorFrameName`); nil when the trace recorded no stack (`trace --stacks`).
  public var creatorFrames: [String]?

  public init(
    kind: TaskRecord.Kind, creator: CloneCall.Syscall? = nil, flags: CloneFlagSet = [], exitSignal: Int32 = 0,
    stack: StackShape = .inherited, ownTLS: Bool = false, robustList: Bool = false, rseq: Bool = false,
    signalStack: SignalStackShape? = nil, namePattern: String? = nil, runtime: RuntimeFingerprint.Runtime? = nil,
    creatorFrames: [String]? = nil
  ) {
    self.kind = kind
    self.creator = creator
    self.flags = flags
    self.exitSignal = exitSignal
    self.stack = stack
    self.ownTLS = ownTLS
    self.robustList = robustList
    self.rseq = rseq
    self.signalStack = signalStack
    self.namePattern = namePattern
    self.runtime = runtime
    self.creatorFrames = creatorFrames
  }

  /// A child made without `CLONE_VM` keeps its creator's rseq registration (kernel/rseq.c, `rseq_fork`), so it
  /// need not register one: no `rseq` call is not "no rseq area" for it.
  public var keepsCreatorsRseq: Bool {
    !rseq && creator != nil && !flags.contains(.vm)
  }

  /// The stack a task runs on, by size only.
  public enum StackShape: Hashable, Sendable {
    /// No stack of its own: the initial task, or a fork/vfork child running on (a copy of) its creator's stack.
    case inherited
    /// A mapping seen in the trace: usable size, guard below it, and a runtime's own guard zone (the JVM's).
    case mapped(size: UInt64, guardSize: UInt64, runtimeGuard: UInt64?)
    /// Only clone3's `stack_size` (the mapping was made before the trace began, or not shown).
    case sized(UInt64)
    /// In memory the trace never showed being mapped for a stack (a runtime's heap: Go's g0 stacks).
    case unmapped

    /// Address space the stack takes, guard included; nil when the trace does not show a mapping.
    public var reserved: UInt64? {
      if case .mapped(let size, let guardSize, _) = self { return size + guardSize }
      return nil
    }
  }

  public struct SignalStackShape: Hashable, Sendable {
    public var size: UInt64?
    public var guardSize: UInt64
    public init(size: UInt64?, guardSize: UInt64) {
      self.size = size
      self.guardSize = guardSize
    }
  }

  /// The recipe of a task record.
  public init(_ record: TaskRecord) {
    kind = record.kind
    creator = record.creation?.syscall
    flags = record.creation?.flags ?? []
    exitSignal = record.creation?.exitSignal ?? 0
    stack = Self.shape(of: record.stack, created: record.creation)
    ownTLS = flags.contains(.setTLS) || record.registrations.threadPointer != nil
    robustList = record.registrations.robustList != nil
    rseq = record.registrations.rseq != nil
    if let altStack = record.registrations.signalStack, altStack.base != nil || altStack.size != nil {
      signalStack = SignalStackShape(size: altStack.size, guardSize: altStack.guardSize ?? 0)
    }
    namePattern = record.name.map(Self.namePattern)
    runtime = record.createdByRuntime?.runtime
    if let frames = record.creatorStack, !frames.isEmpty {
      creatorFrames = frames.prefix(Self.creatorFrameLimit).map(Self.creatorFrameName)
    }
  }

  /// The innermost frames a recipe keeps: enough to pass a runtime's creation code (glibc's is four deep, from
  /// `clone3` to `pthread_create`) and reach the program's own callers, few enough that the depth of what called
  /// those does not split groups.
  public static let creatorFrameLimit = 8

  /// A frame as a recipe keeps it: its function's name, the same in every run (unlike its address and offset);
  /// for a frame no symbol names, its module's file name (`libfoo.so+?`), or `?` outside any file.
  public static func creatorFrameName(_ frame: StackFrame) -> String {
    if let function = frame.function, !function.isEmpty { return function }
    guard let module = frame.module, let file = module.split(separator: "/").last else { return "?" }
    return file + "+?"
  }

  static func shape(of stack: ThreadStack?, created: CloneCall?) -> StackShape {
    guard let stack else { return .inherited }
    switch stack.source {
    case .mapping:
      guard let size = stack.size else { return .unmapped }
      return .mapped(size: size, guardSize: stack.guardSize ?? 0, runtimeGuard: stack.runtimeGuardSize)
    case .cloneArguments:
      return stack.size.map(StackShape.sized) ?? .unmapped
    case .unmapped:
      return .unmapped
    }
  }

  /// `worker-12` → `worker-N`, `GC Thread#0` → `GC Thread#N`, `pool-1-thread-2` → `pool-N-thread-N`: threads
  /// named by their index group together. Digits right after a letter stay unless they end the name (`G1 Conc#0`
  /// → `G1 Conc#N`, `CompilerThread0` → `CompilerThreadN`): they are part of a word.
  public static func namePattern(_ name: String) -> String {
    let characters = Array(name)
    var pattern = ""
    var index = 0
    while index < characters.count {
      let character = characters[index]
      guard character.isASCII && character.isNumber else {
        pattern.append(character)
        index += 1
        continue
      }
      var end = index
      while end < characters.count && characters[end].isASCII && characters[end].isNumber { end += 1 }
      let afterLetter = index > 0 && characters[index - 1].isLetter
      if afterLetter && end < characters.count {
        pattern += String(characters[index..<end])
      } else {
        pattern.append("N")
      }
      index = end
    }
    return pattern
  }
}
