//! Who is calling: login (session cookie for the browser, bearer token for the
//! API), logout, API tokens, accounts; and the [`Caller`] extractor every
//! non-public handler takes. Province isolation is enforced in one place,
//! [`province_guard`], layered over every `/api/v1/provinces/{province}/…` route.

use super::{AppError, AppState};
use crate::accounts;
use crate::serve::now;
use crate::with_pool;
use axum::Json;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use fairpanel_core::types::Province;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub const COOKIE_NAME: &str = "fairpanel_session";
/// A login session lasts 12 hours.
pub const SESSION_SECONDS: u64 = 12 * 3600;
/// An API token lasts 90 days unless revoked.
pub const API_TOKEN_SECONDS: u64 = 90 * 86_400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Expert,
    Supervisor,
    /// The ministry's national, read-only view of every province's filings
    /// (issue 14, item 7): no province, and no province's data beyond them.
    Ministry,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Expert => "expert",
            Role::Supervisor => "supervisor",
            Role::Ministry => "ministry",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "admin" => Role::Admin,
            "coordinator" => Role::Coordinator,
            "expert" => Role::Expert,
            "supervisor" => Role::Supervisor,
            "ministry" => Role::Ministry,
            _ => return None,
        })
    }
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account_id: i64,
    pub username: String,
    pub role: Role,
    /// `None` for admins, who see every province.
    pub province: Option<Province>,
    /// Logged in with a one-time password that is not changed yet.
    pub must_change: bool,
    /// The roster entry the account is linked to (experts), read with the
    /// session so a sheet request does not read the account again.
    pub expert_id: Option<String>,
    token_hash: Vec<u8>,
}

impl Caller {
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "a {} may not do this",
                self.role.as_str()
            )))
        }
    }

    /// The anti-forgery token of this session, for the pages' forms: derived
    /// from the session token (which only the browser's HttpOnly cookie holds),
    /// so a page of another site can neither read nor guess it.
    pub fn csrf(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"fairpanel/csrf\0");
        h.update(&self.token_hash);
        hex::encode(&h.finalize()[..16])
    }

    /// Whether the caller may see `p`'s data.
    pub fn may_see(&self, p: &Province) -> bool {
        self.role == Role::Admin || self.province.as_ref() == Some(p)
    }
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crate::keyfile::os_random())
}

fn presented_token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        return Some(t.trim().to_string());
    }
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .map(|(_, v)| v.to_string())
}

/// A live session's account: id, username, role, province, whether its
/// one-time password is unchanged, linked roster entry.
type SessionRow = (i64, String, String, Option<String>, bool, Option<String>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, AppError> {
        if let Some(c) = parts.extensions.get::<Caller>() {
            one_time_gate(parts, c)?;
            return Ok(c.clone());
        }
        let token =
            presented_token(parts).ok_or_else(|| AppError::Unauthorized("log in first".into()))?;
        let h = token_hash(&token);
        let row: Option<SessionRow> = with_pool!(&s.store, p => sqlx::query_as(
            "SELECT a.id, a.username, a.role, a.province, a.must_change_password, a.expert_id FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND a.disabled_at IS NULL")
            .bind(h.clone())
            .bind(now() as i64)
            .fetch_optional(p)
            .await?);
        let (id, username, role, province, must_change, expert_id) = row.ok_or_else(|| {
            AppError::Unauthorized("the session has expired or was revoked; log in again".into())
        })?;
        let caller = Caller {
            account_id: id,
            username,
            role: Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("account {id} has unknown role {role}"))?,
            province: province
                .map(Province::try_from)
                .transpose()
                .map_err(|e| anyhow::anyhow!("account {id}: {e}"))?,
            must_change,
            expert_id,
            token_hash: h,
        };
        parts.extensions.insert(caller.clone());
        one_time_gate(parts, &caller)?;
        Ok(caller)
    }
}

/// The API calls an account that still has its one-time password may make:
/// change it, sign out, and see who it is.
const ONE_TIME_ALLOWED: &[&str] = &["/api/v1/auth/password", "/api/v1/auth/logout", "/api/v1/me"];

