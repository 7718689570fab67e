//! Vietnamese text: normalisation for output, folding for search, numbers for readers.

use std::borrow::Cow;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Text in NFC, the form every page is written in. Returns the input untouched (no
/// allocation beyond the copy) when it is already NFC, which is the common case.
pub fn nfc(s: &str) -> String {
    nfc_cow(s).into_owned()
}

/// [`nfc`], borrowing the input when it already is NFC.
pub fn nfc_cow(s: &str) -> Cow<'_, str> {
    if plainly_nfc(s) {
        return Cow::Borrowed(s);
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(s.nfc().collect()),
    }
}

/// Whether `s` holds only characters below U+0300, of Latin Extended Additional
/// (U+1E00–U+1EFF, the precomposed Vietnamese letters with tone marks), punctuation
/// (U+2002–U+206F: dashes, quotes, …) and currency signs (₫): each of those is
/// NFC by itself and combines with nothing before it (quick check Yes, combining class
/// 0; a test checks every one), so such a text is NFC. Nearly every Vietnamese text is;
/// the full check's table lookups were a tenth of the time to load a site.
///
/// Read from the UTF-8 bytes (lead byte, and the next ones where a range starts or ends
/// inside a lead byte's block), not decoded char by char: every text of every procedure
/// goes through here (a test checks it against the ranges, char by char).
fn plainly_nfc(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        let (plain, len) = match lead {
            0x00..=0x7f => (true, 1),
            // U+0080–U+02FF.
            0xc2..=0xcb => (true, 2),
            0xc0..=0xdf => (false, 2),
            // U+1E00–U+1EFF: E1 B8 80 – E1 BB BF.
            0xe1 => (matches!(b.get(i + 1), Some(0xb8..=0xbb)), 3),
            // U+2002–U+206F (E2 80 82 – E2 81 AF), U+20A0–U+20CF (E2 82 A0 – E2 83 8F).
            0xe2 => (
                matches!(
                    (b.get(i + 1), b.get(i + 2)),
                    (Some(0x80), Some(0x82..))
                        | (Some(0x81), Some(..=0xaf))
                        | (Some(0x82), Some(0xa0..))
                        | (Some(0x83), Some(..=0x8f))
                ),
                3,
            ),
            _ => (false, 1),
        };
        if !plain {
            return false;
        }
        i += len;
    }
    true
}

/// Folds text for search: tone and vowel marks removed, đ/Đ → d, lowercase, anything that
/// is not a letter or digit becomes one space. "Đăng ký khai sinh", its NFD form and
/// "dang ky khai sinh" all fold to the same string, and so do "hoà" and "hòa".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] appended to `out` (the search index folds all of a procedure's texts into one
/// buffer instead of allocating a string per text).
///
/// Most text (ASCII and precomposed Vietnamese, in NFC or NFD) goes through a table of
/// what each character folds to; a string holding any character the table cannot answer
/// for alone is folded the slow way, by full decomposition ([`fold_slow_into`]). The
/// two agree on every string: see the tests, which compare them character by character
/// and on the national database's texts.
pub fn fold_into(s: &str, out: &mut String) {
    let start = out.len();
    if !fold_fast(s, out) {
        out.truncate(start);
        fold_slow_into(s, out);
    }
}

/// The reference fold, by full canonical decomposition (NFD), for any text.
pub fn fold_slow_into(s: &str, out: &mut String) {
    let start = out.len();
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
    trim_folded(out, start);
}

/// Drops the spaces and dots a fold ends with (not below `start`).
fn trim_folded(out: &mut String, start: usize) {
    let keep = out[start..].trim_end_matches([' ', '.']).len();
    out.truncate(start + keep);
}

/// Table entries that are not a character (characters are below 0x110000).
const SKIP: u32 = 0x11_0000;
const SPACE: u32 = 0x11_0001;
const DOT: u32 = 0x11_0002;
const SLOW: u32 = 0x11_0003;
/// Characters the table covers: Latin, Vietnamese, combining marks, punctuation, symbols.
const TABLE_LEN: usize = 0x3000;

