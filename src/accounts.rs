//! Accounts: argon2id password hashes, and the first admin account created on
//! first start with a one-time password printed once.

use crate::store::Store;
use crate::with_pool;
use anyhow::{Result, anyhow};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;

pub fn hash_password(password: &str) -> Result<String> {
    let h = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow!("hashing a password failed: {e}"))?;
    Ok(h.to_string())
}

pub fn password_matches(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// A random password: 18 bytes from the OS, base64url (24 characters).
pub fn random_password() -> String {
    let b = crate::keyfile::os_random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&b[..18])
}

/// Inserts an account with `password`; a taken username is `Ok(false)`.
pub async fn create(
    store: &Store,
    username: &str,
    password: &str,
    role: &str,
    province: Option<&str>,
    now: u64,
) -> Result<bool> {
    create_linked(store, username, password, role, province, None, now).await
}

/// [`create`], with an expert account linked to its roster entry.
pub async fn create_linked(
    store: &Store,
    username: &str,
    password: &str,
    role: &str,
    province: Option<&str>,
    expert_id: Option<&str>,
    now: u64,
) -> Result<bool> {
    insert(
        store, username, password, role, province, expert_id, now, true,
    )
    .await
}

/// [`create_linked`] with a password its owner chose rather than a one-time
/// one, so the account may use the API at once: for scripted set-ups (the
/// integration tests and benchmarks) that stand in for an owner who has
/// already changed the one-time password.
pub async fn create_chosen(
    store: &Store,
    username: &str,
    password: &str,
    role: &str,
    province: Option<&str>,
    expert_id: Option<&str>,
    now: u64,
) -> Result<bool> {
    insert(
        store, username, password, role, province, expert_id, now, false,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    store: &Store,
    username: &str,
    password: &str,
    role: &str,
    province: Option<&str>,
    expert_id: Option<&str>,
    now: u64,
    one_time: bool,
) -> Result<bool> {
    let hash = hash_password(password)?;
    let r = with_pool!(store, p => sqlx::query("INSERT INTO accounts (username, password_hash, role, province, created_at, expert_id, must_change_password) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(username)
        .bind(hash)
        .bind(role)
        .bind(province)
        .bind(now as i64)
        .bind(expert_id)
        // An account made by someone else starts with a one-time password.
        .bind(one_time)
        .execute(p)
        .await
        .map(|_| ()));
    match r {
        Ok(()) => Ok(true),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Creates the `admin` account if no admin exists; returns its one-time password.
pub async fn bootstrap_admin(store: &Store, now: u64) -> Result<Option<String>> {
    let (admins,): (i64,) = with_pool!(store, p => sqlx::query_as("SELECT COUNT(*) FROM accounts WHERE role = 'admin'").fetch_one(p).await?);
    if admins > 0 {
        return Ok(None);
    }
    let password = random_password();
    if !create(store, "admin", &password, "admin", None, now).await? {
        // Several instances started at once on an empty database: another one
        // made the admin between the count and the insert.
        let (admins,): (i64,) = with_pool!(store, p => sqlx::query_as("SELECT COUNT(*) FROM accounts WHERE role = 'admin'").fetch_one(p).await?);
        if admins > 0 {
            return Ok(None);
        }
        anyhow::bail!("an account named admin exists but is not an admin");
    }
    Ok(Some(password))
}

/// Gives `username` a new one-time password (returned, to be shown once),
/// marks it to be changed at the next sign-in and ends the account's
/// sessions, in one transaction; `None` when there is no such account.
pub async fn reset_password(store: &Store, username: &str, now: u64) -> Result<Option<String>> {
    let password = random_password();
    let hash = hash_password(&password)?;
    let done = with_pool!(store, p => {
        let mut tx = p.begin().await?;
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        match row {
            None => false,
            Some((id,)) => {
                sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = $2 WHERE id = $3")
                    .bind(&hash)
                    .bind(true)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
                    .bind(now as i64)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                true
            }
        }
    });
    Ok(done.then_some(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches("correct horse", &h));
        assert!(!password_matches("correct horsf", &h));
        assert_ne!(hash_password("correct horse").unwrap(), h, "salted");
    }
}
