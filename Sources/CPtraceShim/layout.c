// Pins the mirrored kernel structs to the kernel's own layout. If a header here lacks one of them, the
// corresponding check is skipped; the mirror stays, because the engine reads tracee memory, not our headers.
#include "CPtraceShim.h"

#include <linux/futex.h>
#include <linux/sched.h>
#include <stddef.h>

#ifdef CLONE_ARGS_SIZE_VER2
_Static_assert(sizeof(cpt_clone_args) == CLONE_ARGS_SIZE_VER2, "cpt_clone_args differs from CLONE_ARGS_SIZE_VER2");
_Static_assert(sizeof(cpt_clone_args) == sizeof(struct clone_args), "cpt_clone_args differs from struct clone_args");
_Static_assert(offsetof(cpt_clone_args, tls) == offsetof(struct clone_args, tls), "clone_args.tls moved");
_Static_assert(offsetof(cpt_clone_args, cgroup) == offsetof(struct clone_args, cgroup), "clone_args.cgroup moved");
#endif
_Static_assert(sizeof(cpt_robust_list_head) == 24, "robust_list_head is 24 bytes on 64-bit");
_Static_assert(sizeof(cpt_rseq) == 32, "struct rseq's original size is 32 bytes");

const unsigned cpt_sizeof_clone_args = sizeof(cpt_clone_args);
const unsigned cpt_sizeof_robust_list_head = sizeof(cpt_robust_list_head);
const unsigned cpt_sizeof_rseq = sizeof(cpt_rseq);
