// 200,000 getppid calls: a syscall-heavy program none of whose calls the thread story needs.
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long calls = argc > 1 ? atol(argv[1]) : 200000, sum = 0;
  for (long i = 0; i < calls; i++) sum += syscall(SYS_getppid);
  return sum == 0;
}
