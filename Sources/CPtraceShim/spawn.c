// fork → (child: wait for the tracer's seize, reset signals, no_new_privs + seccomp filter, execvp). Only
// async-signal-safe calls run in the child: the tracer may be multithreaded (Swift's runtime), and after fork
// only the forking thread exists, so a lock another thread held (malloc, the Swift runtime) would never be freed.
#include "CPtraceShim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

static void report_and_exit(int fd, int stage, int error) {
  cpt_spawn_failure failure = {.stage = stage, .error = error};
  ssize_t ignored = write(fd, &failure, sizeof failure);
  (void)ignored;
  _exit(127);
}

// The signals threadtrace was started with ignored (cpt_save_inherited_signals), for the child to restore.
static sigset_t inherited_ignored;
static int inherited_saved;

void cpt_save_inherited_signals(void) {
  if (inherited_saved) return;
  sigemptyset(&inherited_ignored);
  for (int signal = 1; signal < NSIG; signal++) {
    struct sigaction action;
    if (sigaction(signal, NULL, &action) == 0 && action.sa_handler == SIG_IGN) sigaddset(&inherited_ignored, signal);
  }
  inherited_saved = 1;
}

int cpt_spawn(const char *file, char *const *argv, const void *filter, unsigned short filter_length,
              cpt_spawned *spawned) {
  int release[2], failure[2];
  if (pipe2(release, O_CLOEXEC) == -1) return -errno;
  if (pipe2(failure, O_CLOEXEC) == -1) {
    int error = errno;
    close(release[0]);
    close(release[1]);
    return -error;
  }
  pid_t pid = fork();
  if (pid == -1) {
    int error = errno;
    close(release[0]);
    close(release[1]);
    close(failure[0]);
    close(failure[1]);
    return -error;
  }
  if (pid == 0) {
    close(release[1]);
    close(failure[0]);
    // Block until the parent has seized us (it then closes its end: read returns 0). Anything else (the parent
    // died, or wrote a byte to call it off) means: do not run the command untraced.
    char byte;
    ssize_t got;
    do {
      got = read(release[0], &byte, 1);
    } while (got == -1 && errno == EINTR);
    if (got != 0) _exit(127);
    close(release[0]);
    // The tracer ignores SIGPIPE and catches INT/TERM/HUP and ALRM; an ignored signal stays ignored across exec,
    // and the mask is inherited, so give the command the dispositions it would have had without us: ignored
    // where threadtrace's own launcher had them ignored (fault test T09: `nohup threadtrace trace CMD` leaves
    // SIGHUP ignored for CMD, as strace's sigign test expects), else the default. The mask starts empty, as a
    // shell gives it (threadtrace's launcher may be a thread with most signals blocked, such as a libdispatch
    // worker: passing that on would make `kill -TERM $$` a no-op).
    static const int reset[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++) {
      int ignored = inherited_saved && sigismember(&inherited_ignored, reset[i]) == 1;
      struct sigaction action = {.sa_handler = ignored ? SIG_IGN : SIG_DFL};
      sigemptyset(&action.sa_mask);
      sigaction(reset[i], &action, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (filter != NULL && filter_length > 0) {
      struct sock_fprog program = {.len = filter_length, .filter = (struct sock_filter *)filter};
      // With CAP_SYS_ADMIN the filter goes in as it is, and a set-user-ID program keeps its privileges at exec.
      // Without it the kernel asks for NO_NEW_PRIVS first (EACCES), under which exec grants no privileges.
      if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == -1) {
        if (errno != EACCES) report_and_exit(failure[1], 1, errno);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) report_and_exit(failure[1], 1, errno);
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == -1) report_and_exit(failure[1], 1, errno);
      }
    }
    execvp(file, argv);
    report_and_exit(failure[1], 2, errno);
  }
  close(release[0]);
  close(failure[1]);
  spawned->pid = pid;
  spawned->release_fd = release[1];
  spawned->failure_fd = failure[0];
  return 0;
}

void cpt_spawn_release(cpt_spawned *spawned) {
  if (spawned->release_fd >= 0) close(spawned->release_fd);
  spawned->release_fd = -1;
}

int cpt_spawn_read_failure(int failure_fd, cpt_spawn_failure *failure) {
  int flags = fcntl(failure_fd, F_GETFL);
  if (flags != -1 && !(flags & O_NONBLOCK)) fcntl(failure_fd, F_SETFL, flags | O_NONBLOCK);
  ssize_t got;
  do {
    got = read(failure_fd, failure, sizeof *failure);
  } while (got == -1 && errno == EINTR);
  if (got == (ssize_t)sizeof *failure) return 1;
  if (got >= 0) return 0;
  return errno == EAGAIN ? 0 : -errno;
}

int cpt_memfd(const char *name) {
  int fd = memfd_create(name, MFD_CLOEXEC);
  return fd == -1 ? -errno : fd;
}
