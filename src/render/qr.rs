//! QR codes printed on paper: the noticeboard pack and printed procedure pages carry a
//! code that leads a citizen back to the live page from the wall of the one-stop desk.
//!
//! Drawn here: each unit's code (its page: the pack's cover, danh mục and feedback
//! sheets) and the file `/tthc/<code>/qr.svg` of each distinct code (the site-wide page
//! of the code, for a procedure page printed on its own). A noticeboard sheet's own code
//! (the unit's page of the procedure, `/<unit>/<code>/`) is drawn by the browser when the
//! pack is opened (`themes/default/static/qr.js`): one for every sheet of every unit was
//! 408,000 codes in the national benchmark, twice its build time, for packs few print.
//! A former unit's addresses lead on at every depth (`old/<code>/`), so a board printed
//! before a merger keeps scanning to a live page.

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::types::QrResult;
use qrcode::{Color, EcLevel, Version};

/// A unit's QR code, drawn twice: inline for HTML (the pack's cover), and as a `data:`
/// URL for CSS (the margin boxes, or Firefox's in-flow headers, of the danh mục and
/// feedback sheets).
///
/// A procedure page printed on its own shows the file `tthc/<code>/qr.svg`
/// ([`procedure_qr_file`], drawn by [`printed`]), shared by every unit publishing the
/// code: drawn inline it was 4 KB of every procedure page.
#[derive(Debug, Clone)]
pub struct Qr {
    /// What the code encodes.
    pub url: String,
    /// `<svg …>` without the XML declaration, sized by CSS (`class="qr-code"`).
    pub svg: String,
    /// `url("data:image/svg+xml,…")`, sized in millimetres, ready for CSS `content:`.
    pub css_image: String,
}

/// Where a procedure's QR code is written, relative to the output folder.
pub fn procedure_qr_file(code: &str) -> String {
    ["tthc/", code, "/qr.svg"].concat()
}

/// Side of the printed code in the page margin (qr.js draws the sheets' codes at the same
/// size). At 25 mm a version-5 code (addresses of up to 84 characters: 45 modules with
/// its quiet zone) has modules of about 0.55 mm: a cheap phone reads it from a forearm's
/// length.
const PRINT_SIZE_MM: u32 = 25;

impl Qr {
    /// Encodes `url` with medium error correction (survives a crease or a pin hole).
    pub fn new(url: &str) -> Result<Qr, String> {
        let code = Drawn::of(url)?;
        Ok(Qr {
            url: url.to_owned(),
            svg: code.svg(
                r#"class="qr-code" role="img" aria-hidden="true" focusable="false" "#,
                "100%",
            ),
            css_image: code.css_image(),
        })
    }
}

/// The content of a procedure's QR code file: a standalone SVG sized in millimetres (a
/// build draws one for each of thousands of codes and needs nothing else of it).
pub fn printed(url: &str) -> Result<String, String> {
    Ok(Drawn::of(url)?.svg("", &format!("{PRINT_SIZE_MM}mm")))
}

/// A code's dark modules as an SVG path, and its side with the quiet zone.
struct Drawn {
    path: String,
    side: usize,
}

impl Drawn {
    fn of(url: &str) -> Result<Drawn, String> {
        let (colors, width) =
            encode(url).map_err(|e| format!("cannot draw a QR code of {url}: {e}"))?;
        Ok(Drawn {
            path: dark_runs(&colors, width),
            // A 4-module quiet zone on every side, as the standard asks.
            side: width + 8,
        })
    }

    /// The printed copy (sized in millimetres) as a CSS `data:` image.
    fn css_image(&self) -> String {
        let printed = self.svg("", &format!("{PRINT_SIZE_MM}mm"));
        format!(r#"url("data:image/svg+xml,{}")"#, data_escape(&printed))
    }

    fn svg(&self, attrs: &str, w: &str) -> String {
        let Drawn { path, side } = self;
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" {attrs}width="{w}" height="{w}" viewBox="-4 -4.5 {side} {side}" shape-rendering="crispEdges"><rect x="-4" y="-4.5" width="{side}" height="{side}" fill="#fff"/><path stroke="#000" d="{path}"/></svg>"##
        )
    }
}

