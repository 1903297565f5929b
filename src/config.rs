//! Service configuration: flags beat environment variables, which beat the
//! optional TOML file (`--config`), which beats the defaults. With nothing set,
//! the service uses `fairpanel.sqlite` in the working directory and `keys/`.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The settings `serve` and `audit` share, as given (all optional).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Args {
    #[arg(long, env = "FAIRPANEL_CONFIG", help = CONFIG_HELP)]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite:PATH (default sqlite:fairpanel.sqlite) or postgres://…
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// The folder holding the signing key (default keys).
    #[arg(long, env = "FAIRPANEL_KEYS")]
    pub keys: Option<PathBuf>,
    /// The log's origin line in checkpoints (default fairpanel.local/log).
    #[arg(long, env = "FAIRPANEL_ORIGIN")]
    pub origin: Option<String>,
    /// Where draw notifications are POSTed as JSON, each signed with the log's
    /// key (https:// or http://; SMS or voice gateways plug in here). Without
    /// it they wait in the outbox.
    #[arg(long, env = "FAIRPANEL_WEBHOOK_URL")]
    pub webhook_url: Option<String>,
    /// A PEM file of CA certificates to trust for an https webhook, besides the
    /// machine's (a receiver with a certificate from a private CA).
    #[arg(long, env = "FAIRPANEL_WEBHOOK_CA")]
    pub webhook_ca: Option<PathBuf>,
    /// Serve https directly: the PEM certificate chain (the server's own
    /// certificate first). Needs --tls-key. Behind a TLS-terminating proxy,
    /// leave it out and give --public-url https://… instead.
    #[arg(long, env = "FAIRPANEL_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert's certificate.
    #[arg(long, env = "FAIRPANEL_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    /// For demonstrations and tests only: a simulated clock, `START` or
    /// `START*RATE` (unix seconds, speed-up), or `file:PATH` (the unix seconds
    /// written in that file, stepped by whoever writes it), instead of the system
    /// clock.
    #[arg(long, env = "FAIRPANEL_SIMULATED_CLOCK", hide = true)]
    pub simulated_clock: Option<String>,
    /// The smallest panel a coordinator may draw (odd; default 5).
    #[arg(long, env = "FAIRPANEL_MIN_PANEL")]
    pub min_panel: Option<u32>,
    /// The address people reach the service at, `https://host[:port]` (or
    /// `http://` for a local trial). It is what printed QR codes point to, the
    /// origin forms are accepted from, and, when https, it makes the session
    /// cookie `Secure` and every response carry `Strict-Transport-Security`.
    /// Without it these follow each request's Host header.
    #[arg(long, env = "FAIRPANEL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// How log lines are written to standard error: `text` (default, for
    /// people) or `json` (one JSON object per line, for log collectors).
    #[arg(long, env = "FAIRPANEL_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Serve Prometheus metrics at http://ADDR/metrics on this separate
    /// address (keep it on a private interface; off without it).
    #[arg(long, env = "FAIRPANEL_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// Seconds `serve` keeps answering, with /readyz saying 503, after SIGTERM
    /// and before it stops accepting connections, so that a proxy polling
    /// /readyz stops sending to it first (default 0; set it above the proxy's
    /// check interval).
    #[arg(long, env = "FAIRPANEL_SHUTDOWN_GRACE", value_name = "SECONDS")]
    pub shutdown_grace: Option<u64>,
    /// Seconds `serve` waits for requests in flight to finish once it stops
    /// accepting connections, before it exits anyway (default 30).
    #[arg(long, env = "FAIRPANEL_DRAIN_TIMEOUT", value_name = "SECONDS")]
    pub drain_timeout: Option<u64>,
}

/// The help of `--config`: every key the file may hold (keep in step with
/// [`File`]; a test checks that each one listed is accepted).
pub const CONFIG_HELP: &str = "A TOML file of settings; flags and environment variables win over it. Keys (each as the flag of the same name): database_url = \"sqlite:PATH\" or \"postgres://…\"; keys = \"DIR\" (the signing key's folder); origin = \"host/log\" (checkpoints' origin line); listen = \"HOST:PORT\" (serve); webhook_url = \"https://…\" or \"http://…\" (serve); webhook_ca = \"FILE\" (serve: PEM CA certificates for an https webhook); tls_cert = \"FILE\" and tls_key = \"FILE\" (serve: https with this PEM certificate chain and private key, both or neither); min_panel = ODD NUMBER (serve); public_url = \"https://host[:port]\" (serve); log_format = \"text\" or \"json\" (serve); metrics_listen = \"HOST:PORT\" (serve); shutdown_grace = SECONDS (serve); drain_timeout = SECONDS (serve). Commands other than serve ignore the serve-only keys; any other key is refused";

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct File {
    listen: Option<String>,
    database_url: Option<String>,
    keys: Option<PathBuf>,
    origin: Option<String>,
    webhook_url: Option<String>,
    webhook_ca: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    min_panel: Option<u32>,
    public_url: Option<String>,
    log_format: Option<String>,
    metrics_listen: Option<String>,
    shutdown_grace: Option<u64>,
    drain_timeout: Option<u64>,
}

