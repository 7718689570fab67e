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
    pub unpublished: String,
    pub units: [String; 5],
}

impl Lexicon {
    pub fn from_strings(s: &BTreeMap<String, String>) -> Lexicon {
        let get = |k: &str, dflt: &str| s.get(k).cloned().unwrap_or_else(|| dflt.to_owned());
        Lexicon {
            currency: get("currency", "đồng"),
            free: get("fee_free", "Không thu phí, lệ phí"),
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
        summary(
            channels,
            |c| self.time_short(c.time.as_ref()),
            &self.unpublished,
        )
    }

    pub fn fees_summary(&self, channels: &[Channel]) -> String {
        summary(
            channels,
            |c| self.fees_short(c.fees.as_deref()),
            &self.unpublished,
        )
    }

    /// Both summaries of a procedure's channels.
    pub fn summary(&self, channels: &[Channel]) -> Summary {
        Summary {
            time: self.times_summary(channels),
            fee: self.fees_summary(channels),
        }
    }
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

/// At most `n` characters, with an ellipsis when cut.
pub fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
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
    }
}
