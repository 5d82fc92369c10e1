#ifndef THREADTRACE_CKERNELHEADERS_H
#define THREADTRACE_CKERNELHEADERS_H
// The values of kernel and libc constants by name, taken from the system headers, so tests can check every
// literal in SyscallDecoding's tables against them (the Swift analogue of swift-nio's _Static_assert).
#include <stdbool.h>

/// Looks up the header's value of `name`. Returns false when these headers do not define it.
bool ckh_constant(const char *name, unsigned long long *value);
#endif