/// The modules of `url`'s code (medium error correction) and its width: what
/// `QrCode::with_error_correction_level` gives, with the same mask, chosen faster.
///
/// Kept for the 20k benchmark target (CPU no more than the build before Tera 2): the
/// crate scores each of the eight masks through a boxed closure per module, about 0.3 ms
/// a code, and a build draws a code for every distinct procedure (20,000 there); scored
/// on rows of bits ([`best_mask_bits`]) a code takes a tenth of that (with the crate's
/// choice, 2,000 procedures of the 20k site take 85 % more instructions). Tested against the
/// crate (`encode_matches_the_qrcode_crate`) and the module-by-module penalty
/// (`penalty_by_bits_is_penalty_by_modules`). Codes 64 modules wide or more (addresses
/// of over 200 characters) are left to the crate.
fn encode(url: &str) -> QrResult<(Vec<Color>, usize)> {
    let bits = qrcode::bits::encode_auto(url.as_bytes(), EcLevel::M)?;
    let version = bits.version();
    let data = bits.into_bytes();
    let (encoded, ec) = qrcode::ec::construct_codewords(&data, version, EcLevel::M)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec);
    let width = version.width() as usize;
    if matches!(version, Version::Micro(_)) || width >= 64 {
        return Ok((canvas.apply_best_mask().into_colors(), width));
    }
    canvas.apply_mask(best_mask_bits(&canvas, width));
    Ok((canvas.into_colors(), width))
}

/// The mask the crate would choose for an unmasked code of `w` modules (below 64): each
/// of the eight scored on the rows as bits, the mask and the format information put in
/// by shifts and masks. The crate applied every mask to a copy of the code, a function
/// call per module, and that was half of drawing a code (a code is drawn for every
/// distinct procedure and every unit).
fn best_mask_bits(canvas: &Canvas, w: usize) -> MaskPattern {
    let unmasked = UnmaskedRows::of(canvas, w);
    let mut best = (u32::MAX, MASKS[0]);
    for pattern in MASKS {
        let score = penalty_rows(&unmasked.masked(pattern)[..w], w);
        // The first of equal scores, as the crate's `min_by_key`.
        if score < best.0 {
            best = (score, pattern);
        }
    }
    best.1
}

/// A code before masking, as rows of bits (bit x of row y: column x), codes below 64
/// modules wide.
struct UnmaskedRows {
    w: usize,
    /// The module is dark.
    dark: [u64; 63],
    /// The module is data, which masks flip.
    data: [u64; 63],
}

impl UnmaskedRows {
    fn of(canvas: &Canvas, w: usize) -> UnmaskedRows {
        let mut rows = UnmaskedRows {
            w,
            dark: [0; 63],
            data: [0; 63],
        };
        for y in 0..w.min(63) {
            for x in 0..w.min(63) {
                match canvas.get(x as i16, y as i16) {
                    Module::Masked(Color::Dark) => rows.dark[y] |= 1 << x,
                    Module::Masked(Color::Light) => {}
                    Module::Unmasked(c) => {
                        rows.data[y] |= 1 << x;
                        if c == Color::Dark {
                            rows.dark[y] |= 1 << x;
                        }
                    }
                    // A module left empty is masked as a light data module.
                    Module::Empty => rows.data[y] |= 1 << x,
                }
            }
        }
        rows
    }

    /// The rows with `pattern` applied, as the crate's `apply_mask` leaves the code:
    /// data modules flipped where the mask says, and the format information drawn.
    fn masked(&self, pattern: MaskPattern) -> [u64; 63] {
        let w = self.w.min(63);
        let mut rows = [0u64; 63];
        for (y, row) in rows.iter_mut().enumerate().take(w) {
            *row = self.dark[y] ^ (flip_row(pattern, y) & self.data[y]);
        }
        // The format information (error correction level and mask), drawn in two copies
        // along the finder patterns, its most significant bit first.
        let format = FORMAT_INFO_M[pattern as usize];
        let at = |c: i16| {
            if c < 0 {
                (c + w as i16) as usize
            } else {
                c as usize
            }
        };
        for coords in [&FORMAT_COORDS_MAIN, &FORMAT_COORDS_SIDE] {
            for (i, &(x, y)) in coords.iter().enumerate() {
                let (x, y) = (at(x), at(y));
                if format >> (14 - i) & 1 == 1 {
                    rows[y] |= 1 << x;
                } else {
                    rows[y] &= !(1 << x);
                }
            }
        }
        rows
    }
}

