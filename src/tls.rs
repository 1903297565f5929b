//! TLS with rustls (the `ring` provider): `serve --tls-cert/--tls-key` for an
//! operator without a reverse proxy, and the client side of https webhooks.
//!
//! Every file problem (missing, unreadable, not PEM, a key that does not belong
//! to the certificate) is an error naming the file; nothing here panics on
//! what an operator gives, and no error carries key material.

use anyhow::{Context, Result, anyhow, bail};
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;

/// How long a client may take to finish its handshake.
const HANDSHAKE: Duration = Duration::from_secs(10);
/// Handshakes in progress at once; past this, accepting waits.
const MAX_HANDSHAKES: usize = 256;

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificates of a PEM file, in order (a chain: the server's own first).
pub fn read_certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let text =
        std::fs::read(path).with_context(|| format!("read the {what} {}", path.display()))?;
    let certs = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!("the {what} {} is not a valid PEM file: {e}", path.display()))?;
    if certs.is_empty() {
        bail!(
            "the {what} {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        );
    }
    Ok(certs)
}

/// The server's TLS settings from a PEM certificate chain and the PEM private
/// key (PKCS#8, PKCS#1 RSA or SEC1 EC) that belongs to its first certificate.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>> {
    let chain = read_certs(cert, "TLS certificate")?;
    let text = std::fs::read(key)
        .with_context(|| format!("read the TLS private key {}", key.display()))?;
    // The PEM parser's own messages may quote a line of the file: never that of
    // a key file.
    let der = PrivateKeyDer::from_pem_slice(&text).map_err(|e| match e {
        pem::Error::NoItemsFound => anyhow!(
            "the TLS private key {} holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA or EC)",
            key.display()
        ),
        _ => anyhow!(
            "the TLS private key {} is not a valid PEM file",
            key.display()
        ),
    })?;
    let provider = provider();
    let signing = provider.key_provider.load_private_key(der).map_err(|_| {
        anyhow!(
            "the TLS private key {} is not a key TLS can use (RSA, ECDSA P-256/P-384 or Ed25519)",
            key.display()
        )
    })?;
    let certified = rustls::sign::CertifiedKey::new(chain, signing);
    match certified.keys_match() {
        Ok(()) | Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => {}
        Err(rustls::Error::InconsistentKeys(_)) => bail!(
            "the TLS private key {} does not belong to the certificate in {}",
            key.display(),
            cert.display()
        ),
        Err(e) => bail!("the TLS certificate {} cannot be used: {e}", cert.display()),
    }
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(rustls::sign::SingleCertAndKey::from(certified)));
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}

/// A listener that hands out connections whose TLS handshake is done. The
/// handshakes run on their own tasks, so a slow or silent client holds up no
/// one else; a failed one is dropped (a plain-http request to this port gets
/// no HTTP answer). Dropping the listener stops accepting and abandons the
/// handshakes in progress.
pub struct Listener {
    rx: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Listener {
    pub fn new(tcp: TcpListener, cfg: Arc<rustls::ServerConfig>) -> std::io::Result<Listener> {
        let local = tcp.local_addr()?;
        let acceptor = tokio_rustls::TlsAcceptor::from(cfg);
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let task = tokio::spawn(async move {
            let mut handshakes = tokio::task::JoinSet::new();
            loop {
                while handshakes.len() >= MAX_HANDSHAKES {
                    handshakes.join_next().await;
                }
                tokio::select! {
                    r = tcp.accept() => match r {
                        Ok((stream, addr)) => {
                            let (acceptor, tx) = (acceptor.clone(), tx.clone());
                            handshakes.spawn(async move {
                                match tokio::time::timeout(HANDSHAKE, acceptor.accept(stream)).await {
                                    Ok(Ok(tls)) => {
                                        let _ = tx.send((tls, addr)).await;
                                    }
                                    Ok(Err(e)) => tracing::debug!(%addr, error = %e, "TLS handshake failed"),
                                    Err(_) => tracing::debug!(%addr, "TLS handshake timed out"),
                                }
                            });
                        }
                        // Out of file descriptors and the like: wait, as axum
                        // does for a plain listener.
                        Err(e) => {
                            tracing::warn!(error = %e, "accept");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    },
                    Some(_) = handshakes.join_next(), if !handshakes.is_empty() => {}
                }
            }
        });
        Ok(Listener { rx, local, task })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl axum::serve::Listener for Listener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(c) => c,
            // Only when the accepting task is gone, which dropping does.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// The machine's trust store (read once), as curl and other clients use it.
fn native_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for e in &found.errors {
            tracing::warn!(error = %e, "reading the system's trusted certificates");
        }
        found.certs
    })
}

/// The client's TLS settings: the machine's trusted certificates, and those of
/// `ca` (a PEM file, for receivers with a certificate from a private CA).
pub fn client_config(ca: Option<&Path>) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(native_roots().iter().cloned());
    if let Some(path) = ca {
        for c in read_certs(path, "webhook CA certificate")? {
            roots.add(c).map_err(|e| {
                anyhow!(
                    "the webhook CA certificate {} cannot be trusted: {e}",
                    path.display()
                )
            })?;
        }
    }
    Ok(rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
