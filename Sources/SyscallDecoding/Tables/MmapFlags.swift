// From include/uapi/linux/mman.h, include/uapi/asm-generic/mman-common.h, include/uapi/asm-generic/mman.h,
// include/uapi/asm-generic/hugetlb_encode.h and arch/x86/include/uapi/asm/mman.h (Linux 7.2).

/// The `flags` argument of mmap(2): three things in one word, as strace's `print_mmap_flags` (`src/mem.c`) splits it.
///
/// - bits 0…3 (`MAP_TYPE`): a value, the mapping type (`MAP_PRIVATE`), printed first;
/// - flag bits (`MAP_ANONYMOUS`, `MAP_STACK` …);
/// - bits 26…31 (`MAP_HUGE_SHIFT`, `MAP_HUGE_MASK`): with `MAP_HUGETLB`, log2 of the huge page size.
public enum MmapFlags {
  /// The mapping type field.
  public static let typeMask: UInt64 = 0x0f

  /// The mapping types. Type 0 prints as `MAP_FILE`, as strace prints it (`MAP_FILE` is the historical "not
  /// anonymous" flag, defined as 0); the kernel rejects type 0 with EINVAL.
  public static let typeTable = ValueTable(
    name: "mapping type", unknownName: "MAP_???",
    [
      (0x00, "MAP_FILE"),
      (0x01, "MAP_SHARED"),
      (0x02, "MAP_PRIVATE"),
      (0x03, "MAP_SHARED_VALIDATE"),
      (0x08, "MAP_DROPPABLE"),
    ])

  /// The flag bits, on x86, in the order strace prints them (`src/xlat/mmap_flags.in`).
  public static let table = FlagTable(
    name: "mmap flags",
    [
      (0x0000_0010, "MAP_FIXED"),
      (0x0000_0020, "MAP_ANONYMOUS"),
      (0x0000_0040, "MAP_32BIT"),
      (0x0000_0080, "MAP_ABOVE4G"),
      (0x0000_4000, "MAP_NORESERVE"),
      (0x0000_8000, "MAP_POPULATE"),
      (0x0001_0000, "MAP_NONBLOCK"),
      (0x0000_0100, "MAP_GROWSDOWN"),
      (0x0000_0800, "MAP_DENYWRITE"),
      (0x0000_1000, "MAP_EXECUTABLE"),
      (0x0000_2000, "MAP_LOCKED"),
      (0x0002_0000, "MAP_STACK"),
      (0x0004_0000, "MAP_HUGETLB"),
      (0x0008_0000, "MAP_SYNC"),
      (0x0400_0000, "MAP_UNINITIALIZED"),
      (0x0010_0000, "MAP_FIXED_NOREPLACE"),
    ])

  /// Where the huge page size field starts (`MAP_HUGE_SHIFT`).
  public static let hugeShift: UInt64 = 26
  /// The huge page size field's width, after shifting (`MAP_HUGE_MASK`).
  public static let hugeMask: UInt64 = 0x3f

  /// The huge page sizes `linux/mman.h` names, as values of the whole field (log2 of the size, shifted).
  public static let hugePageSizeTable = ValueTable(
    name: "huge page size", unknownName: "MAP_HUGE_???",
    [
      (0x3800_0000, "MAP_HUGE_16KB"),
      (0x4000_0000, "MAP_HUGE_64KB"),
      (0x4c00_0000, "MAP_HUGE_512KB"),
      (0x5000_0000, "MAP_HUGE_1MB"),
      (0x5400_0000, "MAP_HUGE_2MB"),
      (0x5c00_0000, "MAP_HUGE_8MB"),
      (0x6000_0000, "MAP_HUGE_16MB"),
      (0x6400_0000, "MAP_HUGE_32MB"),
      (0x7000_0000, "MAP_HUGE_256MB"),
      (0x7400_0000, "MAP_HUGE_512MB"),
      (0x7800_0000, "MAP_HUGE_1GB"),
      (0x7c00_0000, "MAP_HUGE_2GB"),
      (0x8800_0000, "MAP_HUGE_16GB"),
    ])

  /// The mapping type's name (nil when no row names it: its bits are then in `unknown`), the flag names, the huge
  /// page size field (log2 of the size, nil when 0), and the bits nothing explains.
  public static func decompose(_ flags: UInt64) -> (
    type: String?, flags: [String], hugePageShift: UInt64?, unknown: UInt64
  ) {
    let parts = split(flags)
    let type = typeTable.name(of: parts.type)
    return (type, parts.names, parts.huge == 0 ? nil : parts.huge, parts.unknown | (type == nil ? parts.type : 0))
  }

  /// The flags as strace prints them, except that a known huge page size is named: `MAP_PRIVATE|MAP_ANONYMOUS|
  /// MAP_STACK`, `MAP_SHARED|MAP_HUGETLB|MAP_HUGE_2MB`, `MAP_PRIVATE|MAP_HUGETLB|22<<MAP_HUGE_SHIFT`; an unknown type
  /// is `0x8 /* MAP_??? */` (plain `0x8` inside a verbose comment, where strace nests comments).
  public static func render(_ flags: UInt64, style: XlatStyle) -> String {
    if style == .raw { return StraceXlat.number(flags) }
    return StraceXlat.composite(flags, parts: printedParts(flags, style: style), style: style)
  }

  /// The parts `render` joins with `|` (`abbreviated` or `verbose`); none is empty or holds a `|`.
  static func printedParts(_ flags: UInt64, style: XlatStyle) -> [String] {
    let parts = split(flags)
    var printed: [String] = []
    if let type = typeTable.name(of: parts.type) {
      printed.append(type)
    } else {
      printed.append(style == .verbose ? hex(parts.type) : "\(hex(parts.type)) /* \(typeTable.unknownName) */")
    }
    printed += parts.names
    if parts.unknown != 0 { printed.append(hex(parts.unknown)) }
    if parts.huge != 0 {
      printed.append(hugePageSizeTable.name(of: parts.huge << hugeShift) ?? "\(parts.huge)<<MAP_HUGE_SHIFT")
    }
    return printed
  }

  private static func split(_ flags: UInt64) -> (type: UInt64, names: [String], unknown: UInt64, huge: UInt64) {
    let field = hugeMask << hugeShift
    let (names, unknown) = table.decompose(flags & ~typeMask & ~field)
    return (flags & typeMask, names, unknown, (flags & field) >> hugeShift)
  }
}
