//! Text hygiene: one set of rules for every piece of free text the service
//! stores and later shows on a page or prints in a report.
//!
//! A value is put into Unicode normal form C (NFC), so the same words typed on
//! two machines are the same bytes, and refused when it holds something a
//! reader cannot see or that reorders what they see:
//!
//! - control characters (C0, DEL, C1), NUL among them; multi-line fields may
//!   keep tab and line breaks (`\t`, `\n`, `\r`);
//! - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//!   U+061C), which can print a reason or a name backwards;
//! - zero-width and other invisible format characters (U+200B–U+200D,
//!   U+2060–U+2064, U+FEFF, soft hyphen, Hangul fillers, tag characters, …)
//!   and the Unicode line and paragraph separators;
//! - a word that mixes Latin letters with Cyrillic or Greek ones (`pаypal`
//!   with a Cyrillic `а`), or ASCII letters with fullwidth ones, which is how
//!   a look-alike of another word is made. Chinese mixed with Latin words or
//!   digits (`广东省 2026 Round`) is ordinary text and stays accepted.
//!
//! Usernames are narrower still: see [`username`].
//!
//! Values whose exact bytes the submitter can hash themselves (a score
//! sheet's comment and explanation, sealed as JCS; a rubric's texts, whose
//! hash answers the upload) are not normalised behind
//! their back: [`nfc_only`] refuses them unless they already are NFC, and the
//! pages, which build the sheet for the expert, normalise first.

use unicode_normalization::UnicodeNormalization;

/// The longest username, in characters.
pub const MAX_USERNAME: usize = 64;

/// What is wrong with a text, before it is put into a field's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A control, bidirectional, zero-width or other invisible character.
    Hidden(char),
    /// A word mixing Latin letters with a look-alike script.
    MixedScript(String),
}

impl Problem {
    /// The problem in English, naming `field`: the API's `error` text (each
    /// sentence has a pattern in `web::messages`).
    pub fn message(&self, field: &str) -> String {
        match self {
            Problem::Hidden(c) => format!(
                "{field} contains a control or invisible character ({}); remove it",
                code_point(*c)
            ),
            Problem::MixedScript(w) => format!(
                "{field} has a word that mixes Latin letters with look-alike letters of another script ({w}); retype it"
            ),
        }
    }

    /// The problem in Chinese then English, for an import cell (the row and
    /// column are added by the importer).
    pub fn bilingual(&self) -> String {
        match self {
            Problem::Hidden(c) => format!(
                "含有控制字符或不可见字符（{0}），请删除 / contains a control or invisible character ({0}); remove it",
                code_point(*c)
            ),
            Problem::MixedScript(w) => format!(
                "词「{w}」混用了拉丁字母和外形相似的其他文字字母，请重新输入 / the word {w} mixes Latin letters with look-alike letters of another script; retype it"
            ),
        }
    }
}

/// `U+202E`, as messages show a character that cannot be shown.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Whether `c` is hidden or reorders text: a control character (except tab
/// and line breaks when `multiline`), a bidirectional control, a zero-width
/// or other invisible format character, or a line/paragraph separator.
pub fn is_hidden(c: char, multiline: bool) -> bool {
    if c.is_control() {
        return !(multiline && matches!(c, '\t' | '\n' | '\r'));
    }
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{034F}'                // combining grapheme joiner
        | '\u{061C}'                // Arabic letter mark
        | '\u{115F}' | '\u{1160}'   // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'   // Khmer inherent vowels
        | '\u{180E}'                // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'   // zero-width space, joiners, LRM, RLM
        | '\u{2028}' | '\u{2029}'   // line and paragraph separators
        | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'   // bidi isolates, deprecated format controls
        | '\u{3164}' | '\u{FFA0}'   // Hangul fillers
        | '\u{FEFF}'                // zero-width no-break space (BOM)
        | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotation
        | '\u{1D173}'..='\u{1D17A}' // musical format controls
        | '\u{E0000}'..='\u{E007F}' // tag characters
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    FullwidthLatin,
    Cyrillic,
    Greek,
    Other,
}

fn script(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' => Script::Latin,
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' if c.is_alphabetic() => Script::Latin,
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => Script::FullwidthLatin,
        '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' => {
            Script::Cyrillic
        }
        '\u{A640}'..='\u{A69F}' => Script::Cyrillic,
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Script::Greek,
        _ => Script::Other,
    }
}

/// The first word of `v` (a run of letters) that has Latin letters together
/// with Cyrillic, Greek or fullwidth Latin ones.
fn mixed_script_word(v: &str) -> Option<&str> {
    v.split(|c: char| !c.is_alphabetic()).find(|w| {
        let (mut latin, mut lookalike) = (false, false);
        for c in w.chars() {
            match script(c) {
                Script::Latin => latin = true,
                Script::FullwidthLatin | Script::Cyrillic | Script::Greek => lookalike = true,
                Script::Other => {}
            }
        }
        latin && lookalike
    })
}

/// The first problem of `v` (already NFC), if any.
pub fn problem(v: &str, multiline: bool) -> Option<Problem> {
    if let Some(c) = v.chars().find(|c| is_hidden(*c, multiline)) {
        return Some(Problem::Hidden(c));
    }
    mixed_script_word(v).map(|w| Problem::MixedScript(w.to_string()))
}

/// `v` in NFC.
pub fn nfc(v: &str) -> String {
    if unicode_normalization::is_nfc_quick(v.chars()) == unicode_normalization::IsNormalized::Yes {
        v.to_string()
    } else {
        v.nfc().collect()
    }
}

