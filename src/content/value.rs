//! Typed reading of spanned TOML values. Every reader reports a wrong type or value at the
//! value's own line and column, naming the key in English and its Vietnamese label, and
//! returns `None` so the caller can go on reading the rest of the file.

use super::pool::TextPool;
use crate::date::Date;
use crate::diag::fix;
use crate::diag::msg::{last_name, Expected, Found};
use crate::diag::{Diagnostics, Loc, Msg, Source};
use crate::model::{Slugs, Text};
use crate::text::nfc_cow;
use std::borrow::Cow;
use toml_spanner::{Array, Item, Table, Value as TomlValue};

/// Where a TOML text sits: its file, and the byte offset of the TOML inside it (front
/// matter starts after the first `+++` line).
#[derive(Clone, Copy)]
pub struct At<'s> {
    pub src: &'s Source,
    pub base: usize,
}

impl At<'_> {
    /// The location of byte `offset` of the TOML (a span's `start`).
    pub fn loc(&self, offset: usize) -> Loc {
        self.src.loc(self.base + offset)
    }
}

/// The byte offset of the first key line of a TOML text (past comments and blank
/// lines): where a missing key is reported, rather than at a comment on line 1.
pub fn first_key(text: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start_matches('\u{feff}').trim();
        if !t.is_empty() && !t.starts_with('#') {
            return at + (line.len() - line.trim_start().len());
        }
        at += line.len();
    }
    0
}

/// A key's value with where it came from.
#[derive(Clone, Copy)]
pub struct Field<'a, 'i> {
    /// Dotted path for messages, e.g. `channels[2].fees`.
    pub value: &'a Item<'i>,
    pub at: At<'a>,
}

impl<'a, 'i> Field<'a, 'i> {
    pub fn loc(&self) -> Loc {
        self.at.loc(self.value.span().start as usize)
    }
    pub fn get(&self) -> TomlValue<'a, 'i> {
        self.value.value()
    }
}

/// What a TOML value is, for messages.
pub fn found(v: TomlValue) -> Found {
    match v {
        TomlValue::String(_) => Found::String,
        TomlValue::Integer(_) => Found::Integer,
        TomlValue::Float(_) => Found::Float,
        TomlValue::Boolean(_) => Found::Bool,
        TomlValue::DateTime(_) => Found::Date,
        TomlValue::Array(_) => Found::List,
        TomlValue::Table(_) => Found::Table,
    }
}

/// The value as written in the file (its span's text).
pub fn raw<'a>(f: &Field<'a, '_>) -> &'a str {
    let span = f.value.span();
    let (start, end) = (
        f.at.base + span.start as usize,
        f.at.base + span.end as usize,
    );
    f.at.src.text.get(start..end).unwrap_or("")
}

fn wrong_type(f: Field, key: &str, expected: Expected, d: &mut Diagnostics) {
    d.error(
        f.loc(),
        Msg::WrongType {
            key: key.to_owned(),
            expected,
            found: found(f.get()),
            fix: fix::for_wrong_type(key, expected, raw(&f)),
        },
    );
}

/// A string, in NFC. Empty strings count as given (the caller decides if that is wrong).
pub fn string(f: Field, key: &str, d: &mut Diagnostics) -> Option<String> {
    str_ref(f, key, d).map(Cow::into_owned)
}

/// [`string`], borrowed from the TOML when it already is NFC (nearly always).
pub fn str_ref<'a>(f: Field<'a, '_>, key: &str, d: &mut Diagnostics) -> Option<Cow<'a, str>> {
    match f.get() {
        TomlValue::String(s) => Some(nfc_cow(s)),
        _ => {
            wrong_type(f, key, Expected::Text, d);
            None
        }
    }
}

/// A trimmed string, borrowed where it can be.
fn trimmed(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
        Cow::Owned(o) if o.trim().len() == o.len() => Cow::Owned(o),
        Cow::Owned(o) => Cow::Owned(o.trim().to_owned()),
    }
}

