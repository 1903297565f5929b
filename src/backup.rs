//! `fairpanel backup` and `fairpanel restore`: a consistent copy of the
//! database taken while the service runs, and its return, checked by the audit
//! before the service may use it.
//!
//! - SQLite: `VACUUM INTO` writes a copy of one read transaction (a snapshot;
//!   writers carry on meanwhile in WAL mode) into a new file, created 0600.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot, while the service
//!   runs), checked with `pg_restore --list`; restored with `pg_restore
//!   --single-transaction`. Without the PostgreSQL client tools the commands
//!   say exactly what to run instead.
//!
//! The signing key is never in a database backup: `keys/` is backed up on its
//! own (README, "Operating fairpanel").

use crate::config::Config;
use crate::store::Store;
use anyhow::{Context, Result, bail};
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PGDUMP_MAGIC: &[u8] = b"PGDMP";

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The file of an `sqlite:` URL.
fn sqlite_file(url: &str) -> Result<PathBuf> {
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .with_context(|| format!("bad SQLite URL {url}"))?;
    Ok(opts.get_filename().to_path_buf())
}

fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let bytes = std::fs::read(path).with_context(|| format!("read {}", path.display()))?;
    Ok((
        bytes.len() as u64,
        hex::encode(sha2::Sha256::digest(&bytes)),
    ))
}

/// An empty file only its owner can read (a backup holds password hashes and
/// the identities of experts not yet disclosed).
fn create_private(path: &Path) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
        .with_context(|| format!("create {}", path.display()))?;
    Ok(())
}

fn partial(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".partial");
    PathBuf::from(s)
}

/// Takes a backup of the database in `database_url` into `out`; returns what to
/// print.
pub async fn backup(database_url: &str, out: &Path, force: bool) -> Result<Vec<String>> {
    if out.exists() && !force {
        bail!(
            "{} exists; a backup does not replace a file silently (pass --force to replace it)",
            out.display()
        );
    }
    let tmp = partial(out);
    let _ = std::fs::remove_file(&tmp);
    let mut lines = Vec::new();
    if is_postgres(database_url) {
        pg_dump(database_url, &tmp)?;
        let check = run_tool(
            Command::new("pg_restore").arg("--list").arg(&tmp),
            "pg_restore",
        )?;
        if !check.contains("TABLE DATA public log_entries") {
            let _ = std::fs::remove_file(&tmp);
            bail!("the dump lists no log_entries data: is this fairpanel's database?");
        }
        let size = archive_log_size(&tmp)?;
        lines.push(format!(
            "PostgreSQL dump (pg_dump --format=custom) of a log of {size} entries; checked with pg_restore --list"
        ));
    } else {
        let db = sqlite_file(database_url)?;
        if !db.exists() {
            bail!("no database at {} (nothing to back up)", db.display());
        }
        let store = Store::open(database_url).await?;
        create_private(&tmp)?;
        let r = crate::with_pool!(&store, p => sqlx::query("VACUUM INTO $1")
            .bind(tmp.to_string_lossy().into_owned())
            .execute(p)
            .await
            .map(|_| ()));
        store.close().await;
        if let Err(e) = r {
            let _ = std::fs::remove_file(&tmp);
            return Err(e).context("VACUUM INTO (the online copy)");
        }
        let (size, check) = sqlite_check(&tmp).await?;
        if check != "ok" {
            let _ = std::fs::remove_file(&tmp);
            bail!("the copy fails SQLite's integrity check: {check}");
        }
        lines.push(format!(
            "SQLite copy (VACUUM INTO, one snapshot) of a log of {size} entries; integrity_check ok"
        ));
    }
    std::fs::rename(&tmp, out).with_context(|| format!("move the backup to {}", out.display()))?;
    let (bytes, sha) = sha256_file(out)?;
    lines.push(format!(
        "backup written to {} ({bytes} bytes, sha256 {sha})",
        out.display()
    ));
    lines.push(
        "the signing key is NOT in it: back up the keys folder (log.key, log.checkpoint, retired/) separately, and keep that copy offline"
            .into(),
    );
    Ok(lines)
}

/// Log size and `PRAGMA integrity_check` of an SQLite file, opened read-only.
async fn sqlite_check(path: &Path) -> Result<(u64, String)> {
    use sqlx::Connection;
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true);
    let mut c = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .with_context(|| format!("open {}", path.display()))?;
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut c)
        .await?;
    let (size,): (i64,) = sqlx::query_as("SELECT size FROM log_head WHERE id = 1")
        .fetch_one(&mut c)
        .await
        .context("the file holds no fairpanel log")?;
    c.close().await?;
    Ok((size as u64, check))
}

/// Splits a password out of a PostgreSQL URL, so that it goes to the tools in
/// `PGPASSWORD` rather than on their command line (which `ps` shows).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let Some((auth, host)) = rest.split_once('@') else {
        return (url.to_string(), None);
    };
    match auth.split_once(':') {
        Some((user, pw)) => (format!("{scheme}://{user}@{host}"), Some(pw.to_string())),
        None => (url.to_string(), None),
    }
}

