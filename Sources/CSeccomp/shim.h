#ifndef THREADTRACE_CSECCOMP_SHIM_H
#define THREADTRACE_CSECCOMP_SHIM_H
// libseccomp's SCMP_ACT_TRACE(x) and SCMP_ARCH_* are macros Swift cannot import as typed values.
#include <seccomp.h>

static inline uint32_t cseccomp_arch_x86_64(void) { return SCMP_ARCH_X86_64; }
static inline uint32_t cseccomp_arch_x86(void) { return SCMP_ARCH_X86; }
static inline uint32_t cseccomp_act_trace(uint16_t data) { return SCMP_ACT_TRACE(data); }
#endif