/// The columns (bits) of row `y` that mask `pattern` flips. Along a row every mask
/// repeats every two, three or six modules: six are worked out and repeated, rather than
/// each module of each of the eight masks.
fn flip_row(pattern: MaskPattern, y: usize) -> u64 {
    let six = (0..6)
        .filter(|&x| mask_flips(pattern, x, y))
        .fold(0u64, |m, x| m | 1 << x);
    (0..64).step_by(6).fold(0, |row, shift| row | six << shift)
}

/// Whether mask `pattern` flips the module at column `x`, row `y` (ISO/IEC 18004, table
/// 10; the formulas of the crate's `MaskPattern`).
fn mask_flips(pattern: MaskPattern, x: usize, y: usize) -> bool {
    match pattern {
        MaskPattern::Checkerboard => (x + y).is_multiple_of(2),
        MaskPattern::HorizontalLines => y.is_multiple_of(2),
        MaskPattern::VerticalLines => x.is_multiple_of(3),
        MaskPattern::DiagonalLines => (x + y).is_multiple_of(3),
        MaskPattern::LargeCheckerboard => ((y / 2) + (x / 3)).is_multiple_of(2),
        MaskPattern::Fields => (x * y) % 2 + (x * y) % 3 == 0,
        MaskPattern::Diamonds => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        MaskPattern::Meadow => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// The 15-bit format information of error correction level M with each mask, in mask
/// order (ISO/IEC 18004, annex C: BCH code, then XOR `101010000010010`).
const FORMAT_INFO_M: [u32; 8] = [
    0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0,
];

/// Where the format information's bits go, most significant first: `(column, row)`, a
/// negative number counting from the far edge.
const FORMAT_COORDS_MAIN: [(i16, i16); 15] = [
    (0, 8),
    (1, 8),
    (2, 8),
    (3, 8),
    (4, 8),
    (5, 8),
    (7, 8),
    (8, 8),
    (8, 7),
    (8, 5),
    (8, 4),
    (8, 3),
    (8, 2),
    (8, 1),
    (8, 0),
];
const FORMAT_COORDS_SIDE: [(i16, i16); 15] = [
    (8, -1),
    (8, -2),
    (8, -3),
    (8, -4),
    (8, -5),
    (8, -6),
    (8, -7),
    (-8, 8),
    (-7, 8),
    (-6, 8),
    (-5, 8),
    (-4, 8),
    (-3, 8),
    (-2, 8),
    (-1, 8),
];

/// The masks of a (non-Micro) QR code, in the order the `qrcode` crate tries them.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The penalty of a masked code (ISO/IEC 18004, 7.8.3) as the `qrcode` crate computes it,
/// less the constant it subtracts for the three finder patterns: runs of five or more
/// modules alike in a row or column, 2×2 blocks alike, finder-like runs `#.###.#` with
/// four light modules (or the edge) on one side, and the imbalance of dark and light.
/// Module by module: the reference [`penalty_rows`] is tested against.
#[cfg(test)]
fn penalty(colors: &[Color], w: usize) -> u32 {
    // Rows, then columns as rows of a transposed copy: every line is a contiguous slice.
    let rows: Vec<bool> = colors.iter().map(|c| *c == Color::Dark).collect();
    let mut cols = vec![false; rows.len()];
    for (y, row) in rows.chunks_exact(w).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            cols[x * w + y] = d;
        }
    }
    let mut score = 0u32;
    for line in rows.chunks_exact(w).chain(cols.chunks_exact(w)) {
        score += line_penalty(line);
    }
    for (top, bottom) in rows.chunks_exact(w).zip(rows.chunks_exact(w).skip(1)) {
        for (t, b) in top.windows(2).zip(bottom.windows(2)) {
            if t[0] == t[1] && b[0] == t[0] && b[1] == t[0] {
                score += 3;
            }
        }
    }
    let ratio = rows.iter().filter(|d| **d).count() * 200 / rows.len();
    score + ratio.abs_diff(100) as u32
}

