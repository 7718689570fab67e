//! Values inside fields: lists split at commas, processing times, fee tiers.

use super::*;

/// Splits "A, B (x, y), C" at ", " outside parentheses when the next word is capitalised
/// (or a digit). Returns the items and whether some top-level ", " was left inside an item.
/// Joining the items with ", " gives the input back.
pub fn split_list(s: &str) -> (Vec<String>, bool) {
    let mut items = Vec::new();
    let mut ambiguous = false;
    let mut depth: usize = 0;
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 && bytes.get(i + 1) == Some(&b' ') => {
                let next = s.get(i + 2..).and_then(|r| r.chars().next());
                match next {
                    Some(n) if n.is_uppercase() || n.is_ascii_digit() => {
                        items.push(s.get(start..i).unwrap_or("").to_string());
                        start = i + 2;
                    }
                    _ => ambiguous = true,
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        ambiguous = true;
    }
    items.push(s.get(start..).unwrap_or("").to_string());
    (items, ambiguous)
}

/// Whether `s` is a number: digits, optionally one `.` or `,` and more digits.
pub(super) fn number_parts(s: &str) -> Option<(&str, Option<&str>)> {
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match s.split_once(['.', ',']) {
        Some((a, b)) if all_digits(a) && all_digits(b) => Some((a, Some(b))),
        None if all_digits(s) => Some((s, None)),
        _ => None,
    }
}

/// `Thời hạn giải quyết`.
pub fn parse_time(raw: &str, tags: &mut Vec<&'static str>) -> Time {
    let s = raw.trim();
    if s.is_empty() || s == "OTHER" {
        tags.push("time:empty");
        return Time::Unpublished;
    }
    let text = |t: &str| Time::Text {
        text: t.to_string(),
        raw: s.to_string(),
    };
    if let Some(rest) = s.strip_suffix(" OTHER") {
        let rest = rest.trim();
        if number_parts(rest).is_some() {
            tags.push("time:n-other");
            return text(OTHER_TIME_TEXT);
        }
        if !rest.chars().any(char::is_alphanumeric) {
            tags.push("time:punctuation-other");
            return Time::Unpublished;
        }
        tags.push("time:text-other");
        return text(rest);
    }
    if let Some((num, unit)) = s.split_once(' ') {
        let unit_kind = match unit.trim() {
            "WORKING_DAY" | "WORKING_DAYS" | "ngày làm việc" => {
                Some((TimeUnit::WorkingDays, "time:working-days"))
            }
            "DAY" | "DAYS" | "ngày" => Some((TimeUnit::Days, "time:days")),
            "HOUR" | "HOURS" | "giờ" => Some((TimeUnit::Hours, "time:hours")),
            "MONTH" | "MONTHS" | "tháng" => Some((TimeUnit::Months, "time:months")),
            "YEAR" | "YEARS" | "năm" => Some((TimeUnit::Years, "time:years")),
            _ => None,
        };
        match (number_parts(num), unit_kind) {
            (Some((whole, None)), Some((unit, tag))) => {
                tags.push(tag);
                return match whole.parse::<u32>() {
                    Ok(value) => Time::Value {
                        value,
                        unit,
                        raw: s.to_string(),
                    },
                    Err(_) => {
                        tags.push("time:too-large");
                        text(s)
                    }
                };
            }
            (Some((whole, Some(frac))), Some((unit, tag))) => {
                tags.push(tag);
                tags.push("time:fractional");
                return text(&format!("{whole},{frac} {}", unit.vietnamese()));
            }
            (Some(_), None) if unit.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') => {
                tags.push("time:unknown-unit");
                return text(s);
            }
            _ => {}
        }
    }
    tags.push("time:free-text");
    text(s)
}

/// If `rest` starts a fee tier (`AMOUNT VNĐ (`), the amount and the length of that prefix.
pub(super) fn tier_start(rest: &str) -> Option<(&str, usize)> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let amount = rest.get(..digits).filter(|a| !a.is_empty())?;
    let after = rest.get(digits..)?;
    const MARK: &str = " VNĐ (";
    after
        .starts_with(MARK)
        .then_some((amount, digits + MARK.len()))
}

/// `Phí, lệ phí`: `AMOUNT VNĐ (text) | AMOUNT VNĐ (text) …`, "Không có thông tin", or free
/// text. A tier's text runs to the `)` that is followed by ` | AMOUNT VNĐ (` or by the end,
/// so parentheses inside texts (balanced or not) are kept.
pub fn parse_fees(raw: &str, tags: &mut Vec<&'static str>) -> Fees {
    let s = raw.trim();
    if s.is_empty() {
        tags.push("fees:empty");
        return Fees::Unpublished;
    }
    if is_no_info(s) {
        tags.push("fees:no-info");
        return Fees::Unpublished;
    }
    match parse_tiers(s) {
        Some(tiers) => {
            tags.push(if tiers.len() == 1 {
                "fees:one-tier"
            } else {
                "fees:several-tiers"
            });
            for fee in &tiers {
                tags.push("fees:tier");
                match (fee.amount, &fee.text) {
                    (Some(0), None) => tags.push("fees:tier-0-no-text"),
                    (Some(0), Some(_)) => tags.push("fees:tier-0-with-text"),
                    (Some(_), None) => tags.push("fees:tier-amount-no-text"),
                    _ => {}
                }
                if let Some(t) = &fee.text {
                    if t.matches('(').count() != t.matches(')').count() {
                        tags.push("fees:tier-text-unbalanced-parens");
                    }
                    if t.contains('|') {
                        tags.push("fees:tier-text-with-pipe");
                    }
                }
            }
            Fees::Tiers(tiers)
        }
        None => {
            // Free text still separates its tiers with " | " (215 channels, e.g. one text
            // per fee schedule); each part is a tier, so the count matches the source's.
            tags.push("fees:free-text");
            let parts: Vec<&str> = s
                .split(" | ")
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .collect();
            if parts.len() > 1 {
                tags.push("fees:free-text-several-tiers");
            }
            Fees::Tiers(
                parts
                    .into_iter()
                    .map(|part| Fee {
                        amount: None,
                        text: Some(part.to_string()),
                        raw: part.to_string(),
                    })
                    .collect(),
            )
        }
    }
}

pub(super) fn parse_tiers(s: &str) -> Option<Vec<Fee>> {
    const SEP: &str = " | ";
    let mut tiers = Vec::new();
    let mut pos = 0;
    loop {
        let rest = s.get(pos..)?;
        let (amount, text_at) = tier_start(rest)?;
        let amount: i64 = amount.parse().ok()?;
        // Find the closing parenthesis of this tier.
        let mut end = None;
        for (i, b) in rest.bytes().enumerate().skip(text_at) {
            if b != b')' {
                continue;
            }
            let after = rest.get(i + 1..)?;
            if after.is_empty() || after.strip_prefix(SEP).and_then(tier_start).is_some() {
                end = Some(i);
                break;
            }
        }
        let end = end?;
        let text = rest.get(text_at..end)?.trim();
        tiers.push(Fee {
            amount: Some(amount),
            text: (!text.is_empty()).then(|| text.to_string()),
            raw: rest.get(..=end)?.to_string(),
        });
        pos += end + 1;
        if pos >= s.len() {
            return Some(tiers);
        }
        pos += SEP.len();
    }
}
