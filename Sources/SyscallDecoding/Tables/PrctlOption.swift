// From include/uapi/linux/prctl.h (Linux 7.2)

/// The `option` argument of prctl(2), in header order. Threads name themselves with `PR_SET_NAME` (glibc's
/// `pthread_setname_np` on the calling thread), seccomp filters need `PR_SET_NO_NEW_PRIVS`, and glibc names
/// anonymous mappings such as thread stacks with `PR_SET_VMA` / `PR_SET_VMA_ANON_NAME` when asked to.
public enum PrctlOption {
  /// The prctl(2) options.
  public static let table = ValueTable(
    name: "prctl option", unknownName: "PR_???",
    [
      (1, "PR_SET_PDEATHSIG"),
      (2, "PR_GET_PDEATHSIG"),
      (3, "PR_GET_DUMPABLE"),
      (4, "PR_SET_DUMPABLE"),
      (5, "PR_GET_UNALIGN"),
      (6, "PR_SET_UNALIGN"),
      (7, "PR_GET_KEEPCAPS"),
      (8, "PR_SET_KEEPCAPS"),
      (9, "PR_GET_FPEMU"),
      (10, "PR_SET_FPEMU"),
      (11, "PR_GET_FPEXC"),
      (12, "PR_SET_FPEXC"),
      (13, "PR_GET_TIMING"),
      (14, "PR_SET_TIMING"),
      (15, "PR_SET_NAME"),
      (16, "PR_GET_NAME"),
      (19, "PR_GET_ENDIAN"),
      (20, "PR_SET_ENDIAN"),
      (21, "PR_GET_SECCOMP"),
      (22, "PR_SET_SECCOMP"),
      (23, "PR_CAPBSET_READ"),
      (24, "PR_CAPBSET_DROP"),
      (25, "PR_GET_TSC"),
      (26, "PR_SET_TSC"),
      (27, "PR_GET_SECUREBITS"),
      (28, "PR_SET_SECUREBITS"),
      (29, "PR_SET_TIMERSLACK"),
      (30, "PR_GET_TIMERSLACK"),
      (31, "PR_TASK_PERF_EVENTS_DISABLE"),
      (32, "PR_TASK_PERF_EVENTS_ENABLE"),
      (33, "PR_MCE_KILL"),
      (34, "PR_MCE_KILL_GET"),
      (35, "PR_SET_MM"),
      (0x5961_6d61, "PR_SET_PTRACER"),
      (36, "PR_SET_CHILD_SUBREAPER"),
      (37, "PR_GET_CHILD_SUBREAPER"),
      (38, "PR_SET_NO_NEW_PRIVS"),
      (39, "PR_GET_NO_NEW_PRIVS"),
      (40, "PR_GET_TID_ADDRESS"),
      (41, "PR_SET_THP_DISABLE"),
      (42, "PR_GET_THP_DISABLE"),
      (43, "PR_MPX_ENABLE_MANAGEMENT"),
      (44, "PR_MPX_DISABLE_MANAGEMENT"),
      (45, "PR_SET_FP_MODE"),
      (46, "PR_GET_FP_MODE"),
      (47, "PR_CAP_AMBIENT"),
      (50, "PR_SVE_SET_VL"),
      (51, "PR_SVE_GET_VL"),
      (52, "PR_GET_SPECULATION_CTRL"),
      (53, "PR_SET_SPECULATION_CTRL"),
      (54, "PR_PAC_RESET_KEYS"),
      (55, "PR_SET_TAGGED_ADDR_CTRL"),
      (56, "PR_GET_TAGGED_ADDR_CTRL"),
      (57, "PR_SET_IO_FLUSHER"),
      (58, "PR_GET_IO_FLUSHER"),
      (59, "PR_SET_SYSCALL_USER_DISPATCH"),
      (60, "PR_PAC_SET_ENABLED_KEYS"),
      (61, "PR_PAC_GET_ENABLED_KEYS"),
      (62, "PR_SCHED_CORE"),
      (63, "PR_SME_SET_VL"),
      (64, "PR_SME_GET_VL"),
      (65, "PR_SET_MDWE"),
      (66, "PR_GET_MDWE"),
      (0x5356_4d41, "PR_SET_VMA"),
      (0x4155_5856, "PR_GET_AUXV"),
      (67, "PR_SET_MEMORY_MERGE"),
      (68, "PR_GET_MEMORY_MERGE"),
      (69, "PR_RISCV_V_SET_CONTROL"),
      (70, "PR_RISCV_V_GET_CONTROL"),
      (71, "PR_RISCV_SET_ICACHE_FLUSH_CTX"),
      (72, "PR_PPC_GET_DEXCR"),
      (73, "PR_PPC_SET_DEXCR"),
      (74, "PR_GET_SHADOW_STACK_STATUS"),
      (75, "PR_SET_SHADOW_STACK_STATUS"),
      (76, "PR_LOCK_SHADOW_STACK_STATUS"),
      (77, "PR_TIMER_CREATE_RESTORE_IDS"),
      (78, "PR_FUTEX_HASH"),
      (79, "PR_RSEQ_SLICE_EXTENSION"),
      (80, "PR_GET_CFI"),
      (81, "PR_SET_CFI"),
    ])

  /// The second argument of `PR_SET_VMA`.
  public static let setVMATable = ValueTable(
    name: "PR_SET_VMA attribute", unknownName: "PR_SET_VMA_???",
    [
      (0, "PR_SET_VMA_ANON_NAME")
    ])

  /// The option as strace prints it: `PR_SET_NAME`, raw `0xf`, verbose `0xf /* PR_SET_NAME */`.
  public static func render(_ option: UInt64, style: XlatStyle) -> String {
    StraceXlat.value(option, in: table, style: style)
  }
}
