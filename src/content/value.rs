//! Typed reading of spanned TOML values. Every reader reports a wrong type or value at the
//! value's own line and column, naming the key in English and its Vietnamese label, and
//! returns `None` so the caller can go on reading the rest of the file.

use super::pool::TextPool;
use crate::date::Date;
use crate::diag::{Diagnostics, Loc, Source};
use crate::model::Text;
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

/// The Vietnamese label of a key, for messages.
pub fn label(key: &str) -> &'static str {
    let last = key.rsplit('.').next().unwrap_or(key);
    let last = last.split('[').next().unwrap_or(last);
    match last {
        "title" => "tiêu đề",
        "base_url" => "địa chỉ trang",
        "theme" => "giao diện",
        "language" => "ngôn ngữ",
        "feedback" => "địa chỉ tiếp nhận phản ánh, kiến nghị",
        "name" => "tên",
        "kind" => "loại đơn vị",
        "office" => "nơi tiếp nhận hồ sơ",
        "adopt" => "thủ tục áp dụng từ danh mục",
        "adopt_levels" => "cấp thủ tục áp dụng",
        "former" => "đơn vị cũ",
        "address" => "địa chỉ",
        "phone" => "điện thoại",
        "email" => "thư điện tử",
        "hours" => "giờ làm việc",
        "website" => "trang thông tin điện tử",
        "path" => "địa chỉ cũ",
        "date" => "ngày",
        "basis" => "căn cứ",
        "code" => "mã thủ tục",
        "sector" => "lĩnh vực",
        "level" => "cấp thực hiện",
        "decision" => "số quyết định công bố",
        "effective" => "ngày có hiệu lực",
        "repealed" => "ngày bãi bỏ",
        "replaced_by" => "thủ tục thay thế",
        "applicants" => "đối tượng thực hiện",
        "agency" => "cơ quan thực hiện",
        "authority" => "cơ quan có thẩm quyền",
        "place" => "địa điểm thực hiện",
        "result" => "kết quả thực hiện",
        "requirements" => "yêu cầu, điều kiện",
        "legal_basis" => "căn cứ pháp lý",
        "online" => "dịch vụ công trực tuyến",
        "online_url" => "địa chỉ nộp trực tuyến",
        "keywords" => "từ khóa",
        "channels" => "cách thức thực hiện",
        "dossier" => "thành phần hồ sơ",
        "forms" => "mẫu đơn, tờ khai",
        "steps" => "trình tự thực hiện",
        "unpublished" => "thành phần chưa công bố",
        "method" => "hình thức nộp",
        "time" => "thời hạn giải quyết",
        "fees" => "phí, lệ phí",
        "note" => "ghi chú",
        "value" => "thời hạn",
        "unit" => "đơn vị thời gian",
        "text" => "diễn giải",
        "raw" => "văn bản gốc",
        "amount" => "mức thu",
        "case" => "trường hợp",
        "items" => "giấy tờ",
        "originals" => "số bản chính",
        "copies" => "số bản sao",
        "form" => "mẫu kèm theo",
        "file" => "tệp",
        "url" => "đường dẫn",
        "updated" => "ngày cập nhật",
        "procedure_type" => "loại thủ tục",
        "delegated_agency" => "cơ quan được ủy quyền",
        "coordinating_agency" => "cơ quan phối hợp",
        "description" => "mô tả",
        "source" => "nguồn dữ liệu",
        _ => "",
    }
}

/// "`channels[1].fees` (phí, lệ phí)".
pub fn key_desc(key: &str) -> String {
    match label(key) {
        "" => format!("`{key}`"),
        l => format!("`{key}` ({l})"),
    }
}

pub fn type_name(v: TomlValue) -> &'static str {
    match v {
        TomlValue::String(_) => "a string",
        TomlValue::Integer(_) => "an integer",
        TomlValue::Float(_) => "a number",
        TomlValue::Boolean(_) => "true/false",
        TomlValue::DateTime(_) => "a date",
        TomlValue::Array(_) => "a list",
        TomlValue::Table(_) => "a table",
    }
}

