#ifndef THREADTRACE_CKH_INTERNAL_H
#define THREADTRACE_CKH_INTERNAL_H
// The constant tables behind ckh_constant, one per translation unit: glibc's and the kernel's headers define many of
// the same names (sometimes differently: glibc's O_LARGEFILE is 0 on x86_64) and cannot be included together, so each
// group of headers gets its own .c file.
#include <stddef.h>

struct ckh_entry {
  const char *name;
  unsigned long long value;
};

// One row: the macro's name and its value, converted the way the Swift tables store it (negative values such as
// AT_FDCWD become their 64-bit two's complement).
#define K(x) {#x, (unsigned long long)(x)}

#define CKH_TABLE(group)                         \
  extern const struct ckh_entry ckh_##group[]; \
  extern const size_t ckh_##group##_count;

CKH_TABLE(kernel_sched)
CKH_TABLE(kernel_mman)
CKH_TABLE(kernel_misc)
CKH_TABLE(glibc)

#endif
