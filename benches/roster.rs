//! A roster of 100,000 experts through the store, in one run per backend
//! (issue 15, items 3 and 6):
//! - editing one expert (what `PUT /experts/{id}` does: read the expert,
//!   write it with its roster_change), median of N edits, target ≤ 5 ms;
//! - importing the roster as CSV and as XLSX (parse the file, then
//!   `write_experts`; XLSX in files of 50,000 rows, the upload limit), each
//!   into an empty province, against the `sqlite3`
//!   shell's `.import` of the same CSV file into a fresh database, target ≤ 3×;
//! - where an import's time goes (parsing, the per-record serialising and
//!   hashing, the write), and a repeated import that changes nothing;
//! - reading the parsed roster: from the table, and from memory.
//!
//! `cargo bench --bench roster` (PostgreSQL from FAIRPANEL_TEST_PG, default
//! postgres://postgres@127.0.0.1:5432/test; skipped with a notice if absent).
//! `ROSTER_EXPERTS` sets the roster size (default 100000), `ROSTER_EDITS` the
//! timed edits (default 50), `ROSTER_IMPORTS` the timed imports of each format
//! (default 3).

mod common;

use fairpanel::roster;
use fairpanel::store::Store;
use fairpanel::store::experts::{Must, record_hash};
use fairpanel_core::types::{PROVINCES, Province};
use std::hint::black_box;
use std::time::Instant;

const ORIGIN: &str = "bench.example/log";
const T0: u64 = 1_750_000_000;
const XLSX_ROWS: usize = 50_000;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&v| v > 0)
        .unwrap_or(default)
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// The floor: the `sqlite3` shell's `.import` of the CSV file into a table of
/// a fresh WAL database (the table made by `.import` from the header row), in
/// seconds. `None` without a `sqlite3` binary.
fn sqlite3_import(csv: &[u8]) -> Option<f64> {
    common::sqlite3_import(csv, "")
}

struct Figures {
    csv: Vec<f64>,
    xlsx: Vec<f64>,
}

