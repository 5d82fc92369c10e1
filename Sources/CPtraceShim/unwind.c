// libunwind-ptrace, with two changes made through its accessors.
//
// 1. An unwind can start from another IP and SP than the task's registers. glibc's __clone3 and __clone end their
//    unwind info (cfi_endproc) just before the `syscall` instruction, because in the child the frame is not what
//    the CFI would say. At a clone's entry stop the IP is past that point, so libunwind finds no FDE there and
//    stops after one frame (strace -k shows the same single frame). Both stubs push nothing, so their caller's
//    frame is IP = [rsp], SP = rsp + 8: the engine reads those and restarts the unwind there. unw_set_reg cannot
//    do it: SP is read-only in a cursor, and writing IP would store into the tracee's real register
//    (PTRACE_POKEUSER) rather than into the cursor.
// 2. Fewer syscalls. _UPT_access_reg is one PTRACE_PEEKUSER per register and _UPT_access_mem one
//    PTRACE_PEEKDATA per word, also for the remote .eh_frame_hdr search and the FDE/CIE reads: about a hundred
//    ptrace calls per clone (measured with strace -c on the tracer). Here the registers come from one
//    PTRACE_GETREGS and memory from process_vm_readv a page at a time, cached for one unwind (the task runs
//    between unwinds, so nothing is kept across them).
#include "CPtraceShim.h"

#include <errno.h>
#include <libunwind-ptrace.h>
#include <pthread.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

enum { page_size = 4096, page_count = 8 };

typedef struct page {
  uint64_t base;
  int valid;
  uint8_t bytes[page_size];
} page;

// libunwind calls the accessors with the handle given to unw_init_remote (a _UPT_create handle), and its other
// accessors (find_proc_info …) cast that handle to their own struct: so the handle stays theirs and the session
// lives beside it. Thread-local: the tracer unwinds on its one ptrace thread, and no other thread can ever see
// its session.
static _Thread_local struct {
  void *handle;
  pid_t tid;
  int have_regs;
  struct user_regs_struct regs;
  int override;
  unw_word_t override_ip, override_sp;
  unsigned next_page;
  page pages[page_count];
} session;

/// libunwind's x86-64 register numbers (UNW_X86_64_*) in struct user_regs_struct.
static int user_register(unw_regnum_t reg, unw_word_t *value) {
  const struct user_regs_struct *r = &session.regs;
  switch (reg) {
    case UNW_X86_64_RAX: *value = r->rax; return 1;
    case UNW_X86_64_RDX: *value = r->rdx; return 1;
    case UNW_X86_64_RCX: *value = r->rcx; return 1;
    case UNW_X86_64_RBX: *value = r->rbx; return 1;
    case UNW_X86_64_RSI: *value = r->rsi; return 1;
    case UNW_X86_64_RDI: *value = r->rdi; return 1;
    case UNW_X86_64_RBP: *value = r->rbp; return 1;
    case UNW_X86_64_RSP: *value = r->rsp; return 1;
    case UNW_X86_64_R8: *value = r->r8; return 1;
    case UNW_X86_64_R9: *value = r->r9; return 1;
    case UNW_X86_64_R10: *value = r->r10; return 1;
    case UNW_X86_64_R11: *value = r->r11; return 1;
    case UNW_X86_64_R12: *value = r->r12; return 1;
    case UNW_X86_64_R13: *value = r->r13; return 1;
    case UNW_X86_64_R14: *value = r->r14; return 1;
    case UNW_X86_64_R15: *value = r->r15; return 1;
    case UNW_X86_64_RIP: *value = r->rip; return 1;
    default: return 0;
  }
}

static int access_reg(unw_addr_space_t space, unw_regnum_t reg, unw_word_t *value, int write, void *handle) {
  if (handle != NULL && handle == session.handle && !write) {
    if (session.override && reg == UNW_REG_IP) {
      *value = session.override_ip;
      return 0;
    }
    if (session.override && reg == UNW_REG_SP) {
      *value = session.override_sp;
      return 0;
    }
    if (session.have_regs && user_register(reg, value)) return 0;
  }
  return _UPT_access_reg(space, reg, value, write, handle);
}

/// The cached page holding `address`, read on first use; NULL when it cannot be read that way.
static const page *page_at(uint64_t address) {
  uint64_t base = address & ~(uint64_t)(page_size - 1);
  for (unsigned index = 0; index < page_count; index++) {
    if (session.pages[index].valid && session.pages[index].base == base) return &session.pages[index];
  }
  page *slot = &session.pages[session.next_page];
  session.next_page = (session.next_page + 1) % page_count;
  struct iovec local = {slot->bytes, page_size};
  struct iovec remote = {(void *)(uintptr_t)base, page_size};
  slot->valid = process_vm_readv(session.tid, &local, 1, &remote, 1, 0) == page_size;
  slot->base = base;
  return slot->valid ? slot : NULL;
}

static int access_mem(unw_addr_space_t space, unw_word_t address, unw_word_t *value, int write, void *handle) {
  if (handle != NULL && handle == session.handle && !write) {
    uint8_t bytes[sizeof(unw_word_t)];
    size_t done = 0;
    while (done < sizeof bytes) {
      const page *found = page_at(address + done);
      if (found == NULL) break;
      size_t at = (size_t)((address + done) - found->base);
      size_t count = page_size - at < sizeof bytes - done ? page_size - at : sizeof bytes - done;
      memcpy(bytes + done, found->bytes + at, count);
      done += count;
    }
    if (done == sizeof bytes) {
      memcpy(value, bytes, sizeof bytes);
      return 0;
    }
  }
  // A write, another handle, or memory process_vm_readv refuses: libunwind's own PTRACE_PEEKDATA path.
  return _UPT_access_mem(space, address, value, write, handle);
}

static unw_accessors_t accessors;
static pthread_once_t accessors_once = PTHREAD_ONCE_INIT;

static void make_accessors(void) {
  accessors = _UPT_accessors;
  accessors.access_reg = access_reg;
  accessors.access_mem = access_mem;
}

void *cpt_unwind_accessors(void) {
  pthread_once(&accessors_once, make_accessors);
  return &accessors;
}

int cpt_unwind_begin(void *handle, pid_t tid) {
  session.handle = handle;
  session.tid = tid;
  session.override = 0;
  session.next_page = 0;
  for (unsigned index = 0; index < page_count; index++) session.pages[index].valid = 0;
  session.have_regs = ptrace(PTRACE_GETREGS, tid, NULL, &session.regs) == 0;
  return session.have_regs ? 0 : -errno;
}

void cpt_unwind_start_at(uint64_t ip, uint64_t sp) {
  session.override = 1;
  session.override_ip = ip;
  session.override_sp = sp;
}

uint64_t cpt_unwind_r12(void) { return session.have_regs ? session.regs.r12 : 0; }

void cpt_unwind_end(void) {
  session.handle = NULL;
  session.override = 0;
  session.have_regs = 0;
}
