//! https without a reverse proxy, and signed https webhooks. Certificates are
//! made at test time with the `openssl` command (a private CA and a certificate
//! for 127.0.0.1 signed by it), as an operator would.

use super::draws::{Api, setup, t0};
use super::http::token_for;
use super::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A private CA and a server certificate for 127.0.0.1 and localhost signed by
/// it, plus a key that belongs to neither.
pub struct Certs {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub other_key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command (CI installs it)");
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

pub fn certs(dir: &Path) -> Certs {
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
    let mut ca = vec!["req", "-x509", "-nodes", "-days", "2"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=fairpanel test CA",
    ]);
    openssl(dir, &ca);
    let mut csr = vec!["req", "-new", "-nodes"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ],
    );
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "other.key",
        ],
    );
    Certs {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
        other_key: dir.join("other.key"),
    }
}

/// `fairpanel serve` as a process, killed when dropped.
struct Serve {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// The next line `serve` prints, failing after a minute.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(60))
            .expect("serve printed nothing more within 60 s")
    }
}

fn serve(dir: &Path, extra: &[&str]) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env(
            "DATABASE_URL",
            format!("sqlite:{}", dir.join("db.sqlite").display()),
        )
        .env("FAIRPANEL_KEYS", dir.join("keys"))
        .env_remove("FAIRPANEL_CONFIG")
        .env_remove("FAIRPANEL_PUBLIC_URL")
        .env_remove("FAIRPANEL_WEBHOOK_URL")
        .env_remove("FAIRPANEL_WEBHOOK_CA")
        .env("RUST_LOG", "info")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    for pipe in [
        Box::new(out) as Box<dyn std::io::Read + Send>,
        Box::new(err),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    Serve { child, lines }
}

