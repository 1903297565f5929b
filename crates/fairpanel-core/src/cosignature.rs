//! Witness cosignatures on checkpoints, as C2SP `tlog-cosignature` defines the
//! Ed25519 `cosignature/v1` type, so that standard tooling can check them.
//!
//! A cosignature is one more signature line of the checkpoint's signed note:
//!
//! ```text
//! — <witness name> base64(key ID(4) || timestamp(8, big-endian) || Ed25519 signature(64))
//! ```
//! with key ID = `SHA-256(name || 0x0A || 0x04 || public key)[:4]`, over the message
//! `"cosignature/v1\ntime <timestamp>\n"` followed by the checkpoint's note body
//! (its text lines up to and including the last newline before the blank line).

use crate::keys::{PublicKey, SecretKey};
use base64::Engine;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The key ID of an Ed25519 cosigner (signature type 0x04).
pub fn key_id(name: &str, key: &PublicKey) -> [u8; 4] {
    let mut k = vec![0x04];
    k.extend_from_slice(&key.to_bytes());
    signed_note::key_id(name, &k).to_be_bytes()
}

/// The message a cosigner signs for the checkpoint body `body` at `time`.
pub fn message(body: &str, time: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {time}\n{body}").into_bytes()
}

/// The note body of a signed checkpoint (text before the blank line, with its
/// final newline) and its signature lines.
pub fn split(note: &str) -> Result<(&str, Vec<&str>), String> {
    let (body, sigs) = note
        .split_once("\n\n")
        .ok_or("not a signed note: no blank line before the signatures")?;
    let body = &note[..body.len() + 1];
    Ok((body, sigs.lines().filter(|l| !l.is_empty()).collect()))
}

/// A parsed cosignature line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub key_id: [u8; 4],
    pub time: u64,
    pub sig: [u8; 64],
}

/// Parses a signature line as a cosignature/v1 line (exactly 76 bytes after
/// base64); `None` when it is not one (e.g. the log's own signature, 68 bytes).
pub fn parse_line(line: &str) -> Option<Line> {
    let (name, b64) = line.strip_prefix("\u{2014} ")?.rsplit_once(' ')?;
    let raw = B64.decode(b64).ok()?;
    if raw.len() != 4 + 8 + 64 || !signed_note::is_key_name_valid(name) {
        return None;
    }
    Some(Line {
        name: name.to_string(),
        key_id: raw[..4].try_into().unwrap(),
        time: u64::from_be_bytes(raw[4..12].try_into().unwrap()),
        sig: raw[12..].try_into().unwrap(),
    })
}

/// The cosignature line of witness `name` with `key` on the checkpoint `note`
/// (a signed note; only its body is signed) at POSIX time `time`.
pub fn sign(note: &str, name: &str, key: &SecretKey, time: u64) -> Result<String, String> {
    if !signed_note::is_key_name_valid(name) {
        return Err(format!(
            "{name:?} is not a valid witness name (no spaces, no +)"
        ));
    }
    if time > i64::MAX as u64 {
        return Err("a cosignature's time must not exceed 2^63 - 1".into());
    }
    let (body, _) = split(note)?;
    let sig = key.sign(&message(body, time));
    let mut raw = key_id(name, &key.public()).to_vec();
    raw.extend_from_slice(&time.to_be_bytes());
    raw.extend_from_slice(&sig);
    Ok(format!("\u{2014} {name} {}", B64.encode(raw)))
}

/// Checks the cosignatures of witness `name`/`key` on `note`: every line of that
/// name and key ID must verify (a bad one fails, whatever its place), and the
/// answer is the newest valid one's time, or `None` when the witness has no line.
pub fn verify(note: &str, name: &str, key: &PublicKey) -> Result<Option<u64>, String> {
    let (body, sigs) = split(note)?;
    let want = key_id(name, key);
    let mut newest = None;
    for l in sigs {
        let Some(c) = parse_line(l) else { continue };
        if c.name != name || c.key_id != want {
            continue;
        }
        if c.time > i64::MAX as u64 {
            return Err(format!(
                "the cosignature of {name} has a time beyond 2^63 - 1"
            ));
        }
        key.verify(&message(body, c.time), &c.sig)
            .map_err(|_| format!("the cosignature of {name} does not verify"))?;
        newest = newest.max(Some(c.time));
    }
    Ok(newest)
}

/// `note` with `lines` appended as further signature lines (each once).
pub fn attach(note: &str, lines: &[String]) -> String {
    let mut out = note.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for l in lines {
        if !out.lines().any(|x| x == l) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// A witness as `verify --witness` and `witness-key add` take it:
/// `NAME=BASE64KEY`, the key being the raw 32 bytes in base64.
pub fn parse_witness(spec: &str) -> Result<(String, PublicKey), String> {
    let (name, key) = spec
        .split_once('=')
        .ok_or_else(|| format!("{spec:?} is not NAME=BASE64KEY"))?;
    if !signed_note::is_key_name_valid(name) {
        return Err(format!(
            "{name:?} is not a valid witness name (no spaces, no +)"
        ));
    }
    Ok((name.to_string(), PublicKey::parse(key)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::Hash32;

    #[test]
    fn cosignatures_follow_c2sp_and_tampering_is_refused() {
        let log = SecretKey::from_seed(&[1; 32]);
        let w = SecretKey::from_seed(&[2; 32]);
        let cp = crate::checkpoint::sign("example.org/log", 5, Hash32([3; 32]), &log);
        let line = sign(&cp, "witness.example/w1", &w, 1_700_000_000).unwrap();
        let parsed = parse_line(&line).unwrap();
        assert_eq!(parsed.time, 1_700_000_000);
        assert_eq!(parsed.key_id, key_id("witness.example/w1", &w.public()));
        // The signed message is exactly the C2SP one.
        let (body, _) = split(&cp).unwrap();
        assert!(body.starts_with("example.org/log\n5\n") && body.ends_with("=\n"));
        w.public()
            .verify(
                &[
                    b"cosignature/v1\ntime 1700000000\n".as_slice(),
                    body.as_bytes(),
                ]
                .concat(),
                &parsed.sig,
            )
            .unwrap();

        let both = attach(&cp, std::slice::from_ref(&line));
        // The log's own signature still verifies with the extra line.
        crate::checkpoint::verify(&both, &log.public(), Some("example.org/log")).unwrap();
        assert_eq!(
            verify(&both, "witness.example/w1", &w.public()).unwrap(),
            Some(1_700_000_000)
        );
        assert_eq!(
            verify(&cp, "witness.example/w1", &w.public()).unwrap(),
            None
        );
        // Another name: not this witness's line.
        assert_eq!(verify(&both, "other", &w.public()).unwrap(), None);
        // The log's own line is no cosignature.
        assert!(parse_line(split(&cp).unwrap().1[0]).is_none());
        // Another checkpoint with the same line: refused.
        let other = crate::checkpoint::sign("example.org/log", 6, Hash32([3; 32]), &log);
        let moved = attach(&other, std::slice::from_ref(&line));
        assert!(verify(&moved, "witness.example/w1", &w.public()).is_err());
        // Another time in the line: refused.
        let mut raw = B64.decode(line.rsplit_once(' ').unwrap().1).unwrap();
        raw[11] ^= 1;
        let forged = format!("\u{2014} witness.example/w1 {}", B64.encode(raw));
        assert!(verify(&attach(&cp, &[forged]), "witness.example/w1", &w.public()).is_err());
    }
}