/// A non-empty string (after trimming).
pub fn text(f: Field, key: &str, d: &mut Diagnostics) -> Option<String> {
    text_ref(f, key, d).map(Cow::into_owned)
}

/// [`text`], from the pool.
pub fn text_in(f: Field, key: &str, pool: &TextPool, d: &mut Diagnostics) -> Option<Text> {
    text_ref(f, key, d).map(|s| pool.text(&s))
}

fn text_ref<'a>(f: Field<'a, '_>, key: &str, d: &mut Diagnostics) -> Option<Cow<'a, str>> {
    let s = trimmed(str_ref(f, key, d)?);
    if s.is_empty() {
        d.error(
            f.loc(),
            Msg::EmptyText {
                key: key.to_owned(),
            },
        );
        return None;
    }
    Some(s)
}

/// A list of strings, trimmed; a single string is taken as a list of one.
pub fn string_list(f: Field, key: &str, d: &mut Diagnostics) -> Option<Vec<String>> {
    list_with(f, key, d, Cow::into_owned)
}

/// [`string_list`], from the pool.
pub fn string_list_in(
    f: Field,
    key: &str,
    pool: &TextPool,
    d: &mut Diagnostics,
) -> Option<Vec<Text>> {
    list_with(f, key, d, |s| pool.text(&s))
}

fn list_with<'a, T>(
    f: Field<'a, '_>,
    key: &str,
    d: &mut Diagnostics,
    mut make: impl FnMut(Cow<'a, str>) -> T,
) -> Option<Vec<T>> {
    match f.get() {
        TomlValue::String(s) => Some(vec![make(trimmed(nfc_cow(s)))]),
        TomlValue::Array(arr) => {
            let mut out = Vec::with_capacity(arr.len());
            for (i, v) in arr.iter().enumerate() {
                let item = Field { value: v, at: f.at };
                let s = match item.get() {
                    // The usual case, without making the item's path for messages.
                    TomlValue::String(s) => Some(nfc_cow(s)),
                    _ => str_ref(item, &format!("{key}[{}]", i + 1), d),
                };
                if let Some(s) = s {
                    out.push(make(trimmed(s)));
                }
            }
            Some(out)
        }
        _ => {
            wrong_type(f, key, Expected::TextList, d);
            None
        }
    }
}

pub fn integer(f: Field, key: &str, d: &mut Diagnostics) -> Option<i64> {
    match f.get() {
        TomlValue::Integer(i) => match i.as_i64() {
            Some(n) => Some(n),
            None => {
                d.error(
                    f.loc(),
                    Msg::NumberTooLarge {
                        key: key.to_owned(),
                    },
                );
                None
            }
        },
        _ => {
            wrong_type(f, key, Expected::WholeNumber, d);
            None
        }
    }
}

/// A count that cannot be negative.
pub fn count(f: Field, key: &str, d: &mut Diagnostics) -> Option<u32> {
    let n = integer(f, key, d)?;
    match u32::try_from(n) {
        Ok(n) => Some(n),
        Err(_) => {
            d.error(
                f.loc(),
                Msg::NegativeCount {
                    key: key.to_owned(),
                    found: n,
                },
            );
            None
        }
    }
}

/// An integer or a decimal number.
pub fn number(f: Field, key: &str, d: &mut Diagnostics) -> Option<f64> {
    match f.get() {
        TomlValue::Integer(_) => integer(f, key, d).map(|n| n as f64),
        TomlValue::Float(&x) if x.is_finite() => Some(x),
        TomlValue::Float(_) => {
            d.error(
                f.loc(),
                Msg::NotFinite {
                    key: key.to_owned(),
                },
            );
            None
        }
        _ => {
            wrong_type(f, key, Expected::Number, d);
            None
        }
    }
}

pub fn boolean(f: Field, key: &str, d: &mut Diagnostics) -> Option<bool> {
    match f.get() {
        TomlValue::Boolean(b) => Some(*b),
        _ => {
            wrong_type(f, key, Expected::Bool, d);
            None
        }
    }
}