/// `serve --tls-cert --tls-key` answers https only: a client that trusts the CA
/// gets pages and the API with `Strict-Transport-Security` and a `Secure`
/// session cookie; plain http to the same port gets no HTTP answer; SIGTERM
/// still stops it cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_speaks_https_with_hsts_and_refuses_plain_http() {
    let dir = tempfile::tempdir().unwrap();
    let c = certs(dir.path());
    let mut p = serve(
        dir.path(),
        &[
            "--tls-cert",
            c.cert.to_str().unwrap(),
            "--tls-key",
            c.key.to_str().unwrap(),
        ],
    );
    let mut password = None;
    let addr: std::net::SocketAddr = loop {
        let line = p.line();
        if let Some(pw) = line.split("one-time password ").nth(1) {
            password = Some(pw.trim().to_string());
        }
        assert!(
            !line.contains("listening on http://"),
            "TLS on, yet it announces http: {line}"
        );
        if let Some(a) = line.strip_prefix("fairpanel listening on https://") {
            break a.trim().parse().unwrap();
        }
    };
    let password = password.expect("the first start prints the admin's password");
    let https =
        fairpanel::client::Http::with_ca(Duration::from_secs(10), Some(c.ca.as_path())).unwrap();
    for path in [
        "/healthz",
        "/login",
        "/api/v1/public/checkpoint",
        "/no-such-page",
    ] {
        let r = https
            .send("GET", &format!("https://{addr}{path}"), None, None)
            .await
            .unwrap();
        assert_ne!(r.status, 500, "{path}");
        assert_eq!(
            r.headers
                .get("strict-transport-security")
                .map(|v| v.to_str().unwrap()),
            Some("max-age=31536000"),
            "{path} (HTTP {})",
            r.status
        );
    }
    let r = https
        .send(
            "GET",
            &format!("https://localhost:{}/healthz", addr.port()),
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "the certificate's DNS name works too");
    let login = https
        .send(
            "POST",
            &format!("https://{addr}/api/v1/auth/login"),
            None,
            Some(&serde_json::json!({"username": "admin", "password": password})),
        )
        .await
        .unwrap();
    assert_eq!(
        login.status,
        200,
        "{}",
        String::from_utf8_lossy(&login.body)
    );
    let cookie = login.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");

    // A client that does not trust the CA is refused by its own TLS check.
    let untrusted = fairpanel::client::Http::new(Duration::from_secs(10));
    let e = untrusted
        .send("GET", &format!("https://{addr}/healthz"), None, None)
        .await
        .err()
        .expect("an unknown CA is not trusted");
    assert!(format!("{e:#}").contains("certificate"), "{e:#}");

    // Plain http to the https port: no HTTP answer, only a TLS alert or a
    // closed connection.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut got))
        .await
        .expect("the server closes a plain-http connection");
    assert!(
        !got.starts_with(b"HTTP/"),
        "{:?}",
        String::from_utf8_lossy(&got)
    );
    // The plain client of the other tests gets an error, not a page.
    let plain = fairpanel::client::Http::new(Duration::from_secs(10));
    assert!(
        plain
            .send("GET", &format!("http://{addr}/healthz"), None, None)
            .await
            .is_err()
    );

    // Graceful shutdown, as under systemd.
    let kill = Command::new("kill")
        .args(["-TERM", &p.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let mut stopped = false;
    while let Ok(line) = p.lines.recv_timeout(Duration::from_secs(60)) {
        stopped |= line.contains("stopped");
    }
    let status = p.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(stopped, "serve says it stopped");
}

/// A wrong TLS or webhook CA file stops `serve` before it opens anything, with
/// a message naming the file; a certificate without its key (or the reverse)
/// is refused.
#[test]
fn wrong_tls_and_ca_files_are_refused_at_start_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let c = certs(dir.path());
    let missing = dir.path().join("missing.pem");
    let not_pem = dir.path().join("server.ext");
    let (cert, key, other, missing_s, not_pem_s) = (
        c.cert.to_str().unwrap(),
        c.key.to_str().unwrap(),
        c.other_key.to_str().unwrap(),
        missing.to_str().unwrap(),
        not_pem.to_str().unwrap(),
    );
    for (args, names, says) in [
        (
            vec!["--tls-cert", cert, "--tls-key", other],
            other,
            "does not belong to the certificate",
        ),
        (
            vec!["--tls-cert", missing_s, "--tls-key", key],
            missing_s,
            "No such file",
        ),
        (
            vec!["--tls-cert", cert, "--tls-key", missing_s],
            missing_s,
            "No such file",
        ),
        (
            vec!["--tls-cert", not_pem_s, "--tls-key", key],
            not_pem_s,
            "holds no PEM certificate",
        ),
        (
            vec!["--tls-cert", cert, "--tls-key", cert],
            cert,
            "holds no PEM private key",
        ),
        (
            vec![
                "--webhook-url",
                "https://127.0.0.1:1/hook",
                "--webhook-ca",
                missing_s,
            ],
            missing_s,
            "webhook CA certificate",
        ),
        (
            vec![
                "--webhook-url",
                "https://127.0.0.1:1/hook",
                "--webhook-ca",
                not_pem_s,
            ],
            not_pem_s,
            "holds no PEM certificate",
        ),
        (vec!["--tls-cert", cert], "--tls-key", "go together"),
        (vec!["--tls-key", key], "--tls-cert", "go together"),
    ] {
        let mut a = vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "sqlite:refused.sqlite",
        ];
        a.extend(&args);
        let o = fairpanel(dir.path(), &a);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(names) && err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            !dir.path().join("refused.sqlite").exists(),
            "{args:?}: nothing is opened before the files are checked"
        );
    }
    // The key's own text never shows in an error.
    let key_text = std::fs::read_to_string(&c.key).unwrap();
    let body_line = key_text.lines().nth(1).unwrap();
    let o = fairpanel(
        dir.path(),
        &["serve", "--tls-cert", key, "--tls-key", other],
    );
    assert!(!stderr(&o).contains(body_line), "{}", stderr(&o));
}

