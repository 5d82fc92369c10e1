#include "CPtraceShim.h"

#include <errno.h>
#include <stddef.h>
#include <sys/xattr.h>

int cpt_has_file_capabilities(const char *path) {
  ssize_t size = getxattr(path, "security.capability", NULL, 0);
  if (size > 0) return 1;
  // ENODATA: no such attribute; ENOTSUP: the file system has no extended attributes.
  if (errno == ENODATA || errno == ENOTSUP) return 0;
  return -errno;
}
