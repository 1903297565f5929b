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
    })
}

pub async fn run(cfg: Config) -> Result<()> {
    let state = prepare(&cfg).await?;
    let listener = TcpListener::bind(cfg.listen)
        .await
        .with_context(|| format!("listen on {}", cfg.listen))?;
    println!("fairpanel listening on http://{}", listener.local_addr()?);
    let store = state.store.clone();
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serve")?;
    store.close().await;
    tracing::info!("stopped");
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
