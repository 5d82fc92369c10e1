// futex, rseq, prctl, arch_prctl, signal, errno, fcntl and wait constants from the kernel's headers alone: glibc's
// <signal.h>, <fcntl.h> and <sys/wait.h> define the same names in conflicting ways (glibc's O_LARGEFILE is 0 on
// x86_64, its SIGRTMIN is a function call returning 34).
#include <asm/prctl.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/futex.h>
#include <linux/prctl.h>
#include <linux/rseq.h>
#include <linux/signal.h>
#include <linux/wait.h>

#include "ckh_internal.h"

const struct ckh_entry ckh_kernel_misc[] = {
    K(FUTEX_WAIT),
    K(FUTEX_WAKE),
    K(FUTEX_FD),
    K(FUTEX_REQUEUE),
    K(FUTEX_CMP_REQUEUE),
    K(FUTEX_WAKE_OP),
    K(FUTEX_LOCK_PI),
    K(FUTEX_UNLOCK_PI),
    K(FUTEX_TRYLOCK_PI),
    K(FUTEX_WAIT_BITSET),
    K(FUTEX_WAKE_BITSET),
    K(FUTEX_WAIT_REQUEUE_PI),
    K(FUTEX_CMP_REQUEUE_PI),
    K(FUTEX_LOCK_PI2),
    K(FUTEX_PRIVATE_FLAG),
    K(FUTEX_CLOCK_REALTIME),
#ifdef FUTEX_ROBUST_UNLOCK
    K(FUTEX_ROBUST_UNLOCK),
    K(FUTEX_ROBUST_LIST32),
#endif
    K(FUTEX_WAIT_PRIVATE),
    K(FUTEX_WAKE_PRIVATE),
    K(FUTEX_REQUEUE_PRIVATE),
    K(FUTEX_CMP_REQUEUE_PRIVATE),
    K(FUTEX_WAKE_OP_PRIVATE),
    K(FUTEX_LOCK_PI_PRIVATE),
    K(FUTEX_LOCK_PI2_PRIVATE),
    K(FUTEX_UNLOCK_PI_PRIVATE),
    K(FUTEX_TRYLOCK_PI_PRIVATE),
    K(FUTEX_WAIT_BITSET_PRIVATE),
    K(FUTEX_WAKE_BITSET_PRIVATE),
    K(FUTEX_WAIT_REQUEUE_PI_PRIVATE),
    K(FUTEX_CMP_REQUEUE_PI_PRIVATE),
#ifdef FUTEX_UNLOCK_PI_LIST64
    K(FUTEX_UNLOCK_PI_LIST64),
    K(FUTEX_UNLOCK_PI_LIST64_PRIVATE),
    K(FUTEX_UNLOCK_PI_LIST32),
    K(FUTEX_UNLOCK_PI_LIST32_PRIVATE),
    K(FUTEX_UNLOCK_WAKE_LIST64),
    K(FUTEX_UNLOCK_WAKE_LIST64_PRIVATE),
    K(FUTEX_UNLOCK_WAKE_LIST32),
    K(FUTEX_UNLOCK_WAKE_LIST32_PRIVATE),
    K(FUTEX_UNLOCK_BITSET_LIST64),
    K(FUTEX_UNLOCK_BITSET_LIST64_PRIVATE),
    K(FUTEX_UNLOCK_BITSET_LIST32),
    K(FUTEX_UNLOCK_BITSET_LIST32_PRIVATE),
#endif
    K(FUTEX_BITSET_MATCH_ANY),
    K(FUTEX_OP_SET),
    K(FUTEX_OP_ADD),
    K(FUTEX_OP_OR),
    K(FUTEX_OP_ANDN),
    K(FUTEX_OP_XOR),
    K(FUTEX_OP_OPARG_SHIFT),
    K(FUTEX_OP_CMP_EQ),
    K(FUTEX_OP_CMP_NE),
    K(FUTEX_OP_CMP_LT),
    K(FUTEX_OP_CMP_LE),
    K(FUTEX_OP_CMP_GT),
    K(FUTEX_OP_CMP_GE),
    K(FUTEX_WAITV_MAX),
#ifdef FUTEX2_SIZE_MASK
    K(FUTEX2_SIZE_U8),
    K(FUTEX2_SIZE_U16),
    K(FUTEX2_SIZE_U32),
    K(FUTEX2_SIZE_U64),
    K(FUTEX2_NUMA),
    K(FUTEX2_PRIVATE),
    K(FUTEX2_SIZE_MASK),
#endif
#ifdef FUTEX2_MPOL
    K(FUTEX2_MPOL),
#endif

    // Enumerators, not macros: #ifdef cannot see them, so only those of Linux 6.1's header are listed.
    K(RSEQ_FLAG_UNREGISTER),
    K(RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT),
    K(RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL),
    K(RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE),

#ifdef PR_SET_PDEATHSIG
    K(PR_SET_PDEATHSIG),
#endif
#ifdef PR_GET_PDEATHSIG
    K(PR_GET_PDEATHSIG),
#endif
#ifdef PR_GET_DUMPABLE
    K(PR_GET_DUMPABLE),
#endif
#ifdef PR_SET_DUMPABLE
    K(PR_SET_DUMPABLE),
#endif
#ifdef PR_GET_UNALIGN
    K(PR_GET_UNALIGN),
#endif
#ifdef PR_SET_UNALIGN
    K(PR_SET_UNALIGN),
#endif
#ifdef PR_GET_KEEPCAPS
    K(PR_GET_KEEPCAPS),
#endif
#ifdef PR_SET_KEEPCAPS
    K(PR_SET_KEEPCAPS),
#endif
#ifdef PR_GET_FPEMU
    K(PR_GET_FPEMU),
#endif
#ifdef PR_SET_FPEMU
    K(PR_SET_FPEMU),
#endif
#ifdef PR_GET_FPEXC
    K(PR_GET_FPEXC),
#endif
#ifdef PR_SET_FPEXC
    K(PR_SET_FPEXC),
#endif
#ifdef PR_GET_TIMING
    K(PR_GET_TIMING),
#endif
#ifdef PR_SET_TIMING
    K(PR_SET_TIMING),
#endif
#ifdef PR_SET_NAME
    K(PR_SET_NAME),
#endif
#ifdef PR_GET_NAME
    K(PR_GET_NAME),
#endif
#ifdef PR_GET_ENDIAN
    K(PR_GET_ENDIAN),
#endif
#ifdef PR_SET_ENDIAN
    K(PR_SET_ENDIAN),
#endif
#ifdef PR_GET_SECCOMP
    K(PR_GET_SECCOMP),
#endif
#ifdef PR_SET_SECCOMP
    K(PR_SET_SECCOMP),
#endif
#ifdef PR_CAPBSET_READ
    K(PR_CAPBSET_READ),
#endif
#ifdef PR_CAPBSET_DROP
    K(PR_CAPBSET_DROP),
#endif
#ifdef PR_GET_TSC
    K(PR_GET_TSC),
#endif
#ifdef PR_SET_TSC
    K(PR_SET_TSC),
#endif
#ifdef PR_GET_SECUREBITS
    K(PR_GET_SECUREBITS),
#endif
#ifdef PR_SET_SECUREBITS
    K(PR_SET_SECUREBITS),
#endif
#ifdef PR_SET_TIMERSLACK
    K(PR_SET_TIMERSLACK),
#endif
#ifdef PR_GET_TIMERSLACK
    K(PR_GET_TIMERSLACK),
#endif
#ifdef PR_TASK_PERF_EVENTS_DISABLE
    K(PR_TASK_PERF_EVENTS_DISABLE),
#endif
#ifdef PR_TASK_PERF_EVENTS_ENABLE
    K(PR_TASK_PERF_EVENTS_ENABLE),
#endif
#ifdef PR_MCE_KILL
    K(PR_MCE_KILL),
#endif
#ifdef PR_MCE_KILL_GET
    K(PR_MCE_KILL_GET),
#endif
#ifdef PR_SET_MM
    K(PR_SET_MM),
#endif
#ifdef PR_SET_PTRACER
    K(PR_SET_PTRACER),
#endif
#ifdef PR_SET_CHILD_SUBREAPER
    K(PR_SET_CHILD_SUBREAPER),
#endif
#ifdef PR_GET_CHILD_SUBREAPER
    K(PR_GET_CHILD_SUBREAPER),
#endif
#ifdef PR_SET_NO_NEW_PRIVS
    K(PR_SET_NO_NEW_PRIVS),
#endif
#ifdef PR_GET_NO_NEW_PRIVS
    K(PR_GET_NO_NEW_PRIVS),
#endif
#ifdef PR_GET_TID_ADDRESS
    K(PR_GET_TID_ADDRESS),
#endif
#ifdef PR_SET_THP_DISABLE
    K(PR_SET_THP_DISABLE),
#endif
#ifdef PR_GET_THP_DISABLE
    K(PR_GET_THP_DISABLE),
#endif
#ifdef PR_MPX_ENABLE_MANAGEMENT
    K(PR_MPX_ENABLE_MANAGEMENT),
#endif
#ifdef PR_MPX_DISABLE_MANAGEMENT
    K(PR_MPX_DISABLE_MANAGEMENT),
#endif
#ifdef PR_SET_FP_MODE
    K(PR_SET_FP_MODE),
#endif
#ifdef PR_GET_FP_MODE
    K(PR_GET_FP_MODE),
#endif
#ifdef PR_CAP_AMBIENT
    K(PR_CAP_AMBIENT),
#endif
#ifdef PR_SVE_SET_VL
    K(PR_SVE_SET_VL),
#endif
#ifdef PR_SVE_GET_VL
    K(PR_SVE_GET_VL),
#endif
#ifdef PR_GET_SPECULATION_CTRL
    K(PR_GET_SPECULATION_CTRL),
#endif
#ifdef PR_SET_SPECULATION_CTRL
    K(PR_SET_SPECULATION_CTRL),
#endif
#ifdef PR_PAC_RESET_KEYS
    K(PR_PAC_RESET_KEYS),
#endif
#ifdef PR_SET_TAGGED_ADDR_CTRL
    K(PR_SET_TAGGED_ADDR_CTRL),
#endif
#ifdef PR_GET_TAGGED_ADDR_CTRL
    K(PR_GET_TAGGED_ADDR_CTRL),
#endif
#ifdef PR_SET_IO_FLUSHER
    K(PR_SET_IO_FLUSHER),
#endif
#ifdef PR_GET_IO_FLUSHER
    K(PR_GET_IO_FLUSHER),
#endif
#ifdef PR_SET_SYSCALL_USER_DISPATCH
    K(PR_SET_SYSCALL_USER_DISPATCH),
#endif
#ifdef PR_PAC_SET_ENABLED_KEYS
    K(PR_PAC_SET_ENABLED_KEYS),
#endif
#ifdef PR_PAC_GET_ENABLED_KEYS
    K(PR_PAC_GET_ENABLED_KEYS),
#endif
#ifdef PR_SCHED_CORE
    K(PR_SCHED_CORE),
#endif
#ifdef PR_SME_SET_VL
    K(PR_SME_SET_VL),
#endif
#ifdef PR_SME_GET_VL
    K(PR_SME_GET_VL),
#endif
#ifdef PR_SET_MDWE
    K(PR_SET_MDWE),
#endif
#ifdef PR_GET_MDWE
    K(PR_GET_MDWE),
#endif
#ifdef PR_SET_VMA
    K(PR_SET_VMA),
#endif
#ifdef PR_SET_VMA_ANON_NAME
    K(PR_SET_VMA_ANON_NAME),
#endif
#ifdef PR_GET_AUXV
    K(PR_GET_AUXV),
#endif
#ifdef PR_SET_MEMORY_MERGE
    K(PR_SET_MEMORY_MERGE),
#endif
#ifdef PR_GET_MEMORY_MERGE
    K(PR_GET_MEMORY_MERGE),
#endif
#ifdef PR_RISCV_V_SET_CONTROL
    K(PR_RISCV_V_SET_CONTROL),
#endif
#ifdef PR_RISCV_V_GET_CONTROL
    K(PR_RISCV_V_GET_CONTROL),
#endif
#ifdef PR_RISCV_SET_ICACHE_FLUSH_CTX
    K(PR_RISCV_SET_ICACHE_FLUSH_CTX),
#endif
#ifdef PR_PPC_GET_DEXCR
    K(PR_PPC_GET_DEXCR),
#endif
#ifdef PR_PPC_SET_DEXCR
    K(PR_PPC_SET_DEXCR),
#endif
#ifdef PR_GET_SHADOW_STACK_STATUS
    K(PR_GET_SHADOW_STACK_STATUS),
#endif
#ifdef PR_SET_SHADOW_STACK_STATUS
    K(PR_SET_SHADOW_STACK_STATUS),
#endif
#ifdef PR_LOCK_SHADOW_STACK_STATUS
    K(PR_LOCK_SHADOW_STACK_STATUS),
#endif
#ifdef PR_TIMER_CREATE_RESTORE_IDS
    K(PR_TIMER_CREATE_RESTORE_IDS),
#endif
#ifdef PR_FUTEX_HASH
    K(PR_FUTEX_HASH),
#endif
#ifdef PR_RSEQ_SLICE_EXTENSION
    K(PR_RSEQ_SLICE_EXTENSION),
#endif
#ifdef PR_GET_CFI
    K(PR_GET_CFI),
#endif
#ifdef PR_SET_CFI
    K(PR_SET_CFI),
#endif
#ifdef ARCH_SET_GS
    K(ARCH_SET_GS),
#endif
#ifdef ARCH_SET_FS
    K(ARCH_SET_FS),
#endif
#ifdef ARCH_GET_FS
    K(ARCH_GET_FS),
#endif
#ifdef ARCH_GET_GS
    K(ARCH_GET_GS),
#endif
#ifdef ARCH_GET_CPUID
    K(ARCH_GET_CPUID),
#endif
#ifdef ARCH_SET_CPUID
    K(ARCH_SET_CPUID),
#endif
#ifdef ARCH_GET_XCOMP_SUPP
    K(ARCH_GET_XCOMP_SUPP),
#endif
#ifdef ARCH_GET_XCOMP_PERM
    K(ARCH_GET_XCOMP_PERM),
#endif
#ifdef ARCH_REQ_XCOMP_PERM
    K(ARCH_REQ_XCOMP_PERM),
#endif
#ifdef ARCH_GET_XCOMP_GUEST_PERM
    K(ARCH_GET_XCOMP_GUEST_PERM),
#endif
#ifdef ARCH_REQ_XCOMP_GUEST_PERM
    K(ARCH_REQ_XCOMP_GUEST_PERM),
#endif
#ifdef ARCH_MAP_VDSO_X32
    K(ARCH_MAP_VDSO_X32),
#endif
#ifdef ARCH_MAP_VDSO_32
    K(ARCH_MAP_VDSO_32),
#endif
#ifdef ARCH_MAP_VDSO_64
    K(ARCH_MAP_VDSO_64),
#endif
#ifdef ARCH_GET_UNTAG_MASK
    K(ARCH_GET_UNTAG_MASK),
#endif
#ifdef ARCH_ENABLE_TAGGED_ADDR
    K(ARCH_ENABLE_TAGGED_ADDR),
#endif
#ifdef ARCH_GET_MAX_TAG_BITS
    K(ARCH_GET_MAX_TAG_BITS),
#endif
#ifdef ARCH_FORCE_TAGGED_SVA
    K(ARCH_FORCE_TAGGED_SVA),
#endif
#ifdef ARCH_SHSTK_ENABLE
    K(ARCH_SHSTK_ENABLE),
#endif
#ifdef ARCH_SHSTK_DISABLE
    K(ARCH_SHSTK_DISABLE),
#endif
#ifdef ARCH_SHSTK_LOCK
    K(ARCH_SHSTK_LOCK),
#endif
#ifdef ARCH_SHSTK_UNLOCK
    K(ARCH_SHSTK_UNLOCK),
#endif
#ifdef ARCH_SHSTK_STATUS
    K(ARCH_SHSTK_STATUS),
#endif
#ifdef SS_ONSTACK
    K(SS_ONSTACK),
#endif
#ifdef SS_DISABLE
    K(SS_DISABLE),
#endif
#ifdef SS_AUTODISARM
    K(SS_AUTODISARM),
#endif
#ifdef SIG_BLOCK
    K(SIG_BLOCK),
#endif
#ifdef SIG_UNBLOCK
    K(SIG_UNBLOCK),
#endif
#ifdef SIG_SETMASK
    K(SIG_SETMASK),
#endif
#ifdef SIGHUP
    K(SIGHUP),
#endif
#ifdef SIGINT
    K(SIGINT),
#endif
#ifdef SIGQUIT
    K(SIGQUIT),
#endif
#ifdef SIGILL
    K(SIGILL),
#endif
#ifdef SIGTRAP
    K(SIGTRAP),
#endif
#ifdef SIGABRT
    K(SIGABRT),
#endif
#ifdef SIGIOT
    K(SIGIOT),
#endif
#ifdef SIGBUS
    K(SIGBUS),
#endif
#ifdef SIGFPE
    K(SIGFPE),
#endif
#ifdef SIGKILL
    K(SIGKILL),
#endif
#ifdef SIGUSR1
    K(SIGUSR1),
#endif
#ifdef SIGSEGV
    K(SIGSEGV),
#endif
#ifdef SIGUSR2
    K(SIGUSR2),
#endif
#ifdef SIGPIPE
    K(SIGPIPE),
#endif
#ifdef SIGALRM
    K(SIGALRM),
#endif
#ifdef SIGTERM
    K(SIGTERM),
#endif
#ifdef SIGSTKFLT
    K(SIGSTKFLT),
#endif
#ifdef SIGCHLD
    K(SIGCHLD),
#endif
#ifdef SIGCONT
    K(SIGCONT),
#endif
#ifdef SIGSTOP
    K(SIGSTOP),
#endif
#ifdef SIGTSTP
    K(SIGTSTP),
#endif
#ifdef SIGTTIN
    K(SIGTTIN),
#endif
#ifdef SIGTTOU
    K(SIGTTOU),
#endif
#ifdef SIGURG
    K(SIGURG),
#endif
#ifdef SIGXCPU
    K(SIGXCPU),
#endif
#ifdef SIGXFSZ
    K(SIGXFSZ),
#endif
#ifdef SIGVTALRM
    K(SIGVTALRM),
#endif
#ifdef SIGPROF
    K(SIGPROF),
#endif
#ifdef SIGWINCH
    K(SIGWINCH),
#endif
#ifdef SIGIO
    K(SIGIO),
#endif
#ifdef SIGPOLL
    K(SIGPOLL),
#endif
#ifdef SIGPWR
    K(SIGPWR),
#endif
#ifdef SIGSYS
    K(SIGSYS),
#endif
#ifdef SIGRTMIN
    K(SIGRTMIN),
#endif
// SIGRTMAX is left out: x86's userspace <asm/signal.h> defines it as _NSIG, which only the kernel defines.
#ifdef EPERM
    K(EPERM),
#endif
#ifdef ENOENT
    K(ENOENT),
#endif
#ifdef ESRCH
    K(ESRCH),
#endif
#ifdef EINTR
    K(EINTR),
#endif
#ifdef EIO
    K(EIO),
#endif
#ifdef ENXIO
    K(ENXIO),
#endif
#ifdef E2BIG
    K(E2BIG),
#endif
#ifdef ENOEXEC
    K(ENOEXEC),
#endif
#ifdef EBADF
    K(EBADF),
#endif
#ifdef ECHILD
    K(ECHILD),
#endif
#ifdef EAGAIN
    K(EAGAIN),
#endif
#ifdef ENOMEM
    K(ENOMEM),
#endif
#ifdef EACCES
    K(EACCES),
#endif
#ifdef EFAULT
    K(EFAULT),
#endif
#ifdef ENOTBLK
    K(ENOTBLK),
#endif
#ifdef EBUSY
    K(EBUSY),
#endif
#ifdef EEXIST
    K(EEXIST),
#endif
#ifdef EXDEV
    K(EXDEV),
#endif
#ifdef ENODEV
    K(ENODEV),
#endif
#ifdef ENOTDIR
    K(ENOTDIR),
#endif
#ifdef EISDIR
    K(EISDIR),
#endif
#ifdef EINVAL
    K(EINVAL),
#endif
#ifdef ENFILE
    K(ENFILE),
#endif
#ifdef EMFILE
    K(EMFILE),
#endif
#ifdef ENOTTY
    K(ENOTTY),
#endif
#ifdef ETXTBSY
    K(ETXTBSY),
#endif
#ifdef EFBIG
    K(EFBIG),
#endif
#ifdef ENOSPC
    K(ENOSPC),
#endif
#ifdef ESPIPE
    K(ESPIPE),
#endif
#ifdef EROFS
    K(EROFS),
#endif
#ifdef EMLINK
    K(EMLINK),
#endif
#ifdef EPIPE
    K(EPIPE),
#endif
#ifdef EDOM
    K(EDOM),
#endif
#ifdef ERANGE
    K(ERANGE),
#endif
#ifdef EDEADLK
    K(EDEADLK),
#endif
#ifdef ENAMETOOLONG
    K(ENAMETOOLONG),
#endif
#ifdef ENOLCK
    K(ENOLCK),
#endif
#ifdef ENOSYS
    K(ENOSYS),
#endif
#ifdef ENOTEMPTY
    K(ENOTEMPTY),
#endif
#ifdef ELOOP
    K(ELOOP),
#endif
#ifdef ENOMSG
    K(ENOMSG),
#endif
#ifdef EIDRM
    K(EIDRM),
#endif
#ifdef ECHRNG
    K(ECHRNG),
#endif
#ifdef EL2NSYNC
    K(EL2NSYNC),
#endif
#ifdef EL3HLT
    K(EL3HLT),
#endif
#ifdef EL3RST
    K(EL3RST),
#endif
#ifdef ELNRNG
    K(ELNRNG),
#endif
#ifdef EUNATCH
    K(EUNATCH),
#endif
#ifdef ENOCSI
    K(ENOCSI),
#endif
#ifdef EL2HLT
    K(EL2HLT),
#endif
#ifdef EBADE
    K(EBADE),
#endif
#ifdef EBADR
    K(EBADR),
#endif
#ifdef EXFULL
    K(EXFULL),
#endif
#ifdef ENOANO
    K(ENOANO),
#endif
#ifdef EBADRQC
    K(EBADRQC),
#endif
#ifdef EBADSLT
    K(EBADSLT),
#endif
#ifdef EBFONT
    K(EBFONT),
#endif
#ifdef ENOSTR
    K(ENOSTR),
#endif
#ifdef ENODATA
    K(ENODATA),
#endif
#ifdef ETIME
    K(ETIME),
#endif
#ifdef ENOSR
    K(ENOSR),
#endif
#ifdef ENONET
    K(ENONET),
#endif
#ifdef ENOPKG
    K(ENOPKG),
#endif
#ifdef EREMOTE
    K(EREMOTE),
#endif
#ifdef ENOLINK
    K(ENOLINK),
#endif
#ifdef EADV
    K(EADV),
#endif
#ifdef ESRMNT
    K(ESRMNT),
#endif
#ifdef ECOMM
    K(ECOMM),
#endif
#ifdef EPROTO
    K(EPROTO),
#endif
#ifdef EMULTIHOP
    K(EMULTIHOP),
#endif
#ifdef EDOTDOT
    K(EDOTDOT),
#endif
#ifdef EBADMSG
    K(EBADMSG),
#endif
#ifdef EOVERFLOW
    K(EOVERFLOW),
#endif
#ifdef ENOTUNIQ
    K(ENOTUNIQ),
#endif
#ifdef EBADFD
    K(EBADFD),
#endif
#ifdef EREMCHG
    K(EREMCHG),
#endif
#ifdef ELIBACC
    K(ELIBACC),
#endif
#ifdef ELIBBAD
    K(ELIBBAD),
#endif
#ifdef ELIBSCN
    K(ELIBSCN),
#endif
#ifdef ELIBMAX
    K(ELIBMAX),
#endif
#ifdef ELIBEXEC
    K(ELIBEXEC),
#endif
#ifdef EILSEQ
    K(EILSEQ),
#endif
#ifdef ERESTART
    K(ERESTART),
#endif
#ifdef ESTRPIPE
    K(ESTRPIPE),
#endif
#ifdef EUSERS
    K(EUSERS),
#endif
#ifdef ENOTSOCK
    K(ENOTSOCK),
#endif
#ifdef EDESTADDRREQ
    K(EDESTADDRREQ),
#endif
#ifdef EMSGSIZE
    K(EMSGSIZE),
#endif
#ifdef EPROTOTYPE
    K(EPROTOTYPE),
#endif
#ifdef ENOPROTOOPT
    K(ENOPROTOOPT),
#endif
#ifdef EPROTONOSUPPORT
    K(EPROTONOSUPPORT),
#endif
#ifdef ESOCKTNOSUPPORT
    K(ESOCKTNOSUPPORT),
#endif
#ifdef EOPNOTSUPP
    K(EOPNOTSUPP),
#endif
#ifdef EPFNOSUPPORT
    K(EPFNOSUPPORT),
#endif
#ifdef EAFNOSUPPORT
    K(EAFNOSUPPORT),
#endif
#ifdef EADDRINUSE
    K(EADDRINUSE),
#endif
#ifdef EADDRNOTAVAIL
    K(EADDRNOTAVAIL),
#endif
#ifdef ENETDOWN
    K(ENETDOWN),
#endif
#ifdef ENETUNREACH
    K(ENETUNREACH),
#endif
#ifdef ENETRESET
    K(ENETRESET),
#endif
#ifdef ECONNABORTED
    K(ECONNABORTED),
#endif
#ifdef ECONNRESET
    K(ECONNRESET),
#endif
#ifdef ENOBUFS
    K(ENOBUFS),
#endif
#ifdef EISCONN
    K(EISCONN),
#endif
#ifdef ENOTCONN
    K(ENOTCONN),
#endif
#ifdef ESHUTDOWN
    K(ESHUTDOWN),
#endif
#ifdef ETOOMANYREFS
    K(ETOOMANYREFS),
#endif
#ifdef ETIMEDOUT
    K(ETIMEDOUT),
#endif
#ifdef ECONNREFUSED
    K(ECONNREFUSED),
#endif
#ifdef EHOSTDOWN
    K(EHOSTDOWN),
#endif
#ifdef EHOSTUNREACH
    K(EHOSTUNREACH),
#endif
#ifdef EALREADY
    K(EALREADY),
#endif
#ifdef EINPROGRESS
    K(EINPROGRESS),
#endif
#ifdef ESTALE
    K(ESTALE),
#endif
#ifdef EUCLEAN
    K(EUCLEAN),
#endif
#ifdef ENOTNAM
    K(ENOTNAM),
#endif
#ifdef ENAVAIL
    K(ENAVAIL),
#endif
#ifdef EISNAM
    K(EISNAM),
#endif
#ifdef EREMOTEIO
    K(EREMOTEIO),
#endif
#ifdef EDQUOT
    K(EDQUOT),
#endif
#ifdef ENOMEDIUM
    K(ENOMEDIUM),
#endif
#ifdef EMEDIUMTYPE
    K(EMEDIUMTYPE),
#endif
#ifdef ECANCELED
    K(ECANCELED),
#endif
#ifdef ENOKEY
    K(ENOKEY),
#endif
#ifdef EKEYEXPIRED
    K(EKEYEXPIRED),
#endif
#ifdef EKEYREVOKED
    K(EKEYREVOKED),
#endif
#ifdef EKEYREJECTED
    K(EKEYREJECTED),
#endif
#ifdef EOWNERDEAD
    K(EOWNERDEAD),
#endif
#ifdef ENOTRECOVERABLE
    K(ENOTRECOVERABLE),
#endif
#ifdef ERFKILL
    K(ERFKILL),
#endif
#ifdef EHWPOISON
    K(EHWPOISON),
#endif
#ifdef EWOULDBLOCK
    K(EWOULDBLOCK),
#endif
#ifdef EDEADLOCK
    K(EDEADLOCK),
#endif
#ifdef O_ACCMODE
    K(O_ACCMODE),
#endif
#ifdef O_RDONLY
    K(O_RDONLY),
#endif
#ifdef O_WRONLY
    K(O_WRONLY),
#endif
#ifdef O_RDWR
    K(O_RDWR),
#endif
#ifdef O_CREAT
    K(O_CREAT),
#endif
#ifdef O_EXCL
    K(O_EXCL),
#endif
#ifdef O_NOCTTY
    K(O_NOCTTY),
#endif
#ifdef O_TRUNC
    K(O_TRUNC),
#endif
#ifdef O_APPEND
    K(O_APPEND),
#endif
#ifdef O_NONBLOCK
    K(O_NONBLOCK),
#endif
#ifdef O_NDELAY
    K(O_NDELAY),
#endif
#ifdef O_SYNC
    K(O_SYNC),
#endif
#ifdef __O_SYNC
    K(__O_SYNC),
#endif
#ifdef O_DSYNC
    K(O_DSYNC),
#endif
#ifdef O_DIRECT
    K(O_DIRECT),
#endif
#ifdef O_LARGEFILE
    K(O_LARGEFILE),
#endif
#ifdef O_NOFOLLOW
    K(O_NOFOLLOW),
#endif
#ifdef O_NOATIME
    K(O_NOATIME),
#endif
#ifdef O_CLOEXEC
    K(O_CLOEXEC),
#endif
#ifdef O_PATH
    K(O_PATH),
#endif
#ifdef O_TMPFILE
    K(O_TMPFILE),
#endif
#ifdef __O_TMPFILE
    K(__O_TMPFILE),
#endif
#ifdef O_DIRECTORY
    K(O_DIRECTORY),
#endif
#ifdef O_EMPTYPATH
    K(O_EMPTYPATH),
#endif
#ifdef FASYNC
    K(FASYNC),
#endif
#ifdef AT_FDCWD
    K(AT_FDCWD),
#endif
#ifdef AT_SYMLINK_NOFOLLOW
    K(AT_SYMLINK_NOFOLLOW),
#endif
#ifdef AT_REMOVEDIR
    K(AT_REMOVEDIR),
#endif
#ifdef AT_SYMLINK_FOLLOW
    K(AT_SYMLINK_FOLLOW),
#endif
#ifdef AT_NO_AUTOMOUNT
    K(AT_NO_AUTOMOUNT),
#endif
#ifdef AT_EMPTY_PATH
    K(AT_EMPTY_PATH),
#endif
#ifdef AT_RECURSIVE
    K(AT_RECURSIVE),
#endif
#ifdef AT_EXECVE_CHECK
    K(AT_EXECVE_CHECK),
#endif
#ifdef WNOHANG
    K(WNOHANG),
#endif
#ifdef WUNTRACED
    K(WUNTRACED),
#endif
#ifdef WSTOPPED
    K(WSTOPPED),
#endif
#ifdef WEXITED
    K(WEXITED),
#endif
#ifdef WCONTINUED
    K(WCONTINUED),
#endif
#ifdef WNOWAIT
    K(WNOWAIT),
#endif
#ifdef __WNOTHREAD
    K(__WNOTHREAD),
#endif
#ifdef __WALL
    K(__WALL),
#endif
#ifdef __WCLONE
    K(__WCLONE),
#endif
#ifdef P_ALL
    K(P_ALL),
#endif
#ifdef P_PID
    K(P_PID),
#endif
#ifdef P_PGID
    K(P_PGID),
#endif
#ifdef P_PIDFD
    K(P_PIDFD),
#endif
};
const size_t ckh_kernel_misc_count = sizeof(ckh_kernel_misc) / sizeof(ckh_kernel_misc[0]);
