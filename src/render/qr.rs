//! QR codes printed on paper: the noticeboard sheets and printed procedure pages carry a
//! code that leads a citizen back to the live page from the wall of the one-stop desk.
//!
//! A procedure's code encodes the absolute URL of `/tthc/<code>/`, not of
//! `/<unit>/<code>/`: the procedure code is national and outlives every local
//! reorganisation, whereas a unit's path changes when it is merged or renamed and only
//! the unit's own page is redirected from its `former` path. A board printed before a
//! merger therefore keeps scanning to a live page that lists every unit publishing the
//! procedure today, with its time and fee.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// One QR code, drawn three ways: inline for HTML, as a `data:` URL for CSS margin boxes
/// (which repeat it on every printed sheet), and as a file.
///
/// A procedure's code is the file `tthc/<code>/qr.svg` ([`procedure_qr_file`]), shared by
/// every page and sheet of that code, which refer to it (`<img>`, `content: url(…)`): drawn
/// inline it was 4 KB of every procedure page and 9 KB of every sheet, a quarter of a
/// province's output. A unit's code is printed once, on its pack's cover, and stays
/// inline.
#[derive(Debug, Clone)]
pub struct Qr {
    /// What the code encodes.
    pub url: String,
    /// `<svg …>` without the XML declaration, sized by CSS (`class="qr-code"`).
    pub svg: String,
    /// `url("data:image/svg+xml,…")`, sized in millimetres, ready for CSS `content:`.
    pub css_image: String,
    /// A standalone SVG document sized in millimetres (a file's content).
    pub printed: String,
}

/// Where a procedure's QR code is written, relative to the output folder.
pub fn procedure_qr_file(code: &str) -> String {
    format!("tthc/{code}/qr.svg")
}

/// Side of the printed code in the page margin. At 25 mm a version-3 code (37 modules
/// with its quiet zone) has modules of about 0.7 mm: a cheap phone reads it from half a
/// metre.
const PRINT_SIZE_MM: u32 = 25;

impl Qr {
    /// Encodes `url` with medium error correction (survives a crease or a pin hole).
    pub fn new(url: &str) -> Result<Qr, String> {
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
            .map_err(|e| format!("cannot draw a QR code of {url}: {e}"))?;
        let path = dark_runs(&code.to_colors(), code.width());
        // A 4-module quiet zone on every side, as the standard asks.
        let side = code.width() + 8;
        let draw = |attrs: &str, w: &str| {
            format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" {attrs}width="{w}" height="{w}" viewBox="-4 -4 {side} {side}" shape-rendering="crispEdges"><rect x="-4" y="-4" width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
            )
        };
        let svg = draw(
            r#"class="qr-code" role="img" aria-hidden="true" focusable="false" "#,
            "100%",
        );
        let printed = draw("", &format!("{PRINT_SIZE_MM}mm"));
        Ok(Qr {
            url: url.to_owned(),
            svg,
            css_image: format!(r#"url("data:image/svg+xml,{}")"#, data_escape(&printed)),
            printed,
        })
    }
}

/// The dark modules as one SVG path, a rectangle per horizontal run: about a third of the
/// size of one square per module (what `qrcode`'s own SVG renderer writes), which matters
/// because every procedure page and sheet carries a code.
fn dark_runs(colors: &[Color], width: usize) -> String {
    let mut d = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let start = x;
                while x < row.len() && row[x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(d, "M{start} {y}h{}v1H{start}z", x - start);
            } else {
                x += 1;
            }
        }
    }
    d
}

/// Escapes SVG text for a `data:` URL inside a double-quoted CSS string inside `<style>`:
/// double quotes become single ones, and `<`, `>`, `#`, `%` are percent-encoded (so no
/// `</style>` can appear and `#` does not start a fragment).
fn data_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        match c {
            '"' => out.push('\''),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '\\' => out.push_str("%5C"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A CSS string literal (`"…"`) holding `s`, safe inside `<style>`: quotes, backslashes
/// and line breaks are escaped, and `<` is written `\3c ` so no `</style>` can appear.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_inline_ready_and_print_copy_is_sized() {
        let q = Qr::new("https://thutuc.example.gov.vn/tthc/1.001193/").unwrap();
        assert!(q.svg.starts_with("<svg ") && q.svg.contains(r#"class="qr-code""#));
        assert!(!q.svg.contains("<?xml"));
        assert!(q.svg.contains(r#"width="100%""#));
        assert!(q.css_image.contains("width='25mm'"), "{}", q.css_image);
        assert!(!q.css_image[5..q.css_image.len() - 2].contains('"'));
        assert!(!q.css_image.contains('<'));
    }

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert!(!css_string("x</style><script>").contains('<'));
    }
}
