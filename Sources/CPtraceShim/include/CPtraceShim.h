#ifndef THREADTRACE_CPTRACESHIM_H
#define THREADTRACE_CPTRACESHIM_H
// Everything the engine needs that Swift cannot call or see: the wait-status macros (function-like macros do
// not import) and mirrors of kernel structs whose layout the engine reads out of tracee memory.
// Functions return 0 or -errno, never leave errno for Swift to read (Swift may run code in between).

#include <stdbool.h>
#include <stdint.h>

static inline bool cpt_wifstopped(int status) { return (status & 0xff) == 0x7f; }
static inline bool cpt_wifexited(int status) { return (status & 0x7f) == 0; }
static inline bool cpt_wifsignaled(int status) { return ((signed char)((status & 0x7f) + 1) >> 1) > 0; }
static inline int cpt_wexitstatus(int status) { return (status & 0xff00) >> 8; }
static inline int cpt_wtermsig(int status) { return status & 0x7f; }
static inline bool cpt_wcoredump(int status) { return (status & 0x80) != 0; }
static inline int cpt_wstopsig(int status) { return (status & 0xff00) >> 8; }
/// The PTRACE_EVENT_* number of a ptrace event stop (status >> 16), 0 for other stops.
static inline int cpt_wptrace_event(int status) { return (status >> 16) & 0xff; }

/// `struct clone_args` (include/uapi/linux/sched.h), CLONE_ARGS_SIZE_VER2 = 88 bytes. Mirrored so the layout the
/// engine decodes is pinned by _Static_assert in layout.c even where the libc headers lack the struct.
typedef struct cpt_clone_args {
  uint64_t flags;
  uint64_t pidfd;
  uint64_t child_tid;
  uint64_t parent_tid;
  uint64_t exit_signal;
  uint64_t stack;
  uint64_t stack_size;
  uint64_t tls;
  uint64_t set_tid;
  uint64_t set_tid_size;
  uint64_t cgroup;
} cpt_clone_args;

/// `struct robust_list_head` (include/uapi/linux/futex.h) for a 64-bit tracee.
typedef struct cpt_robust_list_head {
  uint64_t list_next;
  int64_t futex_offset;
  uint64_t list_op_pending;
} cpt_robust_list_head;

/// The fixed part of `struct rseq` (include/uapi/linux/rseq.h): 32 bytes; the kernel may accept a longer one
/// (rseq_len = AT_RSEQ_FEATURE_SIZE).
typedef struct cpt_rseq {
  uint32_t cpu_id_start;
  uint32_t cpu_id;
  uint64_t rseq_cs;
  uint32_t flags;
  uint32_t node_id;
  uint32_t mm_cid;
  uint32_t padding;
} cpt_rseq;

/// Sizes of the mirrored structs, for the engine's reads and for tests.
extern const unsigned cpt_sizeof_clone_args;
extern const unsigned cpt_sizeof_robust_list_head;
extern const unsigned cpt_sizeof_rseq;

// MARK: ptrace requests (ptrace.c): one typed function per request shape, each returning 0 or -errno.
// ptrace(2) is variadic, which Swift cannot call, and errno must be read before anything else runs.

#include <sys/types.h>

/// PTRACE_O_* options, as plain constants (glibc's enum imports as a distinct Swift type).
extern const unsigned cpt_option_tracesysgood, cpt_option_tracefork, cpt_option_tracevfork, cpt_option_traceclone,
    cpt_option_traceexec, cpt_option_traceexit, cpt_option_traceseccomp, cpt_option_exitkill;

int cpt_seize(pid_t tid, unsigned options);
int cpt_interrupt(pid_t tid);
/// Resume until the next syscall entry or exit (PTRACE_SYSCALL), delivering `signal` (0: none).
int cpt_syscall(pid_t tid, int signal);
/// Resume until the next event, signal or seccomp stop (PTRACE_CONT), delivering `signal` (0: none).
int cpt_cont(pid_t tid, int signal);
/// Leave a group-stopped tracee stopped but able to report SIGCONT (PTRACE_LISTEN, SEIZE only).
int cpt_listen(pid_t tid);
int cpt_detach(pid_t tid, int signal);
int cpt_geteventmsg(pid_t tid, unsigned long *_Nonnull message);

/// The parts of siginfo_t the engine reports.
typedef struct cpt_siginfo {
  int32_t signo;
  int32_t code;
  int32_t errno_value;
  int32_t sender_pid;
  uint32_t sender_uid;
  uint64_t fault_address;
} cpt_siginfo;
int cpt_getsiginfo(pid_t tid, cpt_siginfo *_Nonnull info);

/// PTRACE_GET_SYSCALL_INFO flattened: the union of struct ptrace_syscall_info as plain fields.
typedef struct cpt_syscall_info {
  uint8_t op;  // 0 none, 1 entry, 2 exit, 3 seccomp (PTRACE_SYSCALL_INFO_*)
  uint32_t arch;  // AUDIT_ARCH_*: the ABI of the call, which orig_rax alone cannot tell (int 0x80)
  uint64_t instruction_pointer;
  uint64_t stack_pointer;
  uint64_t nr;
  uint64_t args[6];
  int64_t rval;
  uint8_t is_error;
  uint32_t ret_data;
} cpt_syscall_info;
/// AUDIT_ARCH_X86_64 and AUDIT_ARCH_I386.
extern const uint32_t cpt_audit_arch_x86_64, cpt_audit_arch_i386;
int cpt_get_syscall_info(pid_t tid, cpt_syscall_info *_Nonnull info);

/// `get_robust_list(2)` for another task (the tracer may: it passes the PTRACE_MODE_READ check): the head the
/// task registered with `set_robust_list` and its length; head 0 when it registered none. The native list only:
/// an i386 task's is the compat one, which a 64-bit caller cannot read.
int cpt_get_robust_list(pid_t tid, uint64_t *_Nonnull head, uint64_t *_Nonnull length);