/// A date written as a TOML date (`2025-07-01`) or a string `"2025-07-01"`.
pub fn date(f: Field, key: &str, d: &mut Diagnostics) -> Option<Date> {
    let parsed = match f.get() {
        TomlValue::DateTime(dt) => match (dt.date(), dt.time()) {
            (Some(x), None) => Date::new(i32::from(x.year), x.month, x.day),
            _ => None,
        },
        TomlValue::String(s) => Date::parse(s),
        _ => {
            wrong_type(f, key, Expected::Date, d);
            return None;
        }
    };
    if parsed.is_none() {
        let written = raw(&f);
        d.error(
            f.loc(),
            Msg::BadDate {
                key: key.to_owned(),
                found: written.trim_matches(['"', '\'']).to_owned(),
                fix: Some(fix::date_or_form(written))
                    .map(|iso| format!("{} = {iso}", last_name(key))),
            },
        );
    }
    parsed
}

/// One of a closed set of slugs.
pub fn slug<E: Slugs>(f: Field, key: &str, d: &mut Diagnostics) -> Option<E> {
    let s = string(f, key, d)?;
    match E::from_slug(s.trim()) {
        Some(e) => Some(e),
        None => {
            d.error(
                f.loc(),
                Msg::BadSlug {
                    key: key.to_owned(),
                    suggestion: fix::closest(&s, E::CHOICES.iter().copied()),
                    expected: E::CHOICES.iter().map(|(s, _)| (*s).to_owned()).collect(),
                    found: s,
                },
            );
            None
        }
    }
}

/// A list of slugs; a single slug counts as a list of one.
pub fn slug_list<E: Slugs>(f: Field, key: &str, d: &mut Diagnostics) -> Option<Vec<E>> {
    match f.get() {
        TomlValue::Array(arr) => Some(
            arr.iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    slug(
                        Field { value: v, at: f.at },
                        &format!("{key}[{}]", i + 1),
                        d,
                    )
                })
                .collect(),
        ),
        _ => slug(f, key, d).map(|e| vec![e]),
    }
}

pub fn table<'a, 'i>(f: Field<'a, 'i>, key: &str, d: &mut Diagnostics) -> Option<&'a Table<'i>> {
    match f.get() {
        TomlValue::Table(t) => Some(t),
        _ => {
            wrong_type(f, key, Expected::Table, d);
            None
        }
    }
}

pub fn array<'a, 'i>(f: Field<'a, 'i>, key: &str, d: &mut Diagnostics) -> Option<&'a Array<'i>> {
    match f.get() {
        TomlValue::Array(a) => Some(a),
        _ => {
            let expected = match last_name(key) {
                "channels" | "dossier" | "forms" | "former" | "fees" | "items" => {
                    Expected::TableList
                }
                _ => Expected::List,
            };
            wrong_type(f, key, expected, d);
            None
        }
    }
}

/// A table's keys, for reading by name; reports keys nobody asked for as errors with the
/// closest known key (a typo like `agnecy` would otherwise vanish silently).
pub struct Keys<'a, 'i> {
    pub at: At<'a>,
    pub table: &'a Table<'i>,
    /// Where the table itself starts, as an offset into the TOML (for "missing key"
    /// messages: turned into a line and column only when one is written).
    start: usize,
    /// Dotted prefix for messages, e.g. `channels[2].` (empty at the top).
    pub prefix: String,
}

impl<'a, 'i> Keys<'a, 'i> {
    /// The keys of `table`, which starts at byte `start` of the TOML.
    pub fn new(at: At<'a>, table: &'a Table<'i>, start: usize, prefix: String) -> Self {
        Keys {
            at,
            table,
            start,
            prefix,
        }
    }

    /// Where the table starts.
    pub fn loc(&self) -> Loc {
        self.at.loc(self.start)
    }

