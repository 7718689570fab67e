//! Short citations of legal documents for the printed danh mục: "Luật Hộ tịch
//! 60/2014/QH13", "Nghị định 123/2015/NĐ-CP", made by one rule from the full titles the
//! national database gives ("Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của
//! Chính phủ quy định chi tiết … (123/2015/NĐ-CP)").
//!
//! The rule: the document's number is the first number-like token of the trailing
//! parenthesis (where the database writes it), else of the title; its type is the one the
//! title starts with, else the one its number's suffix says (`NĐ-CP`: Nghị định, `TT-`:
//! Thông tư, `/QH`: Luật…). A law keeps its name ("Luật Hộ tịch"). With a number the
//! citation is type, name and number, never cut; without one, the title cut at a word
//! boundary. Tested over every legal-basis item of the 5,652 national records
//! (tests/real_pages.rs).

/// Document types, longest first so "Thông tư liên tịch" wins over "Thông tư". Matched
/// at the start of a title, case-insensitively.
const KINDS: &[&str] = &[
    "Thông tư liên tịch",
    "Nghị quyết liên tịch",
    "Văn bản hợp nhất",
    "Bộ luật",
    "Luật",
    "Nghị định",
    "Nghị quyết",
    "Thông tư",
    "Quyết định",
    "Pháp lệnh",
    "Chỉ thị",
    "Hiến pháp",
];

/// Words that end a law's name ("Luật Hộ tịch số 60/…", "Luật Đất đai ngày …").
const NAME_STOPS: &[&str] = &[
    "số", "ngày", "năm", "của", "được", "đã", "sửa", "và", "về", "quy", "hợp",
];

/// The longest a citation without a document number may be, in characters.
const MAX_TITLE: usize = 60;

/// A short citation: the document's type and name (`head`, may be empty) and its
/// number (empty when the title has none; then `head` is the title, cut between words).
/// Printed as `head number`, the number never broken across lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    pub head: String,
    pub number: String,
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.head.is_empty(), self.number.is_empty()) {
            (false, false) => write!(f, "{} {}", self.head, self.number),
            (true, _) => f.write_str(&self.number),
            (false, true) => f.write_str(&self.head),
        }
    }
}

/// The short citation of one legal-basis item, as text.
pub fn citation(item: &str) -> String {
    cite(item).to_string()
}

/// The short citation of one legal-basis item.
pub fn cite(item: &str) -> Citation {
    let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
    let item = item.trim_end_matches([';', '.', ',', ' ']);
    let (title, paren) = split_paren(item);
    let title = title.trim_end_matches([';', '.', ',', ' ']);
    // The parenthesis holds the number; a malformed one there ("225/NĐ-CP",
    // "72/2022//NĐ-CP") gives way to the title's well-formed number of the same serial.
    let number = match first_number(paren) {
        Some(p) if !is_standard(&p) => Some(
            numbers(title)
                .into_iter()
                .find(|t| is_standard(t) && serial(t) == serial(&p))
                .unwrap_or(p),
        ),
        Some(p) => Some(p),
        None => first_number(title),
    };
    // The number's suffix says the type best ("Hướng dẫn … (04/2020/TT-BTP)" is a Thông
    // tư); the title's own type wins when it is the more precise of the two ("Bộ luật" for
    // `/QH`, "Thông tư liên tịch" for `TT-`).
    let by_title = kind_at(title).or_else(|| kind_at(paren));
    let kind = match (by_title, number.as_deref().and_then(kind_of_number)) {
        (Some(t), Some(n)) if t.to_lowercase().contains(&n.to_lowercase()) => Some(t),
        (t, n) => n.or(t),
    };
    let Some(number) = number else {
        let base = if title.is_empty() { paren } else { title };
        return Citation {
            head: super::format::shorten(base, MAX_TITLE),
            number: String::new(),
        };
    };
    let mut head = String::with_capacity(48);
    if let Some(k) = kind {
        head.push_str(k);
        if k == "Luật" || k == "Bộ luật" || k == "Pháp lệnh" {
            if let Some(name) = kind_len(title).map(|n| law_name(&title[n..])) {
                if !name.is_empty() {
                    head.push(' ');
                    head.push_str(&name);
                }
            }
        }
    }
    Citation { head, number }
}

/// The citations of a list of items, each document once, as the danh mục prints them
/// ("…; …").
pub fn citations<S: AsRef<str>>(items: &[S]) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::with_capacity(items.len());
    for i in items {
        let c = cite(i.as_ref());
        let seen = out.iter().any(|o| {
            if c.number.is_empty() {
                *o == c
            } else {
                o.number == c.number
            }
        });
        let empty = c.head.is_empty() && c.number.is_empty();
        if !empty && !seen {
            out.push(c);
        }
    }
    out
}

/// `s` with the hyphens of its document numbers made non-breaking (U+2011), so that a
/// number in a free text ("theo Nghị định số 23/2015/NĐ-CP") is never broken across
/// lines of a narrow printed column.
pub fn keep_numbers_whole(s: &str) -> String {
    if !s.contains('-') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, w) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let bare = w.trim_matches(|c: char| ",;:.()[]\"'“”".contains(c));
        if is_number(bare) {
            out.push_str(&w.replace('-', "\u{2011}"));
        } else {
            out.push_str(w);
        }
    }
    out
}

