// mmap/mprotect/madvise constants from the kernel's headers (<linux/mman.h> pulls in asm/mman.h,
// asm-generic/mman-common.h and hugetlb_encode.h); glibc's <sys/mman.h> redefines them and cannot be mixed in.
#include <linux/mman.h>

#include "ckh_internal.h"

const struct ckh_entry ckh_kernel_mman[] = {
    K(PROT_NONE),
    K(PROT_READ),
    K(PROT_WRITE),
    K(PROT_EXEC),
    K(PROT_SEM),
    K(PROT_GROWSDOWN),
    K(PROT_GROWSUP),

    K(MAP_TYPE),
    K(MAP_FILE),
    K(MAP_SHARED),
    K(MAP_PRIVATE),
    K(MAP_SHARED_VALIDATE),
#ifdef MAP_DROPPABLE
    K(MAP_DROPPABLE),
#endif
    K(MAP_FIXED),
    K(MAP_ANONYMOUS),
    K(MAP_32BIT),
#ifdef MAP_ABOVE4G
    K(MAP_ABOVE4G),
#endif
    K(MAP_NORESERVE),
    K(MAP_POPULATE),
    K(MAP_NONBLOCK),
    K(MAP_GROWSDOWN),
    K(MAP_DENYWRITE),
    K(MAP_EXECUTABLE),
    K(MAP_LOCKED),
    K(MAP_STACK),
    K(MAP_HUGETLB),
    K(MAP_SYNC),
    K(MAP_UNINITIALIZED),
    K(MAP_FIXED_NOREPLACE),

    K(MAP_HUGE_SHIFT),
    K(MAP_HUGE_MASK),
    K(MAP_HUGE_16KB),
    K(MAP_HUGE_64KB),
    K(MAP_HUGE_512KB),
    K(MAP_HUGE_1MB),
    K(MAP_HUGE_2MB),
    K(MAP_HUGE_8MB),
    K(MAP_HUGE_16MB),
    K(MAP_HUGE_32MB),
    K(MAP_HUGE_256MB),
    K(MAP_HUGE_512MB),
    K(MAP_HUGE_1GB),
    K(MAP_HUGE_2GB),
    K(MAP_HUGE_16GB),

    K(MADV_NORMAL),
    K(MADV_RANDOM),
    K(MADV_SEQUENTIAL),
    K(MADV_WILLNEED),
    K(MADV_DONTNEED),
    K(MADV_FREE),
    K(MADV_REMOVE),
    K(MADV_DONTFORK),
    K(MADV_DOFORK),
    K(MADV_HWPOISON),
    K(MADV_SOFT_OFFLINE),
    K(MADV_MERGEABLE),
    K(MADV_UNMERGEABLE),
    K(MADV_HUGEPAGE),
    K(MADV_NOHUGEPAGE),
    K(MADV_DONTDUMP),
    K(MADV_DODUMP),
    K(MADV_WIPEONFORK),
    K(MADV_KEEPONFORK),
    K(MADV_COLD),
    K(MADV_PAGEOUT),
    K(MADV_POPULATE_READ),
    K(MADV_POPULATE_WRITE),
    K(MADV_DONTNEED_LOCKED),
    K(MADV_COLLAPSE),
#ifdef MADV_GUARD_INSTALL
    K(MADV_GUARD_INSTALL),
    K(MADV_GUARD_REMOVE),
#endif
};
const size_t ckh_kernel_mman_count = sizeof(ckh_kernel_mman) / sizeof(ckh_kernel_mman[0]);
