//! Vietnamese text: normalisation for output, folding for search, numbers for readers.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Text in NFC, the form every page is written in. Returns the input untouched (no
/// allocation beyond the copy) when it is already NFC, which is the common case.
pub fn nfc(s: &str) -> String {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s.to_owned(),
        _ => s.nfc().collect(),
    }
}

/// Folds text for search: tone and vowel marks removed, đ/Đ → d, lowercase, anything that
/// is not a letter or digit becomes one space. "Đăng ký khai sinh", its NFD form and
/// "dang ky khai sinh" all fold to the same string, and so do "hoà" and "hòa".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        };
        if c.is_alphanumeric() || c == '.' && !space {
            for l in c.to_lowercase() {
                out.push(l);
            }
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    while out.ends_with(' ') || out.ends_with('.') {
        out.pop();
    }
    out
}

/// An integer with `.` between thousands: `15000` → `15.000`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A decimal number as Vietnamese writes it: `0.5` → `0,5`, `3.0` → `3`.
pub fn decimal(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        group_thousands(x as i64)
    } else {
        let s = format!("{x}");
        s.replace('.', ",")
    }
}

/// A URL segment of a unit folder: lowercase ASCII letters, digits and `-`.
pub fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A procedure code usable as a URL segment: ASCII letters, digits, `.`, `-`, `_`, not
/// starting with `.`.
pub fn is_code(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_tones_and_d() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        let nfd: String = "Đăng ký khai sinh".nfd().collect();
        assert_eq!(fold(&nfd), "dang ky khai sinh");
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("thuỷ"), fold("thủy"));
        assert_eq!(fold("Mã: 1.001193"), "ma 1.001193");
        assert_eq!(fold("  Hộ tịch, (cấp xã)  "), "ho tich cap xa");
    }

    #[test]
    fn nfc_composes() {
        let nfd: String = "Hộ tịch".nfd().collect();
        assert_ne!(nfd, "Hộ tịch");
        assert_eq!(nfc(&nfd), "Hộ tịch");
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(15000), "15.000");
        assert_eq!(group_thousands(1234567), "1.234.567");
        assert_eq!(decimal(0.5), "0,5");
        assert_eq!(decimal(3.0), "3");
    }
}
