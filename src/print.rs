//! The print style shared by every printable page (the draw record sheet, the
//! score sheet, the results): A4 portrait, page numbers, signature blocks, a
//! QR code block, and fonts that show Chinese on Windows, macOS and Linux
//! without a web font.
//!
//! A page puts [`PRINT_CSS`] in its `<style>` (or its stylesheet) and adds its
//! own rules after it. The classes it defines:
//! - `.sign` around a signature table: rows of `td.label` (e.g. 操作人（签字）：),
//!   `td.line` (the line to sign on, with an optional `div.who` under it);
//! - `.qr-block` around a QR code (an `svg.qr` from [`crate::qr::qr_svg`]) and
//!   `.qr-caption`, its caption with the URL in words;
//! - `.en` for the smaller English line beside a Chinese heading;
//! - `.mono` for hashes, keys and ids (broken anywhere).

/// The font families, in order of preference: the Fangsong and Song faces
/// Chinese official documents are printed in (Windows names in English and in
/// Chinese, then macOS), then the Noto/Source Han faces of Linux (Debian's
/// `fonts-noto-cjk`), then WenQuanYi, then the browser's serif.
macro_rules! font_family {
    () => {
        "\"FangSong\", \"仿宋\", \"STFangsong\", \"SimSun\", \"宋体\", \"Songti SC\", \
         \"Noto Serif CJK SC\", \"Noto Sans CJK SC\", \"Source Han Serif SC\", \
         \"WenQuanYi Micro Hei\", serif"
    };
}

/// The font-family list of [`PRINT_CSS`], for a page's own rules.
pub const FONT_FAMILY: &str = font_family!();

/// The shared print CSS (see the module documentation for its classes).
///
/// Page numbers use the `@page` margin boxes (`@bottom-center`), which Chromium
/// prints since version 131; a browser without them prints no number (its own
/// header and footer, when switched on, still show one).
pub const PRINT_CSS: &str = concat!(
    r#"
@page {
  size: A4 portrait;
  margin: 15mm 14mm 18mm 14mm;
  @bottom-center {
    content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
    font-family: "#,
    font_family!(),
    r#";
    font-size: 8pt;
    color: #444;
  }
}
* { box-sizing: border-box; }
body {
  font-family: "#,
    font_family!(),
    r#";
  font-size: 10.5pt; line-height: 1.45; color: #000;
}
.en { font-size: 7.5pt; color: #444; font-weight: normal; }
.mono { font-family: "Consolas", "Menlo", "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
.sign { margin-top: 10mm; }
.sign table { border-collapse: collapse; width: 100%; }
.sign table td { border: none; padding: 5mm 1mm 1mm 1mm; vertical-align: bottom; }
.sign .label { white-space: nowrap; width: 1%; }
.sign .line { border-bottom: 1px solid #000; height: 12mm; }
.sign .who { font-size: 8pt; color: #444; }
.qr-block { display: flex; align-items: center; gap: 4mm; margin: 3mm 0; }
.qr-block svg.qr { width: 28mm; height: 28mm; flex: none; }
.qr-caption { font-size: 9pt; word-break: break-all; }
@media print {
  body { max-width: none; padding: 0; margin: 0; }
  a { color: #000; text-decoration: none; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .sign, .qr-block { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .no-print { display: none !important; }
}
"#
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_css_names_the_chinese_fonts_of_each_system_in_every_font_list() {
        for family in [
            "\"FangSong\"",
            "\"仿宋\"",
            "\"STFangsong\"",
            "\"SimSun\"",
            "\"宋体\"",
            "\"Songti SC\"",
            "\"Noto Serif CJK SC\"",
            "\"Noto Sans CJK SC\"",
            "\"Source Han Serif SC\"",
            "\"WenQuanYi Micro Hei\"",
        ] {
            assert!(FONT_FAMILY.contains(family), "{family}");
        }
        assert!(FONT_FAMILY.ends_with(", serif"));
        // The page body and the page-number box use exactly this list.
        assert_eq!(
            PRINT_CSS
                .matches(&format!("font-family: {FONT_FAMILY};"))
                .count(),
            2
        );
    }

    #[test]
    fn the_css_prints_a4_with_page_numbers_and_balanced_braces() {
        assert!(PRINT_CSS.contains("size: A4 portrait;"));
        let page = &PRINT_CSS[PRINT_CSS.find("@page").unwrap()..];
        let bottom = &page[page.find("@bottom-center {").unwrap()..];
        assert!(bottom.contains("counter(page)") && bottom.contains("counter(pages)"));
        assert!(bottom.find("counter(page)").unwrap() < bottom.find('}').unwrap());
        assert_eq!(
            PRINT_CSS.matches('{').count(),
            PRINT_CSS.matches('}').count()
        );
        for class in [".sign", ".sign .line", ".qr-block", "svg.qr", ".qr-caption"] {
            assert!(PRINT_CSS.contains(class), "{class}");
        }
        assert!(!PRINT_CSS.contains("url(") && !PRINT_CSS.contains("@import"));
    }
}
