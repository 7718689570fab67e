//! How values read: `15.000 đồng`, `3 ngày làm việc`, `01/07/2025`. The words come from
//! the theme's interface strings so a theme can translate them.

use crate::model::{Channel, Fee, ProcessingTime, TimeUnit};
use crate::text::{decimal, push_thousands};
use std::collections::BTreeMap;

/// The words formatting needs, with Vietnamese defaults.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub currency: String,
    pub free: String,
    /// "Miễn phí": a zero or free tier in a list's few words.
    pub free_short: String,
    /// "hoặc", between "Miễn phí" and an amount.
    pub or: String,
    /// "Xem chi tiết": fees published only as text, in a list's few words.
    pub see_details: String,
    pub unpublished: String,
    /// What the national database's `CENTRAL_REGULATION` and `LOCAL_REGULATION` mean
    /// (its other raw types are not shown).
    pub type_central: String,
    pub type_local: String,
    pub units: [String; 5],
}

impl Lexicon {
    pub fn from_strings(s: &BTreeMap<String, String>) -> Lexicon {
        let get = |k: &str, dflt: &str| s.get(k).cloned().unwrap_or_else(|| dflt.to_owned());
        Lexicon {
            currency: get("currency", "đồng"),
            free: get("fee_free", "Không thu phí, lệ phí"),
            free_short: get("fee_free_short", "Miễn phí"),
            or: get("or", "hoặc"),
            see_details: get("see_details", "Xem chi tiết"),
            type_central: get(
                "procedure_type_central",
                "Thủ tục hành chính do trung ương quy định",
            ),
            type_local: get(
                "procedure_type_local",
                "Thủ tục hành chính do địa phương quy định",
            ),
            unpublished: get("unpublished", "Chưa công bố"),
            units: [
                get("unit_working_days", "ngày làm việc"),
                get("unit_days", "ngày"),
                get("unit_hours", "giờ"),
                get("unit_months", "tháng"),
                get("unit_years", "năm"),
            ],
        }
    }

    fn unit(&self, u: TimeUnit) -> &str {
        let i = match u {
            TimeUnit::WorkingDays => 0,
            TimeUnit::Days => 1,
            TimeUnit::Hours => 2,
            TimeUnit::Months => 3,
            TimeUnit::Years => 4,
        };
        &self.units[i]
    }

    /// `15.000 đồng`.
    pub fn money(&self, amount: i64) -> String {
        let mut out = String::with_capacity(28 + self.currency.len());
        push_thousands(&mut out, amount);
        out.push(' ');
        out.push_str(&self.currency);
        out
    }

    /// The measured part of a time (`3 ngày làm việc`), if any.
    pub fn time_value(&self, t: &ProcessingTime) -> Option<String> {
        match (t.value, t.unit) {
            (Some(v), Some(u)) => {
                let mut out = decimal(v);
                out.push(' ');
                out.push_str(self.unit(u));
                Some(out)
            }
            _ => None,
        }
    }

    /// A whole time on one line: the value, else the text, else "Chưa công bố".
    pub fn time_short(&self, t: Option<&ProcessingTime>) -> String {
        match t {
            None => self.unpublished.clone(),
            Some(t) => self
                .time_value(t)
                .or_else(|| t.text.as_deref().map(str::to_owned))
                .unwrap_or_else(|| self.unpublished.clone()),
        }
    }

    /// A channel's time on one line: as [`Lexicon::time_short`], except that "Theo mô tả"
    /// (the national database's `OTHER`) with no description of the channel to refer to
    /// is not published.
    pub fn channel_time(&self, c: &Channel) -> String {
        if refers_to_missing_note(c) {
            return self.unpublished.clone();
        }
        self.time_short(c.time.as_ref())
    }

    /// A procedure's type as the page shows it: the database's raw codes mapped or hidden.
    pub fn procedure_type(&self, t: Option<&crate::model::Text>) -> Option<crate::model::Text> {
        let t = t?;
        match &**t {
            "CENTRAL_REGULATION" => Some(self.type_central.as_str().into()),
            "LOCAL_REGULATION" => Some(self.type_local.as_str().into()),
            raw if raw.chars().all(|c| c.is_ascii_uppercase() || c == '_') => None,
            _ => Some(t.clone()),
        }
    }

    /// One fee tier on one line: `15.000 đồng` (the text is shown beside it on pages).
    pub fn fee_amount(&self, f: &Fee) -> Option<String> {
        f.amount.map(|a| self.money(a))
    }

    /// A channel's fees in short: amounts joined by " / ", or the state.
    pub fn fees_short(&self, fees: Option<&[Fee]>) -> String {
        match fees {
            None => self.unpublished.clone(),
            Some([]) => self.free.clone(),
            Some(list) => {
                let mut parts: Vec<String> = Vec::new();
                for f in list {
                    let s = match (f.amount, &f.text) {
                        (Some(0), _) => self.free_short.clone(),
                        (Some(a), _) => self.money(a),
                        (None, Some(t)) => shorten(t, 80),
                        (None, None) => continue,
                    };
                    if !parts.contains(&s) {
                        parts.push(s);
                    }
                }
                parts.join(" / ")
            }
        }
    }