/// Runs a PostgreSQL client tool; its standard output, or an error with its
/// standard error. A missing tool is named, with the command to run.
fn run_tool(cmd: &mut Command, name: &str) -> Result<String> {
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{name} is not installed here (it comes with the PostgreSQL client tools, e.g. the postgresql-client package). See README, \"Operating fairpanel\", for the commands to run by hand"
        ),
        Err(e) => return Err(e).with_context(|| format!("run {name}")),
    };
    if !out.status.success() {
        bail!(
            "{name} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn pg_command(tool: &str, url: &str) -> Command {
    let (url, pw) = split_password(url);
    let mut c = Command::new(tool);
    if let Some(pw) = pw {
        c.env("PGPASSWORD", pw);
    }
    c.arg(format!("--dbname={url}"));
    c
}

fn pg_dump(url: &str, out: &Path) -> Result<()> {
    create_private(out)?;
    let r = run_tool(
        pg_command("pg_dump", url)
            .args(["--format=custom", "--no-owner", "--no-privileges"])
            .arg(format!("--file={}", out.display())),
        "pg_dump",
    );
    if let Err(e) = r {
        let _ = std::fs::remove_file(out);
        return Err(e);
    }
    Ok(())
}

/// The log size recorded in a pg_dump archive (its `log_head` row).
fn archive_log_size(archive: &Path) -> Result<u64> {
    let text = run_tool(
        Command::new("pg_restore")
            .args(["--data-only", "--table=log_head", "--file=-"])
            .arg(archive),
        "pg_restore",
    )?;
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l.starts_with("COPY public.log_head") {
            let row = lines.next().unwrap_or_default();
            let mut cols = row.split('\t');
            let _id = cols.next();
            if let Some(size) = cols.next().and_then(|s| s.parse().ok()) {
                return Ok(size);
            }
        }
    }
    bail!("{}: no log_head row in the dump", archive.display())
}

/// How a restored log stands against the checkpoint kept beside the key.
enum Standing {
    /// No anchor file, or the log extends it.
    Fine,
    /// The backup is older than the last checkpoint the key signed.
    Behind { anchor: u64, size: u64 },
    /// The backup is another log than the one the key signed.
    Different { anchor: u64 },
}

async fn standing(store: &Store, keys: &Path) -> Result<Standing> {
    let Some(a) = crate::anchor::read(&keys.join(crate::anchor::FILE))? else {
        return Ok(Standing::Fine);
    };
    let size = store.log_size().await?;
    let extends = |h: crate::anchor::Head| async move {
        Ok::<_, anyhow::Error>(
            h.size == 0 || (h.size <= size && store.root(h.size).await? == h.root),
        )
    };
    // The last checkpoint signed counts, even if it may not have been
    // committed: it may have been published.
    if extends(a.pending).await? {
        return Ok(Standing::Fine);
    }
    if a.pending.size > size {
        return Ok(Standing::Behind {
            anchor: a.pending.size,
            size,
        });
    }
    Ok(if extends(a.committed).await? {
        Standing::Fine
    } else {
        Standing::Different {
            anchor: a.committed.size,
        }
    })
}

/// The public key the restored log must lead to: `keys/log.pub`, or the
/// private key's.
fn current_key(keys: &Path) -> Result<fairpanel_core::PublicKey> {
    match crate::keyfile::read_public(&keys.join(crate::keyfile::PUBLIC).to_string_lossy()) {
        Ok(k) => Ok(k),
        Err(_) => Ok(crate::keyfile::load(keys)?.public()),
    }
}

/// Audits the log in `store` against the key in `keys`, and the checkpoint
/// kept there; `Err` when it must not be put in place.
async fn check(store: &Store, cfg: &Config, accept_rollback: bool) -> Result<Vec<String>> {
    let key = current_key(&cfg.keys)?;
    let a = crate::audit::run(store, &key, &cfg.origin).await?;
    if !a.problems.is_empty() {
        let list: Vec<String> = a.problems.iter().map(|p| format!("  {p}")).collect();
        bail!(
            "the backup fails the audit against key {} ({} problems):\n{}",
            key.key_id(),
            a.problems.len(),
            list.join("\n")
        );
    }
    let mut lines = vec![format!(
        "audit of the backup: OK, {} entries, {} checkpoints, key {}",
        a.entries,
        a.checkpoints,
        key.key_id()
    )];
    match standing(store, &cfg.keys).await? {
        Standing::Fine => {}
        Standing::Different { anchor } => bail!(
            "the backup is not the log this key signed: its first {anchor} entries differ from the checkpoint kept in {}",
            cfg.keys.join(crate::anchor::FILE).display()
        ),
        Standing::Behind { anchor, size } if !accept_rollback => bail!(
            "the backup holds {size} entries, but this key has already signed a checkpoint of {anchor}: restoring it loses entries {size}..{anchor}, and anyone holding the later checkpoint will see the next entries as a fork. Nothing was restored; if that is what you mean, run again with --accept-rollback"
        ),
        Standing::Behind { anchor, size } => {
            let root = store.root(size).await?;
            let h = crate::anchor::Head { size, root };
            crate::anchor::write(
                &cfg.keys.join(crate::anchor::FILE),
                &crate::anchor::Anchor {
                    committed: h,
                    pending: h,
                },
            )?;
            lines.push(format!(
                "ROLLED BACK: the key had signed {anchor} entries; the log now continues from {size} (the checkpoint kept beside the key was reset)"
            ));
        }
    }
    Ok(lines)
}

