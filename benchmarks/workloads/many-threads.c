// N threads alive at once (default 4,000), as in a large service: each created with a 64 KiB stack, all waiting
// on one barrier until the last is made, then joined. The number of tasks a tracer holds is what grows here:
// every wait for a ptrace stop, in the kernel, looks at each of them.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_barrier_t all_created;

static void *work(void *arg) {
  pthread_barrier_wait(&all_created);
  return arg;
}

int main(int argc, char **argv) {
  int total = argc > 1 ? atoi(argv[1]) : 4000;
  pthread_t *threads = calloc(total, sizeof *threads);
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, 64 * 1024);
  pthread_barrier_init(&all_created, NULL, total + 1);
  for (int i = 0; i < total; i++)
    if (pthread_create(&threads[i], &attributes, work, NULL) != 0) { perror("pthread_create"); return 1; }
  pthread_barrier_wait(&all_created);
  for (int i = 0; i < total; i++) pthread_join(threads[i], NULL);
  return 0;
}
