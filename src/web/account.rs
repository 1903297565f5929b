//! Sign-in, sign-out, the password form (forced after a one-time password),
//! the activation page (where a person opens the code their account's maker
//! handed over and chooses their own password), the language switch, the start
//! page, and the admin's accounts and key pages. The public pages are in
//! `public.rs`.

use super::{Base, Ctx, Errors, User, WebError, local_path, page};
use crate::http::AppState;
use crate::http::auth::{self, Role};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/password", get(password_form).post(password))
        .route("/activate", get(activate_form).post(activate))
        .route("/lang/{lang}", get(switch_language))
        .route("/admin/accounts", get(admin_accounts).post(admin_create))
        .route("/admin/accounts/{id}/disable", post(admin_disable))
        .route("/admin/accounts/{id}/reset", post(admin_reset))
        .route("/admin/key", get(admin_key))
        .route(
            "/admin/witnesses",
            get(admin_witnesses).post(admin_witness_add),
        )
        .route("/admin/witnesses/retire", post(admin_witness_retire))
}

#[derive(Template)]
#[template(path = "web/home.html")]
struct Home {
    base: Base,
}

/// The start page: a signed-in person goes to their own start page.
async fn home(ctx: Ctx) -> Result<Response, WebError> {
    if let Some(c) = &ctx.user {
        if c.must_change {
            return Ok(Redirect::to("/password").into_response());
        }
        let p = c
            .province
            .as_ref()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        return Ok(Redirect::to(&match c.role {
            Role::Admin => "/admin/accounts".to_string(),
            Role::Coordinator => format!("/p/{p}"),
            Role::Supervisor => format!("/p/{p}/watch"),
            Role::Expert => format!("/p/{p}/me"),
            Role::Ministry => "/ministry".to_string(),
        })
        .into_response());
    }
    page(Home {
        base: Base::new(ctx.tr, None, &ctx.here, ctx.tr.t("app-name")),
    })
}

