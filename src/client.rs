//! A small HTTP/1.1 client (hyper, https through rustls) for what the service
//! itself sends: webhook notifications, and `fairpanel demo` driving a running
//! `serve`.

use anyhow::{Context, Result};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

#[derive(Clone)]
pub struct Http {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
}

impl Default for Http {
    fn default() -> Self {
        Self::new(Duration::from_secs(10))
    }
}

/// A response: status, headers and body.
pub struct Reply {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "the answer (HTTP {}) is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn ok(self) -> Result<Reply> {
        if (200..300).contains(&self.status) {
            Ok(self)
        } else {
            anyhow::bail!(
                "HTTP {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        }
    }
}

impl Http {
    /// A client for http:// and https:// URLs; https servers must have a
    /// certificate the machine trusts.
    pub fn new(timeout: Duration) -> Http {
        let tls = crate::tls::client_config(None)
            .expect("ring supports rustls's default protocol versions");
        Self::with_tls(timeout, tls)
    }

    /// Like [`Http::new`], also trusting the CA certificates in the PEM file
    /// `ca` (receivers whose certificate comes from a private CA).
    pub fn with_ca(timeout: Duration, ca: Option<&std::path::Path>) -> Result<Http> {
        Ok(Self::with_tls(timeout, crate::tls::client_config(ca)?))
    }

    fn with_tls(timeout: Duration, tls: rustls::ClientConfig) -> Http {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .build();
        Http {
            client: Client::builder(TokioExecutor::new()).build(connector),
            timeout,
        }
    }

    /// Sends one request; `json` sets the body and its content type.
    pub async fn send(
        &self,
        method: &str,
        url: &str,
        bearer: Option<&str>,
        json: Option<&serde_json::Value>,
    ) -> Result<Reply> {
        let mut headers = Vec::new();
        if let Some(t) = bearer {
            headers.push(("authorization", format!("Bearer {t}")));
        }
        let body = match json {
            Some(v) => {
                headers.push(("content-type", "application/json".to_string()));
                Bytes::from(v.to_string())
            }
            None => Bytes::new(),
        };
        self.request(method, url, &headers, body).await
    }

    /// Sends one request with these headers and exactly these body bytes.
    pub async fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: Bytes,
    ) -> Result<Reply> {
        let mut req = hyper::Request::builder().method(method).uri(url).header(
            "user-agent",
            concat!("fairpanel/", env!("CARGO_PKG_VERSION")),
        );
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let req = req
            .body(Full::new(body))
            .with_context(|| format!("bad request to {url}"))?;
        let resp = tokio::time::timeout(self.timeout, self.client.request(req))
            .await
            .with_context(|| format!("{method} {url}: no answer within {:?}", self.timeout))?
            .with_context(|| format!("{method} {url}"))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = tokio::time::timeout(self.timeout, resp.into_body().collect())
            .await
            .with_context(|| format!("{method} {url}: body timed out"))?
            .with_context(|| format!("{method} {url}: reading the body"))?
            .to_bytes()
            .to_vec();
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}
