#ifndef THREADTRACE_CLIBUNWINDPTRACE_SHIM_H
#define THREADTRACE_CLIBUNWINDPTRACE_SHIM_H
// libunwind's unw_* API is function-like macros (UNW_OBJ), which Swift cannot import: wrap each one used.
#include <libunwind-ptrace.h>

static inline unw_addr_space_t cunw_create_addr_space(void) {
  return unw_create_addr_space(&_UPT_accessors, 0);
}
static inline void cunw_destroy_addr_space(unw_addr_space_t space) { unw_destroy_addr_space(space); }
static inline int cunw_init_remote(unw_cursor_t *cursor, unw_addr_space_t space, void *upt) {
  return unw_init_remote(cursor, space, upt);
}
static inline int cunw_step(unw_cursor_t *cursor) { return unw_step(cursor); }
static inline int cunw_get_ip(unw_cursor_t *cursor, unw_word_t *ip) { return unw_get_reg(cursor, UNW_REG_IP, ip); }
static inline int cunw_get_sp(unw_cursor_t *cursor, unw_word_t *sp) { return unw_get_reg(cursor, UNW_REG_SP, sp); }
#endif
