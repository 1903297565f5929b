//! Times `verify_bundle` on one bundle file, for profiling: `cargo run --release -p fairpanel-core --example time_verify -- BUNDLE` (under `perf record` if you like).
fn main() {
    let path = std::env::args().nth(1).expect("bundle path");
    let bytes = std::fs::read(path).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..5 {
        let r = fairpanel_core::verify_bundle(&bytes, None).unwrap();
        assert!(r.ok());
    }
    println!("{:?} per verify", t.elapsed() / 5);
}