fn wrong_type(f: Field, key: &str, expected: &str, d: &mut Diagnostics) {
    d.error(
        f.loc(),
        format!(
            "{}: expected {expected}, found {}",
            key_desc(key),
            type_name(f.get())
        ),
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
            wrong_type(f, key, "a string", d);
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
            format!("{}: expected text, found an empty string (list the key in `unpublished` if the source gives nothing)", key_desc(key)),
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
            wrong_type(f, key, "a list of strings", d);
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
                    format!("{}: the number is too large", key_desc(key)),
                );
                None
            }
        },
        _ => {
            wrong_type(f, key, "a whole number", d);
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
                format!(
                    "{}: expected a count of 0 or more, found {n}",
                    key_desc(key)
                ),
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
                format!("{}: expected a finite number", key_desc(key)),
            );
            None
        }
        _ => {
            wrong_type(f, key, "a number", d);
            None
        }
    }
}

pub fn boolean(f: Field, key: &str, d: &mut Diagnostics) -> Option<bool> {
    match f.get() {
        TomlValue::Boolean(b) => Some(*b),
        _ => {
            wrong_type(f, key, "true or false", d);
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
            wrong_type(f, key, "a date like 2025-07-01", d);
            return None;
        }
    };
    if parsed.is_none() {
        d.error(
            f.loc(),
            format!(
                "{}: expected a date like 2025-07-01 (year-month-day)",
                key_desc(key)
            ),
        );
    }
    parsed
}

/// One of a closed set of slugs.
pub fn slug<E>(
    f: Field,
    key: &str,
    from: fn(&str) -> Option<E>,
    expected: String,
    d: &mut Diagnostics,
) -> Option<E> {
    let s = string(f, key, d)?;
    match from(s.trim()) {
        Some(e) => Some(e),
        None => {
            d.error(
                f.loc(),
                format!(
                    "{}: expected one of {expected}, found \"{s}\"",
                    key_desc(key)
                ),
            );
            None
        }
    }
}

/// A list of slugs; a single slug counts as a list of one.
pub fn slug_list<E>(
    f: Field,
    key: &str,
    from: fn(&str) -> Option<E>,
    expected: String,
    d: &mut Diagnostics,
) -> Option<Vec<E>> {
    match f.get() {
        TomlValue::Array(arr) => Some(
            arr.iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    slug(
                        Field { value: v, at: f.at },
                        &format!("{key}[{}]", i + 1),
                        from,
                        expected.clone(),
                        d,
                    )
                })
                .collect(),
        ),
        _ => slug(f, key, from, expected, d).map(|e| vec![e]),
    }
}

pub fn table<'a, 'i>(f: Field<'a, 'i>, key: &str, d: &mut Diagnostics) -> Option<&'a Table<'i>> {
    match f.get() {
        TomlValue::Table(t) => Some(t),
        _ => {
            wrong_type(f, key, "a table", d);
            None
        }
    }
}

pub fn array<'a, 'i>(f: Field<'a, 'i>, key: &str, d: &mut Diagnostics) -> Option<&'a Array<'i>> {
    match f.get() {
        TomlValue::Array(a) => Some(a),
        _ => {
            wrong_type(f, key, "a list", d);
            None
        }
    }
}

/// A table's keys, for reading by name; reports keys nobody asked for as warnings (a typo
/// like `agnecy` would otherwise vanish silently).
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
            format!("missing required key {}", key_desc(&self.path(key))),
        );
    }

    /// Warns about keys outside `known`.
    pub fn check_unknown(&self, known: &[&str], d: &mut Diagnostics) {
        for (k, _) in self.table.iter() {
            let name: &str = k.name;
            if !known.contains(&name) {
                d.warning(
                    self.at.loc(k.span.start as usize),
                    format!(
                        "unknown key `{}{name}` is ignored (known keys here: {})",
                        self.prefix,
                        known.join(", ")
                    ),
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
            format!(
                "{}: expected a web address starting with https:// or http://, found \"{u}\"",
                key_desc(key)
            ),
        );
        None
    }
}
