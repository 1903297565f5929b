//! `fairpanel serve`: opens the store, makes sure there is a signing key, creates
//! the first admin account, and serves the HTTP API until SIGTERM or Ctrl-C.

use crate::config::Config;
use crate::http::{AppState, router};
use crate::store::Store;
use crate::{accounts, keyfile};
use anyhow::{Context, Result};
use fairpanel_core::hash::Hash32;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The key in `dir`, created (0600) if there is none yet. Prefer
/// [`key_for_log`], which refuses to make a new key over an existing log.
pub fn ensure_key(dir: &std::path::Path) -> Result<fairpanel_core::SecretKey> {
    if !dir.join(keyfile::PRIVATE).exists() {
        let (public, path) = keyfile::generate(dir, false)?;
        tracing::info!(key_id = %public.key_id(), path = %path.display(), "created the log's signing key");
    }
    keyfile::load(dir)
}

/// The signing key for the log in `store`, after checking that the two belong
/// together:
/// - no key in `dir` and an empty log: a new key is made;
/// - no key in `dir` but a log that holds entries: refused, naming the key the
///   log was signed with and where the key was looked for (a new key over an
///   existing log would sign checkpoints no verifier accepts);
/// - a key: the log's key rotations (each signed by both keys) must lead to it,
///   and the log must extend the last checkpoint it signed, kept beside it in
///   `dir` ([`crate::anchor`]; made from the newest checkpoint on the first
///   start that has none). From then on every append checks the anchor.
pub async fn key_for_log(
    store: &Store,
    dir: &std::path::Path,
    database_url: &str,
) -> Result<fairpanel_core::SecretKey> {
    use fairpanel_core::entry::{self, Body};
    let size = store.log_size().await?;
    let last_signer = match size {
        0 => None,
        n => {
            let e = store.entries(n - 1, n).await?;
            let e = e
                .first()
                .context("the log head names an entry the log does not hold")?;
            Some(
                entry::parse(&e.bytes)
                    .map_err(|m| anyhow::anyhow!("entry seq {}: {m}", n - 1))?
                    .entry
                    .signer,
            )
        }
    };
    let private = dir.join(keyfile::PRIVATE);
    if !private.exists()
        && let Some(signer) = last_signer
    {
        let cwd = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        anyhow::bail!(
            "no signing key at {} (working directory {cwd}), but the database ({}) holds a log of {size} entries signed with key {signer}. Refusing to make a new key over it: start fairpanel where its keys/ folder is, or pass --keys with the folder that holds the key {signer}",
            private.display(),
            crate::store::redact(database_url),
        );
    }
    let key = ensure_key(dir)?;
    let public = key.public();
    if size == 0 {
        crate::anchor::write(
            &dir.join(crate::anchor::FILE),
            &crate::anchor::Anchor {
                committed: crate::anchor::Head {
                    size: 0,
                    root: Hash32::ZERO,
                },
                pending: crate::anchor::Head {
                    size: 0,
                    root: Hash32::ZERO,
                },
            },
        )?;
        crate::anchor::register(&public, dir);
        return Ok(key);
    }
    // The key chain: the log's rotations must lead to this key.
    let rows = store.rotation_entries().await?;
    let parsed: Vec<_> = rows
        .iter()
        .map(|r| {
            entry::parse(&r.bytes).map_err(|m| anyhow::anyhow!("rotation entry seq {}: {m}", r.seq))
        })
        .collect::<Result<_>>()?;
    let rots: Vec<fairpanel_core::rotation::Rotation> = parsed
        .iter()
        .filter_map(|p| match &p.body {
            Body::KeyRotation(b) => Some(fairpanel_core::rotation::Rotation {
                seq: p.entry.seq,
                prev: p.entry.prev,
                signer: p.entry.signer,
                body: b,
            }),
            _ => None,
        })
        .collect();
    let chain = fairpanel_core::rotation::chain(&rots, &public).map_err(|m| {
        let hint = if dir.join(crate::rotate::NEW).exists() {
            " (a `fairpanel rotate-key` was interrupted: run it again to finish it)"
        } else {
            ""
        };
        anyhow::anyhow!(
            "the log's key chain does not lead to the key in {} ({}): {m}{hint}",
            private.display(),
            public.key_id()
        )
    })?;
    if let Some(signer) = last_signer {
        chain.signer(&signer, size - 1).map_err(|m| {
            anyhow::anyhow!(
                "the key in {} ({}) did not sign the log's last entry: {m}",
                private.display(),
                public.key_id()
            )
        })?;
    }
    // The checkpoint kept beside the key.
    let path = dir.join(crate::anchor::FILE);
    match crate::anchor::read(&path)? {
        Some(a) => {
            // The size again, read after the anchor: other instances on the
            // database may have appended (and moved the anchor) since `size`
            // was read, and the anchor's committed head is always in the
            // database by the time the file says so.
            let size = store.log_size().await?;
            let mut ok = false;
            for h in [a.pending, a.committed] {
                if h.size == 0 || (h.size <= size && store.root(h.size).await? == h.root) {
                    ok = true;
                    break;
                }
            }
            if !ok {
                return Err(crate::anchor::refusal(&a, size, &path));
            }
        }
        None => {
            let (cp_size, text) = store
                .latest_checkpoint()
                .await?
                .context("the log has entries but no checkpoint")?;
            let cp = fairpanel_core::checkpoint::verify(&text, &public, None).map_err(|m| {
                anyhow::anyhow!(
                    "the newest checkpoint ({cp_size}) does not verify with the key in {}: {m}",
                    private.display()
                )
            })?;
            if store.root(cp.size).await? != cp.root {
                anyhow::bail!(
                    "the newest checkpoint ({}) is not the root of the stored log",
                    cp.size
                );
            }
            let h = crate::anchor::Head {
                size: cp.size,
                root: cp.root,
            };
            crate::anchor::write(
                &path,
                &crate::anchor::Anchor {
                    committed: h,
                    pending: h,
                },
            )?;
            tracing::warn!(path = %path.display(), size = cp.size, "no checkpoint kept beside the key: starting from the newest one in the database");
        }
    }
    crate::anchor::register(&public, dir);
    Ok(key)
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
    let key = key_for_log(&store, &cfg.keys, &cfg.database_url).await?;
    tracing::info!(backend = store.backend(), key_id = %key.public().key_id(), origin = %cfg.origin, "store ready");
    if let Some(pw) = accounts::bootstrap_admin(&store, now()).await? {
        // Printed once to the terminal, never logged.
        println!("first start: created account \"admin\" with one-time password {pw}");
        println!("(it is shown only now; log in and change it)");
    }
    let key = Arc::new(key);
    let prepared: Arc<crate::draws::prepared::Prepared> = Default::default();
    let sheets = crate::sheet_queue::SheetQueue::start(crate::sheet_queue::Writer {
        store: store.clone(),
        key: key.clone(),
        origin: cfg.origin.as_str().into(),
        clock: cfg.clock.clone(),
        min_panel: cfg.min_panel,
        prepared: prepared.clone(),
    });
    Ok(AppState {
        store,
        key,
        origin: cfg.origin.as_str().into(),
        clock: cfg.clock.clone(),
        webhook_url: cfg.webhook_url.clone().map(Into::into),
        min_panel: cfg.min_panel,
        public: Default::default(),
        live: Default::default(),
        throttle: Default::default(),
        public_url: cfg.public_url.clone().map(Into::into),
        tls: cfg.tls.is_some(),
        metrics: Default::default(),
        prepared,
        draining: Default::default(),
        sheets,
    })
}

