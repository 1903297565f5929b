//! RFC 8785 (JCS) canonical JSON for every record that is hashed or signed.
//!
//! Records are made once, by [`encode`], and then travel as their exact bytes.
//! A verifier hashes and checks signatures over those bytes and never re-encodes
//! them for that; it only re-encodes to check that the bytes it was given are the
//! one canonical spelling of their content ([`check_canonical`]), so that a record
//! cannot have two spellings with two hashes.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The canonical bytes of a record.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Our records hold only strings, integers below 2^53, booleans, arrays and
    // objects with string keys: none of the inputs on which JCS encoding can fail.
    serde_json_canonicalizer::to_vec(value).expect("records are always JCS-encodable")
}

/// Checks that `bytes` are canonical JSON: valid UTF-8 JSON, and equal to their own
/// JCS re-encoding (so: sorted keys, no white space, no duplicate keys, shortest
/// number and string forms). Floating-point numbers are refused outright.
pub fn check_canonical(bytes: &[u8]) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if has_float(&value) {
        return Err("floating-point number in a signed record".into());
    }
    // A duplicate key makes serde_json keep the last value: the re-encoding then
    // differs from the input, and the record is refused below.
    let again = encode(&value);
    if again != bytes {
        return Err(format!(
            "bytes are not canonical JSON (RFC 8785); the canonical form is {} bytes, the record {}",
            again.len(),
            bytes.len()
        ));
    }
    Ok(())
}

fn has_float(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => !(n.is_i64() || n.is_u64()),
        serde_json::Value::Array(a) => a.iter().any(has_float),
        serde_json::Value::Object(o) => o.values().any(has_float),
        _ => false,
    }
}

/// Parses canonical bytes into a typed record: canonical form first, then the
/// record's own schema (which refuses unknown fields).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    check_canonical(bytes)?;
    serde_json::from_slice(bytes).map_err(|e| format!("record does not match its schema: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_sorts_keys_and_drops_white_space() {
        let v: serde_json::Value = serde_json::from_str(r#"{ "b": 1, "a": [true, "x"] }"#).unwrap();
        assert_eq!(encode(&v), br#"{"a":[true,"x"],"b":1}"#);
    }

    #[test]
    fn canonical_bytes_are_accepted() {
        assert!(check_canonical(br#"{"a":"\u001f","b":"\u5f20"}"#).is_err());
        assert!(check_canonical("{\"a\":\"\\u001f\",\"b\":\"张\"}".as_bytes()).is_ok());
    }

    #[test]
    fn non_canonical_bytes_are_refused() {
        for bad in [
            &br#"{"b":1,"a":2}"#[..],
            br#"{"a":1, "b":2}"#,
            br#"{"a":1,"a":1}"#,
            br#"{"a":1.5}"#,
            br#"{"a":1e2}"#,
            br#"{"a":"\u0041"}"#,
            b"{\"a\":1}\n",
            b"\xff",
        ] {
            assert!(
                check_canonical(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
