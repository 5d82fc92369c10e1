// 2,000 threads from Rust's std: each spawn is mmap + mprotect (2 MiB stack + guard page), clone3, and the
// thread's own sigaltstack (guarded) set-up; joined in batches of 16.
use std::env;
use std::thread;

fn main() {
    let total: usize = env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let mut done = 0;
    while done < total {
        let handles: Vec<_> = (0..16).map(|i| thread::spawn(move || i * 2)).collect();
        for handle in handles {
            handle.join().unwrap();
        }
        done += 16;
    }
}
