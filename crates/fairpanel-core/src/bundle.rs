//! The one-file bundle of a draw: every entry of the draw as exact bytes with its
//! signature and inclusion proof, the log entries in between (so the hash chain is
//! whole), the pool leaves, a signed checkpoint and the public key.
//!
//! Two formats: [`FORMAT`] (protocol 1.7) carries, in between, only the
//! entries of the draw's province, chained by their `pprev`; [`FORMAT_V1_1`]
//! carries every log entry in between, chained by `prev`. A service writes
//! the older one when an entry of the range has no `pprev` (a draw committed
//! before the upgrade); verifiers read both.
//!
//! Entries and leaves are embedded as raw JSON: the bytes between the brackets are
//! the record's exact canonical bytes. Reformatting a bundle (for example with a
//! pretty-printer) changes them, and the verifier then refuses it.

use crate::hash::Hash32;
use crate::keys::PublicKey;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

pub const FORMAT: &str = "fairpanel-bundle/v1.7";

/// The older format (protocol 1.1 to 1.6), still written for draws whose
/// range holds entries without `pprev`, and still read.
pub const FORMAT_V1_1: &str = "fairpanel-bundle/v1.1";

/// The protocol version this crate implements.
pub const PROTOCOL_VERSION: &str = "1.7";

/// Whether this verifier reads bundles of `format`.
pub fn known_format(format: &str) -> bool {
    format == FORMAT || format == FORMAT_V1_1
}

/// Why a bundle of another `format` is refused.
pub fn other_format(format: &str) -> String {
    if format == "fairpanel-bundle/v1" {
        format!(
            "this is a protocol v1 bundle (format {format:?}); this verifier reads protocol {PROTOCOL_VERSION} ({FORMAT:?}, and {FORMAT_V1_1:?}) only: v1 lets a forged key rotation and unproven trailing entries pass, so v1 bundles are refused. Fetch the draw's bundle again from a service that writes protocol {PROTOCOL_VERSION}"
        )
    } else {
        format!(
            "format is {format:?}; this verifier reads {FORMAT:?} and {FORMAT_V1_1:?} (protocol {PROTOCOL_VERSION})"
        )
    }
}

/// One log entry in a bundle.
#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct BundleEntry<'a> {
    #[serde(borrow)]
    pub entry: &'a RawValue,
    /// Inclusion proof of this entry (leaf index = `seq`) in the checkpoint's tree;
    /// required for the draw's own entries, key rotations and the bundle's last
    /// entry, `null` allowed for the others. The member itself must be present.
    #[serde(deserialize_with = "present")]
    pub proof: Option<Vec<Hash32>>,
    /// Base64 Ed25519 signature over the entry's exact bytes.
    pub sig: String,
}

/// A bundle as read (borrowing the raw records from the file's bytes).
#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Bundle<'a> {
    pub checkpoint: String,
    pub draw: String,
    /// From the draw's commit to its last entry, in log order: every log
    /// entry ([`FORMAT_V1_1`]), or the entries of the draw's province
    /// ([`FORMAT`]).
    #[serde(borrow)]
    pub entries: Vec<BundleEntry<'a>>,
    pub format: String,
    /// The log's current public key, which signed the checkpoint: exactly 44
    /// base64 characters, no white space.
    #[serde(deserialize_with = "strict_key")]
    pub key: PublicKey,
    pub origin: String,
    /// The eligible pool's leaves in token order.
    #[serde(borrow)]
    pub pool: Vec<&'a RawValue>,
    /// Key-rotation entries that connect older signing keys to `key`, in log order.
    #[serde(borrow)]
    pub rotations: Vec<BundleEntry<'a>>,
    /// After a scored round is disclosed: the round's rubric (its exact bytes)…
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub rubric: Option<&'a RawValue>,
    /// …and every sealed score sheet (exact bytes).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<&'a RawValue>,
    /// …and the explanation records of the round's last lock (protocol 1.2).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub explanations: Vec<&'a RawValue>,
}

/// A nullable member that must be present (`null` or a value, never absent):
/// with `deserialize_with`, serde no longer reads an absent `Option` as `None`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)
}

/// The bundle's key in its one spelling: base64 with nothing around it.
fn strict_key<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PublicKey, D::Error> {
    let s = String::deserialize(d)?;
    if s.chars().any(char::is_whitespace) {
        return Err(serde::de::Error::custom(
            "the key holds white space: give the 44 base64 characters alone",
        ));
    }
    PublicKey::parse(&s).map_err(serde::de::Error::custom)
}