    pub fn path(&self, key: &str) -> String {
        // Not `format!`: a path is made for several keys of every channel, fee and
        // dossier item of every file, and the formatting machinery cost more than this.
        [self.prefix.as_str(), key].concat()
    }

    pub fn get(&self, key: &str) -> Option<Field<'a, 'i>> {
        self.table
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, value)| Field { value, at: self.at })
    }

    pub fn missing(&self, key: &str, d: &mut Diagnostics) {
        d.error(
            self.loc(),
            Msg::MissingKey {
                key: self.path(key),
            },
        );
    }

    /// Reports keys outside `known` as errors, each with the closest known key.
    pub fn check_unknown(&self, known: &[&str], d: &mut Diagnostics) {
        for (k, _) in self.table.iter() {
            let name: &str = k.name;
            if !known.contains(&name) {
                d.error(
                    self.at.loc(k.span.start as usize),
                    unknown_key(&self.prefix, name, known),
                );
            }
        }
    }

    /// An optional [`count`].
    pub fn count(&self, key: &str, d: &mut Diagnostics) -> Option<u32> {
        let f = self.get(key)?;
        // The usual case, without making the key's path for messages.
        if let TomlValue::Integer(i) = f.get() {
            if let Some(n) = i.as_i64().and_then(|n| u32::try_from(n).ok()) {
                return Some(n);
            }
        }
        count(f, &self.path(key), d)
    }

    pub fn str_opt(&self, key: &str, d: &mut Diagnostics) -> Option<String> {
        self.str_opt_ref(key, d).map(Cow::into_owned)
    }

    /// [`Keys::str_opt`], from the pool.
    pub fn text_opt(&self, key: &str, pool: &TextPool, d: &mut Diagnostics) -> Option<Text> {
        self.str_opt_ref(key, d).map(|s| pool.text(&s))
    }

    fn str_opt_ref(&self, key: &str, d: &mut Diagnostics) -> Option<Cow<'a, str>> {
        let f = self.get(key)?;
        let s = match f.get() {
            // The usual case, without making the key's path for messages.
            TomlValue::String(s) => nfc_cow(s),
            _ => str_ref(f, &self.path(key), d)?,
        };
        Some(trimmed(s)).filter(|s| !s.is_empty())
    }

    /// An optional web address (`website`, `online_url`): it becomes a link, so only
    /// http:// and https:// are accepted (never `javascript:` or `data:`).
    pub fn url_opt(&self, key: &str, d: &mut Diagnostics) -> Option<String> {
        let f = self.get(key)?;
        web_url(f, &self.path(key), d)
    }

    /// An optional phone number: it becomes a `tel:` link, so it must hold digits
    /// (`"chưa có"` is an error: leave the key out instead).
    pub fn phone_opt(&self, key: &str, d: &mut Diagnostics) -> Option<String> {
        let f = self.get(key)?;
        let s = self.str_opt(key, d)?;
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let allowed = |c: char| c.is_ascii_digit() || " .-+()/,;".contains(c) || c.is_alphabetic();
        // A placeholder is reported as one already.
        if super::placeholders::is_placeholder(&s) {
            return Some(s);
        }
        if digits < 3 || !s.chars().all(allowed) {
            d.error(
                f.loc(),
                Msg::BadPhone {
                    key: self.path(key),
                    found: s,
                },
            );
            return None;
        }
        Some(s)
    }

    /// An optional e-mail address: it becomes a `mailto:` link, so it must look like one
    /// (`name@domain.tld`, no spaces).
    pub fn email_opt(&self, key: &str, d: &mut Diagnostics) -> Option<String> {
        let f = self.get(key)?;
        let s = self.str_opt(key, d)?;
        if super::placeholders::is_placeholder(&s) {
            return Some(s);
        }
        let ok = s.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }) && !s.contains(char::is_whitespace);
        if !ok {
            d.error(
                f.loc(),
                Msg::BadEmail {
                    key: self.path(key),
                    found: s,
                },
            );
            return None;
        }
        Some(s)
    }

    pub fn text_req(&self, key: &str, d: &mut Diagnostics) -> Option<String> {
        match self.get(key) {
            Some(f) => text(f, &self.path(key), d),
            None => {
                self.missing(key, d);
                None
            }
        }
    }

    /// [`Keys::text_req`], from the pool.
    pub fn text_req_in(&self, key: &str, pool: &TextPool, d: &mut Diagnostics) -> Option<Text> {
        match self.get(key) {
            Some(f) => {
                // The usual case, without making the key's path for messages.
                if let TomlValue::String(s) = f.get() {
                    let t = trimmed(nfc_cow(s));
                    if !t.is_empty() {
                        return Some(pool.text(&t));
                    }
                }
                text_in(f, &self.path(key), pool, d)
            }
            None => {
                self.missing(key, d);
                None
            }
        }
    }
}

