import Testing

@testable import TraceEngine

/// Which registrations the engine reads instead of stopping at the calls.
@Suite struct RegistrationReadsTests {
  @Test func kernelReleasesCompare() {
    #expect(KernelRelease("6.1.0-18-amd64") == KernelRelease(major: 6, minor: 1))
    #expect(KernelRelease("5.15.0-91-generic")! >= KernelRelease(major: 5, minor: 13))
    #expect(KernelRelease("5.4.0")! < KernelRelease(major: 5, minor: 13))
    #expect(KernelRelease("4.18.0-553.el8_10.x86_64")! < KernelRelease(major: 5, minor: 13))
    #expect(KernelRelease("6.18.44-fc-v657") == KernelRelease(major: 6, minor: 18))
    #expect(KernelRelease("garbage") == nil)
  }

  @Test func readWhatIsNotStoppedAt() {
    let fast = RegistrationReads(options: TraceOptions(), attaching: false)
    #expect(fast.robustList && fast.rseq == RegistrationReads.kernelReportsRseq && !fast.atAttach)
    #expect(!SeccompFilter.lifecycleCalls.contains("set_robust_list"))
    #expect(SeccompFilter.lifecycleCalls.contains("rseq") == !RegistrationReads.kernelReportsRseq)
    // --all-syscalls sees the calls themselves.
    let all = RegistrationReads(options: TraceOptions(mode: .allSyscalls), attaching: false)
    #expect(!all.atStops && !all.atAttach)
    // A chosen set without them: the user asked for other calls.
    let chosen = RegistrationReads(options: TraceOptions(syscalls: ["clone3", "getpid"]), attaching: false)
    #expect(!chosen.atStops)
    // A chosen set with one of them stops at that one and reads the other only if the set is the story's.
    let robust = RegistrationReads(options: TraceOptions(syscalls: ["set_robust_list"]), attaching: true)
    #expect(!robust.robustList && !robust.rseq && robust.atAttach)
    let story = RegistrationReads(
      options: TraceOptions(syscalls: Set(SeccompFilter.lifecycleCalls + ["set_robust_list"])), attaching: false)
    #expect(!story.robustList && story.rseq == RegistrationReads.kernelReportsRseq)
  }
}
