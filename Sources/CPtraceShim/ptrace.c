// Typed wrappers of ptrace(2). Each returns 0 or -errno captured right after the call: Swift may run code (and
// clobber errno) between a C call and the read of errno.
#include "CPtraceShim.h"

#include <errno.h>
#include <linux/audit.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>

const unsigned cpt_option_tracesysgood = PTRACE_O_TRACESYSGOOD;
const unsigned cpt_option_tracefork = PTRACE_O_TRACEFORK;
const unsigned cpt_option_tracevfork = PTRACE_O_TRACEVFORK;
const unsigned cpt_option_traceclone = PTRACE_O_TRACECLONE;
const unsigned cpt_option_traceexec = PTRACE_O_TRACEEXEC;
const unsigned cpt_option_traceexit = PTRACE_O_TRACEEXIT;
const unsigned cpt_option_traceseccomp = PTRACE_O_TRACESECCOMP;
const unsigned cpt_option_exitkill = PTRACE_O_EXITKILL;
const uint32_t cpt_audit_arch_x86_64 = AUDIT_ARCH_X86_64;
const uint32_t cpt_audit_arch_i386 = AUDIT_ARCH_I386;

#define CPT_RESULT(call) ((call) == -1 ? -errno : 0)

int cpt_seize(pid_t tid, unsigned options) {
  return CPT_RESULT(ptrace(PTRACE_SEIZE, tid, NULL, (void *)(unsigned long)options));
}
int cpt_interrupt(pid_t tid) { return CPT_RESULT(ptrace(PTRACE_INTERRUPT, tid, NULL, NULL)); }
int cpt_syscall(pid_t tid, int signal) {
  return CPT_RESULT(ptrace(PTRACE_SYSCALL, tid, NULL, (void *)(long)signal));
}
int cpt_cont(pid_t tid, int signal) { return CPT_RESULT(ptrace(PTRACE_CONT, tid, NULL, (void *)(long)signal)); }
int cpt_listen(pid_t tid) { return CPT_RESULT(ptrace(PTRACE_LISTEN, tid, NULL, NULL)); }
int cpt_detach(pid_t tid, int signal) { return CPT_RESULT(ptrace(PTRACE_DETACH, tid, NULL, (void *)(long)signal)); }
int cpt_geteventmsg(pid_t tid, unsigned long *message) {
  return CPT_RESULT(ptrace(PTRACE_GETEVENTMSG, tid, NULL, message));
}

int cpt_get_robust_list(pid_t tid, uint64_t *head, uint64_t *length) {
  // The kernel writes a pointer and a size_t: both 8 bytes here, as the 64-bit tracer is.
  void *pointer = NULL;
  size_t size = 0;
  if (syscall(SYS_get_robust_list, tid, &pointer, &size) == -1) return -errno;
  *head = (uint64_t)(uintptr_t)pointer;
  *length = size;
  return 0;
}

// glibc before 2.35 lacks the request; the struct is mirrored here so its 24-byte layout is pinned.
#ifndef PTRACE_GET_RSEQ_CONFIGURATION
#define PTRACE_GET_RSEQ_CONFIGURATION 0x420f
#endif
struct cpt_kernel_rseq_configuration {
  uint64_t rseq_abi_pointer;
  uint32_t rseq_abi_size;
  uint32_t signature;
  uint32_t flags;
  uint32_t pad;
};
_Static_assert(sizeof(struct cpt_kernel_rseq_configuration) == 24, "struct ptrace_rseq_configuration is 24 bytes");

int cpt_get_rseq_configuration(pid_t tid, cpt_rseq_configuration *configuration) {
  struct cpt_kernel_rseq_configuration raw;
  memset(&raw, 0, sizeof raw);
  // The request returns the number of bytes it filled in (not 0) on success.
  if (ptrace(PTRACE_GET_RSEQ_CONFIGURATION, tid, (void *)sizeof raw, &raw) == -1) return -errno;
  configuration->address = raw.rseq_abi_pointer;
  configuration->length = raw.rseq_abi_size;
  configuration->flags = raw.flags;
  configuration->signature = raw.signature;
  return 0;
}

