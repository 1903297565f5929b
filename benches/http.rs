//! The public read API under load, in one run: `GET /api/v1/public/checkpoint`
//! and a single-entry `GET /api/v1/public/entries?start=N&end=N+1` of the real
//! service (SQLite, a log of a few hundred entries), against an axum hello-world
//! on the same multi-thread runtime, each loaded by `wrk` over loopback.
//! Target: each public endpoint ≥ 0.5× the hello-world's requests per second.
//!
//! `cargo bench --bench http` (needs `wrk` on PATH: `apt-get install -y wrk`;
//! without it the bench says so and exits 0). `HTTP_BENCH_SECONDS` sets each
//! wrk run's duration (default 10).

use fairpanel::store::log::NewEntry;
use fairpanel_core::entry::{Body, RosterChange};
use fairpanel_core::hash::{tag, tagged};
use fairpanel_core::types::{Province, ReasonCode};
use std::net::SocketAddr;
use std::process::Command;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Entries in the log before loading, appended in batches of `BATCH` (one signed
/// checkpoint per batch).
const ENTRIES: u64 = 400;
const BATCH: u64 = 50;
const THREADS: u32 = 2;
const CONNECTIONS: u32 = 32;
const TARGET: f64 = 0.5;

fn roster_change(i: u64) -> NewEntry {
    NewEntry {
        time: 1_700_000_000 + i,
        province: Some(Province::try_from("440000").unwrap()),
        body: Body::RosterChange(RosterChange {
            action: ReasonCode::try_from("update").unwrap(),
            changed: 1,
            roster: tagged(tag::ROSTER, &[&i.to_be_bytes()]),
            size: 100 + i,
        }),
    }
}

/// The real service on a random loopback port, with `ENTRIES` log entries.
async fn start_service(dir: &std::path::Path) -> SocketAddr {
    // Through `resolve`, as `fairpanel serve` does, so settings added later get
    // their defaults here too.
    let args = fairpanel::config::Args {
        database_url: Some(format!("sqlite:{}", dir.join("bench.sqlite").display())),
        keys: Some(dir.join("keys")),
        origin: Some("bench.example/log".into()),
        ..Default::default()
    };
    let cfg = fairpanel::config::Config::resolve(&args, Some("127.0.0.1:0")).unwrap();
    let state = fairpanel::serve::prepare(&cfg).await.unwrap();
    for b in 0..ENTRIES / BATCH {
        let entries: Vec<NewEntry> = (b * BATCH..(b + 1) * BATCH).map(roster_change).collect();
        state
            .store
            .append(&state.key, &state.origin, &entries)
            .await
            .unwrap();
    }
    assert_eq!(state.store.log_size().await.unwrap(), ENTRIES);
    let listener = tokio::net::TcpListener::bind(cfg.listen).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = fairpanel::http::router(state);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// `GET /` → "hello", on a random loopback port.
async fn start_hello() -> SocketAddr {
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// One HTTP/1.1 GET: status and body.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_string())
}

/// What one wrk run reports.
struct Figures {
    rps: f64,
    mean_us: f64,
    p50_us: Option<f64>,
    p99_us: Option<f64>,
    requests: Option<String>,
    socket_errors: Option<String>,
}

/// A wrk duration such as `635.91us`, `1.20ms`, `2.00s` or `1.00m`, in µs.
fn micros(s: &str) -> Option<f64> {
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n,
        "ms" => n * 1e3,
        "s" => n * 1e6,
        "m" => n * 60e6,
        "h" => n * 3600e6,
        _ => return None,
    })
}

/// Parses wrk's report; `Err` with the offending line when it counted any
/// response outside 2xx/3xx, or when the report cannot be read.
fn parse(out: &str) -> Result<Figures, String> {
    let mut rps = None;
    let mut mean = None;
    let mut p50 = None;
    let mut p99 = None;
    let mut requests = None;
    let mut socket_errors = None;
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Non-2xx or 3xx responses") {
            return Err(line.to_string());
        } else if let Some(v) = line.strip_prefix("Requests/sec:") {
            rps = v.trim().parse::<f64>().ok();
        } else if words.first() == Some(&"Latency") && mean.is_none() {
            // "Latency  Avg Stdev Max +/-Stdev"; not "Latency Distribution".
            mean = words.get(1).and_then(|w| micros(w));
        } else if words.len() == 2 && words[0] == "50%" {
            p50 = micros(words[1]);
        } else if words.len() == 2 && words[0] == "99%" {
            p99 = micros(words[1]);
        } else if line.contains(" requests in ") {
            requests = Some(line.to_string());
        } else if line.starts_with("Socket errors:") {
            socket_errors = Some(line.to_string());
        }
    }
    match (rps, mean) {
        (Some(rps), Some(mean_us)) => Ok(Figures {
            rps,
            mean_us,
            p50_us: p50,
            p99_us: p99,
            requests,
            socket_errors,
        }),
        _ => Err(format!("could not read wrk's report:\n{out}")),
    }
}

