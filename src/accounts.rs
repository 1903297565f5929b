//! Accounts: argon2id password hashes; the first admin account created on
//! first start with a one-time password printed once (consumed by its first
//! sign-in); and activation codes, by which the person an account is for
//! chooses its first password (issue 12, item 3: one account per person,
//! activated by that person).

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

/// The password hash of an account that no password opens: one not yet
/// activated, one whose code was reissued, and one whose one-time password
/// has been used. It is not a PHC string, so no password ever matches it.
pub const NO_PASSWORD: &str = "!";

/// An activation code is good for 72 hours.
pub const ACTIVATION_SECONDS: u64 = 72 * 3600;

fn code_hash(code: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(code.as_bytes()).to_vec()
}

/// A new random activation code (32 bytes, base64url): only its SHA-256 is kept.
fn new_code() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crate::keyfile::os_random())
}

/// Records activation code `code` for account `id` in transaction `tx` (either
/// backend): only the code's hash is stored.
macro_rules! insert_activation {
    ($tx:ident, $code:expr, $id:expr, $issued_by:expr, $now:expr, $expires_at:expr) => {
        sqlx::query("INSERT INTO account_activations (code_hash, account_id, issued_by, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(code_hash($code))
            .bind($id)
            .bind($issued_by)
            .bind($now as i64)
            .bind($expires_at as i64)
            .execute(&mut *$tx)
            .await?
    };
}

/// An activation code just issued, to be handed to its person once.
#[derive(Clone, Debug)]
pub struct Issued {
    pub code: String,
    pub expires_at: u64,
}

/// What making an account that its person activates came to.
#[derive(Debug)]
pub enum Made {
    Created(Issued),
    UsernameTaken,
    /// The roster entry already has an account (the unique index said so).
    ExpertTaken,
}

/// Inserts an account nobody can sign in to yet and its activation code, in
/// one transaction; `issued_by` is the account that made it.
pub async fn create_pending(
    store: &Store,
    username: &str,
    role: &str,
    province: Option<&str>,
    expert_id: Option<&str>,
    issued_by: Option<i64>,
    now: u64,
) -> Result<Made> {
    let code = new_code();
    let expires_at = now + ACTIVATION_SECONDS;
    let r: std::result::Result<(), sqlx::Error> = with_pool!(store, p => {
        async {
            let mut tx = p.begin().await?;
            let (id,): (i64,) = sqlx::query_as("INSERT INTO accounts (username, password_hash, role, province, created_at, expert_id, must_change_password) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(username)
                .bind(NO_PASSWORD)
                .bind(role)
                .bind(province)
                .bind(now as i64)
                .bind(expert_id)
                .bind(false)
                .fetch_one(&mut *tx)
                .await?;
            insert_activation!(tx, &code, id, issued_by, now, expires_at);
            tx.commit().await
        }
        .await
    });
    match r {
        Ok(()) => Ok(Made::Created(Issued { code, expires_at })),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            if e.constraint() == Some("accounts_one_per_expert")
                || e.message().contains("expert_id")
            {
                Ok(Made::ExpertTaken)
            } else {
                Ok(Made::UsernameTaken)
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// A new activation code for account `id`, in one transaction: the codes it
/// had end, its password stops opening it, its sessions end. `None` when there
/// is no such account.
pub async fn issue_activation(
    store: &Store,
    id: i64,
    issued_by: Option<i64>,
    now: u64,
) -> Result<Option<Issued>> {
    let code = new_code();
    let expires_at = now + ACTIVATION_SECONDS;
    let done = with_pool!(store, p => {
        let mut tx = p.begin().await?;
        let r = sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(NO_PASSWORD)
            .bind(false)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() == 1 {
            sqlx::query("UPDATE account_activations SET expires_at = $1 WHERE account_id = $2 AND used_at IS NULL AND expires_at > $1")
                .bind(now as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            insert_activation!(tx, &code, id, issued_by, now, expires_at);
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
                .bind(now as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            true
        } else {
            false
        }
    });
    Ok(done.then_some(Issued { code, expires_at }))
}

/// The state of an activation code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeState {
    Unknown,
    Used,
    Expired,
    /// Good: the account's id, username, role and province.
    Open {
        account_id: i64,
        username: String,
        role: String,
        province: Option<String>,
    },
}

/// What `code` is now.
pub async fn activation_state(store: &Store, code: &str, now: u64) -> Result<CodeState> {
    type Row = (i64, String, String, Option<String>, i64, Option<i64>);
    let row: Option<Row> = with_pool!(store, p => sqlx::query_as(
        "SELECT a.id, a.username, a.role, a.province, c.expires_at, c.used_at FROM account_activations c JOIN accounts a ON a.id = c.account_id WHERE c.code_hash = $1")
        .bind(code_hash(code))
        .fetch_optional(p)
        .await?);
    Ok(match row {
        None => CodeState::Unknown,
        Some((.., Some(_))) => CodeState::Used,
        Some((_, _, _, _, exp, None)) if exp <= now as i64 => CodeState::Expired,
        Some((account_id, username, role, province, _, None)) => CodeState::Open {
            account_id,
            username,
            role,
            province,
        },
    })
}

/// Uses `code` once to set its account's password to `password_hash`: the
/// code is marked used by a single conditional update, so of two uses at once
/// only one gets through; the other, a later one and an expired code get the
/// code's state back and change nothing. The account's sessions end.
pub async fn activate(
    store: &Store,
    code: &str,
    password_hash: &str,
    now: u64,
) -> Result<std::result::Result<i64, CodeState>> {
    let done: Option<i64> = with_pool!(store, p => {
        let mut tx = p.begin().await?;
        let row: Option<(i64,)> = sqlx::query_as("UPDATE account_activations SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING account_id")
            .bind(now as i64)
            .bind(code_hash(code))
            .fetch_optional(&mut *tx)
            .await?;
        match row {
            None => None,
            Some((id,)) => {
                sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = $2 WHERE id = $3")
                    .bind(password_hash)
                    .bind(false)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
                    .bind(now as i64)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Some(id)
            }
        }
    });
    match done {
        Some(id) => Ok(Ok(id)),
        None => Ok(Err(activation_state(store, code, now).await?)),
    }
}

/// Uses up the one-time password of account `id` whose hash is `hash`: one
/// conditional update, so of two sign-ins with it at once only one wins
/// (`true`); the password opens the account no more.
pub async fn consume_one_time(store: &Store, id: i64, hash: &str) -> Result<bool> {
    let r = with_pool!(store, p => sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2 AND password_hash = $3 AND must_change_password = $4")
        .bind(NO_PASSWORD)
        .bind(id)
        .bind(hash)
        .bind(true)
        .execute(p)
        .await?
        .rows_affected());
    Ok(r == 1)
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
