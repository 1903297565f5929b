//! Embeds the SQL migrations (`migrations/sqlite`, `migrations/postgres`) as
//! sqlx's `migrate!` would, without its proc-macro: see `store::migrator`.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    // Read at run time, not with `env!`: a build script compiled for another
    // checkout of the repository (a shared target folder) must still read this
    // one's migrations.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let mut code = String::new();
    for backend in ["sqlite", "postgres"] {
        let dir = Path::new(&manifest).join("migrations").join(backend);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        writeln!(
            code,
            "pub const {}: &[(&str, &str)] = &[",
            backend.to_uppercase()
        )
        .unwrap();
        for f in files {
            let name = f.file_name().unwrap().to_str().unwrap();
            writeln!(code, "    ({name:?}, include_str!({:?})),", f.display()).unwrap();
        }
        code.push_str("];\n");
    }
    std::fs::write(Path::new(&out).join("migrations.rs"), code).unwrap();
}
