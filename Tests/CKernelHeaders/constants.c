// ckh_constant looks a name up in the kernel's headers first (kernel_*.c), then in glibc's for the few names only
// glibc defines (its aliases SIGCLD and ENOTSUP, and RSEQ_SIG from <sys/rseq.h>).
#include "CKernelHeaders.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/rseq.h>

#include "ckh_internal.h"

const struct ckh_entry ckh_glibc[] = {
    K(SIGCLD),
    K(ENOTSUP),
    K(RSEQ_SIG),
};
const size_t ckh_glibc_count = sizeof(ckh_glibc) / sizeof(ckh_glibc[0]);

static bool lookup(const struct ckh_entry *table, size_t count, const char *name, unsigned long long *value) {
  for (size_t i = 0; i < count; i++) {
    if (strcmp(table[i].name, name) == 0) {
      *value = table[i].value;
      return true;
    }
  }
  return false;
}

bool ckh_constant(const char *name, unsigned long long *value) {
  return lookup(ckh_kernel_sched, ckh_kernel_sched_count, name, value) ||
         lookup(ckh_kernel_mman, ckh_kernel_mman_count, name, value) ||
         lookup(ckh_kernel_misc, ckh_kernel_misc_count, name, value) ||
         lookup(ckh_glibc, ckh_glibc_count, name, value);
}
