import Foundation
import TestSupport
import Testing
import TraceModel

@testable import TraceIO

/// `strace -k`: the stack lines after a creation become its creator's stack; other calls' are skipped.
@Suite struct StraceStackLineTests {
  @Test func everyFormStracePrints() {
    func frame(_ line: String) -> StackFrame? {
      Array(line.utf8).withUnsafeBufferPointer { StraceStackLine.frame($0) }
    }
    #expect(
      frame(" > /usr/lib/x86_64-linux-gnu/libc.so.6(clone3+0x19) [0x1098d9]")
        == StackFrame(pc: 0, function: "clone3", offset: 0x19, module: "/usr/lib/x86_64-linux-gnu/libc.so.6", moduleOffset: 0x1098d9))
    #expect(frame(" > /usr/bin/prog() [0x1234]") == StackFrame(pc: 0, module: "/usr/bin/prog", moduleOffset: 0x1234))
    // A demangled C++ name keeps its parentheses.
    #expect(frame(" > /usr/lib/libx.so(ns::f(int)+0x8) [0x10]")?.function == "ns::f(int)")
    #expect(frame(" > /usr/lib/libx.so(ns::f(int)+0x8) [0x10]")?.offset == 8)
    // Unwind errors are not frames.
    #expect(frame(" > unexpected_backtracing_error [0x7f0000000000]") == nil)
    #expect(frame(" > backtracing_error") == nil)
  }

  @Test func aCreationTakesTheStackLinesRightAfterIt() throws {
    let output = try StraceTest.read(
      """
      100 execve("./a", ["./a"], 0x7ffd00000000 /* 1 var */) = 0
       > /usr/lib/x86_64-linux-gnu/libc.so.6(execve+0xb) [0xd6a1b]
      100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 101
       > /usr/lib/x86_64-linux-gnu/libc.so.6(_Fork+0x26) [0xd5bf6]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(fork+0x2c) [0xd5c6c]
       > /tmp/a(spawn_process+0x9) [0x1289]
      100 vfork( <unfinished ...>
       > /usr/lib/x86_64-linux-gnu/libc.so.6(getpid+0x7) [0xd5b97]
      101 exit_group(0) = ?
      100 <... vfork resumed>) = 102
       > /usr/lib/x86_64-linux-gnu/libc.so.6(vfork+0x10) [0xd5d60]
      100 exit_group(0) = ?

      """)
    let calls = output.events.compactMap { event -> SyscallEvent? in
      if case .syscall(let call) = event.body { return call }
      return nil
    }
    // The vfork is handed out at its resume, after the child's exit_group.
    #expect(calls.map(\.name) == ["execve", "clone", "exit_group", "vfork", "exit_group"])
    #expect(calls[0].stack == nil)  // not a creation
    #expect(calls[1].stack?.map(\.function) == ["_Fork", "fork", "spawn_process"])
    #expect(calls[1].stack?.last?.moduleOffset == 0x1289)
    // Lines after an unfinished call are not the creation's (it is handed out at its resume, with its own).
    #expect(calls[2].stack == nil)
    #expect(calls[3].stack?.map(\.function) == ["vfork"])
    #expect(output.warnings.isEmpty)
  }

  @Test func theRecordedLogGivesEachCreationItsCreatorsFrames() throws {
    let output = try StraceTest.read(path: Fixtures.path("strace/creator_stacks.f-k-o.strace"))
    let creations = output.events.compactMap { event -> SyscallEvent? in
      guard case .syscall(let call) = event.body, StraceTextReader.recordsCreatorStack(call.name) else { return nil }
      return call
    }
    #expect(creations.count == 4)
    #expect(creations.allSatisfy { ($0.stack?.count ?? 0) >= 1 })
    #expect(creations.contains { $0.stack?.contains { $0.function == "spawn_process" } == true })
    #expect(creations.contains { $0.stack?.contains { $0.function == "spawn_vfork" } == true })
  }
}