/// `title (paren)` → (title, paren); an item without a closing parenthesis at its end is
/// all title.
fn split_paren(item: &str) -> (&str, &str) {
    if !item.ends_with(')') {
        return (item, "");
    }
    let mut depth = 0usize;
    for (i, c) in item.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (item[..i].trim_end(), &item[i + 1..item.len() - 1]);
                }
            }
            _ => {}
        }
    }
    (item, "")
}

/// The first document number in `s`: a token holding a digit and either a `/` or a `-`
/// followed by letters (`123/2015/NĐ-CP`, `38-CT/TW`, `73-CP`), not a date (`27/6/2025`).
/// A token ending in `-` or `/` is joined to the next ("TT- BTP" is written `TT-BTP`,
/// "35/ 2026/QĐ-UBND" `35/2026/QĐ-UBND`).
pub fn first_number(s: &str) -> Option<String> {
    numbers(s).into_iter().next()
}

/// Every document number in `s`, in order (see [`first_number`]).
fn numbers(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = s.split_whitespace().peekable();
    while let Some(w) = words.next() {
        let mut tok = w
            .trim_matches(|c: char| ",;:.()[]\"'“”".contains(c))
            .to_owned();
        while tok.ends_with('-') || tok.ends_with('/') {
            match words.peek() {
                Some(next)
                    if next.chars().next().is_some_and(|c| {
                        c.is_uppercase() || (tok.ends_with('/') && c.is_ascii_digit())
                    }) =>
                {
                    tok.push_str(next.trim_end_matches(|c: char| ",;:.()".contains(c)));
                    words.next();
                }
                _ => break,
            }
        }
        if is_number(&tok) {
            out.push(tok);
        }
    }
    out
}

/// `123/2015/NĐ-CP`: a serial, a four-digit year, an issuer.
fn is_standard(t: &str) -> bool {
    let mut parts = t.splitn(3, '/');
    let (Some(n), Some(y), Some(issuer)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        && y.len() == 4
        && y.chars().all(|c| c.is_ascii_digit())
        && issuer.starts_with(|c: char| c.is_uppercase())
}

/// The serial of a number: what comes before its first `/` or `-`.
fn serial(t: &str) -> &str {
    t.split(['/', '-']).next().unwrap_or(t)
}

fn is_number(t: &str) -> bool {
    let digit = t.chars().next().is_some_and(|c| c.is_ascii_digit());
    let upper = t.chars().any(|c| c.is_uppercase());
    let sep = t.contains('/') || t.contains('-');
    digit && upper && sep && !t.ends_with(['-', '/'])
}

/// The type a number's suffix says.
fn kind_of_number(n: &str) -> Option<&'static str> {
    let checks: &[(&str, &str)] = &[
        ("TTLT", "Thông tư liên tịch"),
        ("NQLT", "Nghị quyết liên tịch"),
        ("PL-", "Pháp lệnh"),
        ("NĐ", "Nghị định"),
        ("TT-", "Thông tư"),
        ("NQ", "Nghị quyết"),
        ("QĐ", "Quyết định"),
        ("CT-", "Chỉ thị"),
        ("L/", "Luật"),
        ("/QH", "Luật"),
    ];
    checks
        .iter()
        .find(|(k, _)| n.contains(k) || n.starts_with(k.trim_end_matches('-')))
        .map(|&(_, kind)| kind)
}

/// The byte length of the document type `s` starts with (case-insensitively), if any.
fn kind_len(s: &str) -> Option<usize> {
    KINDS.iter().find_map(|k| {
        let n = k.len();
        let head = s.get(..n)?;
        let boundary = s[n..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        (boundary && head.to_lowercase() == k.to_lowercase()).then_some(n)
    })
}

fn kind_at(s: &str) -> Option<&'static str> {
    let n = kind_len(s)?;
    KINDS
        .iter()
        .find(|k| k.len() == n && s[..n].to_lowercase() == k.to_lowercase())
        .copied()
}

