import Foundation
import Testing
import TraceModel

@testable import TraceIO

/// The rows of `hard-cases.md` §3 ("strace text as it really is"), each with the real strace 6.1 lines quoted
/// there, read through `StraceTextReader`, and the events expected in `StraceTest.describe`'s one-line form.
@Suite struct StraceTextReaderTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var row: String
    var text: String
    var expected: [String]
    var pid: Int32? = nil
    var warnings = 0
    var testDescription: String { row }
  }

  static let cases: [Case] = [
    Case(
      row: "1 stderr -f: unprefixed lines belong to the one live task, learned from set_tid_address",
      text: """
        execve("./t", ["./t"], 0x7ffc232b1238 /* 35 vars */) = 0
        set_tid_address(0x7f4a1c9a1a10)         = 28816
        clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, child_tid=0x7f4a1c1ff990, exit_signal=0, stack=0x7f4a1b9ff000, stack_size=0x7fff80, tls=0x7f4a1c1ff6c0}strace: Process 28817 attached
         <unfinished ...>
        [pid 28817] rseq(0x7f4a1c1fffe0, 0x20, 0, 0x53053053) = 0
        [pid 28816] <... clone3 resumed> => {parent_tid=[28817]}, 88) = 28817
        [pid 28817] exit(0)                     = ?
        [pid 28817] +++ exited with 0 +++
        exit_group(0)                           = ?
        +++ exited with 0 +++

        """,
      expected: [
        "28816 execve = 0", "28816 set_tid_address = 28816", "28817 attached", "28817 rseq = 0",
        "28816 clone3 = 28817", "28817 exit = ?", "28817 +++ exited 0", "28816 exit_group = ?", "28816 +++ exited 0",
      ]),
    Case(
      row: "1 stderr -f: the first prefixed pid that is not a known child is the unprefixed task",
      text: """
        brk(NULL)                               = 0x562940a58000
        clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0) = 4001
        [pid  4000] wait4(-1,  <unfinished ...>
        [pid  4001] exit_group(3)               = ?
        [pid  4001] +++ exited with 3 +++
        <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 4001
        exit_group(0)                           = ?
        +++ exited with 0 +++

        """,
      expected: [
        "4000 brk = 94735178235904", "4000 clone = 4001", "4001 exit_group = ?", "4001 +++ exited 3",
        "4000 wait4 = 4001", "4000 exit_group = ?", "4000 +++ exited 0",
      ]),
    Case(
      row: "2 -o FILE -f padded pid, -Y comm, -ff pid from the file name",
      text: """
        28824 exit(0 <unfinished ...>
        28824 +++ exited with 0 +++
        21628<threads> exit_group(0) = ?
        123   getpid()                          = 123

        """,
      expected: ["28824 exit … [entryOnly]", "28824 +++ exited 0", "21628 exit_group = ?", "123 getpid = 123"]),
    Case(
      row: "2 -ff: no prefix, the pid comes from the file name",
      text: "gettid()                                = 29331\nexit(0)                                 = ?\n",
      expected: ["29331 gettid = 29331", "29331 exit = ?"], pid: 29331),
    Case(
      row: "3 a strace message mid-line: join ` => …` to the cut line",
      text: """
        set_tid_address(0x7f0)                  = 29219
        clone3({flags=CLONE_VM|CLONE_THREAD, tls=0x7ff4419ac6c0}strace: Process 29220 attached
         => {parent_tid=[29220]}, 88) = 29220
        [pid 29220] exit(0)                     = ?

        """,
      expected: ["29219 set_tid_address = 29219", "29220 attached", "29219 clone3 = 29220", "29220 exit = ?"]),
    Case(
      row: "3 a strace message mid-line, then ` <detached ...>`",
      text: """
        set_tid_address(0x7f0)                  = 30135
        restart_syscall(<... resuming interrupted read ...>strace: Process 30136 detached
         <detached ...>

        """,
      expected: ["30135 set_tid_address = 30135", "30136 detached", "30135 restart_syscall … [entryOnly]"]),
    Case(
      row: "3 a cut line stays open across a second message on its own line",
      text: """
        getpid()                                = 10208
        clone3({flags=CLONE_VM, tls=0x7f8608c256c0}strace: Process 10209 attached
        strace: Process 10210 attached
         => {parent_tid=[10210]}, 88) = 10210

        """,
      expected: ["10208 getpid = 10208", "10209 attached", "10210 attached", "10208 clone3 = 10210"]),
    Case(
      row: "4 personality inferred from an i386-only name when strace's switch line is hidden",
      text: "11325 getgid32()                     = 0\n",
      expected: ["11325 getgid32 = 0"]),
    Case(
      row: "5 unfinished/resumed across threads",
      text: """
        28823 rt_sigprocmask(SIG_SETMASK, [],  <unfinished ...>
        28822 futex(0x7f, FUTEX_WAKE_PRIVATE, 1) = 0
        28823 <... rt_sigprocmask resumed>NULL, 8) = 0

        """,
      expected: ["28822 futex = 0", "28823 rt_sigprocmask = 0"]),
    Case(
      row: "6 resume without start is a partial record",
      text: """
        29102 <... read resumed>0x7ffea0aa4d2f, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
        29102 <... execve resumed>)             = 0

        """,
      expected: ["29102 read = ? restart 512 [exitOnly]", "29102 execve = 0 [exitOnly]"]),
    Case(
      row: "7 unfinished without resume: closed by +++, by `) = ?`, or at EOF",
      text: """
        28824 exit(0 <unfinished ...>
        29212 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0},  <unfinished ...>
        28824 +++ exited with 0 +++
        29212 <... clock_nanosleep resumed> <unfinished ...>) = ?
        29300 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0},  <unfinished ...>) = ?
        29301 read(3,  <unfinished ...>

        """,
      expected: [
        "28824 exit … [entryOnly]", "28824 +++ exited 0", "29212 clock_nanosleep = ?", "29300 clock_nanosleep = ?",
        "29301 read … [entryOnly]",
      ]),
    Case(
      row: "7 a second call on a task with one in flight: the first is kept as unfinished",
      text: "7 read(3,  <unfinished ...>\n7 getpid() = 7\n",
      expected: ["7 read … [entryOnly]", "7 getpid = 7"]),
    Case(
      row: "8 execve from a non-leader thread: the exec continues under the leader's pid",
      text: """
        29214 execve("/bin/true", ["/bin/true"], 0x7ffc232b1238 /* 35 vars */ <unfinished ...>
        29212 <... clock_nanosleep resumed> <unfinished ...>) = ?
        29213 <... pause resumed>)              = ?
        29213 +++ exited with 0 +++
        29212 +++ superseded by execve in pid 29214 +++
        29212 <... execve resumed>)             = 0

        """,
      expected: [
        "29212 clock_nanosleep = ? [exitOnly]", "29213 pause = ? [exitOnly]", "29213 +++ exited 0",
        "29212 +++ exec took over from 29214", "29212 execve = 0",
      ]),
    Case(
      row: "9 signal, group-stop, exit and kill lines",
      text: """
        29102 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=29103, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
        29102 --- stopped by SIGSTOP ---
        29102 +++ exited with 7 +++
        29103 +++ killed by SIGKILL +++
        29104 +++ killed by SIGSEGV (core dumped) +++

        """,
      expected: [
        "29102 --- 17", "29102 stopped 19", "29102 +++ exited 7", "29103 +++ killed 9", "29104 +++ killed 11 core",
      ]),
    Case(
      row: "10 return values",
      text: """
        1 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb945ff5000
        1 access("/etc/ld.so.preload", R_OK)      = -1 ENOENT (No such file or directory)
        1 exit_group(0)                     = ?
        2 read(0, 0x7ffe, 1)  = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
        2 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, NULL) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)
        2 futex(0x7f, FUTEX_WAIT_PRIVATE, 2, {tv_sec=0, tv_nsec=1000}) = 0 (Timeout)
        2 futex(0x7f, FUTEX_WAKE_PRIVATE, 1) = ? <unavailable>
        2 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>

        """,
      expected: [
        "1 mmap = 140433720037376", "1 access = -1 errno 2", "1 exit_group = ?", "2 read = ? restart 512",
        "2 clock_nanosleep = ? restart 516", "2 futex = 0 <(Timeout)>", "2 futex = ?", "2 openat = 3 </etc/ld.so.cache>",
      ]),
    Case(
      row: "12 restarted calls keep their own name",
      text: """
        29102 <... clock_nanosleep resumed>NULL) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)
        29102 restart_syscall(<... resuming interrupted clock_nanosleep ...> <unfinished ...>
        29102 <... restart_syscall resumed>)    = 0

        """,
      expected: ["29102 clock_nanosleep = ? restart 516 [exitOnly]", "29102 restart_syscall = 0"]),
    Case(
      row: "18 unknown syscalls",
      text: "11701 syscall_0x1f4(0x1, 0x2, 0x3, 0, 0x7f436d93f6d0, 0x7ffd2dae0a68) = -1 ENOSYS (Function not implemented)\n",
      expected: ["11701 syscall_0x1f4 = -1 errno 38"]),
    Case(
      row: "19 -i, -n and -k extras are skipped",
      text: """
        [ 257] [00007f5b4a49e011] openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
         > /usr/lib/x86_64-linux-gnu/libc.so.6(syscall+0x19) [0x101829]
        [ 231] [????????????????] +++ exited with 0 +++

        """,
      expected: ["0 openat = 3", "0 +++ exited 0"], pid: 0),
    Case(
      row: "20 personality switch lines",
      text: """
        [ Process PID=11325 runs in 32 bit mode. ]
        getpid()                                = 11325
        [ Process PID=11325 runs in 64 bit mode. ]

        """,
      expected: ["11325 personality i386", "11325 getpid = 11325", "11325 personality x86_64"]),
    Case(
      row: "21 an unterminated last line is kept as an unfinished call, with a warning",
      text: "12050 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=3, tv_nsec=0}, ",
      expected: ["12050 clock_nanosleep … [entryOnly]"], warnings: 1),
    Case(
      row: "malformed lines are warnings; reading goes on",
      text: "10041 write(1, \"released_by_main\\n, 17\nthis is not strace\n10041 getpid() = 10041\n",
      expected: ["10041 write … [entryOnly]", "10041 getpid = 10041"], warnings: 2),
    Case(
      row: "CRLF line ends",
      text: "1 getpid() = 1\r\n1 +++ exited with 0 +++\r\n",
      expected: ["1 getpid = 1", "1 +++ exited 0"]),
  ]

  @Test(arguments: cases)
  func row(_ testCase: Case) throws {
    let output = try StraceTest.read(testCase.text, pid: testCase.pid)
    #expect(output.events.map { StraceTest.describe($0) } == testCase.expected)
    #expect(output.warnings.count == testCase.warnings, "\(output.warnings)")
  }

  // MARK: Arguments (rows 5, 11, 15–17, 24)

  struct ArgumentCase: CustomTestStringConvertible, Sendable {
    var row: String
    var line: String
    var expected: String
    var testDescription: String { row }
  }

  static let argumentCases: [ArgumentCase] = [
    ArgumentCase(
      row: "5 joined halves give all arguments, parsed once",
      line: "1 rt_sigprocmask(SIG_SETMASK, [],  <unfinished ...>\n1 <... rt_sigprocmask resumed>NULL, 8) = 0",
      expected: "(SIG_SETMASK#2, [], 0x0, 8)"),
    ArgumentCase(
      row: "11 `in => out` on one line",
      line:
        "1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fc54a7fc990, parent_tid=0x7fc54a7fc990, exit_signal=0, stack=0x7fc549ffc000, stack_size=0x7fff80, tls=0x7fc54a7fc6c0} => {parent_tid=[28823]}, 88) = 28823",
      expected:
        "({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID#3d0f00, child_tid=0x7fc54a7fc990, parent_tid=0x7fc54a7fc990, exit_signal=0, stack=0x7fc549ffc000, stack_size=0x7fff80, tls=0x7fc54a7fc6c0} => {parent_tid=[28823]}, 88)"
    ),
    ArgumentCase(
      row: "11 `=>` across a split call",
      line: "1 clone3({flags=CLONE_VM, tls=0x7f} <unfinished ...>\n1 <... clone3 resumed> => {parent_tid=[28825]}, 88) = 28825",
      expected: "({flags=CLONE_VM#100, tls=0x7f} => {parent_tid=[28825]}, 88)"),
    ArgumentCase(
      row: "clone's named arguments",
      line:
        "1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0) = 2",
      expected: "(child_stack=0x0, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD#1200011, child_tidptr=0x7f0)"),
    ArgumentCase(
      row: "15 -y decorations: nested, escaped `>`, octal bytes, (deleted), sockets",
      line:
        #"1 write(3</dev/null<char 1:3>>, "x", 1) = 1"# + "\n"
        + #"1 openat(AT_FDCWD</DIR>, "/DIR/we>ird\nname \303\251", O_RDONLY) = 3</DIR/we\76ird\nname \303\251>"#
        + "\n" + #"1 write(3</tmp/x\303\251>(deleted), "x", 1) = 1"# + "\n"
        + #"1 sendto(4<TCP:[40405]>, "", 0, 0, NULL, 0) = 0"# + "\n"
        + #"1 pipe2([5<UNIX-STREAM:[40409->40410]>, 6<pipe:[7]>], 0) = 0"#,
      expected:
        "(fd 3</dev/null>, \"x\", 1) (fd -100</DIR>, \"/DIR/we>ird\nname é\", O_RDONLY#0) (fd 3</tmp/xé (deleted)>, \"x\", 1) (fd 4<TCP:[40405]>, \"\", 0, 0, 0x0, 0) ([fd 5<UNIX-STREAM:[40409->40410]>, fd 6<pipe:[7]>], 0)"
    ),
    ArgumentCase(
      row: "16 strings: escapes, octal, truncation, -xx hex",
      line:
        #"1 write(1, "AAAAA\n\0\t\377AAAAAAAAAAAAAAAAAAAAAAA"..., 200) = 200"# + "\n"
        + #"1 write(1, "\x41\x42"..., 200) = 200"#,
      expected: "(1, \"AAAAA\n\0\t\u{FFFD}AAAAAAAAAAAAAAAAAAAAAAA\"..., 200) (1, \"AB\"..., 200)"),
    ArgumentCase(
      row: "17 -X raw and -X verbose",
      line:
        "1 openat(-100, \"/dev/null\", 0x1) = 3\n"
        + "1 mmap(NULL, 1048576, 0 /* PROT_NONE */, 0x24022 /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_STACK */, -1, 0) = 0x7f",
      expected:
        "(-100, \"/dev/null\", 0x1) (0x0, 1048576, PROT_NONE#0, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_STACK#24022, -1, 0)"
    ),
    ArgumentCase(
      row: "24 envp as an address with a comment; signal sets; expressions",
      line:
        #"1 execve("/bin/true", ["/bin/true"], 0x7ffcbb4e5a98 /* 35 vars */) = 0"# + "\n"
        + "1 rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [CHLD USR1], 8) = 0\n"
        + "1 futex(0x7f, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x7e, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 1",
      expected:
        "(\"/bin/true\", [\"/bin/true\"], 0x7ffcbb4e5a98) (SIG_BLOCK#0, text(~[RTMIN RT_1]), [CHLD#11, USR1#a], 8) (0x7f, FUTEX_WAKE_OP_PRIVATE#85, 1, 1, 0x7e, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1#4000001)"
    ),
    ArgumentCase(
      row: "structures, elided fields and arrays",
      line:
        "1 newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=33519, ...}, AT_EMPTY_PATH) = 0\n"
        + "1 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 7\n"
        + "1 poll([{fd=3, events=POLLIN}, ...], 9, 0) = 0 (Timeout)",
      expected:
        "(3, \"\", {st_mode=S_IFREG|0644#?, st_size=33519}, AT_EMPTY_PATH#1000) (-1, [{text(WIFEXITED(s) && WEXITSTATUS(s) == 0)}], 0, 0x0) ([{fd=3, events=POLLIN#?}, ...], 9, 0)"
    ),
  ]

  @Test(arguments: argumentCases)
  func arguments(_ testCase: ArgumentCase) throws {
    let output = try StraceTest.read(testCase.line + "\n")
    let described = output.events.compactMap { StraceTest.call($0) }.map {
      "(" + $0.arguments.map(StraceTest.describe).joined(separator: ", ") + ")"
    }
    #expect(described.joined(separator: " ") == testCase.expected)
    #expect(output.warnings.isEmpty, "\(output.warnings)")
  }

  @Test func argumentsAreSkippedWhenNotWanted() throws {
    let options = StraceReadOptions.parsingArguments(of: ["clone3"])
    let text = """
      1 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache> <0.000018>
      1 clone3({flags=CLONE_VM, tls=0x7f} => {parent_tid=[2]}, 88) = 2

      """
    let calls = try StraceTest.read(text, options: options).events.compactMap(StraceTest.call)
    #expect(calls[0].arguments.isEmpty)
    #expect(calls[0].result == .success(3, annotation: nil))
    #expect(calls[0].durationMicroseconds == 18)
    #expect(calls[1].arguments.count == 2)
  }

  /// `-T` times in the usual `S.ffffff` form (read at fixed places) and in every other form strace prints.
  @Test func durationsOfEveryWidth() throws {
    let text = """
      1 getpid() = 1 <0.000018>
      1 getpid() = 1 <12.000018>
      1 getpid() = 1 <0.5>
      1 getpid() = 1 <7.123456789>
      1 getpid() = 1<0.000018>

      """
    let calls = try StraceTest.read(text).events.compactMap(StraceTest.call)
    #expect(calls.map(\.durationMicroseconds) == [18, 12_000_018, 500_000, 7_123_456, nil])
  }

  /// More names than the reader's name table keeps, and names too long for it, each read in place on the lines
  /// that use it (the fast paths' `SyscallNameCache.find`), split across lines too.
  @Test func namesTheTableDoesNotKeep() throws {
    var lines: [String] = []
    var expected: [String] = []
    for index in 0..<2000 {
      let name = index % 3 == 0 ? "a_syscall_name_longer_than_the_table_keeps_\(index)" : "call\(index)"
      lines.append("1 \(name)(\(index) <unfinished ...>")
      lines.append("2 getpid() = 2")
      lines.append("1 <... \(name) resumed>) = \(index)")
      expected += ["2 getpid = 2", "1 \(name) = \(index)"]
    }
    let output = try StraceTest.read(lines.joined(separator: "\n") + "\n")
    #expect(output.events.map { StraceTest.describe($0) } == expected)
    #expect(output.events.compactMap(StraceTest.call).filter { $0.name != "getpid" }.map(\.arguments.count)
      == Array(repeating: 1, count: 2000))
  }

  /// The result is found from the end of the line, so text inside strings that looks like a result or a marker
  /// (`) = 5`, `<unfinished ...>`, an escaped quote) never ends a call early, with or without arguments parsed.
  @Test(arguments: [true, false])
  func resultsAreFoundFromTheEndOfTheLine(parsingArguments: Bool) throws {
    let text = #"""
      7 write(1, "a) = 5 \") = 6", 12) = 12 <0.000004>
      7 write(2, "<unfinished ...>", 16) = 16
      7 openat(AT_FDCWD, "/x) = 3", O_RDONLY) = -1 ENOENT (No such file or directory)
      7 read(3, ") = 0 <0.000001>", 16) = 16

      """#
    let options = StraceReadOptions(parseArguments: { _ in parsingArguments })
    let output = try StraceTest.read(text, options: options)
    #expect(output.warnings.isEmpty, "\(output.warnings)")
    let calls = output.events.compactMap(StraceTest.call)
    #expect(calls.map(\.result) == [.success(12, annotation: nil), .success(16, annotation: nil), .failure(errno: 2), .success(16, annotation: nil)])
    #expect(calls.map(\.durationMicroseconds) == [4, nil, nil, nil])
    #expect(calls.allSatisfy { $0.completeness == .complete })
    if parsingArguments {
      #expect(calls[0].argument(at: 1)?.stringValue?.lossyText == #"a) = 5 ") = 6"#)
      #expect(calls[1].argument(at: 1)?.stringValue?.lossyText == "<unfinished ...>")
      #expect(calls[2].argument(at: 1)?.stringValue?.lossyText == "/x) = 3")
      #expect(calls[3].arguments.count == 3)
    } else {
      #expect(calls.allSatisfy { $0.arguments.isEmpty })
    }
  }

  /// The reader refills the box of the call it handed out last once the consumer has dropped it: an event the
  /// consumer keeps must never change, and one it drops must not leave anything behind in the next.
  @Test func eventsAreIndependentOfTheOnesAfterThem() throws {
    let text = """
      1 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f00 <0.000004>
      1 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache> <0.000018>
      1 futex(0x7f0, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>
      2 close(3) = 0
      1 <... futex resumed>) = -1 EAGAIN (Resource temporarily unavailable)
      1 getpid() = 1
      2 exit(0) = ?

      """
    let path = StraceTest.temporaryFile(Array(text.utf8))
    defer { unlink(path) }
    // Kept: every event, described when it came out, is described the same at the end.
    let keeping = try StraceTextReader(path: path)
    var kept: [(TraceEvent, String)] = []
    while let event = try keeping.next() { kept.append((event, StraceTest.describe(event, arguments: true))) }
    #expect(kept.count == 6)
    for (event, described) in kept { #expect(StraceTest.describe(event, arguments: true) == described) }
    // Dropped at once: the same descriptions, so nothing of an earlier event leaked into a later one.
    let dropping = try StraceTextReader(path: path)
    var described: [String] = []
    while let event = try dropping.next() { described.append(StraceTest.describe(event, arguments: true)) }
    #expect(described == kept.map(\.1))
    #expect(described.last == "2 exit(0) = ?")
    #expect(described[2] == "2 close(3) = 0")
  }

  // MARK: Numbers, personality

  @Test func syscallNumbersFollowThePersonality() throws {
    let text = """
      [ Process PID=11325 runs in 32 bit mode. ]
      getpid()                                = 11325
      clone(child_stack=NULL, flags=SIGCHLD)  = 11326
      [ Process PID=11325 runs in 64 bit mode. ]
      getpid()                                = 11325
      syscall_0x1f4(0x1, 0x2, 0x3, 0, 0x7f436d93f6d0, 0x7ffd2dae0a68) = -1 ENOSYS (Function not implemented)
      getgid32()                              = 0

      """
    let calls = try StraceTest.read(text).events.compactMap(StraceTest.call)
    #expect(calls.map(\.number) == [20, 120, 39, 0x1f4, 200])
    #expect(calls.map(\.architecture) == [.i386, .i386, .x86_64, .x86_64, .i386])
  }

  // MARK: Time (rows 13, 14)

  struct TimeCase: CustomTestStringConvertible, Sendable {
    var style: String
    var text: String
    var times: [Int64]
    var clock: TraceClock
    var testDescription: String { style }
  }

  static let timeCases: [TimeCase] = [
    TimeCase(
      style: "-t", text: "29971 00:20:22 getpid() = 29971\n29971 00:20:23 getpid() = 29971\n",
      times: [1_222_000_000, 1_223_000_000], clock: .timeOfDay),
    TimeCase(
      style: "-tt wraps at midnight",
      text: "29971 23:59:59.999000 getpid() = 29971\n29971 00:00:00.001000 getpid() = 29971\n",
      times: [86_399_999_000, 86_400_001_000], clock: .timeOfDay),
    TimeCase(
      style: "-ttt", text: "1795393222.419754 getpid() = 1\n1795393222.419800 getpid() = 1\n",
      times: [1_795_393_222_419_754, 1_795_393_222_419_800], clock: .epoch),
    TimeCase(
      style: "-r is a delta",
      text: "     0.000000 execve(\"/bin/true\", [\"true\"], 0x7f /* 1 var */) = 0\n     0.000689 brk(NULL) = 0x5\n    12.000011 getpid() = 1\n",
      times: [0, 689, 12_000_700], clock: .relative),
    TimeCase(
      style: "-t -r", text: "01:34:02 (+     0.000000) getpid() = 1\n01:34:02 (+     0.001042) getpid() = 1\n",
      times: [5_642_000_000, 5_642_001_042], clock: .timeOfDay),
  ]

  @Test(arguments: timeCases)
  func timestamps(_ testCase: TimeCase) throws {
    let output = try StraceTest.read(testCase.text)
    #expect(output.events.compactMap { $0.time?.microseconds } == testCase.times)
    #expect(output.header.clock == testCase.clock)
    #expect(output.warnings.isEmpty)
  }

  @Test func splitCallsTakeEntryTimeFromTheStartAndDurationFromTheResume() throws {
    let text = """
      29972 00:20:27.003529 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=20000000},  <unfinished ...>
      29971 00:20:27.003600 getpid() = 29971 <0.000018>
      29972 00:20:27.024066 <... clock_nanosleep resumed>NULL) = 0 <0.020125>

      """
    let events = try StraceTest.read(text).events
    let sleep = try #require(StraceTest.call(events[1]))
    #expect(events[1].tid == 29972)
    #expect(sleep.entryTime?.microseconds == 1_227_003_529)
    #expect(events[1].time?.microseconds == 1_227_024_066)
    #expect(sleep.durationMicroseconds == 20_125)
    #expect(sleep.arguments.count == 4)
    #expect(StraceTest.call(events[0])?.durationMicroseconds == 18)
  }

  // MARK: Row 23, 24; hostile input

  @Test func summaryTableIsRefused() throws {
    let text = "% time     seconds  usecs/call     calls    errors syscall\n------ ----------- ----------- --------- --------- ----------------\n"
    #expect(throws: TraceReadError.self) { try StraceTest.read(text) }
    do {
      _ = try StraceTest.read(text)
    } catch let error as TraceReadError {
      #expect(error.kind == .straceSummary)
      #expect(error.line == 1)
    }
  }

  @Test func aTenMegabyteLineIsRead() throws {
    var text = "1 execve(\"/bin/true\", [\"/bin/true\""
    let argument = ", \"" + String(repeating: "a", count: 1000) + "\""
    text.reserveCapacity(10_200_000)
    for _ in 0..<10_000 { text += argument }
    text += "], 0x7ffc /* 35 vars */) = 0\n1 exit_group(0) = ?\n"
    let output = try StraceTest.read(text)
    #expect(output.events.count == 2)
    let argv = try #require(StraceTest.call(output.events[0])?.arguments[1].value)
    if case .array(let elements, _) = argv { #expect(elements.count == 10_001) } else { Issue.record("argv") }
    #expect(output.warnings.isEmpty)
  }

  @Test func hostileBytesNeverCrash() throws {
    var inputs: [[UInt8]] = [
      Array("1 write(1, \"\u{0}\u{1}\u{1B}[2J\", 3) = 3\n".utf8), [0xFF, 0xFE, 0x0A, 0x00, 0x00, 0x0A],
      Array("1 foo(".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000) + [0x0A],
      Array("1 foo({[<\"\\".utf8), Array("<... x resumed".utf8), Array("[pid ".utf8), Array("1 +++ killed by".utf8),
      Array("1 x(3<<<<<<<<) = 3<<<\n1 --- SIG".utf8), Array("1 f(/* unterminated ) = 0\n".utf8),
    ]
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("()[]{}<>\"\\,=> |/*.0123456789xabcdef_-+?~\n\r\t".utf8) + [0, 0xC3, 0xFF]
    for _ in 0..<200 {
      inputs.append((0..<Int.random(in: 1..<300, using: &generator)).map { _ in alphabet.randomElement()! })
    }
    for input in inputs {
      _ = try? StraceTest.read(bytes: Array("1 getpid() = 1\n".utf8) + input)
    }
  }

  @Test func reusedTIDsAreNewLifetimes() throws {
    let text = """
      10 clone3({flags=CLONE_VM|CLONE_THREAD} => {parent_tid=[11]}, 88) = 11
      11 exit(0 <unfinished ...>
      11 +++ exited with 0 +++
      10 clone3({flags=CLONE_VM|CLONE_THREAD} => {parent_tid=[11]}, 88) = 11
      11 read(3,  <unfinished ...>
      11 +++ killed by SIGKILL +++

      """
    let output = try StraceTest.read(text)
    #expect(
      output.events.map { StraceTest.describe($0) } == [
        "10 clone3 = 11", "11 exit … [entryOnly]", "11 +++ exited 0", "10 clone3 = 11", "11 read … [entryOnly]",
        "11 +++ killed 9",
      ])
  }

  @Test func lineNumbersPointAtTheLog() throws {
    let text = "\n1 getpid() = 1\n\n2 read(3,  <unfinished ...>\n1 getpid() = 1\n2 <... read resumed>\"x\", 1) = 1\n"
    let output = try StraceTest.read(text)
    #expect(output.events.map { $0.origin?.line ?? 0 } == [2, 5, 4])
  }

  @Test func unknownPIDFallsBackToZeroWithOneWarning() throws {
    let text = (0..<20).map { _ in "brk(NULL) = 0x1\n" }.joined()
    let output = try StraceTest.read(text, options: StraceReadOptions(unknownPIDHoldLimit: 5))
    #expect(output.events.count == 20)
    #expect(output.events.allSatisfy { $0.tid == 0 })
    #expect(output.warnings.count == 1)
  }
}
