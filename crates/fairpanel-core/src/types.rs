//! Domain types, parsed at the edge: once a value of one of these types exists it is
//! valid, so the algorithm below never re-checks it.

use crate::hash::{Hash32, parse_hex_exact};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Defines a string newtype whose only constructor validates it.
macro_rules! checked_string {
    ($(#[$m:meta])* $name:ident, $check:expr) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                let check: fn(&str) -> Result<(), String> = $check;
                check(&s).map_err(|e| format!("{} {:?}: {}", stringify!($name), s, e))?;
                Ok($name(s))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = String;
            fn try_from(s: &str) -> Result<Self, String> {
                Self::try_from(s.to_string())
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn ascii_id(s: &str, max: usize, extra: &[u8]) -> Result<(), String> {
    if s.is_empty() || s.len() > max {
        return Err(format!("must be 1 to {max} characters"));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || extra.contains(&b))
    {
        return Err(format!(
            "may contain only a-z, 0-9 and {:?}",
            String::from_utf8_lossy(extra)
        ));
    }
    Ok(())
}

/// The provincial-level units by GB/T 2260 code, with the Xinjiang Production and
/// Construction Corps (660000): the only values a `province` field may take.
pub const PROVINCES: &[(&str, &str)] = &[
    ("110000", "北京市"),
    ("120000", "天津市"),
    ("130000", "河北省"),
    ("140000", "山西省"),
    ("150000", "内蒙古自治区"),
    ("210000", "辽宁省"),
    ("220000", "吉林省"),
    ("230000", "黑龙江省"),
    ("310000", "上海市"),
    ("320000", "江苏省"),
    ("330000", "浙江省"),
    ("340000", "安徽省"),
    ("350000", "福建省"),
    ("360000", "江西省"),
    ("370000", "山东省"),
    ("410000", "河南省"),
    ("420000", "湖北省"),
    ("430000", "湖南省"),
    ("440000", "广东省"),
    ("450000", "广西壮族自治区"),
    ("460000", "海南省"),
    ("500000", "重庆市"),
    ("510000", "四川省"),
    ("520000", "贵州省"),
    ("530000", "云南省"),
    ("540000", "西藏自治区"),
    ("610000", "陕西省"),
    ("620000", "甘肃省"),
    ("630000", "青海省"),
    ("640000", "宁夏回族自治区"),
    ("650000", "新疆维吾尔自治区"),
    ("660000", "新疆生产建设兵团"),
];

checked_string!(
    /// A province by its GB/T 2260 code, e.g. `440000` for 广东省.
    Province,
    |s| {
        if PROVINCES.iter().any(|(c, _)| *c == s) {
            Ok(())
        } else {
            Err("not a provincial-level GB/T 2260 code (e.g. 440000)".into())
        }
    }
);

impl Province {
    /// The province's Chinese name.
    pub fn name(&self) -> &'static str {
        PROVINCES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, n)| *n)
            .unwrap_or("")
    }
}

checked_string!(
    /// A draw's identifier, unique in a log: 1 to 64 of `a-z 0-9 . _ -`.
    DrawId,
    |s| ascii_id(s, 64, b"._-")
);

checked_string!(
    /// A specialty category code, e.g. `nursing`: 1 to 32 of `a-z 0-9 _`.
    Specialty,
    |s| ascii_id(s, 32, b"_")
);

checked_string!(
    /// A reason code for an exclusion or a decline, e.g. `same_org`: 1 to 32 of `a-z 0-9 _`.
    ReasonCode,
    |s| ascii_id(s, 32, b"_")
);

/// A pool member's opaque per-draw token: `H(member, salt || identity)`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Token(pub Hash32);

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A per-draw organisation tag: the first 16 bytes of the draw's VRF output on
/// the member's organisation key (`tags::org_input`), equal for members of one
/// organisation and, without the draw's secret tag key, revealing nothing else.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct OrgTag(pub [u8; 16]);

impl Serialize for OrgTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> Deserialize<'de> for OrgTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(OrgTag(
            parse_hex_exact::<16>(&s).map_err(serde::de::Error::custom)?,
        ))
    }
}

/// A per-draw identity tag: the first 16 bytes of the draw's VRF output on the
/// member's expert id (`tags::id_input`): one expert id, one tag, so a pool whose
/// identity tags repeat holds someone twice.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct IdTag(pub [u8; 16]);

impl Serialize for IdTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> Deserialize<'de> for IdTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(IdTag(
            parse_hex_exact::<16>(&s).map_err(serde::de::Error::custom)?,
        ))
    }
}

