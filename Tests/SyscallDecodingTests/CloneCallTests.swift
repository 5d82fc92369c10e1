import SyscallDecoding
import Testing
import TraceModel

/// `CloneCall` reads clone3's structure in one pass; a value changed by the call is read field by field
/// (`ArgValue.field`). Both must read the same call the same way: the first field of each name counts.
struct CloneCallTests {
  static func clone3(_ fields: [Argument]) -> (plain: SyscallEvent, changed: SyscallEvent) {
    (
      SyscallEvent(name: "clone3", arguments: [Argument(.structure(fields)), Argument(.integer(88))], result: .success(42)),
      SyscallEvent(
        name: "clone3", arguments: [Argument(.changed(from: .address(0), to: .structure(fields))), Argument(.integer(88))],
        result: .success(42))
    )
  }

  static let pthread: [Argument] = [
    Argument(name: "flags", .symbolic(Symbolic(parts: ["CLONE_VM", "CLONE_THREAD"], raw: 0x10100))),
    Argument(name: "child_tid", .address(0x7f00_0000_0990)), Argument(name: "parent_tid", .address(0x7f00_0000_0990)),
    Argument(name: "exit_signal", .integer(0)), Argument(name: "stack", .address(0x7f00_0000_0000)),
    Argument(name: "stack_size", .address(0x7fff80)), Argument(name: "tls", .address(0x7f00_0000_06c0)),
  ]

  @Test(arguments: [
    pthread,
    Array(pthread.reversed()),
    // Repeated names: the first counts, even when it holds no number.
    pthread + [Argument(name: "flags", .integer(0x11)), Argument(name: "stack", .address(1))],
    [Argument(name: "flags", .text("?")), Argument(name: "flags", .integer(0x100))] + pthread,
    [Argument(name: "exit_signal", .symbolic(Symbolic(parts: ["SIGCHLD"], raw: 17))), Argument(name: "parent_tid", .array([.integer(7)], truncated: false))],
    [Argument(.integer(5)), Argument(name: "stack", .address(0x1000))],
    [],
  ])
  func oneReadingOfTheStructure(_ fields: [Argument]) throws {
    let (plain, changed) = Self.clone3(fields)
    let one = try #require(CloneCall(plain))
    #expect(one == CloneCall(changed))
    #expect(one.newTID == 42)
  }

  @Test func pthreadsClone() throws {
    let call = try #require(CloneCall(Self.clone3(Self.pthread).plain))
    #expect(call.flags == [.vm, .thread])
    #expect(call.exitSignal == 0)
    #expect(call.stack == 0x7f00_0000_0000)
    #expect(call.stackSize == 0x7fff80)
    #expect(call.tls == 0x7f00_0000_06c0)
    #expect(call.childTIDAddress == 0x7f00_0000_0990)
    #expect(call.parentTIDAddress == 0x7f00_0000_0990)
  }
}