    /// A procedure's time across channels for a one-line list cell: one value when all
    /// channels agree, else `Trực tiếp: …; Trực tuyến: …`.
    pub fn times_summary(&self, channels: &[Channel]) -> String {
        summary(channels, |c| self.channel_time(c), &self.unpublished)
    }

    pub fn fees_summary(&self, channels: &[Channel]) -> String {
        summary(
            channels,
            |c| self.fees_short(c.fees.as_deref()),
            &self.unpublished,
        )
    }

    /// A procedure's fees in a few words for a list a citizen scans: "Miễn phí", "15.000
    /// đồng", "10.000–15.000 đồng", "Miễn phí hoặc 5.000–15.000 đồng", "Xem chi tiết" when
    /// the fees are only described, "Chưa công bố" when no channel publishes them. Every
    /// tier with its condition is on the procedure page.
    pub fn fee_brief(&self, channels: &[Channel]) -> String {
        let (mut published, mut free, mut text) = (false, false, false);
        let mut range: Option<(i64, i64)> = None;
        for c in channels {
            let Some(fees) = c.fees.as_deref() else {
                continue;
            };
            published = true;
            free |= fees.is_empty();
            for f in fees {
                match f.amount {
                    Some(a) if a <= 0 => free = true,
                    Some(a) => {
                        range = Some(range.map_or((a, a), |(lo, hi)| (lo.min(a), hi.max(a))))
                    }
                    None => text = true,
                }
            }
        }
        let amounts = range.map(|(lo, hi)| {
            if lo == hi {
                self.money(hi)
            } else {
                let mut s = String::new();
                push_thousands(&mut s, lo);
                s.push('–');
                s + &self.money(hi)
            }
        });
        match (amounts, free) {
            (Some(a), true) => [&*self.free_short, " ", &self.or, " ", &a].concat(),
            (Some(a), false) => a,
            (None, _) if text => self.see_details.clone(),
            (None, true) => self.free_short.clone(),
            (None, false) if published => self.free_short.clone(),
            (None, false) => self.unpublished.clone(),
        }
    }

    /// A procedure's processing time in a few words: one value, or the shortest and the
    /// longest of the same unit ("1–3 ngày làm việc"), else the distinct values joined;
    /// a time given only as text, cut at a word boundary.
    pub fn time_brief(&self, channels: &[Channel]) -> String {
        let mut values: Vec<(f64, TimeUnit)> = Vec::new();
        let mut text: Option<&str> = None;
        for t in channels
            .iter()
            .filter(|c| !refers_to_missing_note(c))
            .filter_map(|c| c.time.as_ref())
        {
            match (t.value, t.unit) {
                (Some(v), Some(u)) => {
                    if !values.contains(&(v, u)) {
                        values.push((v, u));
                    }
                }
                _ => text = text.or(t.text.as_deref()),
            }
        }
        let Some(&(_, unit)) = values.first() else {
            return text.map_or_else(|| self.unpublished.clone(), |t| shorten(t, 40));
        };
        if values.iter().all(|&(_, u)| u == unit) {
            let lo = values.iter().map(|v| v.0).fold(f64::INFINITY, f64::min);
            let hi = values.iter().map(|v| v.0).fold(0.0, f64::max);
            let mut s = decimal(lo);
            if hi > lo {
                s.push('–');
                s.push_str(&decimal(hi));
            }
            s.push(' ');
            s.push_str(self.unit(unit));
            return s;
        }
        values
            .iter()
            .map(|&(v, u)| [decimal(v).as_str(), " ", self.unit(u)].concat())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Both summaries of a procedure's channels.
    pub fn summary(&self, channels: &[Channel]) -> Summary {
        Summary {
            time: self.times_summary(channels),
            fee: self.fees_summary(channels),
        }
    }
}

/// A time given only as "Theo mô tả" (imported `OTHER`) on a channel that has no
/// description: it refers to nothing.
pub fn refers_to_missing_note(c: &Channel) -> bool {
    c.time.as_ref().is_some_and(|t| {
        t.value.is_none()
            && t.text.as_deref() == Some(crate::import::dvcqg::OTHER_TIME_TEXT)
            && c.note.as_deref().is_none_or(|n| n.trim().is_empty())
    })
}

/// A procedure's time and fees across its channels, each on one line
/// ([`Lexicon::times_summary`], [`Lexicon::fees_summary`]): what lists, the search index,
/// the open data and the feed show of it. A build makes them once per procedure (see
/// `RenderContext::summary`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub time: String,
    pub fee: String,
}

