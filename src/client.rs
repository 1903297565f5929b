//! A small HTTP/1.1 client (hyper) for what the service itself sends: webhook
//! notifications, and `fairpanel demo` driving a running `serve`.

use anyhow::{Context, Result};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    timeout: Duration,
}

impl Default for Http {
    fn default() -> Self {
        Self::new(Duration::from_secs(10))
    }
}

/// A response: status and body.
pub struct Reply {
    pub status: u16,
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
    pub fn new(timeout: Duration) -> Http {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
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
        let mut req = hyper::Request::builder().method(method).uri(url).header(
            "user-agent",
            concat!("fairpanel/", env!("CARGO_PKG_VERSION")),
        );
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = match json {
            Some(v) => {
                req = req.header("content-type", "application/json");
                Bytes::from(v.to_string())
            }
            None => Bytes::new(),
        };
        let req = req
            .body(Full::new(body))
            .with_context(|| format!("bad request to {url}"))?;
        let resp = tokio::time::timeout(self.timeout, self.client.request(req))
            .await
            .with_context(|| format!("{method} {url}: no answer within {:?}", self.timeout))?
            .with_context(|| format!("{method} {url}"))?;
        let status = resp.status().as_u16();
        let body = tokio::time::timeout(self.timeout, resp.into_body().collect())
            .await
            .with_context(|| format!("{method} {url}: body timed out"))?
            .with_context(|| format!("{method} {url}: reading the body"))?
            .to_bytes()
            .to_vec();
        Ok(Reply { status, body })
    }
}
