// 2,000 pthreads created and joined 16 at a time: glibc's default attributes (8 MiB stack from its cache,
// 4 KiB guard), so each thread costs a clone3, set_robust_list, rseq, a madvise of its unused stack at exit
// and the joiner's futex wait on its tid word.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *work(void *arg) { return arg; }

int main(int argc, char **argv) {
  int total = argc > 1 ? atoi(argv[1]) : 2000, batch = 16;
  pthread_t threads[16];
  for (int done = 0; done < total; done += batch) {
    for (int i = 0; i < batch; i++)
      if (pthread_create(&threads[i], NULL, work, NULL) != 0) { perror("pthread_create"); return 1; }
    for (int i = 0; i < batch; i++) pthread_join(threads[i], NULL);
  }
  return 0;
}