/// What an https receiver saw: the signature headers and the exact body.
#[derive(Clone, Debug)]
struct Delivery {
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

/// A small https receiver: tokio-rustls with the test CA's server certificate,
/// hyper for HTTP/1.1, answering `status` to each POST and keeping what it got.
async fn receiver(
    c: &Certs,
    status: Arc<AtomicU16>,
    got: Arc<Mutex<Vec<Delivery>>>,
) -> (String, tokio::task::JoinHandle<()>) {
    use http_body_util::BodyExt;
    use rustls::pki_types::pem::PemObject;
    let chain = rustls::pki_types::CertificateDer::pem_file_iter(&c.cert)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::from_pem_file(&c.key).unwrap();
    let cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/hook", tcp.local_addr().unwrap());
    let task = tokio::spawn(async move {
        loop {
            let (s, _) = tcp.accept().await.unwrap();
            let (acceptor, status, got) = (acceptor.clone(), status.clone(), got.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(s).await else {
                    return;
                };
                let service = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let (status, got) = (status.clone(), got.clone());
                        async move {
                            let header = |n: &str| {
                                req.headers()
                                    .get(n)
                                    .map(|v| v.to_str().unwrap().to_string())
                                    .unwrap_or_default()
                            };
                            let (timestamp, signature) =
                                (header("fairpanel-timestamp"), header("fairpanel-signature"));
                            let body = req.into_body().collect().await?.to_bytes().to_vec();
                            got.lock().unwrap().push(Delivery {
                                timestamp,
                                signature,
                                body,
                            });
                            let mut res = hyper::Response::new(http_body_util::Full::new(
                                hyper::body::Bytes::from_static(b"receiver says no"),
                            ));
                            *res.status_mut() =
                                hyper::StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap();
                            Ok::<_, hyper::Error>(res)
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (url, task)
}

/// Checks a delivery as a receiver would, with ed25519-dalek's `verify_strict`
/// and the instance's public key: Ok, or why not.
fn check(d: &Delivery, public: &fairpanel_core::PublicKey) -> Result<(), String> {
    use base64::Engine;
    let (keyid, sig) = d
        .signature
        .strip_prefix("keyid=")
        .and_then(|s| s.split_once(",ed25519="))
        .ok_or("malformed signature header")?;
    if keyid != public.key_id().to_string() {
        return Err(format!("signed by key {keyid}"));
    }
    let sig: [u8; 64] = base64::engine::general_purpose::STANDARD
        .decode(sig)
        .map_err(|e| e.to_string())?
        .try_into()
        .map_err(|_| "not 64 bytes")?;
    let mut msg = format!("fairpanel-webhook-v1\n{}\n", d.timestamp).into_bytes();
    msg.extend_from_slice(&d.body);
    ed25519_dalek::VerifyingKey::from_bytes(&public.to_bytes())
        .unwrap()
        .verify_strict(&msg, &ed25519_dalek::Signature::from_bytes(&sig))
        .map_err(|e| e.to_string())
}

/// Notifications go to an https receiver whose certificate comes from a
/// private CA (trusted through `--webhook-ca`), each signed with the log's key;
/// a receiver that fails is tried again only after the backoff (the wait
/// doubling), at most `MAX_ATTEMPTS` times, and the coordinator's outbox view
/// shows the attempts, the error and the next try.
#[tokio::test]
async fn https_webhooks_are_signed_and_failures_back_off() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let coord = Api {
            srv: &srv,
            token: token_for(&srv, "gd-coord", "coordinator", Some("440000")).await,
        };
        let outbox = async || {
            let (st, v) = coord.get("/api/v1/provinces/440000/outbox").await;
            assert_eq!(st, 200);
            v.as_array().unwrap().clone()
        };
        let rid = coord.open_round("studio", "t").await;
        let draw = coord.revealed_draw(rid, 5, 0).await;
        let dir = tempfile::tempdir().unwrap();
        let c = certs(dir.path());
        let status = Arc::new(AtomicU16::new(500));
        let got = Arc::new(Mutex::new(Vec::new()));
        let (url, task) = receiver(&c, status.clone(), got.clone()).await;
        let store = &srv.state.store;
        let key = &srv.state.key;
        let deliver = async |http: &fairpanel::client::Http, at: u64| {
            fairpanel::outbox::deliver_due(store, http, &url, key, at)
                .await
                .unwrap()
        };

        // Without the private CA the receiver's certificate is not trusted:
        // nothing reaches it, and the outbox says why.
        let untrusting = fairpanel::client::Http::new(Duration::from_secs(10));
        assert_eq!(deliver(&untrusting, t0()).await, 0);
        assert!(got.lock().unwrap().is_empty());
        for o in outbox().await {
            assert_eq!(o["attempts"], 1, "{o}");
            assert!(
                o["last_error"].as_str().unwrap().contains("certificate"),
                "{o}"
            );
            assert_eq!(o["next_attempt_at"], t0() + 10, "{o}");
        }

        // With it, the receiver is reached; it answers 500.
        let http = fairpanel::client::Http::with_ca(Duration::from_secs(10), Some(c.ca.as_path()))
            .unwrap();
        assert_eq!(deliver(&http, t0() + 9).await, 0, "not before the wait");
        assert!(got.lock().unwrap().is_empty(), "a failing receiver rests");
        assert_eq!(deliver(&http, t0() + 10).await, 0);
        assert_eq!(got.lock().unwrap().len(), 5, "{}", db.name);
        for o in outbox().await {
            assert_eq!(o["attempts"], 2, "{o}");
            assert!(o["sent_at"].is_null());
            let e = o["last_error"].as_str().unwrap();
            assert!(
                e.contains("HTTP 500") && e.contains("receiver says no"),
                "{o}"
            );
            // The wait doubled: 10 s after the first failure, 20 s now.
            assert_eq!(o["next_attempt_at"], t0() + 30, "{o}");
        }
        assert_eq!(deliver(&http, t0() + 29).await, 0);
        assert_eq!(got.lock().unwrap().len(), 5, "no attempt inside the wait");

        // One notification reaches its last attempt: the sender gives up on
        // it, and the view shows no next attempt for it.
        let max = fairpanel::outbox::MAX_ATTEMPTS;
        let changed = fairpanel::with_pool!(store, p => sqlx::query(
            "UPDATE outbox SET attempts = $1 WHERE id = (SELECT MIN(id) FROM outbox)")
            .bind(max - 1)
            .execute(p)
            .await
            .unwrap()
            .rows_affected());
        assert_eq!(changed, 1);
        assert_eq!(deliver(&http, t0() + 30).await, 0);
        assert_eq!(got.lock().unwrap().len(), 10);
        let rows = outbox().await;
        assert_eq!(rows[0]["attempts"], max, "{}", rows[0]);
        assert!(rows[0]["next_attempt_at"].is_null(), "{}", rows[0]);
        for o in &rows[1..] {
            assert_eq!(o["attempts"], 3, "{o}");
            assert_eq!(o["next_attempt_at"], t0() + 70, "{o}");
        }

        // The receiver recovers: each other notification arrives once, signed.
        status.store(204, Ordering::SeqCst);
        assert_eq!(deliver(&http, t0() + 70).await, 4);
        assert_eq!(
            deliver(&http, t0() + 100_000).await,
            0,
            "sent once, and the one given up on is left for a person"
        );
        let all = got.lock().unwrap().clone();
        assert_eq!(all.len(), 14);
        let public = srv.state.key.public();
        for d in &all[10..] {
            assert_eq!(d.timestamp, (t0() + 70).to_string());
            check(d, &public).unwrap();
            let v: Value = serde_json::from_slice(&d.body).unwrap();
            assert_eq!(v["draw"], draw.as_str());
            // A changed body, timestamp or key id does not pass.
            let mut body = d.clone();
            let at = body.body.iter().position(|b| b.is_ascii_digit()).unwrap();
            body.body[at] = if body.body[at] == b'9' {
                b'8'
            } else {
                body.body[at] + 1
            };
            assert!(check(&body, &public).is_err());
            let mut ts = d.clone();
            ts.timestamp = (t0() + 71).to_string();
            assert!(check(&ts, &public).is_err());
            let other = fairpanel_core::SecretKey::from_seed(&[5; 32]).public();
            assert!(check(d, &other).is_err());
        }
        let rows = outbox().await;
        assert!(rows[0]["sent_at"].is_null(), "{}", rows[0]);
        assert!(
            rows[0]["last_error"].as_str().unwrap().contains("HTTP 500"),
            "{}",
            rows[0]
        );
        for o in &rows[1..] {
            assert!(o["sent_at"].is_number() && o["last_error"].is_null(), "{o}");
            assert!(o["next_attempt_at"].is_null(), "{o}");
        }
        readme_examples_check(&srv, &all[10]).await;
        // The private key shows nowhere in what was sent.
        let secret = srv.state.key.to_pkcs8_pem();
        let secret_line = secret.lines().nth(1).unwrap();
        assert!(all.iter().all(|d| {
            !String::from_utf8_lossy(&d.body).contains(secret_line)
                && !d.signature.contains(secret_line)
        }));
        task.abort();
    }
}

/// Behind a TLS-terminating proxy (no `--tls-cert`), an https public URL also
/// makes every response carry `Strict-Transport-Security`; a plain-http setup
/// never does (it would lock browsers out of a trial install).
#[tokio::test]
async fn hsts_follows_an_https_public_url_and_only_that() {
    for (public, hsts) in [
        (None, false),
        (Some("http://127.0.0.1:8080"), false),
        (Some("https://fairpanel.example.cn"), true),
    ] {
        let db = backends::sqlite();
        let srv =
            super::http::start_configured(&db.url, |c| c.public_url = public.map(Into::into)).await;
        for path in ["/healthz", "/login", "/api/v1/public/key", "/no-such-page"] {
            let r = super::http::request(srv.addr, "GET", path, &[], None).await;
            let head = r.headers.to_ascii_lowercase();
            assert_eq!(
                head.contains("\r\nstrict-transport-security: max-age=31536000"),
                hsts,
                "{public:?} {path}: {head}"
            );
        }
    }
}

/// The code block of README.md in `lang` that holds `marker`.
fn readme_block(lang: &str, marker: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    readme
        .split(&format!("```{lang}\n"))
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.contains(marker))
        .unwrap_or_else(|| panic!("README.md has a {lang} block with {marker:?}"))
        .to_string()
}

/// README's two ways for a receiver to check a webhook (openssl, Python), run
/// on a real delivery with the key as the public API publishes it: both accept
/// it, and both refuse it once its body or timestamp is changed.
async fn readme_examples_check(srv: &super::http::Server, d: &Delivery) {
    let dir = tempfile::tempdir().unwrap();
    let (st, key) = super::http::get(srv.addr, "/api/v1/public/key").await;
    assert_eq!(st, 200);
    let key: Value = serde_json::from_str(&key).unwrap();
    std::fs::write(dir.path().join("key.pem"), key["pem"].as_str().unwrap()).unwrap();
    let key_id = key["key_id"].as_str().unwrap();
    let shell = readme_block("sh", "fairpanel-webhook-v1");
    let python = readme_block("python", "def verify(");
    let mut changed = d.body.clone();
    changed.extend_from_slice(b" ");
    let later = (d.timestamp.parse::<u64>().unwrap() + 1).to_string();
    for (ts, body, good) in [
        (&d.timestamp, &d.body, true),
        (&d.timestamp, &changed, false),
        (&later, &d.body, false),
    ] {
        std::fs::write(dir.path().join("body.json"), body).unwrap();
        let o = Command::new("bash")
            .args(["-euc", &shell])
            .env("TS", ts)
            .env("SIG", &d.signature)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(
            o.status.success(),
            good,
            "openssl: {out} {}",
            String::from_utf8_lossy(&o.stderr)
        );
        if good {
            assert!(out.contains("Signature Verified Successfully"), "{out}");
        }
        let script = format!(
            "{python}\nimport sys\nts, sig, kid = sys.argv[1:4]\nverify(open('key.pem', 'rb').read(), kid, ts, sig, open('body.json', 'rb').read(), now=int(ts))\nprint('good')\n"
        );
        let o = Command::new("python3")
            .args(["-c", &script, ts, &d.signature, key_id])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(
            o.status.success() && out.contains("good"),
            good,
            "python: {out} {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Another key id is refused by the Python example before any arithmetic.
    let o = Command::new("python3")
        .args([
            "-c",
            &format!("{python}\nimport sys\nverify(open('key.pem','rb').read(), '0000000000000000', sys.argv[1], sys.argv[2], open('body.json','rb').read(), now=int(sys.argv[1]))"),
            &d.timestamp,
            &d.signature,
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("another key"));
}