/// A law's name after its type: words up to a number, a stop word or punctuation, at
/// most six ("Hộ tịch", "Đất đai", "Cư trú").
fn law_name(rest: &str) -> String {
    let mut name: Vec<&str> = Vec::new();
    for w in rest.split_whitespace() {
        // A comma stays inside a name ("Luật Khám bệnh, chữa bệnh").
        let bare = w.trim_end_matches([',', ';', ':', '.', ')']);
        let ends = w.ends_with([';', ':', '.', ')']);
        let lower = bare.to_lowercase();
        if bare.is_empty()
            || bare.starts_with(|c: char| c.is_ascii_digit() || c == '(')
            || NAME_STOPS.contains(&lower.as_str())
            || name.len() == 6
        {
            break;
        }
        name.push(if ends { bare } else { w });
        if ends {
            break;
        }
    }
    name.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cites_real_titles() {
        let cases = [
            ("Luật Hộ tịch ngày 20 tháng 11 năm 2014 (60/2014/QH13)", "Luật Hộ tịch 60/2014/QH13"),
            ("Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (123/2015/NĐ-CP)", "Nghị định 123/2015/NĐ-CP"),
            ("Thông tư quy định chi tiết một số điều của Luật Quản lý, sử dụng vũ khí (75/2024/TT-BCA)", "Thông tư 75/2024/TT-BCA"),
            ("quy định chi tiết về trình tự, thủ tục đăng ký thường trú (80/2011/TT-BCA)", "Thông tư 80/2011/TT-BCA"),
            ("Thông tư số 11/2020/TT- BTP ngày 31/12/2020 của Bộ trưởng Bộ Tư pháp (11/2020/TT-BTP)", "Thông tư 11/2020/TT-BTP"),
            ("Luật Năng lượng nguyên tử số 94/2025/QH15 ngày 27 tháng 6 năm 2025. (94/2025/QH15 ngày 27/6/2025)", "Luật Năng lượng nguyên tử 94/2025/QH15"),
            ("Luật số 44/2024/QH15 (44/2024/QH15)", "Luật 44/2024/QH15"),
            ("Luật Đất đai ngày 18/01/2024; (31/2024/QH15)", "Luật Đất đai 31/2024/QH15"),
            ("Nghị định 23/2026/NĐ-CP ngày 17/01/2026 của Chính phủ sửa đổi. (NĐ 23/2026/NĐ-CP)", "Nghị định 23/2026/NĐ-CP"),
            ("Nghị quyết số 66.18/2026/NQ-CP của Chính phủ: Phân quyền (66.18/2026/NQ-CP)", "Nghị quyết 66.18/2026/NQ-CP"),
            ("Chỉ thị số 38-CT/TW (Chỉ thị số 38-CT/TW)", "Chỉ thị 38-CT/TW"),
            ("Thông tư sửa đổi một số Thông tư về quỹ tín dụng nhân dân (Thông tư số 63/2025/TT-NHNN)", "Thông tư 63/2025/TT-NHNN"),
            ("BỘ LUẬT HÀNG HẢI VIỆT NAM (BỘ LUẬT  HÀNG HẢI VIỆT NAM)", "BỘ LUẬT HÀNG HẢI VIỆT NAM"),
            ("Luật dữ liệu (60/2024/QH15)", "Luật dữ liệu 60/2024/QH15"),
            ("Hướng dẫn một số điều của Luật Hộ tịch (04/2020/TT-BTP)", "Thông tư 04/2020/TT-BTP"),
            ("Bộ luật Dân sự số 91/2015/QH13 (91/2015/QH13)", "Bộ luật Dân sự 91/2015/QH13"),
            ("Luật Khám bệnh, chữa bệnh số: 15/2023/QH15 (15/QH15)", "Luật Khám bệnh, chữa bệnh 15/2023/QH15"),
            ("Nghị định 41/2016/NĐ-CP (41/201Đ-CP)", "Nghị định 41/2016/NĐ-CP"),
            ("Quy định trình tự cấp phép thi công (35/ 2026/QĐ-UBND)", "Quyết định 35/2026/QĐ-UBND"),
            ("Đính chính Nghị định số 151/2025/NĐ-CP ngày 12/6/2025 (2418/QĐ-BNNMT)", "Quyết định 2418/QĐ-BNNMT"),
            ("Quyết định số 76/2025/ QĐ-UBND ngày 30/6/2025 của UBND tỉnh (76/2025/ QĐ-UBND)", "Quyết định 76/2025/QĐ-UBND"),
        ];
        for (item, want) in cases {
            assert_eq!(citation(item), want, "{item}");
        }
    }

    #[test]
    fn long_titles_without_number_are_cut_between_words() {
        let item = "Quy định về thủ tục hải quan; kiểm tra, giám sát hải quan; thuế xuất khẩu thuế nhập khẩu và quản lý thuế";
        let c = citation(item);
        assert!(c.chars().count() <= MAX_TITLE + 1, "{c}");
        assert!(c.ends_with('…'));
        assert!(item.starts_with(c.trim_end_matches('…')));
    }

    #[test]
    fn numbers_in_free_text_keep_their_hyphens_on_one_line() {
        assert_eq!(
            keep_numbers_whole("15 giờ (Điều 7 Nghị định số 23/2015/NĐ-CP; dữ liệu gốc)"),
            "15 giờ (Điều 7 Nghị định số 23/2015/NĐ\u{2011}CP; dữ liệu gốc)"
        );
        assert_eq!(
            keep_numbers_whole("Trực tiếp - 3 ngày"),
            "Trực tiếp - 3 ngày"
        );
    }

    #[test]
    fn the_same_document_is_cited_once() {
        let items = ["Luật số 44/2024/QH15 (44/2024/QH15)", "Luật 44/2024/QH15"];
        let c = citations(&items);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].to_string(), "Luật 44/2024/QH15");
    }
}