/// One specialty minimum: at least `min` panel members of `spec`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    pub min: u32,
    pub spec: Specialty,
}

/// The rules of one draw, fixed by its commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawSpec {
    /// Ordered alternates to list after the panel.
    pub alternates: u32,
    /// At most this many panel members from one organisation; `null` for no cap.
    pub org_cap: Option<u32>,
    /// Panel size: odd, 1 to 99.
    pub panel: u32,
    /// Specialty minimums, filled in this order (the stratum order).
    pub quotas: Vec<Quota>,
}

/// Largest panel the protocol allows.
pub const MAX_PANEL: u32 = 99;
/// Largest number of alternates the protocol allows.
pub const MAX_ALTERNATES: u32 = 99;

impl DrawSpec {
    /// Checks the rules on their own, without a pool.
    pub fn validate(&self) -> Result<(), String> {
        if self.panel == 0 || self.panel.is_multiple_of(2) || self.panel > MAX_PANEL {
            return Err(format!(
                "panel size must be odd, 1 to {MAX_PANEL}; got {}",
                self.panel
            ));
        }
        if self.alternates > MAX_ALTERNATES {
            return Err(format!(
                "alternates must be 0 to {MAX_ALTERNATES}; got {}",
                self.alternates
            ));
        }
        if self.org_cap == Some(0) {
            return Err("org_cap must be at least 1 (or null for no cap)".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        // Summed in u64: u32 minimums from a bundle (two of 2^31, say) must not
        // overflow, which panicked in debug builds and wrapped to 0 in release.
        let mut total = 0u64;
        for q in &self.quotas {
            if q.min == 0 {
                return Err(format!("quota for {} must be at least 1", q.spec));
            }
            if !seen.insert(&q.spec) {
                return Err(format!("quota for {} is given twice", q.spec));
            }
            total += u64::from(q.min);
        }
        if total > u64::from(self.panel) {
            return Err(format!(
                "quotas add up to {total}, more than the panel size {}",
                self.panel
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn province_codes_are_checked() {
        assert_eq!(Province::try_from("440000").unwrap().name(), "广东省");
        assert_eq!(
            Province::try_from("660000").unwrap().name(),
            "新疆生产建设兵团"
        );
        assert!(Province::try_from("440100").is_err());
        assert!(Province::try_from("").is_err());
        assert_eq!(PROVINCES.len(), 32);
    }

    #[test]
    fn huge_quota_minimums_are_refused_not_overflowed() {
        let s = spec(7, &[("a", 1 << 31), ("b", 1 << 31)], None);
        assert_eq!(
            s.validate().unwrap_err(),
            "quotas add up to 4294967296, more than the panel size 7"
        );
    }

    #[test]
    fn identifiers_refuse_other_characters() {
        assert!(DrawId::try_from("gd-2026-base.1").is_ok());
        assert!(DrawId::try_from("Draw 1").is_err());
        assert!(Specialty::try_from("nursing").is_ok());
        assert!(Specialty::try_from("护理").is_err());
        assert!(Specialty::try_from("a".repeat(33)).is_err());
    }

    fn spec(panel: u32, quotas: &[(&str, u32)], cap: Option<u32>) -> DrawSpec {
        DrawSpec {
            panel,
            alternates: 2,
            org_cap: cap,
            quotas: quotas
                .iter()
                .map(|(s, m)| Quota {
                    spec: Specialty::try_from(*s).unwrap(),
                    min: *m,
                })
                .collect(),
        }
    }

    #[test]
    fn spec_validation_names_the_problem() {
        assert!(spec(7, &[("a", 2)], Some(2)).validate().is_ok());
        assert!(spec(6, &[], None).validate().unwrap_err().contains("odd"));
        assert!(
            spec(5, &[("a", 3), ("b", 3)], None)
                .validate()
                .unwrap_err()
                .contains("add up to 6")
        );
        assert!(
            spec(5, &[("a", 1), ("a", 1)], None)
                .validate()
                .unwrap_err()
                .contains("twice")
        );
        assert!(spec(5, &[], Some(0)).validate().is_err());
        assert!(spec(5, &[("a", 0)], None).validate().is_err());
    }

    #[test]
    fn spec_json_refuses_unknown_fields() {
        let ok = r#"{"alternates":1,"org_cap":null,"panel":3,"quotas":[]}"#;
        assert!(serde_json::from_str::<DrawSpec>(ok).is_ok());
        let bad = r#"{"alternates":1,"org_cap":null,"panel":3,"quotas":[],"x":1}"#;
        assert!(serde_json::from_str::<DrawSpec>(bad).is_err());
    }
}
