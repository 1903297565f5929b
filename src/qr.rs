//! QR codes for printed pages: a URL as an inline SVG that needs no image file,
//! no script and no font.
//!
//! The `qrcode` crate computes the modules; the SVG is written here (one path
//! of horizontal runs, a white quiet zone of four modules), so that it can be
//! placed straight into an HTML page and scales to any printed size.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for four).
pub const QUIET_ZONE: usize = 4;

/// Pixels per module of the SVG's default size (a page's CSS usually sets its
/// printed size instead, e.g. `width: 28mm`).
const DEFAULT_PX_PER_MODULE: usize = 3;

/// The QR code of `url` as an inline SVG element (`<svg class="qr" …>…</svg>`),
/// error correction level M (15 % of the code may be soiled or torn), or L when
/// the text is too long for M.
///
/// Returns an empty string when `url` is too long for any QR code (more than
/// 2,953 bytes); a caller prints the URL as text anyway.
pub fn qr_svg(url: &str) -> String {
    let code = QrCode::with_error_correction_level(url, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(url, EcLevel::L));
    let Ok(code) = code else {
        return String::new();
    };
    let n = code.width();
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    let size = n + 2 * QUIET_ZONE;
    let px = size * DEFAULT_PX_PER_MODULE;
    let mut svg = String::with_capacity(64 + n * n);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 {size} {size}\" \
         width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\" role=\"img\" \
         aria-label=\"二维码 QR code: {}\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
        escape(url)
    );
    for y in 0..n {
        let row = &dark[y * n..(y + 1) * n];
        let mut x = 0;
        while x < n {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && row[x] {
                x += 1;
            }
            let len = x - start;
            let _ = write!(
                svg,
                "M{} {}h{len}v1h-{len}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            );
        }
    }
    svg.push_str("\"/></svg>");
    svg
}

/// HTML/XML-escapes text for an attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules an SVG of [`qr_svg`] draws, read back from its path
    /// (`M{x} {y}h{len}v1h-{len}z` runs), as a square of `size` × `size`.
    fn modules(svg: &str) -> (usize, Vec<bool>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .unwrap()
            .parse()
            .unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut grid = vec![false; size * size];
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let run = run.strip_suffix('z').expect("each run is closed");
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (len, back) = rest.split_once("v1h-").unwrap();
            assert_eq!(len, back, "a run goes back as far as it went");
            let (x, y, len): (usize, usize, usize) =
                (x.parse().unwrap(), y.parse().unwrap(), len.parse().unwrap());
            for i in x..x + len {
                assert!(!grid[y * size + i], "runs do not overlap");
                grid[y * size + i] = true;
            }
        }
        (size, grid)
    }

    /// Decodes the SVG as a camera would see it: rendered at 4 pixels per module.
    fn decode(svg: &str) -> String {
        let (size, grid) = modules(svg);
        let px = 4;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(size * px, size * px, |x, y| {
            if grid[(y / px) * size + x / px] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the picture");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn the_svg_decodes_to_the_url() {
        for url in [
            "http://127.0.0.1:8080/public/draws/440000-2026-r1-d1",
            "https://fairpanel.hrss.gd.gov.cn/public/draws/440000-2026-r12-d3",
        ] {
            let svg = qr_svg(url);
            assert_eq!(decode(&svg), url);
        }
    }

    #[test]
    fn the_svg_is_inline_square_and_has_a_quiet_zone() {
        let url = "https://example.org/public/draws/d1";
        let svg = qr_svg(url);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\""));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"), "placed inside HTML as it is");
        assert!(!svg.contains("href") && !svg.contains("<script") && !svg.contains("<image"));
        assert!(svg.contains(&format!("aria-label=\"二维码 QR code: {url}\"")));
        let (size, grid) = modules(&svg);
        // Version 3 (29 modules) is the smallest that holds this URL at level M.
        assert_eq!(size, 29 + 2 * QUIET_ZONE);
        for i in 0..size {
            for q in 0..QUIET_ZONE {
                for (x, y) in [(i, q), (q, i), (i, size - 1 - q), (size - 1 - q, i)] {
                    assert!(!grid[y * size + x], "quiet zone at ({x}, {y})");
                }
            }
        }
        // The top-left finder pattern: a dark 7 × 7 ring around a light ring.
        let at = |x: usize, y: usize| grid[(y + QUIET_ZONE) * size + x + QUIET_ZONE];
        assert!((0..7).all(|i| at(i, 0) && at(0, i) && at(i, 6) && at(6, i)));
        assert!((1..6).all(|i| !at(i, 1) && !at(1, i)));
        assert!(at(3, 3));
    }

    #[test]
    fn text_in_the_label_is_escaped_and_too_long_a_text_gives_nothing() {
        let svg = qr_svg("https://x.example/?a=1&b=\"<2>\"");
        assert!(svg.contains("a=1&amp;b=&quot;&lt;2&gt;&quot;"), "{svg}");
        assert_eq!(decode(&svg), "https://x.example/?a=1&b=\"<2>\"");
        assert_eq!(qr_svg(&"x".repeat(5000)), "");
        // Longer than level M holds, within level L: still a code.
        let long = format!("https://example.org/{}", "a".repeat(2400));
        assert!(qr_svg(&long).starts_with("<svg"));
    }
}
