import Testing
import TraceModel

@Suite("ArgValue accessors")
struct ArgValueTests {
  @Test func numbersFromEveryShape() {
    #expect(ArgValue.integer(-100).unsignedValue == UInt64(bitPattern: -100))
    #expect(ArgValue.address(0x7f00).unsignedValue == 0x7f00)
    #expect(ArgValue.symbolic(Symbolic(parts: ["CLONE_VM"], raw: 0x100)).unsignedValue == 0x100)
    #expect(ArgValue.symbolic(Symbolic(parts: ["CLONE_NEWTHING"], raw: nil)).unsignedValue == nil)
    #expect(ArgValue.fileDescriptor(3, path: "/x").signedValue == 3)
    #expect(ArgValue.array([.integer(28823)], truncated: false).unsignedValue == 28823)
    #expect(ArgValue.changed(from: .address(1), to: .address(2)).unsignedValue == 1)
    #expect(ArgValue.changed(from: .address(1), to: .address(2)).valueAfterCall == .address(2))
    #expect(ArgValue.text("FUTEX_OP_SET<<28").unsignedValue == nil)
  }

  @Test func fieldsOfStructuresAndChangedStructures() {
    let arguments = ArgValue.changed(
      from: .structure([Argument(name: "flags", .address(0x100)), Argument(name: "parent_tid", .address(0x990))]),
      to: .structure([Argument(name: "parent_tid", .array([.integer(5)], truncated: false))]))
    #expect(arguments.field("flags")?.unsignedValue == 0x100)
    #expect(arguments.field("parent_tid")?.unsignedValue == 5)
    #expect(arguments.field("missing") == nil)
  }

  @Test func syscallArgumentsByNameOrPosition() {
    let call = SyscallEvent(
      name: "clone", arguments: [Argument(name: "child_stack", .address(0)), Argument(name: "flags", .address(0x11))])
    #expect(call.argument(named: "flags", at: 0)?.unsignedValue == 0x11)
    #expect(call.argument(named: "tls", at: 4) == nil)
    #expect(call.argument(at: 0) == .address(0))
  }

  @Test func stringsKeepTheirBytes() {
    let string = StringValue(bytes: [0x6e, 0x61, 0xff], truncated: true)
    #expect(string.lossyText == "na\u{FFFD}")
    #expect(StringValue("abc").bytes == [0x61, 0x62, 0x63])
  }
}
