import FuzzSupport
import TraceIO

#if canImport(Glibc)
  import Glibc
#endif

/// The input (after its first byte, see `FuzzInput`) is a threadtrace JSON Lines trace, read to the end.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  guard let data else { return 0 }
  FuzzInput.withSource(UnsafeRawPointer(data), count) { source in
    guard let reader = try? JSONLinesReader(source: source) else { return }
    FuzzInput.drain(reader)
  }
  return 0
}

exit(FuzzDriver.run(testOneInput))
