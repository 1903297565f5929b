//! Command-line entry points: `serve`, `audit`, `verify`, `extract`, `keygen`,
//! `rotate-key`, `backup`, `restore`, `admin reset-password`, `demo`.

use crate::config::{Args, Config};
use crate::{demo, keyfile};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use fairpanel_core::verify::Outcome;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "fairpanel",
    version,
    about = "Verifiable expert-panel draws (专家随机抽取，可验证)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of `Serve`'s settings costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the service (SQLite file in the working directory unless DATABASE_URL
    /// says otherwise; the signing key is created in keys/ on first start).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "FAIRPANEL_LISTEN")]
        listen: Option<String>,
        /// Load demo data on an empty database: a synthetic expert pool of 320
        /// for 广东省 (440000) and its coordinator and supervisor accounts.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        args: Args,
    },
    /// Check the whole stored log (chain, signatures, Merkle hashes, checkpoints)
    /// in the database `serve` would use with the same flags and environment.
    Audit {
        #[command(flatten)]
        args: StoreArgs,
        /// A signed checkpoint of this log kept outside it (by a monitor, a
        /// witness, a supervisor's office); the stored log must extend it.
        /// May be given more than once.
        #[arg(long)]
        checkpoint: Vec<PathBuf>,
    },
    /// Hand signing to a new key: appends a key_rotation entry signed by the
    /// old key and the new one, puts the new key in keys/log.key and keeps the
    /// retired key's public key in keys/retired/. Restart `serve` afterwards:
    /// a running one refuses to sign with the retired key.
    RotateKey {
        /// Why the key is rotated (written into the log, public).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        args: StoreArgs,
    },
    /// Write a consistent copy of the database while the service runs (SQLite:
    /// VACUUM INTO; PostgreSQL: pg_dump). The signing key is not in it.
    Backup {
        /// The backup file to write (mode 0600).
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        args: DbArgs,
    },
    /// Bring a backup back, after `audit` finds it sound against the key in
    /// keys/ (stop the service first).
    Restore {
        /// The backup file written by `fairpanel backup`.
        #[arg(long)]
        from: PathBuf,
        /// Replace an existing database (an SQLite file is kept beside it).
        #[arg(long)]
        force: bool,
        /// Restore a backup older than the last checkpoint the key signed
        /// (the entries after it are lost; see README).
        #[arg(long)]
        accept_rollback: bool,
        #[command(flatten)]
        args: StoreArgs,
    },
    /// Account administration on the server itself.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Check a draw's bundle offline: no database, no network.
    Verify {
        /// The bundle file (.json) as served by the service or written by `demo`.
        bundle: PathBuf,
        /// The province's published public key: a file (base64 or PEM) or the
        /// base64 text. Without it the bundle's own key is used, and the report
        /// says so.
        #[arg(long)]
        key: Option<String>,
        /// A newer signed checkpoint of the same log that you trust (fetched
        /// yourself from the log, or from a witness): the report says whether
        /// the bundle is current against it.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// A witness whose valid cosignature the bundle's checkpoint must
        /// carry, as NAME=BASE64KEY (C2SP tlog-cosignature). May be repeated.
        #[arg(long)]
        witness: Vec<String>,
    },
    /// Be a witness of an instance's log (C2SP tlog-cosignature): each round
    /// follows the log as `monitor` does and, when the new checkpoint extends
    /// the last one kept in --state, cosigns it and hands the cosignature to
    /// the instance. Refuses (exit 3, naming both checkpoints) a fork or a
    /// rollback, and cosigns nothing then.
    Witness {
        /// The instance's address, e.g. https://fairpanel.example.
        #[arg(long)]
        log: String,
        /// The witness's private key (PKCS#8 PEM, mode 0600; `fairpanel keygen`).
        #[arg(long)]
        key: PathBuf,
        /// The witness's name, as the instance's admin registered it.
        #[arg(long)]
        name: String,
        /// The witness's own folder: the checkpoints it accepted.
        #[arg(long)]
        state: PathBuf,
        /// The log's published public key, pinned on the first run.
        #[arg(long)]
        log_key: Option<String>,
        /// One round, then exit (0 when cosigned).
        #[arg(long)]
        once: bool,
        /// Seconds between rounds.
        #[arg(long, default_value_t = 60)]
        every: u64,
    },
    /// Witnesses whose cosignatures this instance accepts.
    WitnessKey {
        #[command(subcommand)]
        command: WitnessKeyCommand,
    },
    /// Follow an instance's log from outside: each round checks the newest
    /// checkpoint against the last one kept in --state (consistency proof),
    /// every new entry's signature and hash chain, and keeps it. Exits 3
    /// naming both checkpoints when the log forks or rolls back, 1 on an error.
    Monitor {
        /// The instance's address, e.g. https://fairpanel.example.
        url: String,
        /// The monitor's own folder: the checkpoints it accepted, the log's keys.
        #[arg(long)]
        state: PathBuf,
        /// The log's published public key (a file or base64), pinned on the
        /// first run; without it the first run trusts the served key and says so.
        #[arg(long)]
        key: Option<String>,
        /// One round, then exit (0 when consistent).
        #[arg(long)]
        once: bool,
        /// Seconds between rounds.
        #[arg(long, default_value_t = 60)]
        every: u64,
    },
    /// Write one entry's exact bytes, its signature and the public key as files,
    /// for checking the signature with `openssl pkeyutl -verify -rawin`.
    Extract {
        bundle: PathBuf,
        /// The entry's sequence number.
        #[arg(long)]
        seq: u64,
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Create the log's signing key pair (private key mode 0600).
    Keygen {
        #[arg(long, default_value = "keys", env = "FAIRPANEL_KEYS")]
        dir: PathBuf,
        /// Replace an existing key (for test setups only).
        #[arg(long)]
        force: bool,
    },
    /// Sign, as a supervisor, the approval of a key_registration that
    /// replaces a person's lost key (protocol 1.6); prints the `approval`
    /// object `{"key", "sig"}`.
    ApproveKey {
        /// The supervisor's own private key (PKCS#8 PEM; `fairpanel keygen`).
        #[arg(long)]
        key: PathBuf,
        /// The draw.
        #[arg(long)]
        draw: String,
        /// The person's token in the draw (64 hex digits).
        #[arg(long)]
        person: String,
        /// The person's role: supervisor or expert.
        #[arg(long)]
        role: String,
        /// The new public key (a file or base64).
        #[arg(long)]
        new_key: String,
        /// The id of the key it replaces (16 hex digits).
        #[arg(long)]
        replaces: String,
    },
    /// Run a whole draw through a temporary `serve` and write its bundles.
    Demo {
        #[arg(long, default_value = "fairpanel-demo")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum WitnessKeyCommand {
    /// Register a witness: its name and its Ed25519 public key (a file or base64).
    Add {
        name: String,
        pubkey: String,
        #[command(flatten)]
        args: StoreArgs,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Give an account a new one-time password, printed once here (never
    /// logged); it must be changed at the next sign-in, and the account's
    /// sessions end.
    ResetPassword {
        username: String,
        #[command(flatten)]
        args: DbArgs,
    },
}

/// `--config` and `--database-url`: the database a command works on.
#[derive(clap::Args, Debug, Clone, Default)]
struct DbArgs {
    #[arg(long, env = "FAIRPANEL_CONFIG", help = crate::config::CONFIG_HELP)]
    config: Option<PathBuf>,
    /// Database URL: sqlite:PATH (default sqlite:fairpanel.sqlite) or postgres://…
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
}

/// The database, the keys folder and the log's origin: what the commands that
/// read or extend the log need (and nothing of `serve`'s).
#[derive(clap::Args, Debug, Clone, Default)]
struct StoreArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The folder holding the signing key (default keys).
    #[arg(long, env = "FAIRPANEL_KEYS")]
    keys: Option<PathBuf>,
    /// The log's origin line in checkpoints (default fairpanel.local/log).
    #[arg(long, env = "FAIRPANEL_ORIGIN")]
    origin: Option<String>,
}

impl From<&DbArgs> for Args {
    fn from(a: &DbArgs) -> Args {
        Args {
            config: a.config.clone(),
            database_url: a.database_url.clone(),
            ..Args::default()
        }
    }
}

impl From<&StoreArgs> for Args {
    fn from(a: &StoreArgs) -> Args {
        Args {
            keys: a.keys.clone(),
            origin: a.origin.clone(),
            ..Args::from(&a.db)
        }
    }
}

/// Log lines go to standard error, filtered by `RUST_LOG` (default `info`).
fn init_logging(format: crate::config::LogFormat) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        // One JSON object per line; each line inside a request carries the
        // request span and so its `request_id`.
        crate::config::LogFormat::Json => fmt.json().with_current_span(true).init(),
        // Colour codes only for a person at a terminal, never in a file or a
        // journal.
        crate::config::LogFormat::Text => fmt.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

pub fn main() -> ExitCode {
    // Before any thread starts (`memory.rs`).
    crate::memory::tune();
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::Audit { .. } | Command::RotateKey { .. } | Command::Restore { .. }
    ) {
        init_logging(Default::default());
    }
    let result = match cli.command {
        Command::Serve { listen, demo, args } => Config::resolve(&args, listen.as_deref())
            .and_then(|cfg| {
                // The format is part of the configuration, so logging starts
                // once it is read.
                init_logging(cfg.log_format);
                runtime()?.block_on(crate::serve::run(cfg, demo))
            })
            .map(|_| ExitCode::SUCCESS),
        Command::Audit { args, checkpoint } => Config::resolve(&(&args).into(), None)
            .and_then(|cfg| runtime()?.block_on(audit(cfg, &checkpoint))),
        Command::RotateKey { reason, args } => Config::resolve(&(&args).into(), None)
            .and_then(|cfg| runtime()?.block_on(rotate_key(cfg, &reason))),
        Command::Backup { out, force, args } => {
            Config::resolve(&(&args).into(), None).and_then(|cfg| {
                let lines =
                    runtime()?.block_on(crate::backup::backup(&cfg.database_url, &out, force))?;
                lines.iter().for_each(|l| println!("{l}"));
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Restore {
            from,
            force,
            accept_rollback,
            args,
        } => Config::resolve(&(&args).into(), None).and_then(|cfg| {
            let lines =
                runtime()?.block_on(crate::backup::restore(&cfg, &from, force, accept_rollback))?;
            lines.iter().for_each(|l| println!("{l}"));
            println!("OK: the restored log passes the audit; start the service");
            Ok(ExitCode::SUCCESS)
        }),
        Command::Admin {
            command: AdminCommand::ResetPassword { username, args },
        } => Config::resolve(&(&args).into(), None)
            .and_then(|cfg| runtime()?.block_on(reset_password(cfg, &username))),
        Command::Verify {
            bundle,
            key,
            checkpoint,
            witness,
        } => verify(&bundle, key.as_deref(), checkpoint.as_deref(), &witness),
        Command::Witness {
            log,
            key,
            name,
            state,
            log_key,
            once,
            every,
        } => keyfile::load_file(&key).and_then(|key| {
            let log_key = log_key.as_deref().map(keyfile::read_public).transpose()?;
            runtime()?.block_on(crate::witness::run(
                &log,
                &state,
                &name,
                key,
                log_key,
                once,
                std::time::Duration::from_secs(every.max(1)),
            ))
        }),
        Command::WitnessKey {
            command: WitnessKeyCommand::Add { name, pubkey, args },
        } => keyfile::read_public(&pubkey).and_then(|key| {
            let cfg = Config::resolve(&(&args).into(), None)?;
            runtime()?.block_on(add_witness_key(cfg, &name, &key))
        }),
        Command::Monitor {
            url,
            state,
            key,
            once,
            every,
        } => key
            .as_deref()
            .map(keyfile::read_public)
            .transpose()
            .and_then(|key| {
                runtime()?.block_on(crate::monitor::run(
                    &url,
                    &state,
                    key,
                    once,
                    std::time::Duration::from_secs(every.max(1)),
                ))
            }),
        Command::Extract { bundle, seq, out } => {
            extract(&bundle, seq, &out).map(|_| ExitCode::SUCCESS)
        }
        Command::Keygen { dir, force } => keygen(&dir, force).map(|_| ExitCode::SUCCESS),
        Command::ApproveKey {
            key,
            draw,
            person,
            role,
            new_key,
            replaces,
        } => {
            approve_key(&key, &draw, &person, &role, &new_key, &replaces).map(|_| ExitCode::SUCCESS)
        }
        Command::Demo { out } => demo::run(&out).map(|_| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("start the async runtime")
}

/// Exit 0 when the stored log is sound, 1 when the audit finds a problem.
async fn audit(cfg: Config, outside: &[PathBuf]) -> Result<ExitCode> {
    // The outside checkpoints are read first: a wrong path stops before the store opens.
    let texts = outside
        .iter()
        .map(|p| std::fs::read_to_string(p).with_context(|| format!("read {}", p.display())))
        .collect::<Result<Vec<String>>>()?;
    let names: Vec<String> = outside.iter().map(|p| p.display().to_string()).collect();
    let outside: Vec<crate::audit::Outside> = names
        .iter()
        .zip(&texts)
        .map(|(name, text)| crate::audit::Outside { name, text })
        .collect();
    // The public key is enough to audit; it comes from keys/log.pub, or from the
    // private key when only that is there.
    let public = match keyfile::read_public(&cfg.keys.join(keyfile::PUBLIC).to_string_lossy()) {
        Ok(k) => k,
        Err(_) => keyfile::load(&cfg.keys)?.public(),
    };
    let store = crate::store::Store::open(&cfg.database_url).await?;
    let anchor = cfg.keys.join(crate::anchor::FILE);
    let a = crate::audit::run_against(&store, &public, &cfg.origin, Some(&anchor), Some(&outside))
        .await?;
    store.close().await;
    println!(
        "fairpanel audit: {} entries, {} checkpoints, key {} ({})",
        a.entries,
        a.checkpoints,
        public.key_id(),
        crate::store::redact(&cfg.database_url)
    );
    if a.problems.is_empty() {
        println!("OK: the log is whole: chain, signatures, Merkle hashes and checkpoints agree");
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &a.problems {
            println!("  PROBLEM {p}");
        }
        println!("FAILED: {} problems", a.problems.len());
        Ok(ExitCode::from(1))
    }
}

async fn rotate_key(cfg: Config, reason: &str) -> Result<ExitCode> {
    let r = crate::rotate::run(&cfg, reason).await?;
    if r.finished_only {
        println!(
            "finished an interrupted rotation (entry seq {}): the new key is now in place",
            r.seq
        );
    } else {
        println!("key rotation appended at seq {}", r.seq);
    }
    println!("retired key: {}", r.old.key_id());
    println!("new key:     {}", r.new.key_id());
    println!("base64:      {}", r.new.to_base64());
    print!("{}", r.new.to_pem());
    println!(
        "restart fairpanel now (a running instance refuses to sign with the retired key), publish the new key, and back up {} again",
        cfg.keys.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn reset_password(cfg: Config, username: &str) -> Result<ExitCode> {
    let store = crate::store::Store::open(&cfg.database_url).await?;
    let r = crate::accounts::reset_password(&store, username, crate::serve::now()).await;
    store.close().await;
    match r? {
        Some(pw) => {
            // Printed once to the terminal, never logged.
            println!("account \"{username}\": new one-time password {pw}");
            println!(
                "(it is shown only now; it must be changed at the next sign-in, and the account's sessions have ended)"
            );
            Ok(ExitCode::SUCCESS)
        }
        None => anyhow::bail!("no account named {username:?}"),
    }
}

/// `fairpanel verify REPORT.json`: a review report (protocol 1.3) against the
/// log entries it carries. Exit codes as for bundles.
fn verify_report_file(
    path: &std::path::Path,
    bytes: &[u8],
    pinned: Option<&fairpanel_core::PublicKey>,
    newer: Option<&std::path::Path>,
) -> Result<ExitCode> {
    if newer.is_some() {
        anyhow::bail!("--checkpoint is for bundles; a report is checked against its own evidence");
    }
    let report = fairpanel_core::report::verify_report(bytes, pinned)
        .map_err(|e| anyhow::anyhow!("not a fairpanel report: {}", e.0))
        .with_context(|| path.display().to_string())?;
    println!("fairpanel verify {} (review report)", path.display());
    for c in &report.checks {
        println!("  {c}");
    }
    for line in &report.summary {
        println!("  | {line}");
    }
    if pinned.is_none() {
        println!(
            "WARNING: no --key given. The report was checked against its own key only: this proves that it is consistent with itself, NOT who signed it. Pass --key with the province's published key."
        );
    }
    println!("What these checks do not prove:");
    for line in fairpanel_core::report::LIMITS {
        println!("  - {line}");
    }
    match report.first_failure() {
        None => {
            let passed = report
                .checks
                .iter()
                .filter(|c| matches!(c.outcome, Outcome::Passed(_)))
                .count();
            println!("OK: {passed} checks passed, none failed");
            Ok(ExitCode::SUCCESS)
        }
        Some(c) => {
            let Outcome::Failed(why) = &c.outcome else {
                unreachable!()
            };
            println!("FAILED: first failing check is {}: {why}", c.name);
            Ok(ExitCode::from(1))
        }
    }
}

/// Exit 0 when every check passes, 1 when one fails, 2 when the input is not a bundle.
async fn add_witness_key(
    cfg: Config,
    name: &str,
    key: &fairpanel_core::PublicKey,
) -> Result<ExitCode> {
    if !fairpanel_core::checkpoint::origin_ok(name) {
        anyhow::bail!("{name:?} is not a valid witness name (no spaces, no +)");
    }
    let store = crate::store::Store::open(&cfg.database_url).await?;
    let added = store
        .add_witness_key(name, key, crate::serve::now() as i64)
        .await;
    store.close().await;
    if !added? {
        anyhow::bail!("a witness named {name:?} is registered already");
    }
    println!(
        "witness {name} registered, key ID {}",
        hex::encode(fairpanel_core::cosignature::key_id(name, key))
    );
    Ok(ExitCode::SUCCESS)
}

fn verify(
    path: &std::path::Path,
    key: Option<&str>,
    newer: Option<&std::path::Path>,
    witnesses: &[String],
) -> Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("read {}", path.display()))?;
    let pinned = key.map(keyfile::read_public).transpose()?;
    let witnesses = witnesses
        .iter()
        .map(|w| fairpanel_core::cosignature::parse_witness(w).map_err(anyhow::Error::msg))
        .collect::<Result<Vec<_>>>()?;
    // A bundle is tried first: a report never parses as one (its members are
    // not a bundle's), and skimming a large bundle for `format` first cost a
    // tenth of its verify.
    let report = match fairpanel_core::verify::verify_bundle_witnessed(
        &bytes,
        pinned.as_ref(),
        &witnesses,
    ) {
        Ok(report) => report,
        Err(_) if fairpanel_core::report::is_report(&bytes) => {
            return verify_report_file(path, &bytes, pinned.as_ref(), newer);
        }
        Err(e) => return Err(anyhow::Error::new(e).context(path.display().to_string())),
    };
    println!("fairpanel verify {}", path.display());
    for c in &report.checks {
        println!("  {c}");
    }
    for line in &report.summary {
        println!("  | {line}");
    }
    if pinned.is_none() {
        println!(
            "WARNING: no --key given. The bundle was checked against its own key only: this proves that it is consistent with itself, NOT who signed it. Pass --key with the province's published key."
        );
    }
    let mut fork = false;
    if let Some(cp_path) = newer {
        let line = currency(&bytes, pinned.as_ref(), cp_path)?;
        fork = line.starts_with("FORK");
        println!("{line}");
    }
    println!("What these checks do not prove:");
    for line in fairpanel_core::verify::LIMITS {
        println!("  - {line}");
    }
    if fork {
        println!("FAILED: the checkpoint given with --checkpoint contradicts the bundle's");
        return Ok(ExitCode::from(1));
    }
    match report.first_failure() {
        None => {
            let passed = report
                .checks
                .iter()
                .filter(|c| matches!(c.outcome, Outcome::Passed(_)))
                .count();
            println!("OK: {passed} checks passed, none failed");
            Ok(ExitCode::SUCCESS)
        }
        Some(c) => {
            let Outcome::Failed(why) = &c.outcome else {
                unreachable!()
            };
            println!("FAILED: first failing check is {}: {why}", c.name);
            Ok(ExitCode::from(1))
        }
    }
}

/// Whether the bundle is current against a newer checkpoint the user trusts.
fn currency(
    bundle: &[u8],
    pinned: Option<&fairpanel_core::PublicKey>,
    cp_path: &std::path::Path,
) -> Result<String> {
    use fairpanel_core::checkpoint;
    let b: fairpanel_core::bundle::Bundle =
        serde_json::from_slice(bundle).context("the bundle does not parse")?;
    let text =
        std::fs::read_to_string(cp_path).with_context(|| format!("read {}", cp_path.display()))?;
    let key = pinned.copied().unwrap_or(b.key);
    let newer = checkpoint::verify(&text, &key, Some(&b.origin)).map_err(|m| {
        anyhow::anyhow!(
            "{}: not a checkpoint of log {} signed by key {}: {m}",
            cp_path.display(),
            b.origin,
            key.key_id()
        )
    })?;
    let own = checkpoint::verify(&b.checkpoint, &b.key, Some(&b.origin))
        .map_err(|m| anyhow::anyhow!("the bundle's own checkpoint: {m}"))?;
    Ok(if newer.size == own.size && newer.root == own.root {
        format!(
            "CURRENT: the bundle's checkpoint is the one given ({} entries): the log held nothing more when it was signed",
            own.size
        )
    } else if newer.size == own.size {
        format!(
            "FORK: the given checkpoint and the bundle's both have {} entries but different roots: the log shows two histories",
            own.size
        )
    } else if newer.size > own.size {
        format!(
            "NOT CURRENT: the log has grown from {} to {} entries since the bundle's checkpoint; later entries may include a decline, void or disclosure of this draw (fetch a newer bundle; the service serves the consistency proof at /api/v1/public/proof/consistency?from={}&to={})",
            own.size, newer.size, own.size, newer.size
        )
    } else {
        format!(
            "OLDER: the given checkpoint ({} entries) is older than the bundle's ({}); it says nothing about currency",
            newer.size, own.size
        )
    })
}

fn extract(path: &std::path::Path, seq: u64, out: &std::path::Path) -> Result<()> {
    use base64::Engine;
    let bytes = std::fs::read(path).with_context(|| format!("read {}", path.display()))?;
    let b: fairpanel_core::bundle::Bundle = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a fairpanel bundle", path.display()))?;
    let (e, parsed) = b
        .entries
        .iter()
        .chain(b.rotations.iter())
        .find_map(|e| {
            let p = fairpanel_core::entry::parse(e.entry.get().as_bytes()).ok()?;
            (p.entry.seq == seq).then_some((e, p))
        })
        .with_context(|| format!("no entry with seq {seq} in the bundle"))?;
    // The key that signed this entry: the bundle's key, or one that a key
    // rotation in the bundle retired.
    let mut keys = vec![b.key];
    for r in &b.rotations {
        if let Ok(p) = fairpanel_core::entry::parse(r.entry.get().as_bytes())
            && let fairpanel_core::entry::Body::KeyRotation(k) = p.body
        {
            keys.push(k.old_key);
        }
    }
    let signer = keys
        .into_iter()
        .find(|k| k.key_id() == parsed.entry.signer)
        .with_context(|| {
            format!(
                "the bundle does not hold key {}, which signed entry {seq}",
                parsed.entry.signer
            )
        })?;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(&e.sig)
        .context("the entry's signature is not base64")?;
    std::fs::create_dir_all(out)?;
    let entry_file = out.join(format!("entry-{seq}.json"));
    let sig_file = out.join(format!("entry-{seq}.sig"));
    let key_file = out.join("key.pem");
    std::fs::write(&entry_file, e.entry.get().as_bytes())?;
    std::fs::write(&sig_file, sig)?;
    std::fs::write(&key_file, signer.to_pem())?;
    println!(
        "wrote {}, {} and {}",
        entry_file.display(),
        sig_file.display(),
        key_file.display()
    );
    println!(
        "check with: openssl pkeyutl -verify -pubin -inkey {} -rawin -in {} -sigfile {}",
        key_file.display(),
        entry_file.display(),
        sig_file.display()
    );
    println!(
        "(key.pem is key {}, which signed the entry: compare it with the province's published key)",
        signer.key_id()
    );
    Ok(())
}

/// Protocol 1.6: prints a supervisor's approval of a replacing
/// key_registration, signed with the key file at `key`.
fn approve_key(
    key: &std::path::Path,
    draw: &str,
    person: &str,
    role: &str,
    new_key: &str,
    replaces: &str,
) -> Result<()> {
    use fairpanel_core::entry;
    let text = |s: &str| serde_json::Value::String(s.trim().to_string());
    let secret = keyfile::load_file(key)?;
    let mut r = entry::KeyRegistration {
        approval: None,
        draw: fairpanel_core::types::DrawId::try_from(draw.trim())
            .map_err(|e| anyhow::anyhow!("--draw: {e}"))?,
        key: keyfile::read_public(new_key)?,
        person: serde_json::from_value(text(person))
            .map_err(|_| anyhow::anyhow!("--person must be 64 hex digits"))?,
        replaces: Some(
            serde_json::from_value(text(replaces))
                .map_err(|_| anyhow::anyhow!("--replaces must be a key id, 16 hex digits"))?,
        ),
        role: serde_json::from_value(text(role))
            .map_err(|_| anyhow::anyhow!("--role must be supervisor or expert"))?,
    };
    entry::approve_replacement(&mut r, &secret);
    println!("{}", serde_json::to_string(&r.approval)?);
    Ok(())
}

fn keygen(dir: &std::path::Path, force: bool) -> Result<()> {
    let (public, private) = keyfile::generate(dir, force)?;
    println!(
        "private key written to {} (mode 0600; never share or commit it)",
        private.display()
    );
    println!("key id:  {}", public.key_id());
    println!("base64:  {}", public.to_base64());
    print!("{}", public.to_pem());
    Ok(())
}