/// One entry to write: `(exact bytes, signature, inclusion proof)`.
pub type EntryParts<'a> = (&'a [u8], [u8; 64], Option<Vec<Hash32>>);

/// Owned parts from which a bundle file is written.
pub struct Parts<'a> {
    /// [`FORMAT`] or [`FORMAT_V1_1`]: see [`format_for`].
    pub format: &'static str,
    pub checkpoint: &'a str,
    pub draw: &'a str,
    pub entries: Vec<EntryParts<'a>>,
    pub key: PublicKey,
    pub origin: &'a str,
    pub pool: Vec<&'a [u8]>,
    pub rotations: Vec<EntryParts<'a>>,
    /// The round's rubric and sealed sheets, once disclosed (else `None`, empty).
    pub rubric: Option<&'a [u8]>,
    pub sheets: Vec<&'a [u8]>,
    /// The explanation records of the round's last lock (protocol 1.2).
    pub explanations: Vec<&'a [u8]>,
}

/// The format of a bundle whose `entries` would run over `range` (the exact
/// bytes of the draw's province's entries from the first to the last, in log
/// order): [`FORMAT`] when every one carries a `pprev`, else [`FORMAT_V1_1`]
/// (a draw committed before protocol 1.7), whose `entries` are then every log
/// entry of the range.
pub fn format_for<'a>(range: impl IntoIterator<Item = &'a [u8]>) -> &'static str {
    let mut n = 0;
    let all = range.into_iter().all(|b| {
        n += 1;
        crate::entry::parse(b)
            .map(|p| p.entry.pprev.is_some())
            .unwrap_or(false)
    });
    if all && n > 0 { FORMAT } else { FORMAT_V1_1 }
}

fn raw(bytes: &[u8]) -> &RawValue {
    let s = std::str::from_utf8(bytes).expect("records are UTF-8");
    // A canonical record is valid JSON, so the conversion cannot fail. RawValue
    // has no borrowed constructor for arbitrary lifetimes, so parse it from the str.
    serde_json::from_str::<&RawValue>(s).expect("records are JSON")
}

impl Parts<'_> {
    /// The bundle file: JSON with one record per line, readable with `less`.
    pub fn write(&self) -> Vec<u8> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let conv = |v: &Vec<EntryParts>| -> Vec<String> {
            v.iter()
                .map(|(e, s, p)| {
                    let proof = serde_json::to_string(p).expect("hashes serialize");
                    format!(
                        "{{\"entry\":{},\"proof\":{},\"sig\":\"{}\"}}",
                        raw(e).get(),
                        proof,
                        b64.encode(s)
                    )
                })
                .collect()
        };
        let list = |items: Vec<String>| -> String {
            if items.is_empty() {
                "[]".to_string()
            } else {
                format!("[\n    {}\n  ]", items.join(",\n    "))
            }
        };
        let s = |v: &str| serde_json::to_string(v).expect("strings serialize");
        let scoring = match self.rubric {
            None => String::new(),
            Some(r) => format!(
                ",\n  \"rubric\": {},\n  \"sheets\": {}{}",
                raw(r).get(),
                list(
                    self.sheets
                        .iter()
                        .map(|l| raw(l).get().to_string())
                        .collect()
                ),
                if self.explanations.is_empty() {
                    String::new()
                } else {
                    format!(
                        ",\n  \"explanations\": {}",
                        list(
                            self.explanations
                                .iter()
                                .map(|l| raw(l).get().to_string())
                                .collect()
                        )
                    )
                }
            ),
        };
        let out = format!(
            "{{\n  \"format\": {},\n  \"draw\": {},\n  \"origin\": {},\n  \"key\": {},\n  \"checkpoint\": {},\n  \"entries\": {},\n  \"rotations\": {},\n  \"pool\": {}{scoring}\n}}\n",
            s(self.format),
            s(self.draw),
            s(self.origin),
            s(&self.key.to_base64()),
            s(self.checkpoint),
            list(conv(&self.entries)),
            list(conv(&self.rotations)),
            list(self.pool.iter().map(|l| raw(l).get().to_string()).collect()),
        );
        out.into_bytes()
    }
}
