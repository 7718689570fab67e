//! The form to write: for a key, an example of its value in TOML; for a value written
//! wrongly in a common way (a date as `01/07/2025`, an amount as `15.000`, a time as
//! `"3 ngày làm việc"`), the same value written rightly. Messages show these after
//! "Viết:" / "Write:", so a webmaster can copy the line.

use super::msg::{last_name, Expected, Msg, TomlProblem};
use crate::date::Date;
use toml_spanner::ErrorKind;

/// An example line for `key` (its last name is what the webmaster writes inside its
/// table), e.g. `effective = 2025-07-01`.
pub fn example(key: &str) -> Option<String> {
    let name = last_name(key);
    if key == "feedback.agency" || key.ends_with(".feedback.agency") {
        return Some("agency = \"Văn phòng Ủy ban nhân dân tỉnh\"".to_owned());
    }
    let value = match name {
        "title" => "\"Thủ tục hành chính tỉnh Tuyên Quang\"",
        "base_url" => "\"https://thutuc.example.gov.vn/\"",
        "licence" => "\"CC-BY-4.0\"",
        "licence_url" => "\"https://creativecommons.org/licenses/by/4.0/\"",
        "theme" => "\"default\"",
        "language" => "\"vi\"",
        "feedback" => "{ agency = \"Văn phòng Ủy ban nhân dân tỉnh\", address = \"…\" }",
        "office" => "{ name = \"Trung tâm Phục vụ hành chính công xã\", address = \"…\" }",
        "kind" => "\"xa\"",
        "code" => "\"1.001193\"",
        "adopt" => "[\"1.001193\", \"1.000894\"]",
        "adopt_levels" => "[\"xa\"]",
        "former" => "[{ path = \"huyen-cu/xa-cu\", name = \"Xã Cũ\", date = 2025-07-01 }]",
        "path" => "\"huyen-cu/xa-cu\"",
        "basis" => "\"Nghị quyết số 1656/NQ-UBTVQH15\"",
        "phone" => "\"0207 3822 000\"",
        "email" => "\"motcua@example.gov.vn\"",
        "website" | "online_url" | "url" => "\"https://dichvucong.gov.vn/\"",
        // Not a real date: a webmaster copying the line must write theirs.
        "date" | "effective" | "repealed" | "updated" => "YYYY-MM-DD",
        // Not a real code: it must be another procedure's, never the file's own.
        "replaced_by" => "\"<Điền mã thủ tục thay thế>\"",
        "sector" => "\"Hộ tịch\"",
        "level" => "\"xa\"",
        "decision" => "\"163/QĐ-BTP\"",
        "applicants" => "[\"Công dân Việt Nam\"]",
        "agency" => "\"Ủy ban nhân dân cấp xã\"",
        "result" => "[\"Giấy khai sinh\"]",
        "legal_basis" => "[\"Luật Hộ tịch 2014 (60/2014/QH13)\"]",
        "online" => "\"toan-trinh\"",
        "keywords" => "[\"làm giấy khai sinh\"]",
        "channels" => {
            "[{ method = \"truc-tiep\", time = { value = 3, unit = \"working-days\" }, fees = [] }]"
        }
        "dossier" => "[{ items = [{ name = \"Tờ khai\", originals = 1, copies = 0 }] }]",
        "forms" => "[{ name = \"Tờ khai\", file = \"forms/to-khai.pdf\" }]",
        "steps" => "\"\"\"Bước 1: …\"\"\"",
        "unpublished" => "[\"fees\"]",
        "method" => "\"truc-tiep\"",
        "time" => "{ value = 3, unit = \"working-days\" }",
        "fees" => "[{ amount = 15000, text = \"Lệ phí\" }]",
        "value" => "3",
        "unit" => "\"working-days\"",
        "amount" => "15000",
        "case" => "\"Trường hợp ủy quyền\"",
        "items" => "[{ name = \"Tờ khai\", originals = 1, copies = 0 }]",
        "originals" => "1",
        "copies" => "0",
        "form" => "\"Tờ khai\"",
        "file" => "\"forms/to-khai.pdf\"",
        "extra" => "{ logo = \"logo.png\" }",
        "source" => "{ origin = \"dvcqg\" }",
        "name"
        | "address"
        | "hours"
        | "note"
        | "text"
        | "raw"
        | "requirements"
        | "authority"
        | "place"
        | "description"
        | "procedure_type"
        | "delegated_agency"
        | "coordinating_agency" => "\"…\"",
        _ => return None,
    };
    Some(format!("{name} = {value}"))
}

