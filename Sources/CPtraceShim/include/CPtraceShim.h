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

#endif