/// `struct ptrace_rseq_configuration` (PTRACE_GET_RSEQ_CONFIGURATION, Linux 5.13): address 0 when none.
typedef struct cpt_rseq_configuration {
  uint64_t address;
  uint32_t length;
  uint32_t flags;
  uint32_t signature;
} cpt_rseq_configuration;
int cpt_get_rseq_configuration(pid_t tid, cpt_rseq_configuration *_Nonnull configuration);

/// The general-purpose registers the engine looks at.
typedef struct cpt_regs {
  uint64_t rip, rsp, rax, orig_rax, rdi, rsi, rdx, r10, r8, r9, fs_base;
} cpt_regs;
int cpt_getregs(pid_t tid, cpt_regs *_Nonnull regs);

/// Reads `length` bytes at `address` of `tid` into `buffer`: process_vm_readv, falling back to PTRACE_PEEKDATA
/// word by word where process_vm_readv is refused. Returns the number of bytes read (maybe short, at an unmapped
/// page), or -errno when nothing could be read.
long cpt_read_memory(pid_t tid, uint64_t address, void *_Nonnull buffer, size_t length);

// MARK: spawning the tracee (spawn.c)

/// A child forked by `cpt_spawn`, blocked until `cpt_spawn_release`.
typedef struct cpt_spawned {
  pid_t pid;
  /// Closing this lets the child go on (it blocks reading the other end).
  int release_fd;
  /// The child writes a `cpt_spawn_failure` here if it cannot exec; CLOEXEC, so a successful exec closes it.
  int failure_fd;
} cpt_spawned;

/// What the child reports on `failure_fd` before it exits with 127.
typedef struct cpt_spawn_failure {
  /// 1: installing the seccomp filter, 2: execvp.
  int32_t stage;
  int32_t error;
} cpt_spawn_failure;

/// Forks a child that waits until released, then resets the signal dispositions and mask the tracer changed,
/// optionally sets PR_SET_NO_NEW_PRIVS and installs the classic-BPF program `filter` (`filter_length`
/// instructions of 8 bytes, built by the parent: nothing but async-signal-safe calls run in the child), and
/// execvp(`file`, `argv`). `argv` ends with NULL. Returns 0 or -errno (fork or pipe failed).
int cpt_spawn(const char *_Nonnull file, char *const _Nullable *_Nonnull argv, const void *_Nullable filter,
              unsigned short filter_length, cpt_spawned *_Nonnull spawned);
/// Records the signals threadtrace was started with ignored, before it changes its own handlers (call it
/// first). `cpt_spawn`'s child ignores those again, so the command gets what it would have had untraced: a signal
/// `nohup` ignored stays ignored.
void cpt_save_inherited_signals(void);
/// Lets the child continue to its exec. Call it after PTRACE_SEIZE.
void cpt_spawn_release(cpt_spawned *_Nonnull spawned);
/// Reads the child's failure report without blocking: 1 if one was read into `failure`, 0 if none (yet), -errno.
int cpt_spawn_read_failure(int failure_fd, cpt_spawn_failure *_Nonnull failure);
/// memfd_create(name, MFD_CLOEXEC) (needs _GNU_SOURCE, so Glibc does not show it to Swift): fd or -errno.
int cpt_memfd(const char *_Nonnull name);

/// Whether `path` carries file capabilities (the `security.capability` extended attribute): 1, 0, or -errno.
/// <sys/xattr.h> is not part of Swift's Glibc module.
int cpt_has_file_capabilities(const char *_Nonnull path);

// MARK: taskstats (taskstats.c)

/// A generic netlink socket (close-on-exec) for the TASKSTATS family, whose id goes to `family`: the fd, or -errno
/// (ENOENT: a kernel without CONFIG_TASKSTATS).
int cpt_taskstats_open(uint16_t *_Nonnull family);
/// A task's voluntary and involuntary context switches (`struct taskstats` `nvcsw`/`nivcsw`, the counters
/// /proc/TID/status prints), asked with TASKSTATS_CMD_GET under request number `sequence`. 0, or -errno: EPERM
/// without CAP_NET_ADMIN, ESRCH when the task is gone.
int cpt_taskstats_switches(int fd, uint16_t family, pid_t tid, uint32_t sequence, uint64_t *_Nonnull voluntary,
                           uint64_t *_Nonnull involuntary);

// MARK: unwinding (unwind.c)

/// libunwind-ptrace's accessors (an `unw_accessors_t *` for `unw_create_addr_space`) with `access_reg` and
/// `access_mem` wrapped: during an unwind session (`cpt_unwind_begin` … `cpt_unwind_end`) registers come from one
/// PTRACE_GETREGS and memory from page-sized process_vm_readv reads, and the unwind can start from the caller of
/// a frame that has no unwind info (`cpt_unwind_start_at`).
void *_Nonnull cpt_unwind_accessors(void);
/// Starts an unwind of `tid` (ptrace-stopped) through `handle` (its `_UPT_create` handle), on the calling thread.
/// Returns 0, or -errno when the registers could not be read (libunwind then reads them itself).
int cpt_unwind_begin(void *_Nonnull handle, pid_t tid);
/// From now on in this session, reads of IP and SP give `ip` and `sp` instead of the task's registers.
void cpt_unwind_start_at(uint64_t ip, uint64_t sp);
/// R12 as the session's PTRACE_GETREGS read it (0 outside a session): where Go's `syscall.rawVforkSyscall` keeps
/// its return address while in the syscall.
uint64_t cpt_unwind_r12(void);
/// Ends the session: forgets the registers and memory read.
void cpt_unwind_end(void);

#endif
