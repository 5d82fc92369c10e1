// The clone flags, from the kernel's own header: glibc's <sched.h> has only some of them.
#include <linux/sched.h>

#include "ckh_internal.h"

const struct ckh_entry ckh_kernel_sched[] = {
    K(CSIGNAL),
    K(CLONE_VM),
    K(CLONE_FS),
    K(CLONE_FILES),
    K(CLONE_SIGHAND),
    K(CLONE_PIDFD),
    K(CLONE_PTRACE),
    K(CLONE_VFORK),
    K(CLONE_PARENT),
    K(CLONE_THREAD),
    K(CLONE_NEWNS),
    K(CLONE_SYSVSEM),
    K(CLONE_SETTLS),
    K(CLONE_PARENT_SETTID),
    K(CLONE_CHILD_CLEARTID),
    K(CLONE_DETACHED),
    K(CLONE_UNTRACED),
    K(CLONE_CHILD_SETTID),
    K(CLONE_NEWCGROUP),
    K(CLONE_NEWUTS),
    K(CLONE_NEWIPC),
    K(CLONE_NEWUSER),
    K(CLONE_NEWPID),
    K(CLONE_NEWNET),
    K(CLONE_IO),
    K(CLONE_NEWTIME),
    K(CLONE_CLEAR_SIGHAND),
    K(CLONE_INTO_CGROUP),
#ifdef CLONE_AUTOREAP
    K(CLONE_AUTOREAP),
#endif
#ifdef CLONE_NNP
    K(CLONE_NNP),
#endif
#ifdef CLONE_PIDFD_AUTOKILL
    K(CLONE_PIDFD_AUTOKILL),
#endif
#ifdef CLONE_EMPTY_MNTNS
    K(CLONE_EMPTY_MNTNS),
#endif
};
const size_t ckh_kernel_sched_count = sizeof(ckh_kernel_sched) / sizeof(ckh_kernel_sched[0]);