/// A web address that becomes a link: http:// or https://, no spaces or quotes.
pub fn web_url(f: Field, key: &str, d: &mut Diagnostics) -> Option<String> {
    let u = string(f, key, d)?.trim().to_owned();
    if u.is_empty() {
        return None;
    }
    let lower = u.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`')
        });
    if ok {
        Some(u)
    } else {
        d.error(
            f.loc(),
            Msg::BadUrl {
                key: key.to_owned(),
                found: u,
            },
        );
        None
    }
}

/// The message for key `name` of a table whose keys are `known` (`prefix`: the table's
/// path, e.g. `channels[1].`).
pub fn unknown_key(prefix: &str, name: &str, known: &[&str]) -> Msg {
    Msg::UnknownKey {
        key: [prefix, name].concat(),
        suggestion: fix::closest(name, known.iter().map(|k| (*k, crate::diag::msg::label(k)))),
        known: known.iter().map(|k| (*k).to_owned()).collect(),
    }
}

/// The `extra` table of `keys`, for templates: any keys and values, as JSON (dates as
/// written). `null` when there is none; an error when it is not a table.
pub fn extra(keys: &Keys, known: &[&str], d: &mut Diagnostics) -> serde_json::Value {
    match keys.get("extra") {
        None => serde_json::Value::Null,
        Some(f) => match table(f, &keys.path("extra"), d) {
            Some(_) => {
                keys_in_extra(f, known, d);
                to_json(f)
            }
            None => serde_json::Value::Null,
        },
    }
}

/// Warns when the `[extra]` table holds keys of the file itself (`effective`, `adopt`…):
/// written after an `[extra]` line in the middle of the file, they belong to `[extra]`
/// and are silently not read as what they look like.
pub fn keys_in_extra(f: Field, known: &[&str], d: &mut Diagnostics) {
    let TomlValue::Table(t) = f.get() else {
        return;
    };
    let mut found = Vec::new();
    let mut first = None;
    for (k, _) in t.iter() {
        if known.contains(&k.name) && k.name != "extra" {
            first.get_or_insert(k.span.start as usize);
            found.push(k.name.to_owned());
        }
    }
    if let Some(at) = first {
        d.warning(f.at.loc(at), Msg::KeysInExtra { keys: found });
    }
}

/// A TOML value as JSON (dates as written).
pub fn to_json(f: Field) -> serde_json::Value {
    use serde_json::Value as J;
    match f.get() {
        TomlValue::String(s) => J::String(nfc_cow(s).into_owned()),
        TomlValue::Integer(i) => i.as_i64().map_or(J::Null, J::from),
        TomlValue::Float(x) => serde_json::Number::from_f64(*x).map_or(J::Null, J::Number),
        TomlValue::Boolean(b) => J::Bool(*b),
        TomlValue::DateTime(_) => J::String(raw(&f).to_owned()),
        TomlValue::Array(a) => J::Array(
            a.iter()
                .map(|v| to_json(Field { value: v, at: f.at }))
                .collect(),
        ),
        TomlValue::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.name.to_owned(), to_json(Field { value: v, at: f.at })))
                .collect(),
        ),
    }
}