/// [`penalty`] with every row and column as the bits of a `u64` (codes up to version 11,
/// 61 modules: every procedure address): the 2×2 blocks, runs and finder-like patterns of
/// a whole line are found by shifts and masks instead of module by module, which made
/// choosing the mask most of drawing a code, and a code was drawn for every procedure.
#[cfg(test)]
fn penalty_bits(colors: &[Color], w: usize) -> u32 {
    let mut rows = [0u64; 63];
    for (y, row) in colors.chunks_exact(w).take(63).enumerate() {
        for (x, c) in row.iter().take(63).enumerate() {
            if *c == Color::Dark {
                rows[y] |= 1 << x;
            }
        }
    }
    penalty_rows(&rows[..w.min(63)], w)
}

/// [`penalty_bits`] of a code given as its rows (bit x of row y: module x, y is dark).
fn penalty_rows(rows: &[u64], w: usize) -> u32 {
    let mut cols = [0u64; 63];
    for (y, row) in rows.iter().enumerate() {
        let mut bits = *row;
        while bits != 0 {
            let x = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            cols[x] |= 1 << y;
        }
    }
    let cols = &cols[..rows.len()];
    let mut score: u32 = rows
        .iter()
        .chain(cols)
        .map(|&l| line_penalty_bits(l, w))
        .sum();
    // Bit x: the modules x and x + 1 of both rows are alike.
    let pairs = (1u64 << (w - 1)) - 1;
    for (a, b) in rows.iter().zip(&rows[1..]) {
        let alike = !(a ^ (a >> 1)) & !(a ^ b) & !(b ^ (b >> 1)) & pairs;
        score += 3 * alike.count_ones();
    }
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let ratio = dark as usize * 200 / (w * w);
    score + ratio.abs_diff(100) as u32
}

/// [`line_penalty`] of a line of `w` modules (bit x: module x is dark), `w` below 64.
fn line_penalty_bits(line: u64, w: usize) -> u32 {
    // Bit x: modules x and x + 1 are alike; then: modules x to x + 4 are alike. A run
    // of n ≥ 5 alike scores n − 2: its n − 4 places of five alike, and 2 for its start.
    let alike = !(line ^ (line >> 1)) & ((1u64 << (w - 1)) - 1);
    let five = alike & (alike >> 1) & (alike >> 2) & (alike >> 3);
    let mut score = five.count_ones() + 2 * (five & !(five << 1)).count_ones();
    if w < 7 {
        return score;
    }
    // Bit j: `#.###.#` starts at module j.
    let mut finders = line
        & !(line >> 1)
        & (line >> 2)
        & (line >> 3)
        & (line >> 4)
        & !(line >> 5)
        & (line >> 6)
        & ((1u64 << (w - 6)) - 1);
    while finders != 0 {
        let j = finders.trailing_zeros() as usize;
        finders &= finders - 1;
        let from = j.saturating_sub(4);
        let before = line & (((1u64 << (j - from)) - 1) << from) != 0;
        let to = (j + 11).min(w);
        let after = line & (((1u64 << (to - (j + 7))) - 1) << (j + 7)) != 0;
        if !before || !after {
            score += 40;
        }
    }
    score
}

