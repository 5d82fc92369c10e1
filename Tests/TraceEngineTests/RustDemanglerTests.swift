import Testing

@testable import TraceEngine

/// Rust names in creator stacks, as `rustc-demangle` prints them (without the hash), and what is left alone.
@Suite struct RustDemanglerTests {
  @Test(arguments: [
    // Legacy: the hash component goes, escapes are decoded.
    ("_ZN3std6thread9lifecycle15spawn_unchecked17h2fc2967ebe2ed99dE", "std::thread::lifecycle::spawn_unchecked"),
    ("_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE", "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>"),
    ("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h1111111111111111E", "std::rt::lang_start::{{closure}}"),
    ("_ZN9lifecycle4main17habcdefabcdefabcdE", "lifecycle::main"),
    // v0: crate roots, nested paths, an inherent impl with a back-reference, a closure.
    ("_RNvMs0_NtNtNtCsjrHSEGnQ3l9_3std3sys6thread4unixNtB5_6Thread3new", "<std::sys::thread::unix::Thread>::new"),
    ("_RNvNtCs1234_3std6thread5spawn", "std::thread::spawn"),
    ("_RNCNvCs1234_9lifecycle4main0B3_", "lifecycle::main::{closure#0}"),
    ("_RNvXs_NtCs1234_3std2rtNtB4_9LangStartNtNtCs5678_4core3ops2Fn4call", "<std::rt::LangStart as core::ops::Fn>::call"),
  ])
  func names(_ mangled: String, _ expected: String) {
    #expect((RustDemangler.demangle(mangled) ?? mangled) == expected)
  }

  /// Generic arguments, C++ names with parameters and plain C names are kept as they are.
  @Test(arguments: [
    "_RINvNtCs1234_3std6thread5spawnNCNvCs5678_9lifecycle4main0uEB6_", "_ZN3foo3barEv", "pthread_create", "_R", "_ZN",
    "_ZN3std6thread", "_RNvCs_3std", "_RB99_",
  ])
  func leftAlone(_ name: String) {
    #expect(RustDemangler.demangle(name) == nil)
  }
}
