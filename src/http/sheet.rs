//! Gathers a draw's record sheet from the store and the log; the page itself is
//! rendered by [`crate::record_sheet`].

use axum::http::HeaderMap;
use axum::http::header::HOST;

use super::{AppError, AppState};
use crate::record_sheet::{self as rs, Sheet};
use fairpanel_core::entry::Body;
use fairpanel_core::types::Province;

/// The scheme and host the public pages are reached at, without a trailing
/// slash, e.g. `http://127.0.0.1:8080`: what a printed QR code points to.
///
/// Without a configured public URL (see `AppState::public_base`) the base is
/// taken from the request: the `Host` header with `http://`, or `https://`
/// when a TLS-terminating proxy says so with `X-Forwarded-Proto: https`. A Host
/// that is not a plain host name or address with an optional port is not
/// trusted and gives `http://localhost`.
pub fn public_base(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// The full URL of a draw's public page under `base` (see [`public_base`]).
pub fn public_draw_url(base: &str, draw_id: &str) -> String {
    format!("{}/public/draws/{draw_id}", base.trim_end_matches('/'))
}

/// Renders the record sheet of draw `id`; its QR code points under `public_base`.
pub async fn render_for(
    s: &AppState,
    p: &Province,
    id: &str,
    public_base: &str,
) -> Result<String, AppError> {
    let w = s.workflow();
    let d = w.load(p, id).await?;
    let round = s
        .store
        .round(p, d.round_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no round {}", d.round_id)))?;
    let entries = w.entries(&d.id).await?;
    let disclosed = d.state == "disclosed";
    let openings = if disclosed {
        w.openings(&d.id).await?
    } else {
        Default::default()
    };
    let open = |i: u32| openings.get(&d.leaves[i as usize].token);
    let seat = |k: usize, i: u32, status: &str| rs::Seat {
        position: k as u32 + 1,
        token_hex: d.leaves[i as usize].token.0.to_hex(),
        name: open(i).map(|o| o.name.clone()),
        organisation: open(i).map(|o| o.org.clone()),
        specialty: d.leaves[i as usize].spec.to_string(),
        status: status.to_string(),
    };
    let name_of_token = |t: &fairpanel_core::types::Token| openings.get(t).map(|o| o.name.clone());
    let mut sheet = Sheet {
        province_name: p.name().to_string(),
        province_code: p.to_string(),
        round_title: round.title.clone(),
        draw_id: d.id.to_string(),
        draw_title: d.request.title.clone(),
        public_url: public_draw_url(public_base, &d.id.to_string()),
        state: d.state.clone(),
        spec: rs::SpecView {
            panel: d.spec.panel,
            alternates: d.spec.alternates,
            org_cap: d.spec.org_cap,
            quotas: d
                .spec
                .quotas
                .iter()
                .map(|q| (q.spec.to_string(), q.min))
                .collect(),
            cooldown_days: d.request.cooldown_days,
        },
        commit: None,
        entropy: vec![],
        keys: vec![],
        beacon: d.beacon_round.map(|r| rs::BeaconView {
            round: r,
            randomness_hex: String::new(),
            seq: None,
            time: None,
        }),
        beacon_mode: if d.beacon_round.is_some() {
            "drand"
        } else {
            "none"
        }
        .to_string(),
        reveal: None,
        seed_hex: None,
        secret_commitment_hex: String::new(),
        pool_root_hex: String::new(),
        pool_size: d.leaves.len() as u64,
        excluded: vec![],
        panel: d
            .panel
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let status = if d.ever.iter().take(d.spec.panel as usize).any(|&x| x == i) {
                    "seated"
                } else {
                    "replacement"
                };
                seat(k, i, status)
            })
            .collect(),
        alternates: d
            .alternates
            .iter()
            .enumerate()
            .map(|(k, &i)| seat(k, i, "alternate"))
            .collect(),
        declines: vec![],
        disclosed,
        void_reason: None,
        log_origin: s.origin.to_string(),
        checkpoint_size: s.store.log_size().await?,
        key_id: s.key.public().key_id().to_string(),
        generated_at: s.clock.now(),
    };
    for e in &entries {
        let step = || rs::Step {
            seq: e.seq,
            time: e.time,
            entry_hash_hex: e.hash.to_hex(),
        };
        match &e.body {
            Body::Commit(c) => {
                sheet.commit = Some(step());
                sheet.secret_commitment_hex = c.secret_commitment.to_hex();
                sheet.pool_root_hex = c.pool_root.to_hex();
                sheet.excluded = c
                    .excluded
                    .iter()
                    .map(|x| {
                        let who = name_of_token(&x.token).unwrap_or_else(|| x.token.0.to_hex());
                        (who, x.reason.to_string())
                    })
                    .collect();
            }
            Body::Entropy(x) => sheet.entropy.push(rs::Contribution {
                seq: e.seq,
                time: e.time,
                supervisor: x.supervisor.clone(),
                value_hex: x.value.to_hex(),
            }),
            Body::KeyRegistration(k) => sheet.keys.push(rs::KeyView {
                seq: e.seq,
                time: e.time,
                role: k.role.as_str().to_string(),
                fingerprint: k.key.key_id().to_string(),
                replaced: k.replaces.map(|old| {
                    (
                        old.to_string(),
                        k.approval
                            .as_ref()
                            .map(|a| a.key.key_id().to_string())
                            .unwrap_or_default(),
                    )
                }),
            }),
            Body::Beacon(b) => {
                sheet.beacon = Some(rs::BeaconView {
                    round: b.round,
                    randomness_hex: b.randomness.to_hex(),
                    seq: Some(e.seq),
                    time: Some(e.time),
                })
            }
            Body::Reveal(r) => {
                sheet.reveal = Some(step());
                sheet.seed_hex = Some(r.seed.to_hex());
            }
            Body::Decline(x) => sheet.declines.push(rs::DeclineView {
                seq: e.seq,
                time: e.time,
                token_hex: x.token.0.to_hex(),
                name: name_of_token(&x.token),
                reason: x.reason.to_string(),
                replacement_token_hex: x.replacement.map(|t| t.0.to_hex()),
                replacement_name: x.replacement.as_ref().and_then(name_of_token),
            }),
            Body::Void(v) => sheet.void_reason = Some(v.reason.clone()),
            _ => {}
        }
    }
    Ok(rs::render(&sheet))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_public_base_comes_from_the_host_header() {
        let base = public_base(&headers(&[("host", "127.0.0.1:8080")]));
        assert_eq!(base, "http://127.0.0.1:8080");
        assert_eq!(
            public_draw_url(&base, "440000-2026-r1-d1"),
            "http://127.0.0.1:8080/public/draws/440000-2026-r1-d1"
        );
        assert_eq!(
            public_base(&headers(&[
                ("host", "fairpanel.hrss.example"),
                ("x-forwarded-proto", "HTTPS")
            ])),
            "https://fairpanel.hrss.example"
        );
        assert_eq!(
            public_base(&headers(&[("host", "[::1]:3000")])),
            "http://[::1]:3000"
        );
        assert_eq!(public_base(&HeaderMap::new()), "http://localhost");
        for bad in ["evil.example/\"><script>", "a b", "x@y", ""] {
            assert_eq!(
                public_base(&headers(&[("host", bad)])),
                "http://localhost",
                "{bad}"
            );
        }
        assert_eq!(
            public_draw_url("https://x.example/", "d1"),
            "https://x.example/public/draws/d1"
        );
    }
}
