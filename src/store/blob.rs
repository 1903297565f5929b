//! A draw's pool row (`draw_pools`), written without copying its blobs.
//!
//! At 100,000 members a pool's leaves and openings are about 50 MB. Bound as
//! parameters, SQLite copies each (`sqlite3_bind_blob` with a transient
//! destructor) and then builds the whole row's record in memory before it
//! writes the pages: three copies of the pool at once, the largest part of a
//! draw's peak memory (issue 15). On SQLite the row is now inserted with
//! `zeroblob`s of the right lengths and the bytes written into them with the
//! incremental blob API, which writes the pages straight from our buffer. A
//! `zeroblob` in the record's last column (`openings`) is never expanded in
//! memory; the leaves' column, in the middle, is expanded once (zeros) while
//! the record is built. PostgreSQL binds the values as before.

use anyhow::{Context, Result, bail};
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

impl PoolRowTx for sqlx::Transaction<'_, sqlx::Postgres> {
    async fn insert_draw_pool(
        &mut self,
        draw_id: &str,
        leaves: &[u8],
        experts: &str,
        openings: &[u8],
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO draw_pools (draw_id, leaves, experts, openings) VALUES ($1, $2, $3, $4)",
        )
        .bind(draw_id)
        .bind(leaves)
        .bind(experts)
        .bind(openings)
        .execute(&mut **self)
        .await?;
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
        let (leaves_len, openings_len) = (blob_len(leaves)?, blob_len(openings)?);
        let rowid: i64 = sqlx::query_scalar(
            "INSERT INTO draw_pools (draw_id, leaves, experts, openings) VALUES (?, zeroblob(?), ?, zeroblob(?)) RETURNING rowid",
        )
        .bind(draw_id)
        .bind(leaves_len)
        .bind(experts)
        .bind(openings_len)
        .fetch_one(&mut **self)
        .await?;
        let mut handle = (**self).lock_handle().await?;
        let db = handle.as_raw_handle().as_ptr();
        write_blob(db, c"draw_pools", c"leaves", rowid, leaves)
            .context("writing the pool's leaves")?;
        write_blob(db, c"draw_pools", c"openings", rowid, openings)
            .context("writing the pool's openings")?;
        Ok(())
    }
}

/// A blob's length as SQLite's API takes it.
fn blob_len(bytes: &[u8]) -> Result<c_int> {
    c_int::try_from(bytes.len()).context("a pool blob is larger than SQLite's API can write")
}

/// Writes `bytes` over the blob in `table.column` of row `rowid`, which must
/// hold exactly as many bytes (a `zeroblob` of that length), on `db`, inside
/// its open transaction.
fn write_blob(
    db: *mut libsqlite3_sys::sqlite3,
    table: &CStr,
    column: &CStr,
    rowid: i64,
    bytes: &[u8],
) -> Result<()> {
    use libsqlite3_sys as ffi;
    let len = blob_len(bytes)?;
    let error = |rc: c_int| -> String {
        // SAFETY: `db` is an open connection handle (the caller holds its
        // lock); `sqlite3_errmsg` returns a NUL-terminated string owned by
        // the connection, copied out before any other call on it.
        let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) };
        format!("SQLite error {rc}: {}", msg.to_string_lossy())
    };
    let mut blob: *mut ffi::sqlite3_blob = std::ptr::null_mut();
    // SAFETY: `db` is an open connection that no other thread uses while the
    // caller holds sqlx's lock on it; the names are NUL-terminated; `blob`
    // receives the handle (or null on failure).
    let rc = unsafe {
        ffi::sqlite3_blob_open(
            db,
            c"main".as_ptr(),
            table.as_ptr(),
            column.as_ptr(),
            rowid,
            1,
            &mut blob,
        )
    };
    if rc != ffi::SQLITE_OK {
        let e = error(rc);
        // SAFETY: closing a null handle is a no-op; a non-null one is ours.
        unsafe { ffi::sqlite3_blob_close(blob) };
        bail!("{e}");
    }
    // SAFETY: `blob` is the open handle from above.
    let size = unsafe { ffi::sqlite3_blob_bytes(blob) };
    let rc = if size != len {
        None
    } else {
        // SAFETY: `bytes` is valid for `len` bytes, which the blob holds
        // from offset 0; SQLite copies them into its pages before returning.
        Some(unsafe { ffi::sqlite3_blob_write(blob, bytes.as_ptr().cast(), len, 0) })
    };
    let failed = rc.filter(|&rc| rc != ffi::SQLITE_OK).map(error);
    // SAFETY: `blob` is open and closed exactly once here.
    let closed = unsafe { ffi::sqlite3_blob_close(blob) };
    match (rc, failed) {
        (None, _) => bail!("the row's blob holds {size} bytes, not {len}"),
        (_, Some(e)) => bail!("{e}"),
        _ if closed != ffi::SQLITE_OK => bail!("{}", error(closed)),
        _ => Ok(()),
    }
}