/// The known name closest to `unknown` ("ý bạn là …?"), among `(name, Vietnamese label)`
/// pairs: the same name in other letter case or with `-` for `_`; else the nearest by
/// edit distance (one slip in a short name, a third of a long one: `adpot` → `adopt`);
/// else the name whose label it spells without diacritics (`phi_le_phi` → `fees`,
/// `thoi-han` → `time`, `cap-xa` → `xa`).
pub fn closest<'a>(
    unknown: &str,
    candidates: impl Iterator<Item = (&'a str, &'a str)>,
) -> Option<String> {
    let candidates: Vec<(&str, &str)> = candidates.collect();
    let plain = |s: &str| s.trim().to_lowercase().replace(['-', ' '], "_");
    let u = plain(unknown);
    if u.is_empty() {
        return None;
    }
    if let Some((name, _)) = candidates.iter().find(|(n, _)| plain(n) == u) {
        return Some((*name).to_owned());
    }
    let limit = (u.chars().count() / 3).max(1);
    let near = candidates
        .iter()
        .map(|(n, _)| (strsim::damerau_levenshtein(&u, &plain(n)), *n))
        .filter(|(dist, _)| *dist <= limit)
        .min();
    if let Some((_, name)) = near {
        return Some(name.to_owned());
    }
    let words = |s: &str| -> String {
        crate::text::fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let u = words(unknown);
    if u.len() < 2 {
        return None;
    }
    // The label spelled out whole, or the unknown name starting it (`thoi_han` for
    // "thời hạn giải quyết"), or starting with it (`ten_thu_tuc` for "tên").
    let by_label = |exact: bool| {
        candidates.iter().find_map(|(name, label)| {
            let l = words(label);
            let hit = if exact {
                l == u
            } else {
                !l.is_empty()
                    && (l.starts_with(&format!("{u} ")) || u.starts_with(&format!("{l} ")))
            };
            hit.then(|| (*name).to_owned())
        })
    };
    by_label(true).or_else(|| by_label(false))
}

/// The line to write instead of a value of the wrong type, from what was written
/// (`raw`: the value's source text) when it can be read, else [`example`].
pub fn for_wrong_type(key: &str, expected: Expected, raw: &str) -> Option<String> {
    let line = for_wrong_type_value(key, expected, raw)?;
    // An item of a list (`adopt[1]`): the line writes the list (`adopt = ["1.001193"]`).
    if key.ends_with(']') && !matches!(expected, Expected::Table | Expected::TableList) {
        if let Some(value) = line.strip_prefix(&format!("{} = ", last_name(key))) {
            if !value.starts_with('[') {
                return Some(format!("{} = [{value}]", last_name(key)));
            }
        }
    }
    Some(line)
}

fn for_wrong_type_value(key: &str, expected: Expected, raw: &str) -> Option<String> {
    let name = last_name(key);
    if name == "amount" {
        if let Some(n) = whole_number(raw) {
            return Some(format!("amount = {n}"));
        }
        let folded = crate::text::fold(unquote(raw));
        if ["mien", "khong thu", "khong mat", "0 dong"]
            .iter()
            .any(|w| folded.contains(w))
        {
            // "miễn phí": free is 0 with its words, or no fee at all (`fees = []`).
            return Some("{ amount = 0, text = \"Miễn phí\" }".to_owned());
        }
        if let Some(n) = whole_float(raw).filter(|_| raw.contains(['e', 'E'])) {
            return Some(format!("amount = {n}"));
        }
        if raw.parse::<f64>().is_ok() && !raw.starts_with(['"', '\'']) {
            // 20.5: which whole number of đồng is not for niemyet to guess.
            return Some("amount = SỐ_ĐỒNG".to_owned());
        }
    }
    let recognised = match expected {
        Expected::Date => Some(date_or_form(raw)),
        Expected::WholeNumber | Expected::Number => whole_number(raw).or_else(|| whole_float(raw)),
        Expected::Table if name == "time" => time(raw).map(|t| format!("{name} = {t}")),
        Expected::Text | Expected::String if !raw.starts_with(['"', '\'', '[', '{']) => {
            Some(format!("{name} = {}", quoted(raw)))
        }
        Expected::TextList | Expected::List
            if raw.starts_with(['"', '\''])
                && !matches!(name, "channels" | "dossier" | "forms") =>
        {
            Some(format!("{name} = [{raw}]"))
        }
        _ => None,
    };
    match (expected, recognised) {
        (Expected::Date, Some(d)) => Some(format!("{name} = {d}")),
        (Expected::WholeNumber | Expected::Number, Some(n)) => Some(format!("{name} = {n}")),
        (_, Some(line)) => Some(line),
        (_, None) => example(key),
    }
}

/// The date to write for a date written wrongly: the date itself when all of it is there
/// ([`date`]), else the form with what is known and placeholders for the rest
/// (`tháng 8/2025` → `2025-08-DD`, anything else → `YYYY-MM-DD`): never a made-up date.
pub fn date_or_form(raw: &str) -> String {
    if let Some(d) = date(raw) {
        return d;
    }
    let numbers = numbers_in(unquote(raw));
    let year = numbers.iter().copied().find(|n| (1900..=2200).contains(n));
    let month = numbers.iter().copied().find(|n| (1..=12).contains(n));
    match (year, month, numbers.len()) {
        (Some(y), Some(m), 2) => format!("{y}-{m:02}-DD"),
        (Some(y), _, 1) => format!("{y}-MM-DD"),
        _ => "YYYY-MM-DD".to_owned(),
    }
}

/// The numbers written in a text, in order (`ngày 15 tháng 8 năm 2025` → 15, 8, 2025).
fn numbers_in(s: &str) -> Vec<u32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty() && p.len() <= 4)
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// A date from `01/07/2025`, `1-7-2025`, `2025-7-1`, `2025/08/15`, `"2025-07-01"`, or
/// Vietnamese words (`ngày 15/8/2025`, `ngày 15 tháng 8 năm 2025`), as `2025-07-01`.
pub fn date(raw: &str) -> Option<String> {
    let s = unquote(raw);
    let folded = crate::text::fold(s);
    if folded.contains("ngay") || folded.contains("thang") || folded.contains("nam") {
        // Words around the numbers: day, month, year in the order Vietnamese writes them.
        let n = numbers_in(s);
        let [d, m, y] = n.as_slice() else {
            return None;
        };
        if *y < 1000 {
            return None;
        }
        let date = Date::new(
            i32::try_from(*y).ok()?,
            u8::try_from(*m).ok()?,
            u8::try_from(*d).ok()?,
        )?;
        return Some(date.iso());
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (a, b, c) = (num(a)?, num(b)?, num(c)?);
    // Year first when it has four digits, else last (Vietnamese day/month/year).
    let (y, m, d) = if parts[0].len() == 4 {
        (a, b, c)
    } else if parts[2].len() == 4 {
        (c, b, a)
    } else {
        return None;
    };
    let date = Date::new(
        i32::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(d).ok()?,
    )?;
    Some(date.iso())
}

/// A float that is a whole number (`1e3`, `2000.0`), as its digits.
fn whole_float(raw: &str) -> Option<String> {
    let x: f64 = raw.trim().parse().ok()?;
    (x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 && raw.contains(['e', 'E', '.']))
        .then(|| format!("{}", x as i64))
}

/// A whole number from `15.000`, `15,000`, `15.000.000` or `"15.000 đồng"`: the digits.
pub fn whole_number(raw: &str) -> Option<String> {
    let s = unquote(raw);
    let s = s
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .trim();
    let groups: Vec<&str> = s.split(['.', ',', ' ']).collect();
    let grouped = groups.len() > 1
        && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    let plain = groups.len() == 1 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (grouped || plain)
        .then(|| groups.concat().trim_start_matches('0').to_owned())
        .map(|n| if n.is_empty() { "0".to_owned() } else { n })
}

/// A processing time from words (`3 ngày làm việc`, `"15 ngày"`, `4 giờ`) as an inline
/// table; a text that is not a number of units becomes `{ text = "…" }`.
pub fn time(raw: &str) -> Option<String> {
    let s = unquote(raw).trim().to_owned();
    if s.is_empty() {
        return None;
    }
    let (number, rest) = s
        .split_once(char::is_whitespace)
        .map_or((s.as_str(), ""), |(a, b)| (a, b.trim()));
    let value = number.replace(',', ".");
    let is_number = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && value.parse::<f64>().is_ok();
    let unit = match crate::text::fold(rest).as_str() {
        "ngay lam viec" => Some("working-days"),
        "ngay" => Some("days"),
        "gio" => Some("hours"),
        "thang" => Some("months"),
        "nam" => Some("years"),
        _ => None,
    };
    match (is_number, unit) {
        (true, Some(unit)) => {
            let value = value.trim_start_matches('0');
            let value = if value.is_empty() || value.starts_with('.') {
                format!("0{value}")
            } else {
                value.to_owned()
            };
            Some(format!("{{ value = {value}, unit = \"{unit}\" }}"))
        }
        _ => Some(format!("{{ text = {} }}", quoted(&s))),
    }
}

/// The message for TOML the parser refused: the key it was reading, what the mistake
/// most likely is, judged from the line it stopped on, and the line to write.
pub fn toml_error(e: &toml_spanner::Error, toml: &str) -> Msg {
    let span = e.span();
    let shown = e.to_string().trim().replace('\n', " ");
    // "invalid integer: leading zeros are not allowed at `effective`": the parser's
    // words, then the key path (0-based indices).
    let (detail, key) = match shown.rsplit_once(" at `") {
        Some((detail, path)) => (
            detail.to_owned(),
            Some(one_based(path.trim_end_matches('`'))),
        ),
        None => (shown.clone(), None),
    };
    match e.kind() {
        // The span of a duplicate is the key written the second time.
        ErrorKind::DuplicateKey { .. } => {
            let written = toml
                .get(span.start as usize..span.end as usize)
                .map(str::trim)
                .filter(|k| !k.is_empty());
            Msg::DuplicateKey {
                key: written.map(str::to_owned).or(key).unwrap_or_default(),
            }
        }
        // The parser says "value out of range for Max recursion depth exceeded".
        ErrorKind::OutOfRange { ty, .. } if ty.contains("recursion") => Msg::Toml {
            key: None,
            problem: TomlProblem::TooDeep,
            fix: None,
            detail,
        },
        _ => {
            let at = (span.start as usize).min(toml.len());
            let start = toml[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = toml[at..].find('\n').map_or(toml.len(), |i| at + i);
            let mut line = &toml[start..end];
            let fence = matches!(line.trim(), "+++" | "---");
            // An unclosed list or table is found where the next line starts.
            if !fence && (line.trim().is_empty() || at == start) {
                let before = toml[..start].trim_end_matches(['\n', '\r']);
                line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
            }
            let col = at.saturating_sub(start).min(line.len());
            let (problem, fix) = toml_problem_at(line, col, key.as_deref(), &detail);
            // Inside an inline table the parser names the table: name the key written.
            let key = match (key, assignment_near(line, col)) {
                (Some(k), Some((n, _))) if line.contains('{') && last_name(&k) != n => {
                    Some(format!("{k}.{n}"))
                }
                (k, _) => k,
            };
            Msg::Toml {
                key,
                problem,
                fix,
                detail,
            }
        }
    }
}

/// `channels[0].fees` → `channels[1].fees`: the parser counts from 0, messages from 1.
fn one_based(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let j = rest.find(']').unwrap_or(rest.len());
        match rest[..j].parse::<usize>() {
            Ok(n) => out.push_str(&(n + 1).to_string()),
            Err(_) => out.push_str(&rest[..j]),
        }
        rest = &rest[j..];
    }
    out.push_str(rest);
    out
}

/// What the TOML parser's stop on `line` most likely means, with the line to write when
/// niemyet can tell. `key`: the key the parser was reading (its path's last part).
pub fn toml_problem(line: &str, key: Option<&str>, detail: &str) -> (TomlProblem, Option<String>) {
    toml_problem_at(line, line.len(), key, detail)
}

/// The `key = value` around byte `col` of `line`, inside an inline table too
/// (`{ amount = 1.200.000, text = "…" }` → `amount`, `1.200.000`): the last `=` before
/// `col`, the name before it, the value after it up to the next key or the table's end.
fn assignment_near(line: &str, col: usize) -> Option<(&str, &str)> {
    let col = (0..=col.min(line.len()))
        .rev()
        .find(|&i| line.is_char_boundary(i))
        .unwrap_or(0);
    let eq = line[..col].rfind('=').or_else(|| line.find('='))?;
    let before = line[..eq].trim_end();
    let key_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let key = &before[key_start..];
    let rest = line[eq + 1..].trim_start();
    let mut end = rest.find(['}', ']', '#']).unwrap_or(rest.len());
    // Up to the next `, name =`.
    let mut search = 0;
    while let Some(i) = rest[search..end].find(", ") {
        let at = search + i;
        let next = rest[at + 2..].trim_start();
        let word: String = next
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() && next[word.len()..].trim_start().starts_with('=') {
            end = at;
            break;
        }
        search = at + 2;
    }
    let value = rest[..end].trim().trim_end_matches(',').trim();
    (!key.is_empty()).then_some((key, value))
}

/// [`toml_problem`] for a stop at byte `col` of `line`.
pub fn toml_problem_at(
    line: &str,
    col: usize,
    key: Option<&str>,
    detail: &str,
) -> (TomlProblem, Option<String>) {
    let trimmed = line.trim();
    // Front matter fences in a `.toml` file.
    if trimmed == "+++" || trimmed == "---" {
        return (TomlProblem::FenceInToml, None);
    }
    // Full-width signs from an input method: `＝`, `：`.
    if line.contains(['＝', '：']) {
        let fixed = line.replace(['＝', '：'], "=");
        return (TomlProblem::FullWidth, Some(fixed.trim().to_owned()));
    }
    // Curly quotes from a word processor.
    if line.contains(['“', '”']) {
        let fixed = line.replace(['“', '”'], "\"");
        return (TomlProblem::CurlyQuotes, Some(fixed.trim().to_owned()));
    }
    // `sector: "Hộ tịch"`: a colon where `=` goes.
    if detail.contains("found a colon") || (!line.contains('=') && line.contains(':')) {
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim();
            if !k.is_empty()
                && k.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                return (TomlProblem::Colon, Some(format!("{k} = {}", v.trim())));
            }
        }
    }
    let near = assignment_near(line, col);
    let (written_key, value) = match split_assignment(line) {
        Some((k, v)) if !k.contains('{') => (Some(k), v),
        _ => match near {
            Some((k, v)) => (Some(k), v),
            None => (None, ""),
        },
    };
    let key = key.or(written_key);
    // In an inline table the parser names the table; the name written is the key.
    let key = match (key, near) {
        (Some(k), Some((n, _))) if !last_name(k).eq(n) && line.contains('{') => Some(n),
        (k, _) => k,
    };
    let with_key = |v: String| key.map(|k| format!("{} = {v}", last_name(k)));
    let name = key.map(last_name).unwrap_or("");
    let is_date_key = matches!(name, "effective" | "repealed" | "updated" | "date");
    if detail.contains("float overflow") || detail.contains("out of range") && !is_date_key {
        return (TomlProblem::NumberTooLarge, key.and_then(example));
    }
    if value.contains("YYYY") || value.contains("MM-DD") {
        return (TomlProblem::SampleDate, None);
    }
    if value.contains("SỐ") {
        return (TomlProblem::SampleNumber, None);
    }
    if let Some(n) = whole_number(value).filter(|_| value.contains(['.', ','])) {
        return (TomlProblem::GroupedNumber, with_key(n));
    }
    if detail.contains("unclosed array") {
        return (TomlProblem::UnclosedList, None);
    }
    if detail.contains("unclosed inline table") {
        return (TomlProblem::UnclosedTable, None);
    }
    if detail.contains("unterminated") {
        return (TomlProblem::UnclosedString, None);
    }
    if detail.contains("missing comma") || detail.contains("expected `,`") {
        return (TomlProblem::MissingComma, None);
    }
    if written_key.is_some() && value.is_empty() {
        return (TomlProblem::NoValue, key.and_then(example));
    }
    if value.is_empty() {
        return (TomlProblem::Other, None);
    }
    let slashes = value.contains('/') && value.bytes().all(|b| b.is_ascii_digit() || b == b'/');
    if slashes || (is_date_key && !value.starts_with(['"', '\''])) {
        if let Some(d) = date(value) {
            let first = unquote(value).split(['/', '-', '.']).next().unwrap_or("");
            let year_first = first.len() == 4 && first.bytes().all(|b| b.is_ascii_digit());
            let problem = if !first.bytes().all(|b| b.is_ascii_digit()) || first.is_empty() {
                TomlProblem::DateWords
            } else if year_first && value.contains(['/', '.']) {
                TomlProblem::DateSeparator
            } else if year_first {
                TomlProblem::DateDigits
            } else {
                TomlProblem::DateDayFirst
            };
            return (problem, with_key(d));
        }
        if detail.contains("out of range") {
            return (TomlProblem::DateImpossible, key.and_then(example));
        }
        if is_date_key {
            return (TomlProblem::DateWords, with_key(date_or_form(value)));
        }
    }
    if name == "time"
        || value.split_whitespace().nth(1).is_some_and(|w| {
            matches!(
                crate::text::fold(w).as_str(),
                "ngay" | "gio" | "thang" | "nam"
            )
        })
    {
        if let Some(t) = time(value) {
            return (TomlProblem::TimeWords, key.map(|_| format!("time = {t}")));
        }
    }
    if !value.starts_with(['"', '\'', '[', '{']) {
        return (TomlProblem::Unquoted, with_key(quoted(value)));
    }
    (TomlProblem::Other, None)
}