/// Refuses every other API call of an account whose one-time password is not
/// changed yet (the pages send such a person to the password page instead).
fn one_time_gate(parts: &Parts, caller: &Caller) -> Result<(), AppError> {
    if !caller.must_change {
        return Ok(());
    }
    // Inside a nested router the request's URI is cut; the original one is whole.
    let path = parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| parts.uri.path(), |u| u.0.path());
    if path.starts_with("/api/") && !ONE_TIME_ALLOWED.contains(&path.trim_end_matches('/')) {
        return Err(AppError::Forbidden(
            "this account still has its one-time password: change it first (POST /api/v1/auth/password)".into(),
        ));
    }
    Ok(())
}

/// The province a `/api/v1/provinces/{province}/…` request is scoped to, put there
/// by [`province_guard`].
#[derive(Clone, Debug)]
pub struct Scoped(pub Province);

/// Lets a request through to a province's routes only if the caller belongs to
/// that province (or is an admin). Anything else is answered 404, the same as a
/// province that does not exist, so nothing about other provinces leaks.
pub async fn province_guard(
    State(s): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let (mut parts, body) = req.into_parts();
    let caller = Caller::from_request_parts(&mut parts, &s).await?;
    let province = params
        .get("province")
        .and_then(|c| Province::try_from(c.as_str()).ok())
        .filter(|p| caller.may_see(p))
        .ok_or_else(|| AppError::NotFound("not found".into()))?;
    parts.extensions.insert(Scoped(province));
    Ok(next.run(Request::from_parts(parts, body)).await)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(create_token))
        .routes(routes!(change_password))
        .routes(routes!(me))
        .routes(routes!(create_account))
        .routes(routes!(new_activation))
        .routes(routes!(activate))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Login {
    username: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
struct SessionView {
    token: String,
    expires_at: u64,
    username: String,
    role: Role,
    /// GB/T 2260 code; none for an admin.
    #[schema(value_type = Option<String>)]
    province: Option<Province>,
}

/// A successful sign-in: the new session's token and who it is.
pub struct SignedIn {
    pub token: String,
    pub expires_at: u64,
    pub account_id: i64,
    pub role: Role,
    pub province: Option<Province>,
    pub must_change: bool,
}

/// The argon2id hash of a password nobody has, checked when the username is
/// unknown so that an unknown user costs as long as a wrong password.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| accounts::hash_password("no account has this password").expect("hash"))
}

/// Checks a username and password (throttled per account and per address) and
/// opens a session. The API's login and the sign-in page both come here.
pub async fn sign_in(
    s: &AppState,
    username: &str,
    password: &str,
    addr: Option<std::net::IpAddr>,
) -> Result<SignedIn, AppError> {
    let mut keys = vec![format!("u:{username}")];
    if let Some(a) = addr {
        keys.push(format!("ip:{a}"));
    }
    let t = now();
    if let Err(wait) = s.throttle.check(&keys, t) {
        return Err(AppError::TooManyRequests(
            format!("too many wrong passwords; wait {wait} s and try again"),
            wait,
        ));
    }
    /// id, password hash, role, province, one-time password, disabled at.
    type AccountRow = (i64, String, String, Option<String>, bool, Option<i64>);
    let row: Option<AccountRow> = with_pool!(&s.store, p => sqlx::query_as(
        "SELECT id, password_hash, role, province, must_change_password, disabled_at FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(p)
        .await?);
    // The same answer, after the same work, for an unknown user, a disabled
    // account and a wrong password.
    let ok = match &row {
        Some((_, hash, ..)) => accounts::password_matches(password, hash),
        None => {
            accounts::password_matches(password, dummy_hash());
            false
        }
    };
    let row = match row {
        Some(r) if ok && r.5.is_none() => r,
        _ => {
            let wait = s.throttle.fail(&keys, t);
            let msg = if wait > 0 {
                format!("wrong username or password; wait {wait} s before the next try")
            } else {
                "wrong username or password".to_string()
            };
            return Err(if wait > 0 {
                AppError::TooManyRequests(msg, wait)
            } else {
                AppError::Unauthorized(msg)
            });
        }
    };
    let (id, hash, role, province, must_change, _) = row;
    // A one-time password opens one session: the first sign-in uses it up, in
    // one conditional update, so a second (or a concurrent) one is refused.
    if must_change && !accounts::consume_one_time(&s.store, id, &hash).await? {
        s.throttle.fail(&keys, t);
        return Err(AppError::Unauthorized("wrong username or password".into()));
    }
    s.throttle.succeed(&keys[0]);
    let token = new_token();
    with_pool!(&s.store, p => {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, kind, label, created_at, expires_at) VALUES ($1, $2, 'session', NULL, $3, $4)")
            .bind(token_hash(&token))
            .bind(id)
            .bind(t as i64)
            .bind((t + SESSION_SECONDS) as i64)
            .execute(p)
            .await?;
    });
    Ok(SignedIn {
        token,
        expires_at: t + SESSION_SECONDS,
        account_id: id,
        role: Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role"))?,
        province: province
            .map(Province::try_from)
            .transpose()
            .map_err(|e| anyhow::anyhow!(e))?,
        must_change,
    })
}