/// How `serve` writes its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The certificate chain and private key `serve` answers https with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: String,
    pub keys: PathBuf,
    pub origin: String,
    pub webhook_url: Option<String>,
    /// Extra CA certificates (PEM) trusted for an https webhook.
    pub webhook_ca: Option<PathBuf>,
    /// When set, `serve` speaks https itself.
    pub tls: Option<TlsFiles>,
    pub clock: crate::clock::Clock,
    pub min_panel: u32,
    /// `scheme://host[:port]`, without a trailing slash.
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    /// Where `/metrics` is served, if anywhere.
    pub metrics_listen: Option<SocketAddr>,
    /// How long `serve` stays up but not ready after SIGTERM.
    pub shutdown_grace: std::time::Duration,
    /// How long `serve` waits for requests in flight once it stops accepting.
    pub drain_timeout: std::time::Duration,
}

/// The default of [`Config::drain_timeout`].
pub const DEFAULT_DRAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub const DEFAULT_DATABASE: &str = "sqlite:fairpanel.sqlite";
pub const DEFAULT_ORIGIN: &str = "fairpanel.local/log";

impl Config {
    pub fn resolve(args: &Args, listen: Option<&str>) -> Result<Config> {
        let file: File = match &args.config {
            Some(p) => read_file(p)?,
            None => File::default(),
        };
        let listen = listen
            .map(str::to_string)
            .or(file.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".to_string());
        let origin = args
            .origin
            .clone()
            .or(file.origin)
            .unwrap_or_else(|| DEFAULT_ORIGIN.to_string());
        if !fairpanel_core::checkpoint::origin_ok(&origin) {
            anyhow::bail!("origin {origin:?} must be non-empty, without spaces or '+'");
        }
        if origin == crate::outbox::SIGNATURE_CONTEXT {
            // A checkpoint of that origin would begin like a signed webhook.
            anyhow::bail!("origin {origin:?} is reserved for webhook signatures");
        }
        let webhook_url = match args.webhook_url.clone().or(file.webhook_url) {
            Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => {
                anyhow::bail!("webhook URL {u:?} must start with https:// or http://")
            }
            Some(u) if u.parse::<hyper::Uri>().map_or(true, |p| p.host().is_none()) => {
                anyhow::bail!("webhook URL {u:?} is not a URL with a host")
            }
            u => u,
        };
        Ok(Config {
            listen: listen
                .parse()
                .with_context(|| format!("listen address {listen:?} is not host:port"))?,
            database_url: args
                .database_url
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE.to_string()),
            keys: args
                .keys
                .clone()
                .or(file.keys)
                .unwrap_or_else(|| PathBuf::from("keys")),
            origin,
            webhook_ca: match (&webhook_url, args.webhook_ca.clone().or(file.webhook_ca)) {
                (None, Some(ca)) => anyhow::bail!(
                    "a webhook CA ({}) was given without a webhook URL: give --webhook-url too, or leave the CA out",
                    ca.display()
                ),
                (_, ca) => ca,
            },
            webhook_url,
            tls: match (
                args.tls_cert.clone().or(file.tls_cert),
                args.tls_key.clone().or(file.tls_key),
            ) {
                (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
                (None, None) => None,
                (Some(_), None) | (None, Some(_)) => anyhow::bail!(
                    "--tls-cert and --tls-key go together: give both (https) or neither (http)"
                ),
            },
            min_panel: match args.min_panel.or(file.min_panel) {
                None => crate::draws::DEFAULT_MIN_PANEL,
                Some(n) if n >= 1 && n % 2 == 1 => n,
                Some(n) => anyhow::bail!("minimum panel size must be odd and at least 1, not {n}"),
            },
            public_url: match args.public_url.clone().or(file.public_url) {
                None => None,
                Some(u) => Some(parse_public_url(&u)?),
            },
            log_format: match args.log_format.clone().or(file.log_format).as_deref() {
                None | Some("text") => LogFormat::Text,
                Some("json") => LogFormat::Json,
                Some(f) => anyhow::bail!("log format {f:?} must be text or json"),
            },
            metrics_listen: match args.metrics_listen.clone().or(file.metrics_listen) {
                None => None,
                Some(a) => {
                    Some(a.parse().with_context(|| {
                        format!("metrics listen address {a:?} is not host:port")
                    })?)
                }
            },
            shutdown_grace: std::time::Duration::from_secs(
                args.shutdown_grace.or(file.shutdown_grace).unwrap_or(0),
            ),
            drain_timeout: args
                .drain_timeout
                .or(file.drain_timeout)
                .map(std::time::Duration::from_secs)
                .unwrap_or(DEFAULT_DRAIN_TIMEOUT),
            clock: match &args.simulated_clock {
                None => crate::clock::Clock::System,
                Some(v) => parse_clock(v)?,
            },
        })
    }
}

/// A public URL is `http://` or `https://`, a host name or address with an
/// optional port, and nothing after it but an optional `/`: the pages live at
/// the root, so a path prefix would make every link wrong.
pub fn parse_public_url(u: &str) -> Result<String> {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| anyhow::anyhow!("public URL {u:?} must start with https:// or http://"))?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty()
        || host.len() > 255
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    {
        anyhow::bail!(
            "public URL {u:?} must be scheme://host[:port] with nothing after the host (no path, query or user)"
        );
    }
    Ok(u[..u.len() - rest.len() + host.len()].to_string())
}

