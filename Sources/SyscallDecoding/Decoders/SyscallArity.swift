/// How many arguments a syscall takes, for printing calls that have no decoder with as many raw arguments as the
/// call has (strace's `nargs` in `syscallent.h`). Calls not listed print all six registers.
public enum SyscallArity {
  public static func count(of name: String) -> Int? { counts[name] }

  private static let counts: [String: Int] = {
    var counts: [String: Int] = [:]
    let byCount: [Int: [String]] = [
      0: [
        "getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid", "sched_yield", "pause", "fork",
        "vfork", "sync", "setsid", "getpgrp", "munlockall", "vhangup", "inotify_init", "restart_syscall",
        "rt_sigreturn",
      ],
      1: [
        "close", "exit", "exit_group", "brk", "dup", "uname", "alarm", "chdir", "fchdir", "rmdir", "unlink",
        "set_tid_address", "umask", "sysinfo", "times", "time", "getpgid", "getsid", "pipe", "epoll_create",
        "epoll_create1", "eventfd", "inotify_init1", "personality", "acct", "chroot", "setuid", "setgid", "fsync",
        "fdatasync", "syncfs", "timer_getoverrun", "timer_delete", "shmdt", "unshare", "io_destroy", "close_range",
        "sched_getscheduler", "mlockall", "setfsuid", "setfsgid",
      ],
      2: [
        "dup2", "pipe2", "kill", "tkill", "access", "mkdir", "rename", "link", "symlink", "chmod", "fchmod",
        "truncate", "ftruncate", "flock", "listen", "shutdown", "getrlimit", "setrlimit", "getrusage",
        "gettimeofday", "settimeofday", "clock_gettime", "clock_getres", "clock_settime", "nanosleep",
        "set_robust_list", "arch_prctl", "munmap", "sigaltstack", "stat", "lstat", "fstat", "getcwd", "setpgid",
        "setreuid", "setregid", "utime", "capget", "capset", "rt_sigpending", "rt_sigsuspend", "getgroups",
        "setgroups", "umount2", "eventfd2", "timerfd_gettime", "memfd_create", "pidfd_open", "mlock", "munlock",
        "iopl", "io_setup", "sched_getparam", "sched_setparam", "sched_rr_get_interval", "fremovexattr",
        "removexattr", "lremovexattr", "signalfd", "inotify_rm_watch", "userfaultfd", "membarrier", "ioprio_get",
        "setns", "delete_module", "swapon", "swapoff", "statfs", "fstatfs",
      ],
      3: [
        "read", "write", "open", "lseek", "mprotect", "ioctl", "fcntl", "madvise", "tgkill", "execve", "getdents",
        "getdents64", "readlink", "chown", "fchown", "lchown", "mknod", "socket", "connect", "accept", "bind",
        "getsockname", "getpeername", "sendmsg", "recvmsg", "getrandom", "poll", "readv", "writev",
        "sched_setaffinity", "sched_getaffinity", "getpriority", "setpriority", "setresuid", "setresgid",
        "getresuid", "getresgid", "mincore", "msync", "shmat", "shmget", "semget", "semop", "msgget", "msgctl",
        "shmctl", "getitimer", "setitimer", "timer_settime", "inotify_add_watch", "dup3", "mkdirat", "fchmodat",
        "unlinkat", "faccessat", "futimesat", "signalfd4", "sched_setscheduler", "ioprio_set", "init_module",
        "rt_sigqueueinfo", "lsm_list_modules", "io_cancel", "seccomp", "cachestat",
      ],
      4: [
        "openat", "rt_sigaction", "rt_sigprocmask", "wait4", "pread64", "pwrite64", "sendfile", "socketpair",
        "accept4", "rseq", "epoll_ctl", "epoll_wait", "newfstatat", "fstatat64", "renameat", "readlinkat",
        "clock_nanosleep", "timerfd_settime", "timer_create", "semctl", "msgsnd", "tee", "utimensat",
        "mknodat", "prlimit64", "fallocate", "rt_tgsigqueueinfo", "pidfd_send_signal", "openat2", "faccessat2",
        "timerfd_create", "quotactl", "mq_open", "sync_file_range", "fadvise64", "readahead", "getxattr",
        "lgetxattr", "fgetxattr", "listxattr", "mremap", "pidfd_getfd",
      ],
      5: [
        "prctl", "mount", "select", "waitid", "fchownat", "linkat", "setsockopt", "getsockopt", "execveat", "clone",
        "renameat2", "statx", "kcmp", "keyctl", "process_madvise", "msgrcv", "mq_timedsend", "mq_timedreceive",
        "setxattr", "lsetxattr", "fsetxattr", "move_mount", "futex_waitv", "preadv", "pwritev", "io_getevents",
        "ppoll", "pselect6", "copy_file_range", "remap_file_pages",
      ],
      6: [
        "mmap", "futex", "sendto", "recvfrom", "splice", "epoll_pwait", "process_vm_readv", "process_vm_writev",
        "preadv2", "pwritev2", "mbind", "move_pages", "ipc", "io_pgetevents", "epoll_pwait2",
      ],
    ]
    for (count, names) in byCount {
      for name in names { counts[name] = count }
    }
    // clone3(args, size) and the newer calls with two arguments.
    counts["clone3"] = 2
    counts["set_mempolicy"] = 3
    counts["get_mempolicy"] = 5
    counts["landlock_create_ruleset"] = 3
    return counts
  }()
}
