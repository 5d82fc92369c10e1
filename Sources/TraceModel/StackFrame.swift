/// One frame of a task's user stack, innermost first: where the code was when the task made a call.
///
/// The live tracer records the creator's stack at a clone, clone3, fork or vfork (`trace --stacks`), and the
/// strace reader reads it from an `strace -k` log; other sources have none.
public struct StackFrame: Hashable, Sendable {
  /// The address in the task: for the innermost frame the instruction after the `syscall`, for the others the
  /// return address. 0 when the source did not say (strace -k prints only `moduleOffset`).
  public var pc: UInt64
  /// The function the address lies in, when a symbol covers it (the ELF's `.symtab` or `.dynsym`, or its
  /// separate debug file), without a symbol version (`pthread_create`, not `pthread_create@@GLIBC_2.34`).
  public var function: String?
  /// `pc` minus the function's start, when `function` is known.
  public var offset: UInt64?
  /// The path of the mapped file the address lies in (`/usr/lib/x86_64-linux-gnu/libc.so.6`), when it is one.
  public var module: String?
  /// The address as the module's ELF file numbers it (its virtual address there, the same in every run), when
  /// `module` is known: what `addr2line -e MODULE` takes, and what strace -k prints in brackets.
  public var moduleOffset: UInt64?

  public init(
    pc: UInt64, function: String? = nil, offset: UInt64? = nil, module: String? = nil, moduleOffset: UInt64? = nil
  ) {
    self.pc = pc
    self.function = function
    self.offset = offset
    self.module = module
    self.moduleOffset = moduleOffset
  }
}
