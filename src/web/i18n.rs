//! The pages' languages: one Fluent catalogue per language (`locales/*.ftl`,
//! compiled into the binary). Chinese is the default; English is the second.
//! A test checks that both catalogues hold the same keys, and that no template
//! holds text outside a catalogue.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

pub const ZH_FTL: &str = include_str!("../../locales/zh-CN.ftl");
pub const EN_FTL: &str = include_str!("../../locales/en.ftl");

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "zh" || s.starts_with("zh-") || s.starts_with("zh_") {
            Some(Lang::Zh)
        } else if s == "en" || s.starts_with("en-") || s.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The first language of an `Accept-Language` header that we speak, by
    /// the order and weights the browser sent.
    pub fn from_accept(header: &str) -> Option<Lang> {
        let mut tags: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, i, tag))
            })
            .collect();
        tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        tags.into_iter()
            .filter(|t| t.0 > 0.0)
            .find_map(|t| Lang::parse(t.2))
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static ZH: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
        static EN: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
        let (cell, src, id) = match self {
            Lang::Zh => (&ZH, ZH_FTL, "zh-CN"),
            Lang::En => (&EN, EN_FTL, "en"),
        };
        cell.get_or_init(|| {
            let res = FluentResource::try_new(src.to_string())
                .unwrap_or_else(|(_, e)| panic!("locales/{id}.ftl does not parse: {e:?}"));
            let mut b = FluentBundle::new_concurrent(vec![id.parse().expect("a language tag")]);
            // Pages are not bidirectional: no isolation marks around arguments.
            b.set_use_isolating(false);
            b.add_resource(res)
                .unwrap_or_else(|e| panic!("locales/{id}.ftl has duplicate keys: {e:?}"));
            b
        })
    }
}

/// Translates for one page.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The message `key`; a missing key shows as the key itself (and the
    /// catalogue test fails).
    pub fn t(&self, key: &str) -> String {
        self.args(key, &[])
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.args(key, &[(name, value.to_string())])
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        self.args(key, &[(n1, v1.to_string()), (n2, v2.to_string())])
    }

    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        let b = self.lang.bundle();
        let Some(msg) = b.get_message(key) else {
            return key.to_string();
        };
        let Some(pattern) = msg.value() else {
            return key.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, FluentValue::from(v.clone()));
        }
        let mut errors = vec![];
        b.format_pattern(pattern, Some(&fa), &mut errors)
            .into_owned()
    }

    pub fn has(&self, key: &str) -> bool {
        self.lang.bundle().has_message(key)
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// The other language, for the switch.
    pub fn other(&self) -> Lang {
        match self.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Unix seconds as `YYYY-MM-DD HH:MM` in China Standard Time (UTC+8), the
    /// time every province works in.
    pub fn time(&self, unix: u64) -> String {
        let t = unix as i64 + 8 * 3600;
        let days = t.div_euclid(86_400);
        let secs = t.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            secs / 3600,
            (secs % 3600) / 60,
            secs % 60
        )
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The message keys of a catalogue, in file order.
pub fn keys(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| !l.starts_with([' ', '#', '\t']) && !l.trim().is_empty())
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys_and_every_message_formats() {
        let zh = keys(ZH_FTL);
        let en = keys(EN_FTL);
        let missing_en: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let missing_zh: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
        assert!(
            missing_zh.is_empty(),
            "missing in zh-CN.ftl: {missing_zh:?}"
        );
        for k in &zh {
            assert!(Tr::new(Lang::Zh).has(k) && Tr::new(Lang::En).has(k), "{k}");
        }
        assert!(
            zh.len() > 100,
            "the catalogue is not the pages' ({})",
            zh.len()
        );
    }

    #[test]
    fn accept_language_picks_the_first_language_we_speak_by_weight() {
        assert_eq!(Lang::from_accept("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept("fr;q=1, zh-CN;q=0.8, en;q=0.5"),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_accept("en;q=0.2, zh-TW;q=0.9"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept("fr, de"), None);
        assert_eq!(Lang::from_accept("en;q=0"), None);
    }

    #[test]
    fn times_are_shown_in_china_standard_time() {
        let t = Tr::new(Lang::Zh);
        assert_eq!(t.time(0), "1970-01-01 08:00:00");
        // 2024-02-29 16:00:00 UTC
        assert_eq!(t.time(1_709_222_400), "2024-03-01 00:00:00");
    }

    #[test]
    fn arguments_are_filled_in() {
        let en = Tr::new(Lang::En);
        let s = en.t1("err-wait", "seconds", 42);
        assert!(s.contains("42"), "{s}");
        assert!(!s.contains('\u{2068}'), "no isolation marks: {s:?}");
    }
}

#[cfg(test)]
mod template_tests {
    /// The text a template shows outside its expressions, tags and comments.
    fn visible_text(src: &str) -> String {
        let mut out = String::new();
        let mut rest = src;
        while !rest.is_empty() {
            let next = ["{{", "{%", "{#", "<"]
                .iter()
                .filter_map(|open| rest.find(open).map(|i| (i, *open)))
                .min();
            let Some((i, open)) = next else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..i]);
            out.push(' ');
            let close = match open {
                "{{" => "}}",
                "{%" => "%}",
                "{#" => "#}",
                _ => ">",
            };
            rest = match rest[i..].find(close) {
                Some(j) => &rest[i + j + close.len()..],
                None => "",
            };
        }
        out
    }

    #[test]
    fn templates_hold_no_text_outside_the_catalogues() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/web");
        let mut checked = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let src = std::fs::read_to_string(&path).unwrap();
            // Attribute values a person reads (labels, titles) are checked too.
            for attr in ["aria-label=\"", "title=\"", "alt=\"", "placeholder=\""] {
                for part in src.split(attr).skip(1) {
                    let v = part.split('"').next().unwrap_or("");
                    let bare = visible_text(v);
                    assert!(
                        !bare.chars().any(char::is_alphabetic),
                        "{}: {attr}{v}\" is not from the catalogue",
                        path.display()
                    );
                }
            }
            let text = visible_text(&src);
            let words: Vec<&str> = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .collect();
            assert!(
                words.is_empty(),
                "{} shows text that is not from the catalogue: {words:?}",
                path.display()
            );
            checked += 1;
        }
        assert!(
            checked >= 20,
            "the page templates were not found ({checked})"
        );
    }

    #[test]
    fn the_text_check_sees_text_between_tags() {
        assert_eq!(
            visible_text("<p>{{ x }} 确认</p>{% if y %}Save{% endif %}")
                .split_whitespace()
                .collect::<Vec<_>>(),
            vec!["确认", "Save"]
        );
    }
}
