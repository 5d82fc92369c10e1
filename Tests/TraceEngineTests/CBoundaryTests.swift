import CPtraceShim
import SyscallDecoding
import Testing
import TraceEngine
import TraceModel

@Suite("The C boundary the engine stands on")
struct CBoundaryTests {
  @Test func mirroredKernelStructsHaveTheKernelsSizes() {
    // CLONE_ARGS_SIZE_VER2, the 64-bit robust_list_head, the original struct rseq (ORIG_RSEQ_SIZE).
    #expect(cpt_sizeof_clone_args == 88)
    #expect(cpt_sizeof_robust_list_head == 24)
    #expect(cpt_sizeof_rseq == 32)
  }

  @Test(arguments: [
    (0x0000_137f as Int32, true, false, 19),  // a SIGSTOP stop
    (0x0080_057f, true, false, 5),  // PTRACE_EVENT_STOP with SIGTRAP
    (0x0000_2a00, false, true, 42),  // exited with 42
  ])
  func waitStatusMacros(_ status: Int32, _ stopped: Bool, _ exited: Bool, _ number: Int32) {
    #expect(cpt_wifstopped(status) == stopped)
    #expect(cpt_wifexited(status) == exited)
    if stopped { #expect(cpt_wstopsig(status) == number) }
    if exited { #expect(cpt_wexitstatus(status) == number) }
  }

  @Test func seizeEventStopsCarryTheEvent() {
    #expect(cpt_wptrace_event(0x0080_057f) == 128)  // PTRACE_EVENT_STOP
    #expect(cpt_wptrace_event(0x0004_057f) == 4)  // PTRACE_EVENT_EXEC
    #expect(cpt_wifsignaled(0x0000_008b))  // killed by SIGSEGV, core dumped
    #expect(cpt_wtermsig(0x0000_008b) == 11)
    #expect(cpt_wcoredump(0x0000_008b))
  }

  @Test func libseccompAgreesWithOurSyscallTable() {
    for name in ["clone", "clone3", "fork", "vfork", "execve", "exit", "exit_group", "rseq", "futex", "set_robust_list"] {
      #expect(SeccompSyscalls.number(of: name, in: .x86_64) == SyscallTable.number(of: name, in: .x86_64), "\(name)")
    }
    #expect(SeccompSyscalls.name(of: 435, in: .x86_64) == "clone3")
    #expect(SeccompSyscalls.name(of: 120, in: .i386) == "clone")
    #expect(SeccompSyscalls.number(of: "no_such_call", in: .x86_64) == nil)
  }
}