int cpt_getsiginfo(pid_t tid, cpt_siginfo *info) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  if (ptrace(PTRACE_GETSIGINFO, tid, NULL, &si) == -1) return -errno;
  info->signo = si.si_signo;
  info->code = si.si_code;
  info->errno_value = si.si_errno;
  info->sender_pid = 0;
  info->sender_uid = 0;
  info->fault_address = 0;
  // Which union member is valid depends on the signal and si_code (sigaction(2)).
  if (si.si_code <= 0 || si.si_signo == SIGCHLD) {
    info->sender_pid = si.si_pid;
    info->sender_uid = si.si_uid;
  } else if (si.si_signo == SIGSEGV || si.si_signo == SIGBUS || si.si_signo == SIGILL || si.si_signo == SIGFPE ||
             si.si_signo == SIGTRAP) {
    info->fault_address = (uint64_t)(uintptr_t)si.si_addr;
  }
  return 0;
}

int cpt_get_syscall_info(pid_t tid, cpt_syscall_info *info) {
  struct __ptrace_syscall_info raw;
  memset(&raw, 0, sizeof raw);
  if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof raw, &raw) == -1) return -errno;
  memset(info, 0, sizeof *info);
  info->op = raw.op;
  info->arch = raw.arch;
  info->instruction_pointer = raw.instruction_pointer;
  info->stack_pointer = raw.stack_pointer;
  switch (raw.op) {
  case PTRACE_SYSCALL_INFO_ENTRY:
    info->nr = raw.entry.nr;
    memcpy(info->args, raw.entry.args, sizeof info->args);
    break;
  case PTRACE_SYSCALL_INFO_EXIT:
    info->rval = raw.exit.rval;
    info->is_error = raw.exit.is_error;
    break;
  case PTRACE_SYSCALL_INFO_SECCOMP:
    info->nr = raw.seccomp.nr;
    memcpy(info->args, raw.seccomp.args, sizeof info->args);
    info->ret_data = raw.seccomp.ret_data;
    break;
  default:
    break;
  }
  return 0;
}

int cpt_getregs(pid_t tid, cpt_regs *regs) {
  struct user_regs_struct raw;
  if (ptrace(PTRACE_GETREGS, tid, NULL, &raw) == -1) return -errno;
  regs->rip = raw.rip;
  regs->rsp = raw.rsp;
  regs->rax = raw.rax;
  regs->orig_rax = raw.orig_rax;
  regs->rdi = raw.rdi;
  regs->rsi = raw.rsi;
  regs->rdx = raw.rdx;
  regs->r10 = raw.r10;
  regs->r8 = raw.r8;
  regs->r9 = raw.r9;
  regs->fs_base = raw.fs_base;
  return 0;
}

long cpt_read_memory(pid_t tid, uint64_t address, void *buffer, size_t length) {
  if (length == 0) return 0;
  struct iovec local = {.iov_base = buffer, .iov_len = length};
  struct iovec remote = {.iov_base = (void *)(uintptr_t)address, .iov_len = length};
  ssize_t got = process_vm_readv(tid, &local, 1, &remote, 1, 0);
  if (got >= 0) return got;
  int error = errno;
  // process_vm_readv needs the same access check as PTRACE_ATTACH plus a readable mapping; PEEKDATA works on
  // a ptrace-stopped tracee where that check fails (EPERM in some containers) or where the page is not readable
  // through the process's own mappings (ENOSYS on kernels without CONFIG_CROSS_MEMORY_ATTACH).
  if (error != EPERM && error != ENOSYS) return -error;
  size_t done = 0;
  uint64_t word_address = address & ~(uint64_t)(sizeof(long) - 1);
  size_t skip = (size_t)(address - word_address);
  while (done < length) {
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)word_address, NULL);
    if (errno != 0) return done > 0 ? (long)done : -errno;
    size_t take = sizeof word - skip;
    if (take > length - done) take = length - done;
    memcpy((char *)buffer + done, (char *)&word + skip, take);
    done += take;
    skip = 0;
    word_address += sizeof word;
  }
  return (long)done;
}