/// Runs wrk against `url` on a blocking thread, so the runtime keeps serving.
async fn wrk(url: String, seconds: u64) -> Result<Figures, String> {
    tokio::task::spawn_blocking(move || {
        let out = Command::new("wrk")
            .args([
                format!("-t{THREADS}"),
                format!("-c{CONNECTIONS}"),
                format!("-d{seconds}s"),
                "--latency".to_string(),
                url.clone(),
            ])
            .output()
            .map_err(|e| format!("run wrk: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            return Err(format!(
                "wrk {url} failed ({}):\n{text}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        parse(&text)
    })
    .await
    .unwrap()
}

fn wrk_available() -> bool {
    Command::new("wrk")
        .arg("--version")
        .output()
        .map(|o| !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false)
}

fn latency(us: Option<f64>) -> String {
    match us {
        None => "-".into(),
        Some(us) if us >= 1000.0 => format!("{:.2}ms", us / 1000.0),
        Some(us) => format!("{us:.0}us"),
    }
}

fn main() {
    // The allocator as the service's `main` sets it (`fairpanel::memory`).
    fairpanel::memory::tune();
    if !wrk_available() {
        println!("http bench: skipped, `wrk` is not on PATH; install it (apt-get install -y wrk)");
        return;
    }
    let seconds: u64 = match std::env::var("HTTP_BENCH_SECONDS") {
        Err(_) => 10,
        Ok(s) => match s.trim().parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!(
                    "HTTP_BENCH_SECONDS must be a positive whole number of seconds, got {s:?}"
                );
                std::process::exit(2);
            }
        },
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let code = rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let service = start_service(dir.path()).await;
        let hello = start_hello().await;
        let mid = ENTRIES / 2;
        let targets = [
            ("hello", hello, "/".to_string()),
            (
                "checkpoint",
                service,
                "/api/v1/public/checkpoint".to_string(),
            ),
            (
                "entry",
                service,
                format!("/api/v1/public/entries?start={mid}&end={}", mid + 1),
            ),
        ];
        for (name, addr, path) in &targets {
            let (status, body) = get(*addr, path).await;
            if status != 200 {
                eprintln!("{name}: GET {path} answered {status}: {body}");
                return 1;
            }
        }
        println!(
            "wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s on loopback; fairpanel on SQLite with {ENTRIES} log entries"
        );
        let mut results = Vec::new();
        for (name, addr, path) in &targets {
            let url = format!("http://{addr}{path}");
            match wrk(url.clone(), seconds).await {
                Ok(f) => {
                    if let Some(r) = &f.requests {
                        println!("  {name:<10} {url}: {r}");
                    }
                    if let Some(e) = &f.socket_errors {
                        println!("  {name:<10} {e}");
                    }
                    results.push((*name, f));
                }
                Err(e) => {
                    eprintln!("{name} ({url}): {e}");
                    return 1;
                }
            }
        }
        println!();
        println!(
            "{:<12} {:>12} {:>10} {:>10} {:>10}",
            "target", "requests/s", "mean", "p50", "p99"
        );
        for (name, f) in &results {
            println!(
                "{:<12} {:>12.0} {:>10} {:>10} {:>10}",
                name,
                f.rps,
                latency(Some(f.mean_us)),
                latency(f.p50_us),
                latency(f.p99_us)
            );
        }
        println!();
        let base = results[0].1.rps;
        for (name, f) in &results[1..] {
            let ratio = f.rps / base;
            let mark = if ratio >= TARGET { "" } else { "  BELOW TARGET" };
            println!("{name}/hello = {ratio:.2}x (target >= {TARGET}){mark}");
        }
        0
    });
    rt.shutdown_background();
    std::process::exit(code);
}
