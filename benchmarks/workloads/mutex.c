// 8 threads taking turns on one mutex: every hand-over is a private futex wait/wake pair
// (FUTEX_WAIT_PRIVATE / FUTEX_WAKE_PRIVATE), the calls the fast path lets through unstopped.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn, rounds;

static void *take_turns(void *arg) {
  int me = (int)(long)arg;
  for (int i = 0; i < rounds; i++) {
    pthread_mutex_lock(&lock);
    while (turn != me) pthread_cond_wait(&turn_changed, &lock);
    turn = (turn + 1) % 8;
    pthread_cond_broadcast(&turn_changed);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(int argc, char **argv) {
  rounds = argc > 1 ? atoi(argv[1]) : 2000;
  pthread_t threads[8];
  for (long i = 0; i < 8; i++) pthread_create(&threads[i], NULL, take_turns, (void *)i);
  for (int i = 0; i < 8; i++) pthread_join(threads[i], NULL);
  return 0;
}
