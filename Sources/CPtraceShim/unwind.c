// libunwind-ptrace with one change: an unwind can start from another IP and SP than the task's registers.
//
// glibc's __clone3 and __clone end their unwind info (cfi_endproc) just before the `syscall` instruction, because
// in the child the frame is not what the CFI would say. At a clone's entry stop the IP is past that point, so
// libunwind finds no FDE there and stops after one frame (strace -k shows the same single frame). Both stubs push
// nothing, so their caller's frame is IP = [rsp], SP = rsp + 8; the engine reads those and restarts the unwind
// there. unw_set_reg cannot do it: SP is read-only in a cursor, and writing IP would store into the tracee's
// real register (PTRACE_POKEUSER) rather than into the cursor.
#include "CPtraceShim.h"

#include <libunwind-ptrace.h>
#include <pthread.h>

// libunwind calls access_reg with the handle given to unw_init_remote (a _UPT_create handle), and its other
// accessors (find_proc_info …) cast that handle to their own struct: so the handle stays theirs and the
// override lives beside it. Thread-local: the tracer unwinds on its one ptrace thread, and no other thread can
// ever see its override.
static _Thread_local void *override_handle;
static _Thread_local unw_word_t override_ip, override_sp;

static int access_reg(unw_addr_space_t space, unw_regnum_t reg, unw_word_t *value, int write, void *handle) {
  if (handle != NULL && handle == override_handle && !write) {
    if (reg == UNW_REG_IP) {
      *value = override_ip;
      return 0;
    }
    if (reg == UNW_REG_SP) {
      *value = override_sp;
      return 0;
    }
  }
  return _UPT_access_reg(space, reg, value, write, handle);
}

static unw_accessors_t accessors;
static pthread_once_t accessors_once = PTHREAD_ONCE_INIT;

static void make_accessors(void) {
  accessors = _UPT_accessors;
  accessors.access_reg = access_reg;
}

void *cpt_unwind_accessors(void) {
  pthread_once(&accessors_once, make_accessors);
  return &accessors;
}

void cpt_unwind_start_at(void *handle, uint64_t ip, uint64_t sp) {
  override_handle = handle;
  override_ip = ip;
  override_sp = sp;
}
