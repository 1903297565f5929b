//! A draw's pool row (`draw_pools`), written without SQLite copying its blobs
//! first.
//!
//! At 100,000 members a pool's leaves and openings are about 50 MB. Bound
//! through sqlx, SQLite copies each bound blob (`sqlite3_bind_blob64` with a
//! transient destructor) and then builds the row's record in memory before
//! it writes the pages: at the commit's peak that was our 52 MB, SQLite's
//! 45 MB of bound copies and its 46 MB record (a heap profile, issue 15). On
//! SQLite the row is now inserted by a statement of our own on the
//! transaction's connection (through sqlx's lock on its handle), the blobs
//! bound with a static destructor: SQLite reads them from our buffers, which
//! outlive the statement. The record is still built once, as SQLite builds
//! every row. (Writing the bytes into `zeroblob`s with the incremental blob
//! API saved as much memory but wrote every page twice, which made the
//! prepared commit about 100 ms slower at 100,000 members.) On PostgreSQL
//! the row is one `COPY … (FORMAT binary)`, its values sent in pieces from
//! our buffers.

use anyhow::{Context, Result, bail};
use libsqlite3_sys as ffi;
use std::ffi::{CStr, c_int};

/// Inserts a draw's pool row inside a write transaction.
pub trait PoolRowTx: Send {
    fn insert_draw_pool(
        &mut self,
        draw_id: &str,
        leaves: &[u8],
        experts: &str,
        openings: &[u8],
    ) -> impl std::future::Future<Output = Result<()>> + Send;
}

/// The pieces a `COPY … (FORMAT binary)` row is sent in.
const COPY_PIECE: usize = 1 << 20;

impl PoolRowTx for sqlx::Transaction<'_, sqlx::Postgres> {
    /// One row of `COPY … FROM STDIN (FORMAT binary)`, each value sent in
    /// pieces of at most 1 MiB straight from the caller's buffers (bound as
    /// parameters, sqlx would encode a copy of every value and then write
    /// the message into its socket buffer: two copies of the pool).
    async fn insert_draw_pool(
        &mut self,
        draw_id: &str,
        leaves: &[u8],
        experts: &str,
        openings: &[u8],
    ) -> Result<()> {
        let values: [&[u8]; 4] = [draw_id.as_bytes(), leaves, experts.as_bytes(), openings];
        let lengths = values
            .iter()
            .map(|v| i32::try_from(v.len()))
            .collect::<Result<Vec<i32>, _>>()
            .context("a pool value is larger than PostgreSQL's COPY can take")?;
        let mut copy = (**self)
            .copy_in_raw(
                "COPY draw_pools (draw_id, leaves, experts, openings) FROM STDIN (FORMAT binary)",
            )
            .await?;
        // The signature, flags and header extension length; the tuple's
        // field count.
        let mut head = b"PGCOPY\n\xff\r\n\0".to_vec();
        head.extend_from_slice(&0i32.to_be_bytes());
        head.extend_from_slice(&0i32.to_be_bytes());
        head.extend_from_slice(&(values.len() as i16).to_be_bytes());
        copy.send(head).await?;
        for (value, len) in values.iter().zip(lengths) {
            copy.send(&len.to_be_bytes()[..]).await?;
            for piece in value.chunks(COPY_PIECE) {
                copy.send(piece).await?;
            }
        }
        // The trailer.
        copy.send(&(-1i16).to_be_bytes()[..]).await?;
        let rows = copy.finish().await.context("writing the draw's pool")?;
        if rows != 1 {
            bail!("writing the draw's pool: COPY wrote {rows} rows");
        }
        Ok(())
    }
}

impl PoolRowTx for sqlx::Transaction<'_, sqlx::Sqlite> {
    async fn insert_draw_pool(
        &mut self,
        draw_id: &str,
        leaves: &[u8],
        experts: &str,
        openings: &[u8],
    ) -> Result<()> {
        let mut handle = (**self).lock_handle().await?;
        let db = handle.as_raw_handle().as_ptr();
        let values = [
            Value::Text(draw_id.as_bytes()),
            Value::Blob(leaves),
            Value::Text(experts.as_bytes()),
            Value::Blob(openings),
        ];
        execute_in_place(
            db,
            c"INSERT INTO draw_pools (draw_id, leaves, experts, openings) VALUES (?1, ?2, ?3, ?4)",
            &values,
        )
        .context("writing the draw's pool")
    }
}

/// A value bound in place.
enum Value<'a> {
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

/// The connection's last error, with `rc`.
fn error(db: *mut ffi::sqlite3, rc: c_int) -> String {
    // SAFETY: `db` is an open connection this thread holds the lock of;
    // `sqlite3_errmsg` gives a NUL-terminated string owned by the
    // connection, copied out here before any other call on it.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) };
    format!("SQLite error {rc}: {}", msg.to_string_lossy())
}

/// Runs `sql`, a statement that returns no rows, on `db` (inside whatever
/// transaction it has open) with `values` bound to `?1, ?2, …` without
/// copying them. `db` must be a connection no other thread uses meanwhile
/// (sqlx's `LockedSqliteHandle`).
fn execute_in_place(db: *mut ffi::sqlite3, sql: &CStr, values: &[Value<'_>]) -> Result<()> {
    let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: `db` is open and ours while the caller holds its lock; `sql` is
    // NUL-terminated (-1: read up to the NUL); `stmt` receives the statement
    // or null.
    let rc =
        unsafe { ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut()) };
    if rc != ffi::SQLITE_OK {
        let e = error(db, rc);
        // SAFETY: finalizing a null statement is a no-op; a non-null one is
        // ours and finalized once.
        unsafe { ffi::sqlite3_finalize(stmt) };
        bail!("{e}");
    }
    let run = || -> Result<()> {
        for (k, v) in values.iter().enumerate() {
            let at = c_int::try_from(k + 1).expect("a few parameters");
            // SAFETY: `stmt` is the prepared statement above. The bytes are
            // bound with a static destructor: SQLite reads them in place
            // until the statement is finalized, below, before `values` (which
            // the caller's buffers outlive) goes out of scope.
            let rc = unsafe {
                match v {
                    Value::Text(b) => ffi::sqlite3_bind_text64(
                        stmt,
                        at,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    Value::Blob(b) => ffi::sqlite3_bind_blob64(
                        stmt,
                        at,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        ffi::SQLITE_STATIC(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                bail!("binding parameter {at}: {}", error(db, rc));
            }
        }
        // SAFETY: `stmt` is prepared and fully bound.
        let rc = unsafe { ffi::sqlite3_step(stmt) };
        if rc != ffi::SQLITE_DONE {
            bail!("{}", error(db, rc));
        }
        Ok(())
    };
    let ran = run();
    // SAFETY: `stmt` is finalized exactly once, after its last use.
    unsafe { ffi::sqlite3_finalize(stmt) };
    ran
}