/// The penalties of one row or column: runs of five or more alike, and finder-like runs.
#[cfg(test)]
fn line_penalty(line: &[bool]) -> u32 {
    let mut score = 0u32;
    let mut run = 1u32;
    for pair in line.windows(2) {
        if pair[0] == pair[1] {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
    }
    if run >= 5 {
        score += run - 2;
    }
    // `#.###.#`
    let finder = |w: &[bool]| w[0] && !w[1] && w[2] && w[3] && w[4] && !w[5] && w[6];
    for (j, window) in line.windows(7).enumerate() {
        if !finder(window) {
            continue;
        }
        let before = line[j.saturating_sub(4)..j].contains(&true);
        let after = line[j + 7..(j + 11).min(line.len())].contains(&true);
        if !before || !after {
            score += 40;
        }
    }
    score
}

/// The dark modules as one SVG path drawn with a stroke one module wide: each horizontal
/// run of dark modules a line through the middle of its row (the view box is shifted by
/// half a module, so row `y`'s middle is `y`), `M{x} {y}h{len}` for a row's first run and
/// `m{gap} 0h{len}` from the end of the one before: half the bytes of a rectangle per run
/// (`M{x} {y}h{len}v1H{x}z`, [`dark_rects`], what the test reads back), in every
/// `tthc/<code>/qr.svg` and pack cover.
fn dark_runs(colors: &[Color], width: usize) -> String {
    let mut d = String::with_capacity(width * width / 2);
    let mut n = itoa::Buffer::new();
    for (y, row) in colors.chunks(width).enumerate() {
        // The end of the row's last run so far, where the pen is.
        let mut pen: Option<usize> = None;
        let mut x = 0;
        while x < row.len() {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] == Color::Dark {
                x += 1;
            }
            match pen {
                None => {
                    d.push('M');
                    d.push_str(n.format(start));
                    d.push(' ');
                    d.push_str(n.format(y));
                }
                Some(end) => {
                    d.push('m');
                    d.push_str(n.format(start - end));
                    d.push_str(" 0");
                }
            }
            d.push('h');
            d.push_str(n.format(x - start));
            pen = Some(x);
        }
    }
    d
}

