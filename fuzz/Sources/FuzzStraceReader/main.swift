import FuzzSupport
import TraceIO

#if canImport(Glibc)
  import Glibc
#endif

/// The input (after its first byte, see `FuzzInput`) is an strace log, read to the end as `explain` reads it.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  guard let data else { return 0 }
  FuzzInput.withSource(UnsafeRawPointer(data), count) { source in
    FuzzInput.drain(StraceTextReader(source: source))
  }
  return 0
}

exit(FuzzDriver.run(testOneInput))