#[derive(Template)]
#[template(path = "web/login.html")]
struct Login {
    base: Base,
    errors: Errors,
    username: String,
    next: String,
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

async fn login_form(ctx: Ctx, Query(n): Query<Next>) -> Result<Response, WebError> {
    page(Login {
        base: Base::new(ctx.tr, None, &ctx.here, ctx.tr.t("login-title")),
        errors: Errors::default(),
        username: String::new(),
        next: local_path(n.next.as_deref().unwrap_or("/")),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(s): State<AppState>,
    ctx: Ctx,
    addr: super::guard::ClientAddr,
    headers: axum::http::HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let mut errors = Errors::default();
    if f.username.trim().is_empty() {
        errors.add("username", tr.t("login-need-username"));
    }
    if f.password.is_empty() {
        errors.add("password", tr.t("login-need-password"));
    }
    if errors.is_empty() {
        match auth::sign_in(&s, f.username.trim(), &f.password, addr.0).await {
            Ok(signed) => {
                let cookie = auth::session_cookie(
                    &signed.token,
                    auth::SESSION_SECONDS,
                    s.secure_cookies(&headers),
                );
                let to = if signed.must_change {
                    "/password".to_string()
                } else if f.next.is_empty() || f.next == "/login" {
                    "/".to_string()
                } else {
                    local_path(&f.next)
                };
                return Ok(([(SET_COOKIE, cookie)], Redirect::to(&to)).into_response());
            }
            Err(crate::http::AppError::Unauthorized(_)) => {
                errors.add("password", tr.t("msg-wrong-password"));
            }
            Err(crate::http::AppError::TooManyRequests(_, wait)) => {
                errors.add("password", tr.t1("err-wait", "seconds", wait));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let status = if errors.get("password").is_some() {
        axum::http::StatusCode::UNAUTHORIZED
    } else {
        axum::http::StatusCode::BAD_REQUEST
    };
    let mut r = page(Login {
        base: Base::new(tr, None, &ctx.here, tr.t("login-title")),
        errors,
        username: f.username,
        next: local_path(&f.next),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

async fn logout(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    if let Some(c) = &ctx.user {
        if f.csrf != c.csrf() {
            return Err(crate::http::AppError::Forbidden(
                "the form's security token is missing or stale; reload the page and try again"
                    .into(),
            )
            .into());
        }
        auth::end_session(&s, c).await?;
    }
    Ok((
        [(SET_COOKIE, auth::session_cookie("", 0, false))],
        Redirect::to("/"),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "web/password.html")]
struct Password {
    base: Base,
    errors: Errors,
    forced: bool,
}

async fn password_form(u: User) -> Result<Response, WebError> {
    page(Password {
        base: u.base(u.tr.t("password-title")),
        errors: Errors::default(),
        forced: u.caller.must_change,
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    old: String,
    new: String,
    again: String,
}

async fn password(
    State(s): State<AppState>,
    u: User,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let tr = u.tr;
    let mut errors = Errors::default();
    // A session opened with a one-time password used it up: no old password.
    if f.old.is_empty() && !u.caller.must_change {
        errors.add("old", tr.t("password-need-old"));
    }
    if let Err(problem) = auth::check_password(&u.caller.username, &f.old, &f.new) {
        errors.add("new", password_refusal(&tr, &problem));
    }
    if f.new != f.again {
        errors.add("again", tr.t("password-mismatch"));
    }
    if errors.is_empty() {
        match auth::set_own_password(&s, &u.caller, &f.old, &f.new).await {
            Ok(()) => return Ok(Redirect::to("/").into_response()),
            Err(crate::http::AppError::Forbidden(_)) => errors.add("old", tr.t("msg-old-password")),
            Err(e) => return Err(e.into()),
        }
    }
    let mut r = page(Password {
        base: u.base(tr.t("password-title")),
        errors,
        forced: u.caller.must_change,
    })?;
    *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    Ok(r)
}

/// A refused new password in the reader's language: for a guessable one, a
/// summary and the estimator's reason (its warning and first suggestion).
fn password_refusal(tr: &super::Tr, problem: &auth::PasswordProblem) -> String {
    use auth::PasswordProblem as P;
    use zxcvbn::feedback::{Suggestion as S, Warning as W};
    let key = match problem {
        P::TooShort => "password-too-short",
        P::SameAsOld => "password-same",
        P::FewDistinct => "password-too-plain",
        P::HasUsername => "password-has-username",
        P::Guessable(w, s) => {
            let mut text = vec![tr.t("password-weak")];
            if let Some(w) = w {
                text.push(tr.t(match w {
                    W::StraightRowsOfKeysAreEasyToGuess => "password-warn-key-rows",
                    W::ShortKeyboardPatternsAreEasyToGuess => "password-warn-key-patterns",
                    W::RepeatsLikeAaaAreEasyToGuess => "password-warn-repeats",
                    W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
                        "password-warn-repeated-groups"
                    }
                    W::ThisIsATop10Password => "password-warn-top10",
                    W::ThisIsATop100Password => "password-warn-top100",
                    W::ThisIsACommonPassword => "password-warn-common",
                    W::ThisIsSimilarToACommonlyUsedPassword => "password-warn-similar",
                    W::SequencesLikeAbcAreEasyToGuess => "password-warn-sequences",
                    W::RecentYearsAreEasyToGuess => "password-warn-years",
                    W::AWordByItselfIsEasyToGuess => "password-warn-word",
                    W::DatesAreOftenEasyToGuess => "password-warn-dates",
                    W::NamesAndSurnamesByThemselvesAreEasyToGuess => "password-warn-names",
                    W::CommonNamesAndSurnamesAreEasyToGuess => "password-warn-common-names",
                }));
            }
            if let Some(s) = s {
                text.push(tr.t(match s {
                    S::UseAFewWordsAvoidCommonPhrases => "password-hint-few-words",
                    S::NoNeedForSymbolsDigitsOrUppercaseLetters => "password-hint-no-symbols",
                    S::AddAnotherWordOrTwo => "password-hint-add-word",
                    S::CapitalizationDoesntHelpVeryMuch => "password-hint-capitals",
                    S::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => "password-hint-upper",
                    S::ReversedWordsArentMuchHarderToGuess => "password-hint-reversed",
                    S::PredictableSubstitutionsDontHelpVeryMuch => "password-hint-substitutions",
                    S::UseALongerKeyboardPatternWithMoreTurns => "password-hint-longer-pattern",
                    S::AvoidRepeatedWordsAndCharacters => "password-hint-repeats",
                    S::AvoidSequences => "password-hint-sequences",
                    S::AvoidRecentYears => "password-hint-recent-years",
                    S::AvoidYearsThatAreAssociatedWithYou => "password-hint-your-years",
                    S::AvoidDatesAndYearsThatAreAssociatedWithYou => "password-hint-your-dates",
                }));
            }
            return text.join(" ");
        }
    };
    tr.t1(key, "n", auth::MIN_PASSWORD_CHARS)
}

#[derive(Template)]
#[template(path = "web/activate.html")]
struct Activate {
    base: Base,
    errors: Errors,
    code: String,
    /// The account the code opens, when it is open.
    username: String,
    /// Activated just now.
    done: bool,
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

/// The activation page: the code (from the link, or typed) and the person's
/// new password. Nobody needs to be signed in.
async fn activate_form(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CodeQuery>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let code = q.code.unwrap_or_default().trim().to_string();
    let mut errors = Errors::default();
    let mut username = String::new();
    if !code.is_empty() {
        match crate::accounts::activation_state(&s.store, &code, crate::serve::now()).await? {
            crate::accounts::CodeState::Open { username: u, .. } => username = u,
            other => errors.add(
                "code",
                super::translate_detail(&tr, auth::code_problem(&other)),
            ),
        }
    }
    let failed = !errors.is_empty();
    let mut r = page(Activate {
        base: Base::new(tr, None, "/activate", tr.t("activate-title")),
        errors,
        code,
        username,
        done: false,
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::CONFLICT;
    }
    Ok(r)
}

#[derive(Deserialize)]
struct ActivateForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

async fn activate(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ActivateForm>,
) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let code = f.code.trim().to_string();
    let mut errors = Errors::default();
    let mut username = String::new();
    if code.is_empty() {
        errors.add("code", tr.t("activate-need-code"));
    } else {
        match crate::accounts::activation_state(&s.store, &code, crate::serve::now()).await? {
            crate::accounts::CodeState::Open { username: u, .. } => username = u,
            other => errors.add(
                "code",
                super::translate_detail(&tr, auth::code_problem(&other)),
            ),
        }
    }
    if !username.is_empty() {
        if let Err(problem) = auth::check_password(&username, "", &f.new) {
            errors.add("new", password_refusal(&tr, &problem));
        }
        if f.new != f.again {
            errors.add("again", tr.t("password-mismatch"));
        }
    }
    let mut done = false;
    if errors.is_empty() {
        match auth::activate_account(&s, &code, &f.new).await {
            Ok(_) => done = true,
            Err(crate::http::AppError::Conflict(m) | crate::http::AppError::NotFound(m)) => {
                errors.add("code", super::translate_detail(&tr, &m))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let failed = !errors.is_empty();
    let mut r = page(Activate {
        base: Base::new(tr, None, "/activate", tr.t("activate-title")),
        errors,
        code: if done { String::new() } else { code },
        username,
        done,
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Sets the language cookie (a year) and goes back to the page.
async fn switch_language(Path(lang): Path<String>, Query(b): Query<Back>) -> Response {
    let code = super::Lang::parse(&lang).unwrap_or(super::Lang::Zh).code();
    let back = local_path(b.back.as_deref().unwrap_or("/"));
    (
        [(
            SET_COOKIE,
            format!(
                "{}={code}; Path=/; Max-Age=31536000; SameSite=Lax",
                super::LANG_COOKIE
            ),
        )],
        Redirect::to(&back),
    )
        .into_response()
}

pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub province: String,
    pub expert_id: String,
    pub disabled: bool,
    pub one_time: bool,
    /// Waiting for its person to open an activation code.
    pub pending: bool,
}

/// An account just made (or given a new activation code): shown once.
pub struct MadeAccount {
    pub username: String,
    pub code: String,
    pub url: String,
    /// When the code stops working, in the reader's time format.
    pub expires: String,
}

impl MadeAccount {
    fn new(u: &User, username: String, issued: crate::accounts::Issued) -> MadeAccount {
        MadeAccount {
            username,
            url: auth::activation_url(&u.link_base, &issued.code),
            expires: u.tr.time(issued.expires_at),
            code: issued.code,
        }
    }
}

#[derive(Template)]
#[template(path = "web/accounts.html")]
pub struct Accounts {
    pub base: Base,
    pub errors: Errors,
    pub accounts: Vec<AccountRow>,
    /// Where the forms post (`/admin/accounts` or `/p/{code}/accounts`).
    pub action: String,
    pub admin: bool,
    /// A supervisor's page: supervisor accounts only (a coordinator's: experts).
    pub supervisor: bool,
    /// The activation code just made, shown once.
    pub made: Option<MadeAccount>,
    pub form_username: String,
    pub form_role: String,
    pub form_province: String,
    pub form_expert: String,
}

/// Accounts as a list; `province` limits it to one province. A supervisor
/// sees the supervisors' accounts only.
pub async fn account_rows(
    s: &AppState,
    province: Option<&str>,
    viewer: Role,
) -> Result<Vec<AccountRow>, WebError> {
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        bool,
        String,
    );
    const COLS: &str = "SELECT id, username, role, province, expert_id, disabled_at, must_change_password, password_hash FROM accounts";
    let rows: Vec<Row> = match province {
        Some(code) => {
            crate::with_pool!(&s.store, p => sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLS} WHERE province = $1 ORDER BY id")))
            .bind(code)
            .fetch_all(p)
            .await?)
        }
        None => {
            crate::with_pool!(&s.store, p => sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLS} ORDER BY id")))
            .fetch_all(p)
            .await?)
        }
    };
    Ok(rows
        .into_iter()
        .map(|r| AccountRow {
            id: r.0,
            username: r.1,
            role: r.2,
            province: r.3.unwrap_or_default(),
            expert_id: r.4.unwrap_or_default(),
            disabled: r.5.is_some(),
            one_time: r.6,
            pending: !r.6 && r.7 == crate::accounts::NO_PASSWORD,
        })
        .filter(|a| viewer != Role::Supervisor || a.role == "supervisor")
        .collect())
}

async fn admin_accounts(State(s): State<AppState>, u: User) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    page(Accounts {
        base: u.base(u.tr.t("accounts-title")),
        errors: Errors::default(),
        accounts: account_rows(&s, None, Role::Admin).await?,
        action: "/admin/accounts".into(),
        admin: true,
        supervisor: false,
        made: None,
        form_username: String::new(),
        form_role: "coordinator".into(),
        form_province: String::new(),
        form_expert: String::new(),
    })
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    pub csrf: String,
    pub username: String,
    pub role: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub expert_id: String,
}

/// Creates an account from the form (the admin's or a coordinator's) and shows
/// its activation code and link once.
pub async fn create_from_form(
    s: &AppState,
    u: &User,
    f: NewAccountForm,
    action: String,
    admin: bool,
    province_filter: Option<&str>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let tr = u.tr;
    let mut errors = Errors::default();
    let role = Role::parse(&f.role);
    if crate::text::username(f.username.trim()).is_err() {
        errors.add("username", tr.t("account-bad-username"));
    }
    if role.is_none() {
        errors.add("role", tr.t("account-bad-role"));
    }
    let mut made = None;
    if let (true, Some(role)) = (errors.is_empty(), role) {
        let province = (!f.province.trim().is_empty()).then(|| f.province.trim().to_string());
        let expert = (!f.expert_id.trim().is_empty()).then(|| f.expert_id.trim().to_string());
        match auth::make_account(
            s,
            &u.caller,
            f.username.trim(),
            role,
            province.as_deref(),
            expert.as_deref(),
        )
        .await
        {
            Ok((_, issued)) => {
                made = Some(MadeAccount::new(u, f.username.trim().to_string(), issued))
            }
            Err(crate::http::AppError::Conflict(m)) if m.starts_with("roster entry") => {
                errors.add("expert_id", super::translate_detail(&tr, &m))
            }
            Err(crate::http::AppError::Conflict(_)) => errors.add("username", tr.t("msg-taken")),
            Err(crate::http::AppError::BadRequest(m)) => {
                let field = if m.contains("expert") || m.contains("roster") {
                    "expert_id"
                } else if m.contains("province") {
                    "province"
                } else {
                    "username"
                };
                errors.add(
                    field,
                    super::translate_detail(&tr, &tr.t(&format!("account-bad-{field}"))),
                );
            }
            Err(crate::http::AppError::Forbidden(_)) => {
                errors.add("role", tr.t("account-not-allowed"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let failed = !errors.is_empty();
    let mut r = page(Accounts {
        base: u.base(tr.t("accounts-title")),
        accounts: account_rows(s, province_filter, u.caller.role).await?,
        action,
        admin,
        supervisor: u.caller.role == Role::Supervisor,
        made,
        form_username: if failed { f.username } else { String::new() },
        form_role: f.role,
        form_province: f.province,
        form_expert: if failed { f.expert_id } else { String::new() },
        errors,
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

async fn admin_create(
    State(s): State<AppState>,
    u: User,
    Form(f): Form<NewAccountForm>,
) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    create_from_form(&s, &u, f, "/admin/accounts".into(), true, None).await
}

async fn admin_disable(
    State(s): State<AppState>,
    u: User,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    u.check_csrf(&f.csrf)?;
    if id == u.caller.account_id {
        return Err(
            crate::http::AppError::Conflict("you cannot disable your own account".into()).into(),
        );
    }
    let t = crate::serve::now() as i64;
    crate::with_pool!(&s.store, p => {
        let mut tx = p.begin().await?;
        sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(Redirect::to("/admin/accounts").into_response())
}

#[derive(Template)]
#[template(path = "web/reset.html")]
struct Reset {
    base: Base,
    made: MadeAccount,
}

/// A new activation code for an account: its password stops working and its
/// sessions end until its person opens the code and chooses a new one.
async fn admin_reset(
    State(s): State<AppState>,
    u: User,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    u.check_csrf(&f.csrf)?;
    let name: Option<(String,)> = crate::with_pool!(&s.store, p => sqlx::query_as("SELECT username FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await?);
    let (username,) =
        name.ok_or_else(|| crate::http::AppError::NotFound(format!("no account {id}")))?;
    let (username, _, _, issued) = auth::reissue_activation(&s, &u.caller, &username).await?;
    page(Reset {
        base: u.base(u.tr.t("reset-title")),
        made: MadeAccount::new(&u, username, issued),
    })
}

#[derive(Template)]
#[template(path = "web/key.html")]
struct Key {
    base: Base,
    key_id: String,
    public: String,
    pem: String,
    origin: String,
}

async fn admin_key(State(s): State<AppState>, u: User) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    let public = s.key.public();
    page(Key {
        base: u.base(u.tr.t("key-title")),
        key_id: public.key_id().to_string(),
        public: public.to_base64(),
        pem: public.to_pem(),
        origin: s.origin.to_string(),
    })
}

// ---------------------------------------------------------------- witnesses

/// A registered witness as the admin's page shows it.
pub struct WitnessLine {
    pub name: String,
    pub key: String,
    pub key_id: String,
    pub added: String,
    /// Empty while its cosignatures are accepted.
    pub retired: String,
}

#[derive(Template)]
#[template(path = "web/witnesses.html")]
struct Witnesses {
    base: Base,
    errors: Errors,
    witnesses: Vec<WitnessLine>,
    /// The witness just registered or retired, named in a notice.
    done: Option<(String, String)>,
    form_name: String,
    form_key: String,
}

async fn witness_lines(s: &AppState, u: &User) -> Result<Vec<WitnessLine>, WebError> {
    Ok(s.store
        .witness_rows()
        .await?
        .into_iter()
        .map(|w| {
            let v = crate::http::witness::WitnessView::from(w);
            WitnessLine {
                added: u.tr.time(v.added_at.max(0) as u64),
                retired: v
                    .retired_at
                    .map(|t| u.tr.time(t.max(0) as u64))
                    .unwrap_or_default(),
                name: v.name,
                key: v.key,
                key_id: v.key_id,
            }
        })
        .collect())
}

async fn witnesses_page(
    s: &AppState,
    u: &User,
    errors: Errors,
    done: Option<(String, String)>,
    form_name: String,
    form_key: String,
) -> Result<Response, WebError> {
    let failed = !errors.is_empty();
    let mut r = page(Witnesses {
        base: u.base(u.tr.t("witnesses-title")),
        witnesses: witness_lines(s, u).await?,
        errors,
        done,
        form_name,
        form_key,
    })?;
    if failed {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

/// The witnesses whose cosignatures the service accepts, with a form to
/// register one and a button to retire each.
async fn admin_witnesses(State(s): State<AppState>, u: User) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    witnesses_page(
        &s,
        &u,
        Errors::default(),
        None,
        String::new(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
struct WitnessForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    key: String,
}

async fn admin_witness_add(
    State(s): State<AppState>,
    u: User,
    Form(f): Form<WitnessForm>,
) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    u.check_csrf(&f.csrf)?;
    let mut errors = Errors::default();
    match crate::http::witness::add(&s, &f.name, &f.key).await {
        Ok(v) => {
            let done = Some((u.tr.t("witness-added"), v.name));
            return witnesses_page(&s, &u, errors, done, String::new(), String::new()).await;
        }
        Err(crate::http::AppError::BadRequest(m)) => {
            let field = if m.contains("witness key") {
                "key"
            } else {
                "name"
            };
            errors.add(field, super::translate_detail(&u.tr, &m));
        }
        Err(crate::http::AppError::Conflict(m)) => {
            errors.add("name", super::translate_detail(&u.tr, &m))
        }
        Err(e) => return Err(e.into()),
    }
    witnesses_page(&s, &u, errors, None, f.name, f.key).await
}

async fn admin_witness_retire(
    State(s): State<AppState>,
    u: User,
    Form(f): Form<WitnessForm>,
) -> Result<Response, WebError> {
    u.require(&[Role::Admin])?;
    u.check_csrf(&f.csrf)?;
    crate::http::witness::retire(&s, f.name.trim()).await?;
    let done = Some((u.tr.t("witness-retired-now"), f.name.trim().to_string()));
    witnesses_page(
        &s,
        &u,
        Errors::default(),
        done,
        String::new(),
        String::new(),
    )
    .await
}
