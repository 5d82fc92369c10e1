import CPtraceShim
import Glibc
import Synchronization

/// The signal that asked the tracer to stop (SIGINT, SIGTERM, SIGHUP), 0 while none has.
private let pendingInterrupt = Atomic<Int32>(0)
/// Whether the wake-up timer is running: set by the handler that started it, cleared by the loop.
private let wakeTimerRunning = Atomic<Bool>(false)

/// Catching the signals that end a tracing session, so the engine can end it properly: kill the traced tree
/// (in fast mode a detached tracee would meet ENOSYS at every filtered call), flush the trace, mark it
/// interrupted.
///
/// The loop checks `pending` and then blocks in `waitpid`. A signal caught between the two has already run its
/// handler, so it cannot interrupt a wait that had not begun, and with every tracee asleep nothing else ends that
/// wait (glibc has no `waitpid` that takes a signal mask, as `ppoll` does). The handler therefore also starts a
/// repeating SIGALRM, whose empty handler interrupts the wait, until the loop says it has taken the request
/// (`acknowledge`). The loop's hot path pays nothing for this: no signal mask changes, no extra calls.
public enum InterruptSignals {
  /// Installs the handlers, without SA_RESTART so that a blocked `waitpid` returns EINTR at once (glibc's
  /// `signal()` would restart it), and ignores SIGPIPE so a closed output pipe is an EPIPE error, not a death.
  public static func install() {
    // First what we were started with: the traced command gets that back (spawn.c), not our handlers.
    cpt_save_inherited_signals()
    // Globals are made on first use, under a lock: first used here, never for the first time in a handler.
    _ = pendingInterrupt.load(ordering: .relaxed)
    _ = wakeTimerRunning.load(ordering: .relaxed)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signal in
      pendingInterrupt.store(signal, ordering: .sequentiallyConsistent)
      // setitimer is a plain system call: safe in a handler, as alarm() (which glibc builds on it) is.
      if !wakeTimerRunning.exchange(true, ordering: .sequentiallyConsistent) {
        // Every 20 ms until the loop takes the request.
        let interval = timeval(tv_sec: 0, tv_usec: 20_000)
        var timer = itimerval(it_interval: interval, it_value: interval)
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
      }
    }
    action.sa_flags = 0
    sigemptyset(&action.sa_mask)
    var mask = sigset_t()
    sigemptyset(&mask)
    for signal in [SIGINT, SIGTERM, SIGHUP] {
      sigaction(signal, &action, nil)
      sigaddset(&mask, signal)
    }
    var wake = sigaction()
    wake.__sigaction_handler.sa_handler = { _ in }
    wake.sa_flags = 0
    sigemptyset(&wake.sa_mask)
    sigaction(SIGALRM, &wake, nil)
    sigaddset(&mask, SIGALRM)
    // A parent may have started us with them blocked (a test runner's thread, a service manager): a blocked
    // SIGTERM would never reach the handler and the tracer could only be SIGKILLed.
    pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    var ignore = sigaction()
    ignore.__sigaction_handler.sa_handler = SIG_IGN
    sigemptyset(&ignore.sa_mask)
    sigaction(SIGPIPE, &ignore, nil)
  }

  /// The interrupting signal, or 0.
  public static var pending: Int32 { pendingInterrupt.load(ordering: .relaxed) }

  /// The loop has seen `pending` and acted on it: the wake-up timer stops. A signal that comes after this starts
  /// it again, and the loop's next look at `pending` stops it again.
  public static func acknowledge() {
    guard wakeTimerRunning.exchange(false, ordering: .sequentiallyConsistent) else { return }
    var off = itimerval()
    setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &off, nil)
  }
}
