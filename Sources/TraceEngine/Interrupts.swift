import CPtraceShim
import Glibc
import Synchronization

/// The signal that asked the tracer to stop (SIGINT, SIGTERM, SIGHUP), 0 while none has.
private let pendingInterrupt = Atomic<Int32>(0)

/// Catching the signals that end a tracing session, so the engine can end it properly: kill the traced tree
/// (in fast mode a detached tracee would meet ENOSYS at every filtered call), flush the trace, mark it
/// interrupted.
public enum InterruptSignals {
  /// Installs the handlers, without SA_RESTART so that a blocked `waitpid` returns EINTR at once (glibc's
  /// `signal()` would restart it), and ignores SIGPIPE so a closed output pipe is an EPIPE error, not a death.
  public static func install() {
    // First what we were started with: the traced command gets that back (spawn.c), not our handlers.
    cpt_save_inherited_signals()
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signal in pendingInterrupt.store(signal, ordering: .relaxed) }
    action.sa_flags = 0
    sigemptyset(&action.sa_mask)
    var mask = sigset_t()
    sigemptyset(&mask)
    for signal in [SIGINT, SIGTERM, SIGHUP] {
      sigaction(signal, &action, nil)
      sigaddset(&mask, signal)
    }
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
}
