#ifndef THREADTRACE_CLIBUNWINDPTRACE_SHIM_H
#define THREADTRACE_CLIBUNWINDPTRACE_SHIM_H
// libunwind's unw_* API is function-like macros (UNW_OBJ), which Swift cannot import: wrap each one used.
#include <libunwind-ptrace.h>

static inline unw_addr_space_t cunw_create_addr_space(void) {
  return unw_create_addr_space(&_UPT_accessors, 0);
}
/// An address space with the given accessors (CPtraceShim's `cpt_unwind_accessors`), caching unwind info
/// across unwinds: the tracer unwinds on one thread, so the global cache needs no locking of ours.
static inline unw_addr_space_t cunw_create_addr_space_with(void *accessors) {
  unw_addr_space_t space = unw_create_addr_space((unw_accessors_t *)accessors, 0);
  if (space) unw_set_caching_policy(space, UNW_CACHE_GLOBAL);
  return space;
}
static inline void cunw_destroy_addr_space(unw_addr_space_t space) { unw_destroy_addr_space(space); }
/// Forgets what the space cached about code addresses (after an exec, they mean other code).
static inline void cunw_flush_cache(unw_addr_space_t space) { unw_flush_cache(space, 0, 0); }
static inline int cunw_init_remote(unw_cursor_t *cursor, unw_addr_space_t space, void *upt) {
  return unw_init_remote(cursor, space, upt);
}
static inline int cunw_step(unw_cursor_t *cursor) { return unw_step(cursor); }
static inline int cunw_get_ip(unw_cursor_t *cursor, unw_word_t *ip) { return unw_get_reg(cursor, UNW_REG_IP, ip); }
static inline int cunw_get_sp(unw_cursor_t *cursor, unw_word_t *sp) { return unw_get_reg(cursor, UNW_REG_SP, sp); }
/// Whether unwind info covers the cursor's IP: 1 yes, 0 no, -UNW_* error. libunwind 1.6 answers an IP without
/// an FDE with a made-up one-byte procedure and no unwind info rather than with -UNW_ENOINFO.
static inline int cunw_has_unwind_info(unw_cursor_t *cursor) {
  unw_proc_info_t info;
  int result = unw_get_proc_info(cursor, &info);
  if (result == -UNW_ENOINFO) return 0;
  if (result < 0) return result;
  return !(info.end_ip == info.start_ip + 1 && info.unwind_info == 0);
}
/// libunwind's own name for the cursor's procedure (nearest preceding .symtab/.dynsym symbol, sizes ignored).
static inline int cunw_get_proc_name(unw_cursor_t *cursor, char *buffer, size_t length, unw_word_t *offset) {
  return unw_get_proc_name(cursor, buffer, length, offset);
}
#endif