/// The path [`dark_runs`] replaced, a filled rectangle per run: the plain form its test
/// reads back module by module.
#[cfg(test)]
fn dark_rects(colors: &[Color], width: usize) -> String {
    let mut d = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let start = x;
                while x < row.len() && row[x] == Color::Dark {
                    x += 1;
                }
                d.push_str(&format!("M{start} {y}h{}v1H{start}z", x - start));
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
/// and line breaks are escaped, `<` is written `\3c ` so no `</style>` can appear, and
/// other control characters (C0, DEL, C1) are left out.
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
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The faster mask choice gives exactly the crate's code: 400 procedure addresses
    /// (every mask wins for some) and longer ones, up to several versions larger.
    #[test]
    fn encode_matches_the_qrcode_crate() {
        let mut urls: Vec<String> = (0..400)
            .map(|i| {
                format!(
                    "https://thutuc.example.gov.vn/tthc/{}.{:06}/",
                    1 + i % 3,
                    i * 37
                )
            })
            .collect();
        for n in [1, 10, 40, 90, 150, 300] {
            urls.push(format!("https://{}.gov.vn/tthc/1.001193/", "a".repeat(n)));
        }
        for url in &urls {
            let theirs =
                qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
            let (ours, width) = encode(url).unwrap();
            assert_eq!(width, theirs.width(), "{url}");
            assert!(ours == theirs.to_colors(), "{url}: another mask chosen");
        }
    }

    /// The code of an address with an `n`-letter host, before masking, and its width.
    fn unmasked_code(n: usize) -> (Canvas, usize) {
        let url = format!("https://{}.gov.vn/tthc/1.001193/", "a".repeat(n));
        let bits = qrcode::bits::encode_auto(url.as_bytes(), EcLevel::M).unwrap();
        let version = bits.version();
        let (data, ec) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).unwrap();
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        (canvas, version.width() as usize)
    }

    /// Masks put in by bits leave every module as the crate's `apply_mask` does, format
    /// information included, for every mask at every size an address takes.
    #[test]
    fn masks_by_bits_are_the_crates_masks() {
        for n in [1, 10, 25, 40, 60, 90, 120, 150] {
            let (canvas, w) = unmasked_code(n);
            let unmasked = UnmaskedRows::of(&canvas, w);
            for pattern in MASKS {
                let mut c = canvas.clone();
                c.apply_mask(pattern);
                let colors = c.into_colors();
                let mut want = [0u64; 63];
                for (y, row) in colors.chunks_exact(w).enumerate() {
                    for (x, color) in row.iter().enumerate() {
                        if *color == Color::Dark {
                            want[y] |= 1 << x;
                        }
                    }
                }
                assert_eq!(unmasked.masked(pattern), want, "{pattern:?}, {w} modules");
            }
        }
    }

    /// The penalty by bits is the penalty module by module, for every mask of codes of
    /// every width the bits hold, and for random modules (runs, blocks and finder-like
    /// patterns at the edges included).
    #[test]
    fn penalty_by_bits_is_penalty_by_modules() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for w in (1..64).chain([21, 25, 29, 33, 37, 41, 45, 49, 53, 57, 61].repeat(20)) {
            let colors: Vec<Color> = (0..w * w)
                .map(|_| {
                    if random() % 3 == 0 {
                        Color::Light
                    } else {
                        Color::Dark
                    }
                })
                .collect();
            assert_eq!(penalty_bits(&colors, w), penalty(&colors, w), "width {w}");
        }
        for n in [1, 10, 40, 90, 150] {
            let (canvas, w) = unmasked_code(n);
            for pattern in MASKS {
                let mut c = canvas.clone();
                c.apply_mask(pattern);
                let colors = c.into_colors();
                if w < 64 {
                    assert_eq!(
                        penalty_bits(&colors, w),
                        penalty(&colors, w),
                        "{n}: {pattern:?}"
                    );
                }
            }
        }
    }

    /// The modules (column, row) a path of `dark_runs` strokes: `M{x} {y}`, `m{dx} 0`,
    /// `h{len}`, a stroke one module wide through the middle of the row.
    fn stroked_modules(d: &str) -> std::collections::BTreeSet<(usize, usize)> {
        let mut out = std::collections::BTreeSet::new();
        let (mut x, mut y) = (0usize, 0usize);
        let mut rest = d;
        let num = |s: &str| -> (usize, usize) {
            let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
            (s[..end].parse().unwrap(), end)
        };
        while let Some(c) = rest.chars().next() {
            rest = &rest[1..];
            match c {
                'M' | 'm' => {
                    let (a, n) = num(rest);
                    let (b, k) = num(&rest[n + 1..]);
                    rest = &rest[n + 1 + k..];
                    if c == 'M' {
                        (x, y) = (a, b);
                    } else {
                        assert_eq!(b, 0, "moves within a row");
                        x += a;
                    }
                }
                'h' => {
                    let (len, n) = num(rest);
                    rest = &rest[n..];
                    out.extend((x..x + len).map(|i| (i, y)));
                    x += len;
                }
                _ => panic!("{c} in {d}"),
            }
        }
        out
    }

    /// The modules a path of `dark_rects` fills: `M{x} {y}h{len}v1H{x}z` each.
    fn filled_modules(d: &str) -> std::collections::BTreeSet<(usize, usize)> {
        let mut out = std::collections::BTreeSet::new();
        for rect in d.split('z').filter(|r| !r.is_empty()) {
            let r = rect.strip_prefix('M').unwrap();
            let (xy, rest) = r.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let len: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            out.extend((x..x + len).map(|i| (i, y)));
        }
        out
    }

    /// The stroked path covers exactly the dark modules, as the rectangles did, at every
    /// size an address takes, in half their bytes or less.
    #[test]
    fn stroked_runs_are_the_dark_modules() {
        let mut urls: Vec<String> = (0..200)
            .map(|i| {
                format!(
                    "https://thutuc.example.gov.vn/tinh-{i}/xa-{}/1.{:06}/",
                    i * 7,
                    i * 37
                )
            })
            .collect();
        for n in [1, 10, 40, 90, 150] {
            urls.push(format!("https://{}.gov.vn/tthc/1.001193/", "a".repeat(n)));
        }
        for url in &urls {
            let (colors, w) = encode(url).unwrap();
            let dark: std::collections::BTreeSet<(usize, usize)> = colors
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == Color::Dark)
                .map(|(i, _)| (i % w, i / w))
                .collect();
            let (strokes, rects) = (dark_runs(&colors, w), dark_rects(&colors, w));
            assert_eq!(filled_modules(&rects), dark, "{url}");
            assert_eq!(stroked_modules(&strokes), dark, "{url}");
            assert!(
                strokes.len() * 2 <= rects.len() + 50,
                "{url}: {} / {}",
                strokes.len(),
                rects.len()
            );
        }
    }

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

    /// Control characters are left out, line breaks become spaces.
    #[test]
    fn css_strings_drop_controls() {
        assert_eq!(css_string("a\nb\u{7}c\u{85}d\te"), "\"a bcd e\"");
        assert_eq!(
            css_string("Xã Xuân Lập · Mã TTHC"),
            "\"Xã Xuân Lập · Mã TTHC\""
        );
    }
}