/// What each character below [`TABLE_LEN`] folds to: a lowercase letter or digit, a
/// separator (`SPACE`), a dot (`DOT`), nothing (`SKIP`, a mark), or `SLOW`.
///
/// Why per character is enough: NFD decomposes each character on its own and then only
/// reorders runs of non-starters (combining class ≠ 0). The fold drops every combining
/// mark, so when every non-starter is a mark the reordering cannot show, and a character's
/// fold is that of its own decomposition. A character whose decomposition keeps a
/// non-starter, keeps more than one character, or lowercases to more than one, is `SLOW`.
fn table() -> &'static [u32] {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_LEN as u32)
            .map(|u| char::from_u32(u).map_or(SLOW, entry))
            .collect()
    })
}

fn entry(c: char) -> u32 {
    use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
    let mut kept: Vec<char> = Vec::new();
    decompose_canonical(c, |d| {
        if !is_combining_mark(d) {
            kept.push(d)
        }
    });
    let k = match kept.as_slice() {
        [] => return SKIP,
        [k] if canonical_combining_class(*k) == 0 => *k,
        _ => return SLOW,
    };
    let k = match k {
        'đ' | 'Đ' => 'd',
        _ => k,
    };
    if k.is_alphanumeric() {
        let mut lower = k.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l as u32,
            _ => SLOW,
        }
    } else if k == '.' {
        DOT
    } else {
        SPACE
    }
}

/// What each ASCII byte folds to: itself lowercased (letters, digits), `A_SPACE` or
/// `A_DOT`. (The table of [`table`] says the same; this one is a byte wide and known at
/// compile time, for the bulk of any text.)
const A_SPACE: u8 = 0;
const A_DOT: u8 = 1;
const ASCII: [u8; 128] = {
    let mut t = [A_SPACE; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        } else if c == b'.' {
            t[b] = A_DOT;
        }
        b += 1;
    }
    t
};

/// The fold by table; false (with `out` partly written) when a character needs the slow
/// path. ASCII is read byte by byte, other characters decoded by hand (`s` is UTF-8).
fn fold_fast(s: &str, out: &mut String) -> bool {
    let start = out.len();
    let table = table();
    let bytes = s.as_bytes();
    let mut space = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            match ASCII[b as usize] {
                A_SPACE => {
                    if !space {
                        out.push(' ');
                        space = true;
                    }
                }
                A_DOT => {
                    if !space {
                        out.push('.');
                    }
                }
                l => {
                    out.push(l as char);
                    space = false;
                }
            }
            continue;
        }
        let cont = |k: usize| bytes.get(i + k).map_or(0, |b| u32::from(b & 0x3f));
        let c = match b {
            0xc0..=0xdf => {
                let c = (u32::from(b & 0x1f) << 6) | cont(1);
                i += 2;
                c
            }
            0xe0..=0xef => {
                let c = (u32::from(b & 0x0f) << 12) | (cont(1) << 6) | cont(2);
                i += 3;
                c
            }
            // Four-byte characters are beyond the table.
            _ => return false,
        };
        match table.get(c as usize).copied().unwrap_or(SLOW) {
            SKIP => {}
            SPACE => {
                if !space {
                    out.push(' ');
                    space = true;
                }
            }
            DOT => {
                if !space {
                    out.push('.');
                }
            }
            SLOW => return false,
            l => match char::from_u32(l) {
                Some(l) => {
                    out.push(l);
                    space = false;
                }
                None => return false,
            },
        }
    }
    trim_folded(out, start);
    true
}

/// An integer with `.` between thousands: `15000` → `15.000`.
pub fn group_thousands(n: i64) -> String {
    let mut out = String::with_capacity(26);
    push_thousands(&mut out, n);
    out
}

/// Appends [`group_thousands`] of `n` to `out`.
pub fn push_thousands(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n.unsigned_abs());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
}