pub async fn run(cfg: Config, demo: bool) -> Result<()> {
    // The files are read before anything else, so that a wrong one stops the
    // start with its name and nothing opened.
    let tls = match &cfg.tls {
        Some(t) => Some(crate::tls::server_config(&t.cert, &t.key)?),
        None => None,
    };
    let webhook = match &cfg.webhook_url {
        Some(url) => Some((
            url.clone(),
            crate::client::Http::with_ca(crate::outbox::TIMEOUT, cfg.webhook_ca.as_deref())?,
        )),
        None => None,
    };
    let state = prepare(&cfg).await?;
    if demo {
        load_demo(&state).await?;
    }
    let listener = TcpListener::bind(cfg.listen)
        .await
        .with_context(|| format!("listen on {}", cfg.listen))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!(
        "fairpanel listening on {scheme}://{}",
        listener.local_addr()?
    );
    if let Some(addr) = cfg.metrics_listen {
        let l = TcpListener::bind(addr)
            .await
            .with_context(|| format!("listen for metrics on {addr}"))?;
        println!("fairpanel metrics on http://{}/metrics", l.local_addr()?);
        let app = crate::observe::router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(l, app).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    if let Some((url, http)) = webhook {
        crate::outbox::spawn(
            state.store.clone(),
            http,
            url.clone(),
            state.key.clone(),
            state.clock.clone(),
        );
        tracing::info!(url = %url, "notifications go to the webhook");
    }
    let store = state.store.clone();
    let draining = state.draining.clone();
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    // SIGTERM (or Ctrl-C): not ready at once, still serving for the grace
    // period, then no new connections while the requests in flight finish.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let grace = cfg.shutdown_grace;
    tokio::spawn(async move {
        shutdown_signal().await;
        draining.store(true, std::sync::atomic::Ordering::SeqCst);
        tracing::info!(
            grace_seconds = grace.as_secs(),
            "shutting down: /readyz answers 503; still serving during the grace period"
        );
        tokio::time::sleep(grace).await;
        tracing::info!("no longer accepting connections; finishing the requests in flight");
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        // An error means the sender is gone, which happens only with the process.
        let _ = rx.wait_for(|s| *s).await;
    };
    let serving: std::pin::Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>> = match tls {
        None => Box::pin(
            axum::serve(listener, app)
                .with_graceful_shutdown(stopped(stop_rx.clone()))
                .into_future(),
        ),
        Some(tls) => {
            // `tap_io` only so that axum hands the client's address to the
            // handlers as it does for a plain listener.
            use axum::serve::ListenerExt;
            let listener = crate::tls::Listener::new(listener, tls)?.tap_io(|_| ());
            Box::pin(
                axum::serve(listener, app)
                    .with_graceful_shutdown(stopped(stop_rx.clone()))
                    .into_future(),
            )
        }
    };
    let drain = cfg.drain_timeout;
    let deadline = async move {
        stopped(stop_rx).await;
        tokio::time::sleep(drain).await;
    };
    let cut = tokio::select! {
        r = serving => {
            r.context("serve")?;
            false
        }
        _ = deadline => true,
    };
    if cut {
        // The store is not closed: closing waits for the connections the cut
        // requests still hold. Their transactions roll back when the process ends.
        anyhow::bail!(
            "requests were still in flight {} s after the service stopped accepting connections (--drain-timeout); they were cut off",
            drain.as_secs()
        );
    }
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
        // Like any account made for a person, activated by that person: the
        // code opens the activation page once, where they choose a password.
        if let accounts::Made::Created(issued) =
            accounts::create_pending(&state.store, user, role, Some("440000"), None, None, now())
                .await?
        {
            println!(
                "demo: account \"{user}\" ({role}, 440000), activation code {} (open {} within 72 h)",
                issued.code,
                crate::http::auth::activation_url(
                    state.public_url.as_deref().unwrap_or(""),
                    &issued.code
                )
            );
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
