//! Storage: one concrete [`Store`] over SQLite (the embedded default, a file in
//! WAL mode) or PostgreSQL (the scale-out backend), chosen by the database URL.
//! Handlers and commands see `Store` only, never a generic database parameter.
//!
//! Each backend has its own migrations folder (`migrations/sqlite`,
//! `migrations/postgres`); queries are written once with `$n` placeholders, which
//! both backends accept, and run through [`with_pool!`].

pub mod blob;
pub mod experts;
pub mod log;
pub mod queue;
pub mod rounds;
pub mod witness;

use anyhow::{Context, Result};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// The SQL files of `migrations/<backend>`, embedded at build time by `build.rs`
/// as `(file name, contents)` in file-name order.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

/// A database backend, for [`migrator`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The migrations of a backend, exactly as `sqlx::migrate!("migrations/<backend>")`
/// would embed them (same versions, descriptions and checksums, so databases
/// migrated before keep working): `<version>_<description>.sql`, underscores in
/// the description read as spaces, `-- no-transaction` as the first line opting
/// out of the transaction. (Without the proc-macro, a clean build compiles sqlx
/// once instead of twice; a test compares this with sqlx's own reading of the
/// folder.)
pub fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    use sqlx::SqlSafeStr;
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let files = match backend {
        Backend::Sqlite => embedded::SQLITE,
        Backend::Postgres => embedded::POSTGRES,
    };
    let migrations = files
        .iter()
        .map(|&(name, sql)| {
            let (version, rest) = name.split_once('_').expect("<version>_<description>.sql");
            let kind = MigrationType::from_filename(rest);
            let description = rest.trim_end_matches(kind.suffix()).replace('_', " ");
            Migration::new(
                version.parse().expect("an integer migration version"),
                description.into(),
                kind,
                sql.into_sql_str(),
                sql.starts_with("-- no-transaction"),
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool the store holds. The body is
/// compiled once per backend, so it may use the pool's concrete type.
#[macro_export]
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates.
    pub async fn open(url: &str) -> Result<Store> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
                .with_context(|| format!("connect to PostgreSQL at {}", redact(url)))?;
            migrator(Backend::Postgres)
                .run(&pool)
                .await
                .context("run the PostgreSQL migrations")?;
            Store::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .with_context(|| format!("bad SQLite URL {url}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30));
            private_file(opts.get_filename())?;
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await
                .with_context(|| format!("open {url}"))?;
            migrator(Backend::Sqlite)
                .run(&pool)
                .await
                .context("run the SQLite migrations")?;
            Store::Sqlite(pool)
        } else {
            anyhow::bail!(
                "DATABASE_URL must start with sqlite: or postgres:// (got {})",
                redact(url)
            );
        };
        Ok(store)
    }

    /// Whether this is the PostgreSQL backend (for SQL whose text differs).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Store::Postgres(_))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        with_pool!(self, p => p.close().await)
    }
}

/// Creates the SQLite file readable by its owner only (mode 0600; it holds draw
/// secrets and members' identities before reveal and disclosure), and narrows
/// an existing file and its WAL files to 0600. SQLite creates its `-wal` and
/// `-shm` files with the database file's mode.
/// The `k`-th (from 1) parameter of a statement whose parameters are bound
/// in the order they appear: `$k` on PostgreSQL, an anonymous `?` on SQLite.
/// SQLite keeps a numbered parameter's name in a list it scans from the
/// start, and sqlx asks for each parameter's name as it binds it, so a
/// statement of thousands of `$k` bound in time quadratic in their number
/// (a fifth of a roster import's CPU, at 2,500 parameters per statement);
/// an anonymous parameter has no name to look up.
pub(crate) fn placeholder(postgres: bool, k: usize) -> String {
    if postgres {
        format!("${k}")
    } else {
        "?".to_string()
    }
}

/// `n` placeholders from the `first`-th, comma-separated ([`placeholder`]).
pub(crate) fn placeholders(postgres: bool, first: usize, n: usize) -> String {
    (first..first + n)
        .map(|k| placeholder(postgres, k))
        .collect::<Vec<_>>()
        .join(",")
}

fn private_file(path: &std::path::Path) -> Result<()> {
    let name = path.to_string_lossy();
    if name.is_empty() || name == ":memory:" || name.starts_with("file::memory:") {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e).with_context(|| format!("create {}", path.display())),
        }
        for suffix in ["", "-wal", "-shm"] {
            let p = std::path::PathBuf::from(format!("{name}{suffix}"));
            if let Ok(m) = std::fs::metadata(&p)
                && m.permissions().mode() & 0o077 != 0
            {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))
                    .with_context(|| format!("make {} private (chmod 600)", p.display()))?;
            }
        }
    }
    Ok(())
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://x.sqlite"), "sqlite://x.sqlite");
    }
}