async fn run(
    name: &str,
    url: &str,
    csv: &[u8],
    xlsx: &[Vec<u8>],
    floors: &mut Vec<f64>,
) -> Figures {
    let n = env_usize("ROSTER_EXPERTS", 100_000);
    let edits = env_usize("ROSTER_EDITS", 50);
    let imports = env_usize("ROSTER_IMPORTS", 3);
    let store = Store::open(url).await.unwrap();
    let keys = tempfile::tempdir().unwrap();
    let key = fairpanel::serve::ensure_key(keys.path()).unwrap();
    let mut provinces = PROVINCES
        .iter()
        .map(|(c, _)| Province::try_from(*c).unwrap());

    // Imports, CSV and XLSX alternating with the floor, each into an empty
    // province: parse + write_experts, as `POST /experts/import` does.
    let mut f = Figures {
        csv: Vec::new(),
        xlsx: Vec::new(),
    };
    let (mut parse_csv, mut parse_xlsx, mut write) = (Vec::new(), Vec::new(), Vec::new());
    let mut first = None;
    for _ in 0..imports {
        if let Some(s) = sqlite3_import(csv) {
            floors.push(s);
        }
        let one = [csv.to_vec()];
        for (files, is_csv) in [(&one[..], true), (xlsx, false)] {
            let p = provinces.next().expect("enough provinces");
            let (mut parsed, mut written, mut records) = (0.0, 0.0, Vec::new());
            for bytes in files {
                let t = Instant::now();
                let part = if is_csv {
                    roster::parse_csv(bytes)
                } else {
                    roster::parse_xlsx(bytes)
                }
                .unwrap_or_else(|e| panic!("the file does not import: {e:?}"));
                parsed += secs(t);
                let tw = Instant::now();
                store
                    .write_experts(&key, ORIGIN, &p, &part, Must::Either, "import", T0)
                    .await
                    .unwrap()
                    .unwrap();
                written += secs(tw);
                records.extend(part);
            }
            assert_eq!(store.read_roster(&p).await.unwrap().len(), n);
            write.push(written);
            let all = parsed + written;
            if is_csv {
                f.csv.push(all);
                parse_csv.push(parsed);
            } else {
                f.xlsx.push(all);
                parse_xlsx.push(parsed);
            }
            first.get_or_insert((p, records));
        }
    }
    let (p, records) = first.unwrap();
    // The per-record work of a write done alone: serialising and hashing.
    let t = Instant::now();
    for r in &records {
        black_box(record_hash(r));
    }
    let hashing = secs(t);
    // The same file again: nothing changes, nothing is written.
    let t = Instant::now();
    let w = store
        .write_experts(&key, ORIGIN, &p, &records, Must::Either, "import", T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(w.changed, 0);
    let again = secs(t);

    // Reading the parsed roster: from the table, then from memory.
    let t = Instant::now();
    black_box(store.read_roster(&p).await.unwrap());
    let read = secs(t);
    black_box(store.roster(&p).await.unwrap());
    let t = Instant::now();
    black_box(store.roster(&p).await.unwrap());
    let cached = secs(t);

    // One-expert edits, as the handler does them: read the expert, write it.
    let mut lat = Vec::new();
    for k in 0..edits {
        let id = &records[(k * 7919) % records.len()].expert_id;
        let t = Instant::now();
        let mut r = store.get_expert(&p, id).await.unwrap().unwrap();
        r.name = format!("区{k}");
        let w = store
            .write_experts(&key, ORIGIN, &p, &[r], Must::Exist, "update", T0 + 1)
            .await
            .unwrap()
            .unwrap();
        lat.push(secs(t) * 1e3);
        assert_eq!(w.changed, 1);
    }
    // And a read of the roster right after an edit (the cache is renewed).
    let t = Instant::now();
    black_box(store.roster(&p).await.unwrap());
    let reread = secs(t);

    println!("{name}: {n} experts, {imports} imports of each format, {edits} edits");
    println!(
        "  edit one expert (get_expert + write_experts): median {:.2} ms, min {:.2} ms, max {:.2} ms   (target <= 5 ms)",
        median(&lat),
        min(&lat),
        lat.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "  import CSV  (parse + write_experts): median {:.2} s, min {:.2} s   (parse median {:.2} s)",
        median(&f.csv),
        min(&f.csv),
        median(&parse_csv)
    );
    println!(
        "  import XLSX (parse + write_experts): median {:.2} s, min {:.2} s   (parse median {:.2} s)",
        median(&f.xlsx),
        min(&f.xlsx),
        median(&parse_xlsx)
    );
    println!(
        "  of which write_experts median {:.2} s (serialising + hashing the records alone {:.2} s); the same import again (nothing changes) {:.2} s",
        median(&write),
        hashing,
        again
    );
    println!(
        "  read the parsed roster: from the table {:.1} ms, from memory {:.3} ms, after an edit {:.1} ms",
        read * 1e3,
        cached * 1e3,
        reread * 1e3
    );
    store.close().await;
    f
}

fn main() {
    // The allocator as the service's `main` sets it (`fairpanel::memory`).
    fairpanel::memory::tune();
    let n = env_usize("ROSTER_EXPERTS", 100_000);
    let records = fairpanel::demo::synthetic_records(n);
    let csv = roster::export_csv(&records);
    // An upload's sheet may decompress to 32 MiB at most (`XlsxLimits::UPLOAD`),
    // about 80,000 experts: a larger roster goes as XLSX files of 50,000.
    let xlsx: Vec<Vec<u8>> = records.chunks(XLSX_ROWS).map(roster::export_xlsx).collect();
    println!(
        "roster of {n}: CSV {:.1} MB, XLSX {} file(s) of at most {XLSX_ROWS} rows, {:.1} MB",
        csv.len() as f64 / 1e6,
        xlsx.len(),
        xlsx.iter().map(Vec::len).sum::<usize>() as f64 / 1e6
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut floors = Vec::new();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("bench.sqlite").display());
        let mut rows = vec![(
            "sqlite (file, WAL)",
            run("sqlite (file, WAL)", &url, &csv, &xlsx, &mut floors).await,
        )];
        let db = format!("fp_bench_roster_{}", std::process::id());
        let (csv2, xlsx2) = (csv.clone(), xlsx.clone());
        let pg = common::on_fresh_pg_database(&db, move |url| async move {
            let mut fl = Vec::new();
            let f = run("postgres", &url, &csv2, &xlsx2, &mut fl).await;
            (f, fl)
        })
        .await;
        if let Some((f, fl)) = pg {
            floors.extend(fl);
            rows.push(("postgres", f));
        }
        if floors.is_empty() {
            println!("sqlite3 not found: no import floor, no import ratios");
            return;
        }
        let floor = median(&floors);
        println!(
            "floor: sqlite3 .import of the same CSV, median {:.2} s, min {:.2} s (N = {})",
            floor,
            min(&floors),
            floors.len()
        );
        for (name, f) in rows {
            println!(
                "  {name}: import CSV / floor {:.2}x, XLSX / floor {:.2}x (medians; target <= 3)",
                median(&f.csv) / floor,
                median(&f.xlsx) / floor
            );
        }
    });
}