/// The session cookie: HttpOnly, SameSite=Strict, and Secure when the service
/// is reached over https.
pub fn session_cookie(token: &str, max_age: u64, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Logs in: a session token (12 h) in the body and as an HttpOnly cookie.
/// Wrong passwords are throttled per account and per address (429 with
/// `Retry-After`).
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = Login,
    responses((status = 200, body = SessionView), (status = 401, description = "wrong username or password"),
        (status = 429, description = "too many wrong passwords: wait `retry_after` seconds")))]
async fn login(
    State(s): State<AppState>,
    addr: crate::web::guard::ClientAddr,
    headers: axum::http::HeaderMap,
    super::AppJson(l): super::AppJson<Login>,
) -> Result<Response, AppError> {
    let signed = sign_in(&s, &l.username, &l.password, addr.0).await?;
    let cookie = session_cookie(&signed.token, SESSION_SECONDS, s.secure_cookies(&headers));
    let view = SessionView {
        token: signed.token,
        expires_at: signed.expires_at,
        username: l.username,
        role: signed.role,
        province: signed.province,
    };
    Ok(([(SET_COOKIE, cookie)], Json(view)).into_response())
}

/// Revokes the session or token that made the request.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts", responses((status = 200, description = "revoked")))]
async fn logout(State(s): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    end_session(&s, &caller).await?;
    let clear = format!("{COOKIE_NAME}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    Ok((
        [(SET_COOKIE, clear)],
        Json(serde_json::json!({"logged_out": true})),
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
struct MeView {
    username: String,
    role: Role,
    /// GB/T 2260 code; none for an admin.
    #[schema(value_type = Option<String>)]
    province: Option<Province>,
}

#[utoipa::path(get, path = "/me", tag = "accounts", responses((status = 200, body = MeView)))]
async fn me(caller: Caller) -> Json<MeView> {
    Json(MeView {
        username: caller.username,
        role: caller.role,
        province: caller.province,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewToken {
    label: String,
}

#[utoipa::path(post, path = "/auth/tokens", tag = "accounts", request_body = NewToken,
    responses((status = 200, description = "`{token, label, expires_at}`; the token is shown once")))]
/// An API token for automation, shown once.
async fn create_token(
    State(s): State<AppState>,
    caller: Caller,
    super::AppJson(n): super::AppJson<NewToken>,
) -> Result<Json<serde_json::Value>, AppError> {
    let label = crate::text::line("label", &n.label).map_err(AppError::BadRequest)?;
    let token = new_token();
    let t = now();
    with_pool!(&s.store, p => {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, kind, label, created_at, expires_at) VALUES ($1, $2, 'api', $3, $4, $5)")
            .bind(token_hash(&token))
            .bind(caller.account_id)
            .bind(&label)
            .bind(t as i64)
            .bind((t + API_TOKEN_SECONDS) as i64)
            .execute(p)
            .await?;
    });
    Ok(Json(
        serde_json::json!({"token": token, "label": label, "expires_at": t + API_TOKEN_SECONDS}),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    /// 1 to 64 of `a-z 0-9 . - _`, beginning with a letter or digit (lower
    /// case ASCII only, so that no account can look like another).
    username: String,
    role: Role,
    province: Option<String>,
    /// For an expert account: the roster entry it is, so the expert sees their
    /// own assignments. A roster entry has one account at most.
    #[serde(default)]
    expert_id: Option<String>,
}

/// A new activation code, to be handed to the account's person once.
#[derive(Serialize, ToSchema)]
struct ActivationView {
    username: String,
    role: Role,
    #[schema(value_type = Option<String>)]
    province: Option<Province>,
    /// Random; works once, until `activation_expires_at`. Only its hash is kept.
    activation_code: String,
    /// The page where the person opens the code and chooses their password.
    activation_url: String,
    activation_expires_at: u64,
}

/// The activation page's address for `code` on the service at `base` (the
/// configured public URL, else the address the request was made to:
/// [`AppState::public_base`]).
pub fn activation_url(base: &str, code: &str) -> String {
    format!("{}/activate?code={code}", base.trim_end_matches('/'))
}

#[utoipa::path(post, path = "/accounts", tag = "accounts", request_body = NewAccount,
    responses((status = 200, body = ActivationView),
        (status = 403, description = "not allowed for this role"),
        (status = 409, description = "username taken, or the roster entry has an account already")))]
/// Creates an account (admins: any; coordinators: experts of their own
/// province; supervisors: supervisors of their own province). Nobody can sign
/// in to it until its person opens the activation code returned here (once,
/// within 72 hours) and chooses a password: the maker never knows it.
async fn create_account(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    super::AppJson(n): super::AppJson<NewAccount>,
) -> Result<Json<ActivationView>, AppError> {
    let (province, issued) = make_account(
        &s,
        &caller,
        &n.username,
        n.role,
        n.province.as_deref(),
        n.expert_id.as_deref(),
    )
    .await?;
    Ok(Json(ActivationView {
        username: n.username,
        role: n.role,
        province,
        activation_url: activation_url(&s.public_base(&headers), &issued.code),
        activation_code: issued.code,
        activation_expires_at: issued.expires_at,
    }))
}

/// Whether `caller` may make (or reissue the activation of) an account of
/// `role` in `province`: admins any; a coordinator experts of their own
/// province; a supervisor supervisors of their own province. Never a
/// coordinator a supervisor, who watches the coordinator's draws.
fn may_manage(caller: &Caller, role: Role, province: Option<&Province>) -> Result<(), AppError> {
    match caller.role {
        Role::Admin => Ok(()),
        Role::Coordinator if role == Role::Expert && province == caller.province.as_ref() => Ok(()),
        Role::Coordinator => Err(AppError::Forbidden(
            "a coordinator creates expert accounts of their own province only".into(),
        )),
        Role::Supervisor if role == Role::Supervisor && province == caller.province.as_ref() => {
            Ok(())
        }
        Role::Supervisor => Err(AppError::Forbidden(
            "a supervisor creates supervisor accounts of their own province only".into(),
        )),
        _ => Err(AppError::Forbidden(format!(
            "a {} may not do this",
            caller.role.as_str()
        ))),
    }
}

/// Creates an account, as the caller may (see [`may_manage`]), with an
/// activation code for its person: an expert account may be linked to its
/// roster entry, which has one account at most (a unique index keeps it so).
/// Returns the province and the activation code (shown once).
pub async fn make_account(
    s: &AppState,
    caller: &Caller,
    username: &str,
    role: Role,
    province: Option<&str>,
    expert_id: Option<&str>,
) -> Result<(Option<Province>, accounts::Issued), AppError> {
    caller.require(&[Role::Admin, Role::Coordinator, Role::Supervisor])?;
    let province = match (&role, &province) {
        (Role::Admin | Role::Ministry, None) => None,
        (Role::Admin, Some(_)) => {
            return Err(AppError::BadRequest(
                "an admin account has no province".into(),
            ));
        }
        (Role::Ministry, Some(_)) => {
            return Err(AppError::BadRequest(
                "a ministry account has no province".into(),
            ));
        }
        (_, None) => {
            return Err(AppError::BadRequest(
                "this role needs a province (GB/T 2260 code)".into(),
            ));
        }
        (_, Some(code)) => Some(Province::try_from(*code).map_err(AppError::BadRequest)?),
    };
    may_manage(caller, role, province.as_ref())?;
    crate::text::username(username).map_err(AppError::BadRequest)?;
    if let Some(e) = expert_id {
        let in_roster = match (&role, &province) {
            (Role::Expert, Some(p)) => s.store.get_expert(p, e).await?.is_some(),
            _ => {
                return Err(AppError::BadRequest(
                    "only an expert account is linked to a roster entry".into(),
                ));
            }
        };
        if !in_roster {
            return Err(AppError::BadRequest(format!(
                "no expert {e} in this province's roster"
            )));
        }
    }
    let made = accounts::create_pending(
        &s.store,
        username,
        role.as_str(),
        province.as_ref().map(|p| p.as_str()),
        expert_id,
        Some(caller.account_id),
        now(),
    )
    .await?;
    match made {
        accounts::Made::Created(issued) => Ok((province, issued)),
        accounts::Made::UsernameTaken => {
            Err(AppError::Conflict(format!("username {username} is taken")))
        }
        accounts::Made::ExpertTaken => Err(AppError::Conflict(format!(
            "roster entry {} already has an account",
            expert_id.unwrap_or_default()
        ))),
    }
}

/// A new activation code for account `username`, as the caller may (the same
/// rule as making it, [`may_manage`]; an account already activated by its
/// person, admins only): its old codes end, its password stops working and
/// its sessions end. An account the caller may not see is answered as one
/// that does not exist.
pub async fn reissue_activation(
    s: &AppState,
    caller: &Caller,
    username: &str,
) -> Result<(String, Role, Option<Province>, accounts::Issued), AppError> {
    let missing = || AppError::NotFound(format!("no account {username}"));
    let row: Option<(i64, String, Option<String>, String)> = with_pool!(&s.store, p => sqlx::query_as(
        "SELECT id, role, province, password_hash FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(p)
        .await?);
    let (id, role, province, hash) = row.ok_or_else(missing)?;
    let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?;
    let province = province
        .map(Province::try_from)
        .transpose()
        .map_err(|e| anyhow::anyhow!(e))?;
    if caller.role != Role::Admin && province != caller.province {
        return Err(missing());
    }
    may_manage(caller, role, province.as_ref())?;
    // A coordinator (or supervisor) who could reset an account its person has
    // activated could take it over with the new code: only an admin may.
    if caller.role != Role::Admin && hash != accounts::NO_PASSWORD {
        return Err(AppError::Forbidden(format!(
            "account {username} is active: only an admin gives it a new activation code"
        )));
    }
    let issued = accounts::issue_activation(&s.store, id, Some(caller.account_id), now())
        .await?
        .ok_or_else(missing)?;
    Ok((username.to_string(), role, province, issued))
}

#[utoipa::path(post, path = "/accounts/{username}/activation", tag = "accounts",
    params(("username" = String, Path, description = "the account")),
    responses((status = 200, body = ActivationView),
        (status = 403, description = "not allowed for this role"), (status = 404, description = "no such account the caller may see")))]
/// A new activation code for an account (a lost or expired code; a forgotten
/// password, admins only), as the caller may make that account: the account's
/// earlier codes end, its password stops working and its sessions end, until
/// its person opens the new code.
async fn new_activation(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path(username): Path<String>,
) -> Result<Json<ActivationView>, AppError> {
    let (username, role, province, issued) = reissue_activation(&s, &caller, &username).await?;
    Ok(Json(ActivationView {
        username,
        role,
        province,
        activation_url: activation_url(&s.public_base(&headers), &issued.code),
        activation_code: issued.code,
        activation_expires_at: issued.expires_at,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Activation {
    /// The code the account's maker handed over.
    code: String,
    /// The person's own password (the same rules as a changed password).
    password: String,
}

/// Why an activation code cannot be used, as the API says it.
pub fn code_problem(state: &accounts::CodeState) -> &'static str {
    match state {
        accounts::CodeState::Used => "this activation code has been used already",
        accounts::CodeState::Expired => "this activation code has expired; ask for a new one",
        _ => "no such activation code",
    }
}

/// [`code_problem`] as the API answers it: 404 for an unknown code, 409 for a
/// used or expired one.
pub fn code_refusal(state: &accounts::CodeState) -> AppError {
    let m = code_problem(state).to_string();
    match state {
        accounts::CodeState::Used | accounts::CodeState::Expired => AppError::Conflict(m),
        _ => AppError::NotFound(m),
    }
}

/// Activates an account: checks the code is open and the password
/// acceptable, then uses the code (once, atomically) to set the password.
/// Returns the username.
pub async fn activate_account(
    s: &AppState,
    code: &str,
    password: &str,
) -> Result<String, AppError> {
    let t = now();
    let username = match accounts::activation_state(&s.store, code.trim(), t).await? {
        accounts::CodeState::Open { username, .. } => username,
        other => return Err(code_refusal(&other)),
    };
    if let Some(problem) = password_problem(&username, "", password) {
        return Err(AppError::BadRequest(problem));
    }
    let hash = accounts::hash_password(password)?;
    match accounts::activate(&s.store, code.trim(), &hash, t).await? {
        Ok(_) => Ok(username),
        Err(state) => Err(code_refusal(&state)),
    }
}

#[utoipa::path(post, path = "/auth/activate", tag = "accounts", request_body = Activation,
    responses((status = 200, description = "`{activated: true, username}`: sign in with the chosen password"),
        (status = 400, description = "the password is refused, saying why"),
        (status = 404, description = "no such activation code"),
        (status = 409, description = "the code has been used already, or has expired")))]
/// The account's person opens their activation code and chooses their own
/// password; only then can the account sign in. A code works once (a second
/// or concurrent use is refused) and for 72 hours. No sign-in needed.
async fn activate(
    State(s): State<AppState>,
    super::AppJson(a): super::AppJson<Activation>,
) -> Result<Json<serde_json::Value>, AppError> {
    let username = activate_account(&s, &a.code, &a.password).await?;
    Ok(Json(
        serde_json::json!({"activated": true, "username": username}),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    /// The current password; not asked of a session opened with a one-time
    /// password (which that sign-in used up).
    #[serde(default)]
    old_password: String,
    /// At least 12 characters, 6 different ones, not the username, and not
    /// guessable (the zxcvbn estimator must put it beyond 10^10 guesses); a
    /// refusal says why.
    new_password: String,
}

/// The shortest password accepted when a user sets their own.
pub const MIN_PASSWORD_CHARS: usize = 12;

#[utoipa::path(post, path = "/auth/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 200, description = "changed; every other session revoked"), (status = 400, description = "the new password is refused, saying why"), (status = 403, description = "old password wrong")))]
/// Changes the caller's password (after checking the old one) and revokes every
/// other session and token of the account. A session signed in with a
/// one-time password (used up by that sign-in) may call only this,
/// `/auth/logout` and `/me` until it has: everything else answers 403.
async fn change_password(
    State(s): State<AppState>,
    caller: Caller,
    super::AppJson(c): super::AppJson<PasswordChange>,
) -> Result<Json<serde_json::Value>, AppError> {
    set_own_password(&s, &caller, &c.old_password, &c.new_password).await?;
    Ok(Json(
        serde_json::json!({"changed": true, "other_sessions_revoked": true}),
    ))
}

/// Why a new password is refused.
#[derive(Clone, Debug, PartialEq)]
pub enum PasswordProblem {
    TooShort,
    SameAsOld,
    FewDistinct,
    HasUsername,
    /// The strength estimator (zxcvbn) finds it within 10^10 guesses; its
    /// warning and first suggestion say why, when it gives them.
    Guessable(
        Option<zxcvbn::feedback::Warning>,
        Option<zxcvbn::feedback::Suggestion>,
    ),
}

impl PasswordProblem {
    /// The API's sentence.
    pub fn message(&self) -> String {
        match self {
            PasswordProblem::TooShort => {
                format!("the new password must have at least {MIN_PASSWORD_CHARS} characters")
            }
            PasswordProblem::SameAsOld => "the new password must differ from the old one".into(),
            PasswordProblem::FewDistinct => {
                "the new password must have at least 6 different characters".into()
            }
            PasswordProblem::HasUsername => "the new password must not contain the username".into(),
            PasswordProblem::Guessable(w, s) => {
                let why: Vec<String> = w
                    .iter()
                    .map(|w| w.to_string())
                    .chain(s.iter().map(|s| s.to_string()))
                    .collect();
                let why = if why.is_empty() {
                    "it follows a pattern that is tried early.".to_string()
                } else {
                    why.join(" ")
                };
                format!("the new password is too easy to guess: {why}")
            }
        }
    }
}

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters, at
/// least six different ones, not the username, and not guessable within
/// 10^10 guesses by the zxcvbn estimator (common passwords, words, names,
/// dates, keyboard rows, repeats, the username and the old password count
/// as guessable).
pub fn check_password(username: &str, old: &str, new: &str) -> Result<(), PasswordProblem> {
    let distinct: std::collections::HashSet<char> = new.chars().collect();
    if new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if new == old {
        return Err(PasswordProblem::SameAsOld);
    }
    if distinct.len() < 6 {
        return Err(PasswordProblem::FewDistinct);
    }
    if new.to_lowercase().contains(&username.to_lowercase()) {
        return Err(PasswordProblem::HasUsername);
    }
    let estimate = zxcvbn::zxcvbn(new, &[username, old, "fairpanel"]);
    if estimate.score() < zxcvbn::Score::Three {
        let feedback = estimate.feedback();
        return Err(PasswordProblem::Guessable(
            feedback.and_then(|f| f.warning()),
            feedback.and_then(|f| f.suggestions().first().copied()),
        ));
    }
    Ok(())
}

/// Why a new password is refused, as the API says it, or `None` when it is
/// acceptable (see [`check_password`]).
pub fn password_problem(username: &str, old: &str, new: &str) -> Option<String> {
    check_password(username, old, new)
        .err()
        .map(|p| p.message())
}

/// Changes the caller's own password after checking the old one, clears the
/// one-time mark and revokes every other session and token of the account.
pub async fn set_own_password(
    s: &AppState,
    caller: &Caller,
    old: &str,
    new: &str,
) -> Result<(), AppError> {
    let (hash,): (String,) = with_pool!(&s.store, p => sqlx::query_as("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(caller.account_id)
        .fetch_one(p)
        .await?);
    // A session opened with a one-time password used it up: that sign-in is
    // the proof, and no old password is left to check.
    if !caller.must_change && !accounts::password_matches(old, &hash) {
        return Err(AppError::Forbidden("the old password is wrong".into()));
    }
    if let Some(problem) = password_problem(&caller.username, old, new) {
        return Err(AppError::BadRequest(problem));
    }
    let new_hash = accounts::hash_password(new)?;
    let t = now() as i64;
    with_pool!(&s.store, p => {
        let mut tx = p.begin().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(new_hash)
            .bind(false)
            .bind(caller.account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND token_hash <> $3 AND revoked_at IS NULL")
            .bind(t)
            .bind(caller.account_id)
            .bind(caller.token_hash.clone())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Revokes the session (or token) the caller used.
pub async fn end_session(s: &AppState, caller: &Caller) -> Result<(), AppError> {
    with_pool!(&s.store, p => {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2")
            .bind(now() as i64)
            .bind(caller.token_hash.clone())
            .execute(p)
            .await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zxcvbn::feedback::{Suggestion, Warning};

    #[test]
    fn common_and_guessable_passwords_are_refused_with_the_reason() {
        assert_eq!(
            check_password("gd-coord", "old", "password1234"),
            Err(PasswordProblem::Guessable(
                Some(Warning::ThisIsACommonPassword),
                Some(Suggestion::AddAnotherWordOrTwo)
            ))
        );
        assert_eq!(
            password_problem("gd-coord", "old", "qwertyuiop123").as_deref(),
            Some(
                "the new password is too easy to guess: This is a very common password. Add another word or two. Uncommon words are better."
            )
        );
        // A common password dressed up with capitals, digits and a symbol.
        assert!(matches!(
            check_password("gd-coord", "old", "Passw0rd2026!"),
            Err(PasswordProblem::Guessable(
                Some(Warning::ThisIsSimilarToACommonlyUsedPassword),
                _
            ))
        ));
        // The old password with a character added is guessable from it.
        assert!(matches!(
            check_password("gd-coord", "Tr4nquil-Orbit-Lamp", "Tr4nquil-Orbit-Lamp1"),
            Err(PasswordProblem::Guessable(..))
        ));
        // The rules before the estimator still come first.
        assert_eq!(
            check_password("gd-coord", "old", "short"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_password("gd-coord", "old", "my-GD-COORD-secret-99"),
            Err(PasswordProblem::HasUsername)
        );
        assert_eq!(
            check_password("gd-coord", "same-old-Password-7", "same-old-Password-7"),
            Err(PasswordProblem::SameAsOld)
        );
        assert_eq!(
            check_password("gd-coord", "old", "abababababab"),
            Err(PasswordProblem::FewDistinct)
        );
    }

    #[test]
    fn a_few_unrelated_words_are_accepted() {
        for ok in [
            "Correct-Horse-Battery-9",
            "violet tractor sunrise",
            "Tr4nquil-Orbit-Lamp",
            // A random one-time password passes too.
            &crate::accounts::random_password(),
        ] {
            assert_eq!(check_password("gd-coord", "old", ok), Ok(()), "{ok}");
        }
    }
}