fn parse_clock(v: &str) -> Result<crate::clock::Clock> {
    if let Some(path) = v.strip_prefix("file:") {
        return Ok(crate::clock::Clock::Stepped(Path::new(path).into()));
    }
    let (start, rate) = v.split_once('*').unwrap_or((v, "1"));
    let start: u64 = start
        .trim()
        .parse()
        .with_context(|| format!("simulated clock {v:?}: start must be unix seconds"))?;
    let rate: u64 = rate
        .trim()
        .parse()
        .with_context(|| format!("simulated clock {v:?}: rate must be a whole number"))?;
    Ok(crate::clock::Clock::simulated(start, rate))
}

fn read_file(p: &Path) -> Result<File> {
    let text = std::fs::read_to_string(p).with_context(|| format!("read {}", p.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("{} is not a valid configuration file", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_file_and_flags_combine_in_that_order() {
        let c = Config::resolve(&Args::default(), None).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE);
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.toml");
        std::fs::write(
            &f,
            "listen = \"127.0.0.1:9000\"\norigin = \"gd.example/log\"\n",
        )
        .unwrap();
        let args = Args {
            config: Some(f.clone()),
            origin: Some("flag.example/log".into()),
            ..Args::default()
        };
        let c = Config::resolve(&args, None).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(c.origin, "flag.example/log");
        let c = Config::resolve(&args, Some("127.0.0.1:7000")).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:7000");
        std::fs::write(&f, "colour = \"red\"\n").unwrap();
        assert!(
            Config::resolve(&args, None).is_err(),
            "unknown keys are refused"
        );
    }

    #[test]
    fn webhooks_take_https_or_http_and_tls_files_come_in_pairs() {
        let with = |f: &dyn Fn(&mut Args)| {
            let mut a = Args::default();
            f(&mut a);
            Config::resolve(&a, None).map_err(|e| e.to_string())
        };
        let c = with(&|a| a.webhook_url = Some("https://hooks.example/in".into())).unwrap();
        assert_eq!(c.webhook_url.as_deref(), Some("https://hooks.example/in"));
        assert!(with(&|a| a.webhook_url = Some("http://127.0.0.1:9/in".into())).is_ok());
        for bad in ["ftp://hooks.example", "hooks.example/in", "https://"] {
            let e = with(&|a| a.webhook_url = Some(bad.into())).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
        let e = with(&|a| a.webhook_ca = Some("ca.pem".into())).unwrap_err();
        assert!(e.contains("ca.pem") && e.contains("--webhook-url"), "{e}");
        let e = with(&|a| a.tls_cert = Some("c.pem".into())).unwrap_err();
        assert!(e.contains("--tls-key"), "{e}");
        let e = with(&|a| a.tls_key = Some("k.pem".into())).unwrap_err();
        assert!(e.contains("--tls-cert"), "{e}");
        let c = with(&|a| {
            a.tls_cert = Some("c.pem".into());
            a.tls_key = Some("k.pem".into());
        })
        .unwrap();
        assert_eq!(
            c.tls,
            Some(TlsFiles {
                cert: "c.pem".into(),
                key: "k.pem".into()
            })
        );
        assert_eq!(with(&|_| ()).unwrap().tls, None);
        let e = with(&|a| a.origin = Some("fairpanel-webhook-v1".into())).unwrap_err();
        assert!(e.contains("reserved"), "{e}");
    }

    #[test]
    fn a_public_url_is_scheme_and_host_only() {
        for (given, kept) in [
            ("https://fairpanel.gd.gov.cn", "https://fairpanel.gd.gov.cn"),
            (
                "https://fairpanel.gd.gov.cn/",
                "https://fairpanel.gd.gov.cn",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("https://[::1]:8443/", "https://[::1]:8443"),
        ] {
            assert_eq!(parse_public_url(given).unwrap(), kept, "{given}");
        }
        for bad in [
            "fairpanel.gd.gov.cn",
            "ftp://x.cn",
            "https://",
            "https://x.cn/fairpanel",
            "https://x.cn?a=1",
            "https://user@x.cn",
            "https://x .cn",
        ] {
            let e = parse_public_url(bad).unwrap_err().to_string();
            assert!(e.contains(bad), "{bad}: {e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.toml");
        std::fs::write(&f, "public_url = \"https://file.example\"\n").unwrap();
        let mut args = Args {
            config: Some(f),
            ..Args::default()
        };
        let c = Config::resolve(&args, None).unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://file.example"));
        args.public_url = Some("https://flag.example/".into());
        let c = Config::resolve(&args, None).unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://flag.example"));
        args.public_url = Some("https://flag.example/path".into());
        assert!(Config::resolve(&args, None).is_err());
    }
}