fn summary(channels: &[Channel], f: impl Fn(&Channel) -> String, none: &str) -> String {
    let mut parts: Vec<(String, Vec<&str>)> = Vec::new();
    for c in channels {
        let s = f(c);
        match parts.iter_mut().find(|(v, _)| *v == s) {
            Some((_, methods)) => methods.push(c.method.label()),
            None => parts.push((s, vec![c.method.label()])),
        }
    }
    match parts.len() {
        0 => none.to_owned(),
        1 => parts.remove(0).0,
        _ => parts
            .into_iter()
            .map(|(v, m)| [m.join(", ").as_str(), ": ", &v].concat())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// At most about `n` characters, cut at a word boundary with an ellipsis after the last
/// whole word: never inside a word or a number ("(mức thu do H…" was a cut mid-word). A
/// first word longer than `n` is kept whole.
pub fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_owned();
    }
    let mut out = String::with_capacity(n + 4);
    let mut len = 0;
    for w in s.split_whitespace() {
        let wl = w.chars().count();
        if !out.is_empty() && len + 1 + wl > n.saturating_sub(1) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            len += 1;
        }
        out.push_str(w);
        len += wl;
    }
    // No dangling punctuation before the ellipsis.
    let kept = out.trim_end_matches([',', ';', ':', '(', '-', '–']).len();
    out.truncate(kept);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Method;

    fn lex() -> Lexicon {
        Lexicon::from_strings(&BTreeMap::new())
    }

    #[test]
    fn formats_money_and_time() {
        let l = lex();
        assert_eq!(l.money(15000), "15.000 đồng");
        let t = ProcessingTime {
            value: Some(3.0),
            unit: Some(TimeUnit::WorkingDays),
            text: None,
            raw: None,
        };
        assert_eq!(l.time_short(Some(&t)), "3 ngày làm việc");
        assert_eq!(l.time_short(None), "Chưa công bố");
    }

    #[test]
    fn summaries_group_equal_channels() {
        let l = lex();
        let fee = |a| Fee {
            amount: Some(a),
            text: None,
            raw: None,
        };
        let ch = |m, a| Channel {
            method: m,
            time: None,
            fees: Some(vec![fee(a)]),
            note: None,
        };
        assert_eq!(
            l.fees_summary(&[ch(Method::TrucTiep, 15000), ch(Method::BuuChinh, 15000)]),
            "15.000 đồng"
        );
        assert_eq!(
            l.fees_summary(&[ch(Method::TrucTiep, 15000), ch(Method::TrucTuyen, 7000)]),
            "Trực tiếp: 15.000 đồng; Trực tuyến: 7.000 đồng"
        );
        assert_eq!(l.fees_short(Some(&[])), "Không thu phí, lệ phí");
        assert_eq!(
            l.fees_summary(&[ch(Method::TrucTiep, 0)]),
            "Miễn phí",
            "a zero tier reads as people say it"
        );
    }

    #[test]
    fn briefs_say_fees_and_times_in_a_few_words() {
        let l = lex();
        let fee = |a: Option<i64>| Fee {
            amount: a,
            text: Some("Miễn lệ phí khi đăng ký đúng hạn".into()),
            raw: None,
        };
        let ch = |m, fees: Option<Vec<Fee>>, days: Option<f64>| Channel {
            method: m,
            time: days.map(|d| ProcessingTime {
                value: Some(d),
                unit: Some(TimeUnit::WorkingDays),
                text: None,
                raw: None,
            }),
            fees,
            note: None,
        };
        let both = [
            ch(
                Method::TrucTiep,
                Some(vec![fee(Some(15000)), fee(Some(10000)), fee(Some(0))]),
                Some(3.0),
            ),
            ch(Method::TrucTuyen, Some(vec![fee(Some(7000))]), Some(1.0)),
        ];
        assert_eq!(l.fee_brief(&both), "Miễn phí hoặc 7.000–15.000 đồng");
        assert_eq!(l.time_brief(&both), "1–3 ngày làm việc");
        let zero = [ch(Method::TrucTiep, Some(vec![fee(Some(0))]), None)];
        assert_eq!(l.fee_brief(&zero), "Miễn phí");
        assert_eq!(l.time_brief(&zero), "Chưa công bố");
        let one = [ch(
            Method::TrucTiep,
            Some(vec![fee(Some(25000))]),
            Some(5.0),
        )];
        assert_eq!(l.fee_brief(&one), "25.000 đồng");
        assert_eq!(l.time_brief(&one), "5 ngày làm việc");
        assert_eq!(
            l.fee_brief(&[ch(Method::TrucTiep, None, None)]),
            "Chưa công bố"
        );
        assert_eq!(
            l.fee_brief(&[ch(Method::TrucTiep, Some(vec![fee(None)]), None)]),
            "Xem chi tiết"
        );
    }

    #[test]
    fn shorten_cuts_between_words() {
        let s = "Lệ phí (mức thu do Hội đồng nhân dân tỉnh quy định) 123/2015/NĐ-CP";
        for n in 5..s.chars().count() {
            let out = shorten(s, n);
            assert!(out.ends_with('…'), "{out}");
            let kept = out.trim_end_matches('…');
            assert!(s.starts_with(kept), "{n}: {out}");
            // What follows the kept text in the original is not a letter or a digit.
            let next = s[kept.len()..].chars().next();
            assert!(
                next.is_some_and(|c| !c.is_alphanumeric() && c != '/'),
                "{n}: cut inside a word: {out}"
            );
        }
        assert_eq!(shorten("ngắn", 10), "ngắn");
    }
}