/// Brings a backup back into the database `cfg` names, after the audit passes.
pub async fn restore(
    cfg: &Config,
    from: &Path,
    force: bool,
    accept_rollback: bool,
) -> Result<Vec<String>> {
    let mut head = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(from)
            .with_context(|| format!("backup {} not found", from.display()))?;
        let n = f.read(&mut head)?;
        if n < 5 {
            bail!("{} is not a fairpanel backup", from.display());
        }
    }
    let url = &cfg.database_url;
    if is_postgres(url) {
        if !head.starts_with(PGDUMP_MAGIC) {
            bail!(
                "{} is not a pg_dump archive (custom format), and DATABASE_URL is PostgreSQL",
                from.display()
            );
        }
        restore_postgres(cfg, from, force, accept_rollback).await
    } else {
        if !head.starts_with(SQLITE_MAGIC) {
            bail!(
                "{} is not an SQLite database, and DATABASE_URL is SQLite",
                from.display()
            );
        }
        restore_sqlite(cfg, from, force, accept_rollback).await
    }
}

async fn restore_sqlite(
    cfg: &Config,
    from: &Path,
    force: bool,
    accept_rollback: bool,
) -> Result<Vec<String>> {
    let target = sqlite_file(&cfg.database_url)?;
    let exists = std::fs::metadata(&target).is_ok_and(|m| m.len() > 0);
    if exists && !force {
        bail!(
            "{} exists; restore does not replace a database silently (stop the service, then pass --force: the old file is kept beside it)",
            target.display()
        );
    }
    let tmp = partial(&target);
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", tmp.display()));
    }
    create_private(&tmp)?;
    std::fs::copy(from, &tmp).with_context(|| format!("copy {}", from.display()))?;
    let url = format!("sqlite:{}", tmp.display());
    let checked = async {
        let store = Store::open(&url).await?;
        let r = check(&store, cfg, accept_rollback).await;
        store.close().await;
        r
    }
    .await;
    let mut lines = match checked {
        Ok(l) => l,
        Err(e) => {
            for s in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{s}", tmp.display()));
            }
            return Err(e.context(format!(
                "nothing was restored: {} is unchanged",
                target.display()
            )));
        }
    };
    if exists {
        let aside = PathBuf::from(format!(
            "{}.before-restore-{}",
            target.display(),
            crate::serve::now()
        ));
        for s in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{s}", target.display()));
            if p.exists() {
                std::fs::rename(&p, format!("{}{s}", aside.display()))
                    .with_context(|| format!("move {} aside", p.display()))?;
            }
        }
        lines.push(format!(
            "the database it replaces is kept as {}",
            aside.display()
        ));
    }
    std::fs::rename(&tmp, &target)
        .with_context(|| format!("move the restored database to {}", target.display()))?;
    lines.push(format!("restored into {}", target.display()));
    Ok(lines)
}

async fn restore_postgres(
    cfg: &Config,
    from: &Path,
    force: bool,
    accept_rollback: bool,
) -> Result<Vec<String>> {
    use sqlx::Connection;
    let url = &cfg.database_url;
    let size = archive_log_size(from)?;
    // Refused before anything is written: a backup older than the last
    // checkpoint this key signed (the same check runs again after the restore,
    // with the roots).
    if let Some(a) = crate::anchor::read(&cfg.keys.join(crate::anchor::FILE))?
        && a.pending.size > size
        && !accept_rollback
    {
        bail!(
            "the backup holds {size} entries, but this key has already signed a checkpoint of {}: restoring it loses the entries after {size}, and anyone holding the later checkpoint will see the next entries as a fork. Nothing was restored; if that is what you mean, run again with --accept-rollback",
            a.pending.size
        );
    }
    let mut c = sqlx::PgConnection::connect(url)
        .await
        .with_context(|| format!("connect to {}", crate::store::redact(url)))?;
    let (tables,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    .fetch_one(&mut c)
    .await?;
    c.close().await?;
    if tables > 0 && !force {
        bail!(
            "the database {} is not empty ({tables} tables); restore does not replace a database silently (stop the service, then pass --force, or restore into a new empty database)",
            crate::store::redact(url)
        );
    }
    let mut cmd = pg_command("pg_restore", url);
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]);
    if tables > 0 {
        cmd.args(["--clean", "--if-exists"]);
    }
    run_tool(cmd.arg(from), "pg_restore")?;
    let store = Store::open(url).await?;
    let r = check(&store, cfg, accept_rollback).await;
    store.close().await;
    let mut lines = r.map_err(|e| {
        e.context(
            "the restored database FAILS the checks: do not start the service on it; restore another backup with --force",
        )
    })?;
    lines.push(format!("restored into {}", crate::store::redact(url)));
    Ok(lines)
}