/// `key = value # comment` → (`key`, `value`), the comment and spaces cut.
fn split_assignment(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once('=')?;
    let k = k.trim();
    if k.is_empty() || k.contains(['"', '[', '{']) && !k.starts_with('"') {
        return None;
    }
    let v = v.trim();
    // A comment starts at `#` outside quotes.
    let mut in_quote: Option<char> = None;
    let mut end = v.len();
    for (i, c) in v.char_indices() {
        match (in_quote, c) {
            (None, '"' | '\'') => in_quote = Some(c),
            (Some(q), c) if c == q => in_quote = None,
            (None, '#') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    Some((k, v[..end].trim()))
}

/// A TOML basic string holding `s`.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in unquote(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the format knows has a form to show.
    #[test]
    fn every_key_has_an_example() {
        let nested = [
            "name",
            "address",
            "phone",
            "email",
            "hours",
            "website",
            "agency",
            "path",
            "date",
            "basis",
            "method",
            "time",
            "fees",
            "note",
            "value",
            "unit",
            "text",
            "raw",
            "amount",
            "case",
            "items",
            "originals",
            "copies",
            "form",
            "file",
            "url",
        ];
        let keys = crate::config::SITE_KEYS
            .iter()
            .chain(crate::content::extract::PROCEDURE_KEYS)
            .chain(&["kind", "code", "office", "adopt", "adopt_levels", "former"])
            .chain(&nested);
        for key in keys {
            let line = example(key).unwrap_or_else(|| panic!("no example for `{key}`"));
            assert!(line.starts_with(&format!("{key} = ")), "{line}");
            // It is TOML.
            assert!(
                line.parse::<toml::Table>().is_ok()
                    || line.contains('…')
                    || line.ends_with("YYYY-MM-DD"),
                "{line}"
            );
        }
    }

    #[test]
    fn the_closest_key_is_suggested() {
        let keys = [
            "adopt",
            "adopt_levels",
            "name",
            "kind",
            "office",
            "feedback",
        ];
        let with_labels = || keys.iter().map(|k| (*k, crate::diag::msg::label(k)));
        assert_eq!(closest("adpot", with_labels()).as_deref(), Some("adopt"));
        assert_eq!(closest("Name", with_labels()).as_deref(), Some("name"));
        assert_eq!(
            closest("adopt-levels", with_labels()).as_deref(),
            Some("adopt_levels")
        );
        assert_eq!(closest("ten", with_labels()).as_deref(), Some("name"));
        assert_eq!(
            closest("loai_don_vi", with_labels()).as_deref(),
            Some("kind")
        );
        assert_eq!(closest("zzzzzz", with_labels()), None);
        let procedure = ["fees", "time", "channels", "agency", "applicants"];
        let with_labels = || procedure.iter().map(|k| (*k, crate::diag::msg::label(k)));
        assert_eq!(
            closest("phi_le_phi", with_labels()).as_deref(),
            Some("fees")
        );
        assert_eq!(closest("thoi_han", with_labels()).as_deref(), Some("time"));
        assert_eq!(closest("agnecy", with_labels()).as_deref(), Some("agency"));
        let levels = [("xa", "Cấp xã"), ("tinh", "Cấp tỉnh")];
        assert_eq!(closest("cap-xa", levels.into_iter()).as_deref(), Some("xa"));
    }

    #[test]
    fn dates_written_day_first_or_without_zeros_are_rewritten() {
        assert_eq!(date("01/07/2025").as_deref(), Some("2025-07-01"));
        assert_eq!(date("\"1/7/2025\"").as_deref(), Some("2025-07-01"));
        assert_eq!(date("2025-7-1").as_deref(), Some("2025-07-01"));
        assert_eq!(date("31.12.2025").as_deref(), Some("2025-12-31"));
        assert_eq!(date("30/02/2025"), None, "no such day");
        assert_eq!(date("2025"), None);
    }

    #[test]
    fn amounts_with_thousands_separators_lose_them() {
        assert_eq!(whole_number("15.000").as_deref(), Some("15000"));
        assert_eq!(whole_number("15,000,000").as_deref(), Some("15000000"));
        assert_eq!(whole_number("\"15.000 đồng\"").as_deref(), Some("15000"));
        assert_eq!(whole_number("1.5"), None);
        assert_eq!(whole_number("abc"), None);
    }

    #[test]
    fn times_in_words_become_tables() {
        assert_eq!(
            time("\"3 ngày làm việc\"").as_deref(),
            Some("{ value = 3, unit = \"working-days\" }")
        );
        assert_eq!(
            time("0,5 ngày").as_deref(),
            Some("{ value = 0.5, unit = \"days\" }")
        );
        assert_eq!(
            time("\"Trong ngày\"").as_deref(),
            Some("{ text = \"Trong ngày\" }")
        );
    }

    #[test]
    fn the_parsers_stops_are_read_from_the_line() {
        let p = |line: &str, detail: &str| toml_problem(line, None, detail);
        assert_eq!(
            p(
                "effective = 01/07/2025",
                "invalid integer: leading zeros are not allowed"
            ),
            (
                TomlProblem::DateDayFirst,
                Some("effective = 2025-07-01".into())
            )
        );
        assert_eq!(
            p(
                "effective = 2025-7-1",
                "invalid datetime: expected 2-digit month"
            ),
            (
                TomlProblem::DateDigits,
                Some("effective = 2025-07-01".into())
            )
        );
        assert_eq!(
            p(
                "amount = 15.000.000 # phí",
                "expected newline, found a period"
            ),
            (TomlProblem::GroupedNumber, Some("amount = 15000000".into()))
        );
        assert_eq!(
            p(
                "time = 3 ngày làm việc",
                "expected newline, found an identifier"
            ),
            (
                TomlProblem::TimeWords,
                Some("time = { value = 3, unit = \"working-days\" }".into())
            )
        );
        assert_eq!(
            p("name = Đăng ký", "unexpected character found"),
            (TomlProblem::Unquoted, Some("name = \"Đăng ký\"".into()))
        );
        assert_eq!(
            p(
                "phone = 0207 3822 000",
                "invalid integer: leading zeros are not allowed"
            ),
            (
                TomlProblem::Unquoted,
                Some("phone = \"0207 3822 000\"".into())
            )
        );
        assert_eq!(p("kind =", "unexpected character").0, TomlProblem::NoValue);
    }
}