/// Appends the decimal digits of `n` to `out`.
pub fn push_uint(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
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
    fn plainly_nfc_characters_are_nfc_alone_and_combine_with_nothing() {
        use unicode_normalization::char::canonical_combining_class;
        let ranges = [
            (0u32, 0x2FF),
            (0x1E00, 0x1EFF),
            (0x2002, 0x206F),
            (0x20A0, 0x20CF),
        ];
        for c in ranges
            .iter()
            .flat_map(|&(a, b)| a..=b)
            .filter_map(char::from_u32)
        {
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            // Nothing composes with a preceding letter either: `a` then c stays two.
            let pair: String = ['a', c].iter().collect();
            assert_eq!(pair.nfc().collect::<String>(), pair, "U+{:04X}", c as u32);
        }
        // The byte reading agrees with the ranges on every character up to U+3000 and
        // on either side of each range, alone and after Vietnamese text.
        let in_ranges = |c: char| ranges.iter().any(|&(a, b)| (a..=b).contains(&(c as u32)));
        for c in (0..0x3000u32)
            .chain([0xFEFF, 0xFFFD, 0x1_F600, 0x10_FFFF])
            .filter_map(char::from_u32)
        {
            for s in [c.to_string(), format!("Hộ tịch {c}")] {
                assert_eq!(plainly_nfc(&s), in_ranges(c), "U+{:04X}", c as u32);
            }
        }
        assert!(plainly_nfc("Đăng ký khai sinh, hộ tịch – 15.000 đồng"));
        let nfd: String = "ký".nfd().collect();
        assert!(!plainly_nfc(&nfd));
        assert_eq!(nfc(&nfd), "ký");
    }

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

    fn slow(s: &str) -> String {
        let mut out = String::new();
        fold_slow_into(s, &mut out);
        out
    }

    /// Every character below U+3000, alone and between letters, marks and dots, folds
    /// the same by table as by decomposition.
    #[test]
    fn fast_fold_equals_slow_fold_on_every_char() {
        for u in 0..0x3000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            for s in [
                format!("{c}"),
                format!("a{c}b"),
                format!("A.{c}.1"),
                format!("o\u{31b}{c}\u{301}x"),
                format!("{c}\u{323}\u{302} {c}"),
            ] {
                assert_eq!(fold(&s), slow(&s), "U+{u:04X} in {s:?}");
            }
        }
    }

    /// Vietnamese letters in NFC and NFD take the table (the point of it), and so does
    /// the typographic punctuation of legal texts.
    #[test]
    fn vietnamese_takes_the_fast_path() {
        let text = "Đăng ký khai sinh, hộ tịch – “thủy lợi” ở xã Ưng Hoà… ĂÂÊÔƠƯ ằẳẵặấầẩẫậ";
        for s in [text.to_owned(), text.nfd().collect::<String>()] {
            let mut out = String::new();
            assert!(fold_fast(&s, &mut out), "{s}");
            assert_eq!(out, slow(&s));
        }
    }

    /// Strings mixing the characters that interact in NFD (marks of several combining
    /// classes, letters with and without their own marks, dots, separators), from a
    /// fixed pseudo-random sequence.
    #[test]
    fn fast_fold_equals_slow_fold_on_mixed_strings() {
        let pool: Vec<char> =
            "aAđĐoơưỜệ.. ,–İǅ\u{300}\u{301}\u{303}\u{309}\u{323}\u{31b}\u{345}\u{5b0}\u{1dc0}가ﬁ①"
                .chars()
                .collect();
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(x % 9) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(pool[(x % pool.len() as u64) as usize]);
            }
            x = x.wrapping_add(1);
            assert_eq!(fold(&s), slow(&s), "{s:?}");
        }
    }

    /// The 5,652 records of the national database (`../shared/data/dvcqg`, or
    /// `NIEMYET_SHARED`): every line folds the same both ways.
    #[test]
    fn fast_fold_equals_slow_fold_on_the_national_records() {
        let shared = std::env::var("NIEMYET_SHARED")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
        let dir = shared.join("data/dvcqg");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: no records at {}", dir.display());
            return;
        };
        let (mut files, mut slow_lines) = (0, 0);
        for e in rd.flatten() {
            if e.path().extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            files += 1;
            for line in text.lines() {
                let mut out = String::new();
                if !fold_fast(line, &mut out) {
                    slow_lines += 1;
                }
                assert_eq!(fold(line), slow(line), "{}: {line}", e.path().display());
            }
            assert_eq!(fold(&text), slow(&text));
        }
        assert!(files >= 5_000, "{files} records in {}", dir.display());
        eprintln!("{files} records, {slow_lines} lines need the slow path");
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
        assert_eq!(group_thousands(-1234), "-1.234");
        assert_eq!(group_thousands(i64::MIN), "-9.223.372.036.854.775.808");
        let mut s = String::new();
        for n in [0, 7, 9, 10, 11, 42, 99, 100, 999, 1000, u64::MAX] {
            push_uint(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "0 7 9 10 11 42 99 100 999 1000 18446744073709551615 ");
        assert_eq!(decimal(0.5), "0,5");
        assert_eq!(decimal(3.0), "3");
    }
}