/// A one-line text for `field`: NFC, and refused (with a message naming the
/// field) if it has a hidden character or a look-alike word.
pub fn line(field: &str, v: &str) -> Result<String, String> {
    checked(field, v, false)
}

/// A text for `field` that may span lines (tab and line breaks kept).
pub fn multiline(field: &str, v: &str) -> Result<String, String> {
    checked(field, v, true)
}

fn checked(field: &str, v: &str, multiline: bool) -> Result<String, String> {
    let v = nfc(v);
    match problem(&v, multiline) {
        Some(p) => Err(p.message(field)),
        None => Ok(v),
    }
}

/// Refuses `v` unless it is already NFC and clean: for a value whose exact
/// bytes the submitter may hash, which must therefore not be changed.
pub fn nfc_only(field: &str, v: &str, multiline: bool) -> Result<(), String> {
    if !unicode_normalization::is_nfc(v) {
        return Err(format!(
            "{field} is not in Unicode normal form C (NFC); normalise it and send it again"
        ));
    }
    match problem(v, multiline) {
        Some(p) => Err(p.message(field)),
        None => Ok(()),
    }
}

/// Checks a username: 1 to [`MAX_USERNAME`] of lower-case ASCII letters,
/// digits, `.`, `-` and `_`, beginning with a letter or a digit.
///
/// Lower case only, so that no second account can be named like the first
/// with a look-alike letter (Cyrillic `а`, fullwidth `ａ`) or another case
/// (`Admin` beside `admin`): the uniqueness of the stored name is then the
/// uniqueness of what a reader sees.
pub fn username(v: &str) -> Result<(), String> {
    let ok = !v.is_empty()
        && v.len() <= MAX_USERNAME
        && v.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "username must be 1 to {MAX_USERNAME} of a-z 0-9 . - _, beginning with a letter or digit"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_mixed_han_latin_text_is_kept() {
        for ok in [
            "广东省 2026 Round",
            "2026年度广东省技能大师工作室评审",
            "Zhang San (张三)",
            "café, naïve, Ærø",
            "Москва",
            "Αθήνα",
            "ＡＢＣ公司",
            "材料齐全，条件符合。",
        ] {
            assert_eq!(line("title", ok).as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(
            multiline("comment", "第一行\n第二行\r\n\t缩进").as_deref(),
            Ok("第一行\n第二行\r\n\t缩进")
        );
    }

    #[test]
    fn text_is_put_in_nfc() {
        // e + combining acute accent becomes é.
        assert_eq!(line("name", "Cafe\u{301}").unwrap(), "Café");
        assert!(nfc_only("comment", "Cafe\u{301}", true).is_err());
        assert!(nfc_only("comment", "Café", true).is_ok());
    }

    #[test]
    fn hidden_characters_are_refused_naming_the_field_and_character() {
        for (v, cp) in [
            ("a\u{0}b", "U+0000"),
            ("a\u{7}b", "U+0007"),
            ("a\u{7F}b", "U+007F"),
            ("a\u{85}b", "U+0085"),
            ("invoice\u{202E}fdp.exe", "U+202E"),
            ("a\u{2066}b", "U+2066"),
            ("a\u{200E}b", "U+200E"),
            ("a\u{200F}b", "U+200F"),
            ("a\u{061C}b", "U+061C"),
            ("ad\u{200B}min", "U+200B"),
            ("a\u{200D}b", "U+200D"),
            ("a\u{2060}b", "U+2060"),
            ("\u{FEFF}abc", "U+FEFF"),
            ("a\u{AD}b", "U+00AD"),
            ("a\u{2028}b", "U+2028"),
            ("a\u{E0041}b", "U+E0041"),
        ] {
            let e = line("title", v).unwrap_err();
            assert_eq!(
                e,
                format!("title contains a control or invisible character ({cp}); remove it")
            );
            assert!(multiline("comment", v).unwrap_err().starts_with("comment "));
        }
        // A line break is a hidden character on one line, not in a comment.
        assert!(line("title", "a\nb").is_err());
        assert!(line("title", "a\tb").is_err());
        assert!(multiline("comment", "a\nb").is_ok());
    }

    #[test]
    fn look_alike_words_are_refused() {
        // Cyrillic а (U+0430) in a Latin word.
        let e = line("title", "p\u{430}ypal 2026").unwrap_err();
        assert!(e.contains("p\u{430}ypal"), "{e}");
        assert!(
            e.starts_with("title has a word that mixes Latin letters"),
            "{e}"
        );
        // Greek ο (U+03BF) in a Latin word.
        assert!(line("name", "Rοund").is_err());
        // Fullwidth ａ beside ASCII letters.
        assert!(line("name", "\u{FF41}dmin").is_err());
        // Separate words of different scripts are fine.
        assert!(line("name", "Moscow Москва").is_ok());
        assert!(
            Problem::MixedScript("pаypal".into())
                .bilingual()
                .contains("/ the word pаypal")
        );
    }

    #[test]
    fn usernames_are_lower_case_ascii() {
        for ok in ["admin", "gd-e2", "zhang.san", "a", "007", "x_y"] {
            assert_eq!(username(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "Admin",
            "\u{430}dmin",
            "\u{FF41}dmin",
            "ad min",
            "ad\u{200B}min",
            "张三",
            "-admin",
            ".admin",
            "a\u{0}",
            &"a".repeat(65),
        ] {
            assert!(username(bad).is_err(), "{bad:?}");
        }
        assert!(username(&"a".repeat(64)).is_ok());
    }
}
