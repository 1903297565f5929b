//! `fairpanel serve`: opens the store, makes sure there is a signing key, creates
//! the first admin account, and serves the HTTP API until SIGTERM or Ctrl-C.

use crate::config::Config;
use crate::http::{AppState, router};
use crate::store::Store;
use crate::{accounts, keyfile};
use anyhow::{Context, Result};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The key in `dir`, created (0600) if there is none yet.
pub fn ensure_key(dir: &std::path::Path) -> Result<fairpanel_core::SecretKey> {
    if !dir.join(keyfile::PRIVATE).exists() {
        let (public, path) = keyfile::generate(dir, false)?;
        tracing::info!(key_id = %public.key_id(), path = %path.display(), "created the log's signing key");
    }
    keyfile::load(dir)
}

/// Everything `serve` does before it listens; tests call it to run the service
/// in-process on a port of their own.
pub async fn prepare(cfg: &Config) -> Result<AppState> {
    let store = Store::open(&cfg.database_url).await?;
    if !cfg.clock.is_system() {
        tracing::warn!(
            now = cfg.clock.now(),
            "SIMULATED CLOCK: log times are not real times (demonstration or test only)"
        );
    }
    let key = ensure_key(&cfg.keys)?;
    tracing::info!(backend = store.backend(), key_id = %key.public().key_id(), origin = %cfg.origin, "store ready");
    if let Some(pw) = accounts::bootstrap_admin(&store, now()).await? {
        // Printed once to the terminal, never logged.
        println!("first start: created account \"admin\" with one-time password {pw}");
        println!("(it is shown only now; log in and change it)");
    }
    Ok(AppState {
        store,
        key: Arc::new(key),
        origin: cfg.origin.as_str().into(),
        clock: cfg.clock.clone(),
        webhook_url: cfg.webhook_url.clone().map(Into::into),
        min_panel: cfg.min_panel,
        public: Default::default(),
        throttle: Default::default(),
    })
}

pub async fn run(cfg: Config, demo: bool) -> Result<()> {
    let state = prepare(&cfg).await?;
    if demo {
        load_demo(&state).await?;
    }
    let listener = TcpListener::bind(cfg.listen)
        .await
        .with_context(|| format!("listen on {}", cfg.listen))?;
    println!("fairpanel listening on http://{}", listener.local_addr()?);
    if let Some(url) = &state.webhook_url {
        crate::outbox::spawn(state.store.clone(), url.to_string(), state.clock.clone());
        tracing::info!(url = %url, "notifications go to the webhook");
    }
    let store = state.store.clone();
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serve")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Demo data for a first look: a synthetic pool for 广东省 and two accounts, only
/// when that pool is empty (never over real data).
pub async fn load_demo(state: &AppState) -> Result<()> {
    let gd = fairpanel_core::types::Province::try_from("440000").expect("valid code");
    if !state.store.list_experts(&gd).await?.is_empty() {
        println!("demo: 广东省 already has experts; no demo data loaded");
        return Ok(());
    }
    let records = crate::demo::synthetic_records(320);
    let w = state
        .store
        .write_experts(
            &state.key,
            &state.origin,
            &gd,
            &records,
            crate::store::experts::Must::Either,
            "import",
            state.clock.now(),
        )
        .await?
        .map_err(|e| anyhow::anyhow!("demo data: {e:?}"))?;
    println!("demo: loaded {} experts into 广东省 (440000)", w.total);
    for (user, role) in [
        ("gd-coordinator", "coordinator"),
        ("gd-supervisor", "supervisor"),
    ] {
        let pw = accounts::random_password();
        if accounts::create(&state.store, user, &pw, role, Some("440000"), now()).await? {
            println!("demo: account \"{user}\" ({role}, 440000), one-time password {pw}");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
