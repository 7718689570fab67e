//! The national procedure database's plain-text export (Cổng Dịch vụ công quốc gia,
//! "dvcqg"): one `.txt` file per procedure code.
//!
//! A file starts with `Chi tiết thủ tục hành chính`, then has twenty labels in a fixed order
//! (`Mã thủ tục: …` … `Mô tả: …`). Most values are one line; the steps, channels, dossier
//! and legal basis are indented blocks; requirements, description, the receiving address
//! and a channel's description run on over further lines, which may start at column 0 and
//! may even begin with another label's words (three records quote `Từ khóa:` inside their
//! requirements). So labels are found in their fixed order: for each label the parser takes
//! the last line starting with it before the next label's first line, and text in between
//! belongs to the value. A label-like line (`Something: …`) where only a one-line value can
//! be is reported as an unknown label: it means the export format changed.
//!
//! `docs/import.md` has the full label → key table, every decision and the counts measured
//! on 5,652 real records.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::{frontmatter, toml_text, ImportError, ImportReport};

/// The first line of every record.
pub const HEADER: &str = "Chi tiết thủ tục hành chính";
/// What the source says when it published nothing for a field.
pub const NO_INFO: &str = "Không có thông tin";
/// What the site shows for something the source left out (used for a dossier item without
/// a name, where a key can not simply be left out).
pub const UNPUBLISHED_TEXT: &str = "Chưa công bố";
/// The time text written for the source's "N OTHER" (no fixed time: the source's own staff
/// write "Theo mô tả OTHER" for the same case, so we use their words).
pub const OTHER_TIME_TEXT: &str = "Theo mô tả";
/// Input files larger than this are refused (the largest real record is far smaller).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------------------
// The record
// ---------------------------------------------------------------------------------------

/// One procedure as read from the export. `None` means the source published nothing
/// ("Không có thông tin" or an empty value).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `Mã thủ tục`: checked to be safe as a file name and URL segment.
    pub code: String,
    /// `Số quyết định`.
    pub decision: Option<String>,
    /// `Tên thủ tục`, on one line (a name the export wrapped is joined with spaces).
    pub name: Option<String>,
    /// `Tên thủ tục` as written, when it spanned several lines.
    pub name_raw: Option<String>,
    /// `Cấp thực hiện`.
    pub level: LevelField,
    /// `Loại thủ tục`, verbatim (e.g. `NOT_ASSIGNED_REGULATION`).
    pub procedure_type: Option<String>,
    /// `Lĩnh vực`.
    pub sector: Option<String>,
    /// `Trình tự thực hiện`, line by line as written (trailing spaces removed).
    pub steps: Option<String>,
    /// `Cách thức thực hiện`: one entry per `* Hình thức nộp:` block.
    pub channels: Option<Vec<Channel>>,
    /// `Thành phần hồ sơ`: cases (`[ heading ]`) with their items.
    pub dossier: Option<Vec<DossierCase>>,
    /// `Thành phần hồ sơ` as written, when it has headings but no item (the dossier is then
    /// unpublished, and the headings are kept here).
    pub dossier_raw: Option<String>,
    /// `Đối tượng thực hiện`, split into a list.
    pub applicants: Option<TextList>,
    /// `Cơ quan thực hiện`.
    pub agency: Option<String>,
    /// `Cơ quan có thẩm quyền`.
    pub authority: Option<String>,
    /// `Địa chỉ tiếp nhận HS` (may have several lines).
    pub place: Option<String>,
    /// `Cơ quan được ủy quyền`.
    pub delegated_agency: Option<String>,
    /// `Cơ quan phối hợp`.
    pub coordinating_agency: Option<String>,
    /// `Kết quả thực hiện`, split into a list.
    pub result: Option<TextList>,
    /// `Căn cứ pháp lý`: one string per `* title (number)` line.
    pub legal_basis: Option<LegalBasis>,
    /// `Yêu cầu, điều kiện thực hiện`, line by line.
    pub requirements: Option<String>,
    /// `Từ khóa`, verbatim.
    pub keywords: Option<String>,
    /// `Mô tả` (the record's, not a channel's), line by line.
    pub description: Option<String>,
    /// Irregularities met while reading this record (tags counted by [`super::Stats`]).
    pub tags: Vec<&'static str>,
}

/// `Cấp thực hiện`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelField {
    /// One or more known levels, in source order.
    Levels(Vec<Level>),
    /// "Không có thông tin" or empty.
    Unpublished,
    /// A value we do not know, kept verbatim.
    Unknown(String),
}

/// A level of government, as our format spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    TrungUong,
    Tinh,
    Huyen,
    Xa,
}

impl Level {
    /// The value in our format.
    pub fn slug(self) -> &'static str {
        match self {
            Level::TrungUong => "trung-uong",
            Level::Tinh => "tinh",
            Level::Huyen => "huyen",
            Level::Xa => "xa",
        }
    }
}

/// A list the source joins with ", " (applicants, results).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextList {
    /// The items; joined with ", " they give `raw` back exactly.
    pub items: Vec<String>,
    /// The source text.
    pub raw: String,
    /// True when a ", " outside parentheses was kept inside an item (the next word was not
    /// capitalised), so the split was a judgement call: the writer then keeps `raw` too.
    pub ambiguous: bool,
}

/// `Căn cứ pháp lý`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalBasis {
    /// One string per `* ` line, the export's wrapped lines joined with a space.
    pub items: Vec<String>,
    /// The block as written.
    pub raw: String,
    /// True when an item ran over several lines (the writer then keeps `raw` too).
    pub wrapped: bool,
}

/// One `* Hình thức nộp:` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub method: Method,
    /// `Thời hạn giải quyết`.
    pub time: Time,
    /// `Phí, lệ phí`.
    pub fees: Fees,
    /// `Mô tả` of the channel, line by line.
    pub note: Option<String>,
    /// Line of `* Hình thức nộp:` in the source.
    pub line: usize,
}

/// How a dossier is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Direct,
    Online,
    Postal,
}

impl Method {
    /// The value in our format.
    pub fn slug(self) -> &'static str {
        match self {
            Method::Direct => "truc-tiep",
            Method::Online => "truc-tuyen",
            Method::Postal => "buu-chinh",
        }
    }
}

/// Units of a processing time, as our format spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    WorkingDays,
    Days,
    Hours,
    Months,
    Years,
}

impl TimeUnit {
    /// The value in our format.
    pub fn slug(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "working-days",
            TimeUnit::Days => "days",
            TimeUnit::Hours => "hours",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }

    /// The unit in Vietnamese, as a reader expects it after a number.
    pub fn vietnamese(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "ngày làm việc",
            TimeUnit::Days => "ngày",
            TimeUnit::Hours => "giờ",
            TimeUnit::Months => "tháng",
            TimeUnit::Years => "năm",
        }
    }
}

/// `Thời hạn giải quyết`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Time {
    /// Empty (the export writes " OTHER" with no number), or no time line at all.
    Unpublished,
    /// A whole number of a known unit.
    Value {
        value: u32,
        unit: TimeUnit,
        raw: String,
    },
    /// Text: the source's own text, or our wording for "N OTHER" and fractional values.
    Text { text: String, raw: String },
}

/// `Phí, lệ phí`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fees {
    /// "Không có thông tin", empty, or no fee line at all.
    Unpublished,
    /// The tiers (`AMOUNT VNĐ (text) | …`), or one text-only tier for free text.
    Tiers(Vec<Fee>),
}

/// One fee tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    /// In đồng, as published (`None` for free text).
    pub amount: Option<i64>,
    /// The text in parentheses (trimmed), or the free text; `None` when empty.
    pub text: Option<String>,
    /// The tier as written (`7000 VNĐ (…)`), or the whole free text.
    pub raw: String,
}

/// A `[ heading ]` of the dossier and its items; items before any heading form a case
/// without a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierCase {
    pub case: Option<String>,
    pub items: Vec<DossierItem>,
}

/// One `- name` line and its `Số lượng:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierItem {
    /// The text after `- `, verbatim; for a note item, the note's marker ("Lưu ý").
    pub name: String,
    pub originals: u32,
    pub copies: u32,
    /// For a note item (0 originals, 0 copies, text starting "Lưu ý", "Ghi chú" or "Chú ý"):
    /// the text after the marker.
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Code,
    Decision,
    Name,
    Level,
    ProcedureType,
    Sector,
    Steps,
    Channels,
    Dossier,
    Applicants,
    Agency,
    Authority,
    Place,
    Delegated,
    Coordinating,
    Result,
    LegalBasis,
    Requirements,
    Keywords,
    Description,
}

struct LabelInfo {
    label: Label,
    /// The label as the export writes it.
    vi: &'static str,
    /// Other spellings accepted (tone mark placement: "uỷ"/"ủy", "khoá"/"khóa").
    alt: &'static [&'static str],
    /// Tag counted when the value is "Không có thông tin" or empty.
    no_info: &'static str,
    /// Tag counted per extra line of a value.
    continued: &'static str,
}

const fn info(
    label: Label,
    vi: &'static str,
    alt: &'static [&'static str],
    no_info: &'static str,
    continued: &'static str,
) -> LabelInfo {
    LabelInfo {
        label,
        vi,
        alt,
        no_info,
        continued,
    }
}

#[rustfmt::skip]
const LABELS: [LabelInfo; 20] = [
    info(Label::Code, "Mã thủ tục", &[], "code:no-info", "code:continued"),
    info(Label::Decision, "Số quyết định", &[], "decision:no-info", "decision:continued"),
    info(Label::Name, "Tên thủ tục", &[], "name:no-info", "name:continued"),
    info(Label::Level, "Cấp thực hiện", &[], "level:no-info", "level:continued"),
    info(Label::ProcedureType, "Loại thủ tục", &[], "procedure_type:no-info", "procedure_type:continued"),
    info(Label::Sector, "Lĩnh vực", &[], "sector:no-info", "sector:continued"),
    info(Label::Steps, "Trình tự thực hiện", &[], "steps:no-info", "steps:line"),
    info(Label::Channels, "Cách thức thực hiện", &[], "channels:no-info", "channels:line"),
    info(Label::Dossier, "Thành phần hồ sơ", &[], "dossier:no-info", "dossier:line"),
    info(Label::Applicants, "Đối tượng thực hiện", &[], "applicants:no-info", "applicants:continued"),
    info(Label::Agency, "Cơ quan thực hiện", &[], "agency:no-info", "agency:continued"),
    info(Label::Authority, "Cơ quan có thẩm quyền", &[], "authority:no-info", "authority:continued"),
    info(Label::Place, "Địa chỉ tiếp nhận HS", &[], "place:no-info", "place:continued"),
    info(Label::Delegated, "Cơ quan được ủy quyền", &["Cơ quan được uỷ quyền"], "delegated_agency:no-info", "delegated_agency:continued"),
    info(Label::Coordinating, "Cơ quan phối hợp", &[], "coordinating_agency:no-info", "coordinating_agency:continued"),
    info(Label::Result, "Kết quả thực hiện", &[], "result:no-info", "result:continued"),
    info(Label::LegalBasis, "Căn cứ pháp lý", &[], "legal_basis:no-info", "legal_basis:line"),
    info(Label::Requirements, "Yêu cầu, điều kiện thực hiện", &[], "requirements:no-info", "requirements:continued"),
    info(Label::Keywords, "Từ khóa", &["Từ khoá"], "keywords:no-info", "keywords:continued"),
    info(Label::Description, "Mô tả", &[], "description:no-info", "description:continued"),
];

/// If `line` starts (at column 0) with the label, the value after `Label:` (one leading
/// space or tab removed).
fn label_value<'a>(line: &'a str, info: &LabelInfo) -> Option<&'a str> {
    std::iter::once(info.vi)
        .chain(info.alt.iter().copied())
        .find_map(|spelling| {
            let rest = line.strip_prefix(spelling)?.strip_prefix(':')?;
            if rest.is_empty() {
                Some(rest)
            } else {
                rest.strip_prefix(' ').or_else(|| rest.strip_prefix('\t'))
            }
        })
}

/// `Something: …` at the start of a line: a capitalised run of up to 40 letters, spaces,
/// commas or slashes, then `:` and a space or the end. Returns the label.
fn looks_like_label(t: &str) -> Option<&str> {
    let (head, rest) = t.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let n = head.chars().count();
    let first = head.chars().next()?;
    let ok = (2..=40).contains(&n)
        && first.is_uppercase()
        && head
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == ',' || c == '/');
    ok.then_some(head)
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

fn is_no_info(s: &str) -> bool {
    s.trim() == NO_INFO
}

/// Shortens a line for a message.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

/// Normalises text for parsing: BOM removed, CRLF and CR made LF, NFC. Tags what it did.
fn normalise(text: &str, tags: &mut Vec<&'static str>) -> String {
    let mut s = text;
    if let Some(rest) = s.strip_prefix('\u{FEFF}') {
        tags.push("input:bom");
        s = rest;
    }
    let mut owned = if s.contains('\r') {
        tags.push("input:cr-line-ends");
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    };
    if is_nfc_quick(owned.chars()) != IsNormalized::Yes {
        let nfc: String = owned.nfc().collect();
        if nfc != owned {
            tags.push("input:not-nfc");
            owned = nfc;
        }
    }
    owned
}

/// A field: the label's line and the lines up to the next label.
struct Field<'a> {
    /// 1-based line of the label.
    line: usize,
    /// The value on the label's line.
    first: &'a str,
    /// The following lines, with their 1-based numbers.
    rest: Vec<(usize, &'a str)>,
}

struct Parser<'p> {
    path: &'p Path,
    errors: Vec<ImportError>,
    tags: Vec<&'static str>,
    dossier_raw: Option<String>,
}

impl Parser<'_> {
    fn error(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(ImportError::at(self.path, line, message));
    }

    /// A one-line value. Extra lines are joined with `\n` (counted); a label-like extra
    /// line is an unknown label.
    fn single(&mut self, field: &Field, info: &LabelInfo) -> Option<String> {
        let mut parts: Vec<&str> = vec![field.first.trim()];
        for &(no, line) in &field.rest {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if indent_of(line) == 0 {
                if let Some(label) = looks_like_label(t) {
                    self.error(
                        no,
                        format!(
                            "unknown label `{label}:` (after `{}:` at line {}): the export format may have changed",
                            info.vi, field.line
                        ),
                    );
                    continue;
                }
            }
            self.tags.push(info.continued);
            parts.push(t);
        }
        let value = parts.join("\n").trim().to_string();
        if value.is_empty() || is_no_info(&value) {
            self.tags.push(info.no_info);
            None
        } else {
            Some(value)
        }
    }

    /// A free-text value of several lines: trailing spaces and blank edge lines removed,
    /// everything else verbatim.
    fn text(&mut self, field: &Field, info: &LabelInfo) -> Option<String> {
        let mut lines: Vec<&str> = vec![field.first.trim()];
        for &(_, line) in &field.rest {
            lines.push(line.trim_end());
        }
        let value = join_trimmed(&lines);
        let extra = value.lines().count().saturating_sub(1);
        if value.is_empty() || is_no_info(&value) {
            self.tags.push(info.no_info);
            return None;
        }
        if info.label != Label::Steps {
            for _ in 0..extra {
                self.tags.push(info.continued);
            }
        }
        Some(value)
    }

    fn code(&mut self, field: &Field, info: &LabelInfo) -> Option<String> {
        let code = self.single(field, info)?;
        let safe = code.len() <= 64
            && !code.starts_with('.')
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_');
        if safe {
            Some(code)
        } else {
            self.error(
                field.line,
                format!(
                    "`Mã thủ tục:` `{}` is not a procedure code (letters, digits, `.`, `-`, `_`)",
                    excerpt(&code)
                ),
            );
            None
        }
    }

    fn level(&mut self, value: Option<String>) -> LevelField {
        let Some(raw) = value else {
            return LevelField::Unpublished;
        };
        let mut levels = Vec::new();
        for part in raw.split([',', ';', '\n']) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            let level = match p.to_lowercase().as_str() {
                "cấp xã" => Level::Xa,
                "cấp tỉnh" => Level::Tinh,
                "cấp huyện" => Level::Huyen,
                "cấp bộ/trung ương" | "cấp trung ương" | "cấp bộ" => Level::TrungUong,
                _ => {
                    self.tags.push("level:unknown");
                    return LevelField::Unknown(raw);
                }
            };
            if !levels.contains(&level) {
                levels.push(level);
            }
        }
        match levels.len() {
            0 => LevelField::Unpublished,
            1 => LevelField::Levels(levels),
            _ => {
                self.tags.push("level:several");
                LevelField::Levels(levels)
            }
        }
    }

    fn channels(&mut self, field: &Field) -> Option<Vec<Channel>> {
        #[derive(PartialEq, Clone, Copy)]
        enum Part {
            Start,
            Time,
            Fee,
            Note,
        }
        struct Builder {
            line: usize,
            method: Option<Method>,
            time: Option<String>,
            fee: Option<String>,
            note: Option<Vec<String>>,
            part: Part,
        }

        let first = field.first.trim();
        let mut no_info = is_no_info(first);
        if !first.is_empty() && !no_info {
            self.error(
                field.line,
                format!(
                    "unexpected text after `Cách thức thực hiện:`: `{}`",
                    excerpt(first)
                ),
            );
        }
        let mut built: Vec<Builder> = Vec::new();
        for &(no, line) in &field.rest {
            let t = line.trim();
            let indent = indent_of(line);
            if let Some(m) = t.strip_prefix("* Hình thức nộp:") {
                let m = m.trim();
                let method = match m.to_ascii_uppercase().as_str() {
                    "DIRECT" => Some(Method::Direct),
                    "ONLINE" => Some(Method::Online),
                    "POSTAL" => Some(Method::Postal),
                    _ => {
                        self.error(
                            no,
                            format!(
                                "unknown `Hình thức nộp:` `{}` (expected DIRECT, ONLINE or POSTAL)",
                                excerpt(m)
                            ),
                        );
                        None
                    }
                };
                built.push(Builder {
                    line: no,
                    method,
                    time: None,
                    fee: None,
                    note: None,
                    part: Part::Start,
                });
                continue;
            }
            let Some(b) = built.last_mut() else {
                if t.is_empty() {
                    continue;
                }
                if is_no_info(t) {
                    no_info = true;
                    continue;
                }
                self.error(
                    no,
                    format!(
                        "unexpected text in `Cách thức thực hiện:` before the first `* Hình thức nộp:`: `{}`",
                        excerpt(t)
                    ),
                );
                continue;
            };
            if b.part != Part::Note && indent > 0 {
                let sub = if let Some(v) = t.strip_prefix("Thời hạn giải quyết:") {
                    Some((Part::Time, "Thời hạn giải quyết:", v))
                } else if let Some(v) = t.strip_prefix("Phí, lệ phí:") {
                    Some((Part::Fee, "Phí, lệ phí:", v))
                } else {
                    t.strip_prefix("Mô tả:").map(|v| (Part::Note, "Mô tả:", v))
                };
                if let Some((part, name, v)) = sub {
                    let v = v.trim().to_string();
                    let taken = match part {
                        Part::Time => b.time.is_some(),
                        Part::Fee => b.fee.is_some(),
                        Part::Note => b.note.is_some(),
                        Part::Start => false,
                    };
                    if taken {
                        let at = b.line;
                        self.error(
                            no,
                            format!("a second `{name}` in the channel starting at line {at}"),
                        );
                    } else {
                        match part {
                            Part::Time => b.time = Some(v),
                            Part::Fee => b.fee = Some(v),
                            Part::Note => b.note = Some(vec![v]),
                            Part::Start => {}
                        }
                    }
                    b.part = part;
                    continue;
                }
            }
            match b.part {
                Part::Note => {
                    if let Some(note) = b.note.as_mut() {
                        note.push(line.trim_end().to_string());
                    }
                }
                _ if t.is_empty() => {}
                _ if indent > 0 && looks_like_label(t).is_some() => {
                    let label = looks_like_label(t).unwrap_or(t);
                    self.error(
                        no,
                        format!(
                            "unknown label `{label}:` in the channel starting at line {}",
                            b.line
                        ),
                    );
                }
                Part::Time => {
                    self.tags.push("time:continued");
                    if let Some(v) = b.time.as_mut() {
                        v.push('\n');
                        v.push_str(t);
                    }
                }
                Part::Fee => {
                    self.tags.push("fees:continued");
                    if let Some(v) = b.fee.as_mut() {
                        v.push('\n');
                        v.push_str(t);
                    }
                }
                Part::Start => {
                    self.error(
                        no,
                        format!(
                            "unexpected text in the channel starting at line {}: `{}`",
                            b.line,
                            excerpt(t)
                        ),
                    );
                }
            }
        }
        if built.is_empty() {
            if !no_info {
                self.tags.push("channels:none");
            }
            self.tags.push("channels:no-info");
            return None;
        }
        let mut channels = Vec::new();
        for b in built {
            let Some(method) = b.method else { continue };
            self.tags.push(match method {
                Method::Direct => "channel:truc-tiep",
                Method::Online => "channel:truc-tuyen",
                Method::Postal => "channel:buu-chinh",
            });
            let time = match b.time {
                Some(raw) => parse_time(&raw, &mut self.tags),
                None => {
                    self.tags.push("time:no-line");
                    Time::Unpublished
                }
            };
            let fees = match b.fee {
                Some(raw) => parse_fees(&raw, &mut self.tags),
                None => {
                    self.tags.push("fees:no-line");
                    Fees::Unpublished
                }
            };
            let note = b.note.and_then(|lines| {
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let text = join_trimmed(&refs);
                if text.is_empty() || is_no_info(&text) {
                    None
                } else {
                    self.tags.push("channel:note");
                    if text.contains('\n') {
                        self.tags.push("channel:note-several-lines");
                    }
                    Some(text)
                }
            });
            channels.push(Channel {
                method,
                time,
                fees,
                note,
                line: b.line,
            });
        }
        Some(channels)
    }

    fn dossier(&mut self, field: &Field) -> Option<Vec<DossierCase>> {
        let first = field.first.trim();
        let mut no_info = is_no_info(first);
        if !first.is_empty() && !no_info {
            self.error(
                field.line,
                format!(
                    "unexpected text after `Thành phần hồ sơ:`: `{}`",
                    excerpt(first)
                ),
            );
        }
        // (case, items with counts still to come)
        let mut cases: Vec<(Option<String>, Vec<PendingItem>)> = Vec::new();
        for &(no, line) in &field.rest {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(h) = t.strip_prefix('[') {
                let h = match h.strip_suffix(']') {
                    Some(h) => h,
                    None => {
                        self.tags.push("dossier:heading-unclosed");
                        h
                    }
                };
                let h = h.trim();
                self.tags.push("dossier:case");
                cases.push(((!h.is_empty()).then(|| h.to_string()), Vec::new()));
            } else if t == "-" || t.starts_with("- ") {
                let name = t.get(1..).unwrap_or("").trim().to_string();
                if cases.is_empty() {
                    self.tags.push("dossier:items-before-heading");
                    cases.push((None, Vec::new()));
                }
                if let Some((_, items)) = cases.last_mut() {
                    if let Some((at, _, None)) = items.last() {
                        let at = *at;
                        self.error(at, "dossier item without a `Số lượng:` line");
                    }
                    items.push((no, name, None));
                }
            } else if let Some(q) = t.strip_prefix("Số lượng:") {
                let counts = parse_counts(q);
                let slot = cases
                    .last_mut()
                    .and_then(|(_, items)| items.last_mut())
                    .filter(|(_, _, c)| c.is_none());
                match (counts, slot) {
                    (Some(c), Some(item)) => item.2 = Some(c),
                    (None, _) => self.error(
                        no,
                        format!(
                            "`Số lượng:` should read `Bản chính: N, Bản sao: M`, not `{}`",
                            excerpt(q.trim())
                        ),
                    ),
                    (Some(_), None) => self.error(no, "`Số lượng:` without a dossier item"),
                }
            } else if t.starts_with(NO_INFO)
                && cases.last().is_none_or(|(_, items)| items.is_empty())
            {
                // "Không có thông tin thành phần hồ sơ.", possibly under a heading
                no_info = true;
            } else {
                self.error(
                    no,
                    format!("unexpected line in `Thành phần hồ sơ:`: `{}`", excerpt(t)),
                );
            }
        }
        if cases.iter().all(|(_, items)| items.is_empty()) {
            if !no_info {
                self.tags.push("dossier:none");
            }
            if !cases.is_empty() {
                // headings without items: keep them as written
                self.tags.push("dossier:headings-without-items");
                let lines: Vec<&str> = field.rest.iter().map(|(_, l)| l.trim_end()).collect();
                self.dossier_raw = Some(join_trimmed(&lines));
            }
            self.tags.push("dossier:no-info");
            return None;
        }
        let mut out = Vec::new();
        for (case, items) in cases {
            if items.is_empty() {
                self.tags.push("dossier:empty-case");
            }
            let mut done = Vec::new();
            for (no, name, counts) in items {
                let Some((originals, copies)) = counts else {
                    self.error(no, "dossier item without a `Số lượng:` line");
                    continue;
                };
                self.tags.push("dossier:item");
                done.push(self.dossier_item(name, originals, copies));
            }
            out.push(DossierCase { case, items: done });
        }
        Some(out)
    }

    fn dossier_item(&mut self, name: String, originals: u32, copies: u32) -> DossierItem {
        if originals == 0 && copies == 0 {
            self.tags.push("dossier:item-0-0");
            let core = name.trim_start_matches(|c: char| {
                c == '*' || c == '-' || c == '+' || c.is_whitespace()
            });
            for marker in ["Lưu ý", "Ghi chú", "Chú ý"] {
                let Some(head) = core.get(..marker.len()) else {
                    continue;
                };
                if head.to_lowercase() != marker.to_lowercase() {
                    continue;
                }
                let rest = core
                    .get(marker.len()..)
                    .unwrap_or("")
                    .trim_start_matches(|c: char| c == ':' || c.is_whitespace())
                    .trim_end();
                self.tags.push("dossier:note-item");
                return DossierItem {
                    name: head.to_string(),
                    originals,
                    copies,
                    note: (!rest.is_empty()).then(|| rest.to_string()),
                };
            }
        }
        if name.is_empty() {
            self.tags.push("dossier:unnamed-item");
            return DossierItem {
                name: UNPUBLISHED_TEXT.to_string(),
                originals,
                copies,
                note: None,
            };
        }
        DossierItem {
            name,
            originals,
            copies,
            note: None,
        }
    }

    fn legal_basis(&mut self, field: &Field) -> Option<LegalBasis> {
        let first = field.first.trim();
        if !first.is_empty() && !is_no_info(first) {
            self.error(
                field.line,
                format!(
                    "unexpected text after `Căn cứ pháp lý:`: `{}`",
                    excerpt(first)
                ),
            );
        }
        let mut items: Vec<String> = Vec::new();
        let mut wrapped = false;
        let mut raw_lines: Vec<&str> = Vec::new();
        for &(no, line) in &field.rest {
            let t = line.trim();
            raw_lines.push(line.trim_end());
            if t.is_empty() {
                continue;
            }
            if indent_of(line) <= 3 && (t == "*" || t.starts_with("* ")) {
                let item = t.get(1..).unwrap_or("").trim();
                if item.is_empty() {
                    self.tags.push("legal_basis:empty-item");
                } else {
                    self.tags.push("legal_basis:item");
                    items.push(item.to_string());
                }
            } else if items.is_empty() && t.starts_with(NO_INFO) {
                // "Không có thông tin căn cứ pháp lý."
            } else if let Some(last) = items.last_mut() {
                self.tags.push("legal_basis:wrapped-line");
                wrapped = true;
                last.push(' ');
                last.push_str(t);
            } else {
                self.error(
                    no,
                    format!("unexpected line in `Căn cứ pháp lý:`: `{}`", excerpt(t)),
                );
            }
        }
        if items.is_empty() {
            self.tags.push("legal_basis:no-info");
            return None;
        }
        Some(LegalBasis {
            items,
            raw: join_trimmed(&raw_lines),
            wrapped,
        })
    }

    fn list(&mut self, value: Option<String>, ambiguous_tag: &'static str) -> Option<TextList> {
        let raw = value?;
        let (items, ambiguous) = split_list(&raw);
        if ambiguous {
            self.tags.push(ambiguous_tag);
        }
        Some(TextList {
            items,
            raw,
            ambiguous,
        })
    }
}

/// A dossier item being read: its line, its name, its counts once seen.
type PendingItem = (usize, String, Option<(u32, u32)>);

/// Joins lines with `\n`, dropping blank lines at both ends.
fn join_trimmed(lines: &[&str]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => lines.get(s..=e).map(|ls| ls.join("\n")).unwrap_or_default(),
        _ => String::new(),
    }
}

/// `Bản chính: N, Bản sao: M`.
fn parse_counts(q: &str) -> Option<(u32, u32)> {
    let (a, b) = q.trim().split_once(',')?;
    let originals = a.trim().strip_prefix("Bản chính:")?.trim().parse().ok()?;
    let copies = b.trim().strip_prefix("Bản sao:")?.trim().parse().ok()?;
    Some((originals, copies))
}

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
fn number_parts(s: &str) -> Option<(&str, Option<&str>)> {
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
fn tier_start(rest: &str) -> Option<(&str, usize)> {
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
            tags.push("fees:free-text");
            Fees::Tiers(vec![Fee {
                amount: None,
                text: Some(s.to_string()),
                raw: s.to_string(),
            }])
        }
    }
}

fn parse_tiers(s: &str) -> Option<Vec<Fee>> {
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

/// Reads one export file's text (see the module docs). `path_for_messages` is only used in
/// errors. Never panics; returns every problem found.
pub fn parse_record(path_for_messages: &Path, text: &str) -> Result<Record, Vec<ImportError>> {
    let mut p = Parser {
        path: path_for_messages,
        errors: Vec::new(),
        tags: Vec::new(),
        dossier_raw: None,
    };
    let norm = normalise(text, &mut p.tags);
    let lines: Vec<&str> = norm.split('\n').collect();

    // Garbage: control characters, or no header.
    for (i, line) in lines.iter().enumerate() {
        if let Some(c) = line.chars().find(|c| c.is_control() && *c != '\t') {
            p.error(
                i + 1,
                format!(
                    "control character U+{:04X}: this is not a text export of the national procedure database",
                    c as u32
                ),
            );
            return Err(p.errors);
        }
    }
    let Some(header_at) = lines.iter().position(|l| !l.trim().is_empty()) else {
        p.errors.push(ImportError::file(
            p.path,
            "empty file: expected a national procedure database record",
        ));
        return Err(p.errors);
    };
    let header = lines.get(header_at).map_or("", |l| l.trim());
    if header != HEADER {
        p.error(
            header_at + 1,
            format!(
                "not a national procedure database record: expected `{HEADER}`, found `{}`",
                excerpt(header)
            ),
        );
        return Err(p.errors);
    }

    // Find the labels, in order.
    let mut candidates: Vec<Vec<usize>> = vec![Vec::new(); LABELS.len()];
    for (i, line) in lines.iter().enumerate().skip(header_at + 1) {
        for (j, info) in LABELS.iter().enumerate() {
            if label_value(line, info).is_some() {
                if let Some(c) = candidates.get_mut(j) {
                    c.push(i);
                }
            }
        }
    }
    let mut chosen: Vec<Option<usize>> = vec![None; LABELS.len()];
    let mut pos = header_at + 1;
    for j in 0..LABELS.len() {
        let own: Vec<usize> = candidates
            .get(j)
            .map(|c| c.iter().copied().filter(|&i| i >= pos).collect())
            .unwrap_or_default();
        let Some(&first) = own.first() else { continue };
        let bound = (j + 1..LABELS.len()).find_map(|k| {
            candidates
                .get(k)
                .and_then(|c| c.iter().copied().find(|&i| i > first))
        });
        let pick = match bound {
            Some(b) => own.iter().copied().rfind(|&i| i < b).unwrap_or(first),
            None => first,
        };
        if own.len() > 1 {
            p.tags.push("label:repeated-in-text");
        }
        if let Some(slot) = chosen.get_mut(j) {
            *slot = Some(pick);
        }
        pos = pick + 1;
    }

    // Missing labels: truncated when all of them come after the last label found.
    let last_found = chosen.iter().rposition(Option::is_some);
    let missing: Vec<usize> = (0..LABELS.len())
        .filter(|&j| chosen.get(j).copied().flatten().is_none())
        .collect();
    if !missing.is_empty() {
        let truncated = match last_found {
            Some(l) => missing.iter().all(|&j| j > l),
            None => true,
        };
        if truncated {
            let first_missing = missing
                .first()
                .and_then(|&j| LABELS.get(j))
                .map_or("", |i| i.vi);
            let end_line = lines.len();
            p.error(
                end_line,
                format!(
                    "the file ends before `{first_missing}:` ({} of 20 labels missing): it looks truncated",
                    missing.len()
                ),
            );
        }
        for &j in &missing {
            let Some(info) = LABELS.get(j) else { continue };
            if info.label == Label::Code {
                p.errors.push(ImportError::file(
                    p.path,
                    "missing `Mã thủ tục:` (the procedure code)",
                ));
            } else if !truncated {
                let line = (0..j)
                    .rev()
                    .find_map(|k| chosen.get(k).copied().flatten())
                    .map_or(header_at + 1, |i| i + 1);
                p.error(
                    line,
                    format!("missing label `{}:` after this line", info.vi),
                );
            }
        }
        return Err(p.errors);
    }

    let field = |j: usize| -> Field {
        let start = chosen.get(j).copied().flatten().unwrap_or(0);
        let end = chosen.get(j + 1).copied().flatten().unwrap_or(lines.len());
        let first = lines
            .get(start)
            .and_then(|l| LABELS.get(j).and_then(|info| label_value(l, info)))
            .unwrap_or("");
        let rest = (start + 1..end)
            .filter_map(|i| lines.get(i).map(|l| (i + 1, *l)))
            .collect();
        Field {
            line: start + 1,
            first,
            rest,
        }
    };
    let mut code = None;
    let mut record = Record {
        code: String::new(),
        decision: None,
        name: None,
        name_raw: None,
        level: LevelField::Unpublished,
        procedure_type: None,
        sector: None,
        steps: None,
        channels: None,
        dossier: None,
        dossier_raw: None,
        applicants: None,
        agency: None,
        authority: None,
        place: None,
        delegated_agency: None,
        coordinating_agency: None,
        result: None,
        legal_basis: None,
        requirements: None,
        keywords: None,
        description: None,
        tags: Vec::new(),
    };
    for (j, li) in LABELS.iter().enumerate() {
        let f = field(j);
        match li.label {
            Label::Code => {
                let before = p.errors.len();
                code = p.code(&f, li);
                if code.is_none() && p.errors.len() == before {
                    p.error(
                        f.line,
                        "`Mã thủ tục:` (the procedure code) is empty or `Không có thông tin`",
                    );
                }
            }
            Label::Decision => record.decision = p.single(&f, li),
            Label::Name => {
                let name = p.single(&f, li);
                if let Some(n) = &name {
                    if n.contains('\n') {
                        record.name_raw = Some(n.clone());
                    }
                }
                record.name = name.map(|n| n.split('\n').collect::<Vec<_>>().join(" "));
            }
            Label::Level => {
                let v = p.single(&f, li);
                record.level = p.level(v);
            }
            Label::ProcedureType => record.procedure_type = p.single(&f, li),
            Label::Sector => record.sector = p.single(&f, li),
            Label::Steps => record.steps = p.text(&f, li),
            Label::Channels => record.channels = p.channels(&f),
            Label::Dossier => record.dossier = p.dossier(&f),
            Label::Applicants => {
                let v = p.single(&f, li);
                record.applicants = p.list(v, "applicants:ambiguous-split");
            }
            Label::Agency => record.agency = p.single(&f, li),
            Label::Authority => record.authority = p.single(&f, li),
            Label::Place => record.place = p.text(&f, li),
            Label::Delegated => record.delegated_agency = p.single(&f, li),
            Label::Coordinating => record.coordinating_agency = p.single(&f, li),
            Label::Result => {
                let v = p.single(&f, li);
                record.result = p.list(v, "result:ambiguous-split");
            }
            Label::LegalBasis => record.legal_basis = p.legal_basis(&f),
            Label::Requirements => record.requirements = p.text(&f, li),
            Label::Keywords => record.keywords = p.text(&f, li),
            Label::Description => record.description = p.text(&f, li),
        }
    }
    match (
        record.description.as_deref(),
        record.requirements.as_deref(),
    ) {
        (Some(d), Some(r)) if paragraphs(d) == paragraphs(r) => {
            p.tags.push("description:same-as-requirements")
        }
        (Some(_), _) => p.tags.push("description:own-text"),
        _ => {}
    }
    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    let Some(code) = code else {
        p.errors.push(ImportError::file(
            p.path,
            "missing `Mã thủ tục:` (the procedure code)",
        ));
        return Err(p.errors);
    };
    record.code = code;
    record.dossier_raw = p.dossier_raw;
    record.tags = p.tags;
    Ok(record)
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/// The non-blank lines of a text, trimmed.
fn paragraphs(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Escapes what Markdown would otherwise swallow or turn into structure the source did not
/// mean. Bullets (`- `, `+ `, `* `) and numbered lines stay lists on purpose.
fn markdown_line(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let first = chars.first().copied();
    let is_rule = chars.len() >= 3
        && chars
            .iter()
            .all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '))
        && chars.iter().filter(|c| **c != ' ').count() >= 3;
    let is_link_definition = first == Some('[') && t.find("]:").is_some_and(|i| i > 1);
    let mut out = String::with_capacity(t.len() + 4);
    if is_rule
        || is_link_definition
        || matches!(first, Some('#') | Some('>'))
        || t.starts_with("~~~")
    {
        out.push('\\');
    }
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '<' if next
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("\\<");
            }
            '&' if next.is_some_and(|n| n == '#' || n.is_ascii_alphabetic())
                && chars
                    .get(i + 1..)
                    .and_then(|r| r.iter().take(32).position(|c| *c == ';'))
                    .is_some_and(|p| {
                        chars.get(i + 1..i + 1 + p).is_some_and(|w| {
                            w.iter().all(|c| c.is_ascii_alphanumeric() || *c == '#')
                        })
                    }) =>
            {
                out.push_str("\\&");
            }
            c => out.push(c),
        }
    }
    out
}

/// A text as Markdown paragraphs: one source line per paragraph (so line breaks survive
/// rendering), leading spaces removed (so indentation never becomes a code block).
pub fn markdown_paragraphs(text: &str) -> String {
    paragraphs(text)
        .into_iter()
        .map(markdown_line)
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn push_kv(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    out.push_str(value);
    out.push('\n');
}

fn time_inline(time: &Time) -> Option<String> {
    match time {
        Time::Unpublished => None,
        Time::Value { value, unit, raw } => Some(format!(
            "{{ value = {value}, unit = {}, raw = {} }}",
            toml_text::basic_string(unit.slug()),
            toml_text::basic_string(raw)
        )),
        Time::Text { text, raw } => Some(format!(
            "{{ text = {}, raw = {} }}",
            toml_text::basic_string(text),
            toml_text::basic_string(raw)
        )),
    }
}

/// The keys `unpublished` lists, in the order they are checked.
pub fn unpublished_keys(r: &Record) -> Vec<&'static str> {
    let mut keys = Vec::new();
    let mut add = |missing: bool, key: &'static str| {
        if missing {
            keys.push(key);
        }
    };
    add(r.name.is_none(), "name");
    add(r.sector.is_none(), "sector");
    add(!matches!(r.level, LevelField::Levels(_)), "level");
    add(r.applicants.is_none(), "applicants");
    add(r.agency.is_none(), "agency");
    add(r.result.is_none(), "result");
    add(r.legal_basis.is_none(), "legal_basis");
    add(r.steps.is_none(), "steps");
    add(r.channels.is_none(), "channels");
    let channels = r.channels.as_deref().unwrap_or(&[]);
    add(channels.iter().any(|c| c.time == Time::Unpublished), "time");
    add(channels.iter().any(|c| c.fees == Fees::Unpublished), "fees");
    add(r.dossier.is_none(), "dossier");
    keys
}

/// The `.md` procedure file for a record: TOML front matter between `+++` lines, then the
/// steps as the Markdown body. Same record, same bytes. (Named for the TOML it is mostly
/// made of; see [`render`] for keeping a webmaster's own keys.)
pub fn record_to_toml(record: &Record) -> String {
    render(record, &toml::Table::new())
}

/// [`record_to_toml`] with keys the importer does not own (read from an existing file by
/// [`frontmatter::local_keys`]) written back in.
pub fn render(r: &Record, local: &toml::Table) -> String {
    use toml_text::{basic_string, string, string_array};
    let mut fm = String::new();
    push_kv(&mut fm, "code", &basic_string(&r.code));
    if let Some(v) = &r.name {
        push_kv(&mut fm, "name", &basic_string(v));
    }
    if let Some(v) = &r.sector {
        push_kv(&mut fm, "sector", &string(v));
    }
    if let LevelField::Levels(levels) = &r.level {
        let slugs: Vec<String> = levels.iter().map(|l| l.slug().to_string()).collect();
        match slugs.as_slice() {
            [one] => push_kv(&mut fm, "level", &basic_string(one)),
            many => push_kv(&mut fm, "level", &string_array(many)),
        }
    }
    if let Some(v) = &r.decision {
        push_kv(&mut fm, "decision", &string(v));
    }
    if let Some(v) = &r.procedure_type {
        push_kv(&mut fm, "procedure_type", &string(v));
    }
    if let Some(v) = &r.applicants {
        push_kv(&mut fm, "applicants", &string_array(&v.items));
    }
    for (key, value) in [
        ("agency", &r.agency),
        ("authority", &r.authority),
        ("place", &r.place),
        ("delegated_agency", &r.delegated_agency),
        ("coordinating_agency", &r.coordinating_agency),
    ] {
        if let Some(v) = value {
            push_kv(&mut fm, key, &string(v));
        }
    }
    if let Some(v) = &r.result {
        push_kv(&mut fm, "result", &string_array(&v.items));
    }
    let requirements_md = r.requirements.as_deref().map(markdown_paragraphs);
    if let Some(md) = &requirements_md {
        push_kv(&mut fm, "requirements", &string(md));
    }
    if let Some(v) = &r.legal_basis {
        push_kv(&mut fm, "legal_basis", &string_array(&v.items));
    }
    if let Some(v) = &r.keywords {
        push_kv(&mut fm, "keywords", &string_array(std::slice::from_ref(v)));
    }
    let description_same = match (&r.description, &r.requirements) {
        (Some(d), Some(q)) => paragraphs(d) == paragraphs(q),
        _ => false,
    };
    if let Some(d) = &r.description {
        if !description_same {
            push_kv(&mut fm, "description", &string(&markdown_paragraphs(d)));
        }
    }
    let unpublished: Vec<String> = unpublished_keys(r)
        .into_iter()
        .map(str::to_string)
        .collect();
    if !unpublished.is_empty() {
        push_kv(&mut fm, "unpublished", &string_array(&unpublished));
    }
    let local_inline = frontmatter::render_inline(local);
    if !local_inline.is_empty() {
        fm.push_str("# Local keys: not from the national database, kept on re-import.\n");
        fm.push_str(&local_inline);
    }

    // [source]: what could not be mapped otherwise.
    fm.push_str("\n[source]\n");
    push_kv(&mut fm, "origin", &basic_string("dvcqg"));
    if let Some(v) = &r.name_raw {
        push_kv(&mut fm, "name", &string(v));
    }
    if let LevelField::Unknown(v) = &r.level {
        push_kv(&mut fm, "level", &string(v));
    }
    if let Some(v) = r.applicants.as_ref().filter(|l| l.ambiguous) {
        push_kv(&mut fm, "applicants", &string(&v.raw));
    }
    if let Some(v) = r.result.as_ref().filter(|l| l.ambiguous) {
        push_kv(&mut fm, "result", &string(&v.raw));
    }
    if let Some(v) = r.legal_basis.as_ref().filter(|l| l.wrapped) {
        push_kv(&mut fm, "legal_basis", &string(&v.raw));
    }
    if let Some(v) = &r.dossier_raw {
        push_kv(&mut fm, "dossier", &string(v));
    }
    if description_same {
        push_kv(
            &mut fm,
            "description_same_as",
            &basic_string("requirements"),
        );
    }

    for ch in r.channels.as_deref().unwrap_or(&[]) {
        fm.push_str("\n[[channels]]\n");
        push_kv(&mut fm, "method", &basic_string(ch.method.slug()));
        if let Some(t) = time_inline(&ch.time) {
            push_kv(&mut fm, "time", &t);
        }
        if let Some(n) = &ch.note {
            push_kv(&mut fm, "note", &string(n));
        }
        if let Fees::Tiers(tiers) = &ch.fees {
            for fee in tiers {
                fm.push_str("\n[[channels.fees]]\n");
                if let Some(a) = fee.amount {
                    push_kv(&mut fm, "amount", &a.to_string());
                }
                if let Some(t) = &fee.text {
                    push_kv(&mut fm, "text", &string(t));
                }
                push_kv(&mut fm, "raw", &string(&fee.raw));
            }
        }
    }
    for case in r.dossier.as_deref().unwrap_or(&[]) {
        fm.push_str("\n[[dossier]]\n");
        if let Some(c) = &case.case {
            push_kv(&mut fm, "case", &string(c));
        }
        if case.items.is_empty() {
            push_kv(&mut fm, "items", "[]");
        }
        for item in &case.items {
            fm.push_str("\n[[dossier.items]]\n");
            push_kv(&mut fm, "name", &string(&item.name));
            match &item.note {
                Some(note) => push_kv(&mut fm, "note", &string(note)),
                None => {
                    push_kv(&mut fm, "originals", &item.originals.to_string());
                    push_kv(&mut fm, "copies", &item.copies.to_string());
                }
            }
        }
    }
    fm.push_str(&frontmatter::render_sections(local));

    let mut out = String::with_capacity(fm.len() + 4096);
    out.push_str("+++\n");
    out.push_str(&fm);
    out.push_str("+++\n");
    if let Some(steps) = &r.steps {
        out.push_str(&markdown_paragraphs(steps));
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Importing folders
// ---------------------------------------------------------------------------------------

/// What happened to one record's file.
enum Outcome {
    Added,
    Changed,
    Unchanged,
    Skipped(ImportError),
}

/// The `.txt` files of the inputs (files as given, folders walked), sorted, without
/// duplicates.
fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|e| ImportError::file(input, format!("cannot read: {e}")))?;
        if meta.is_file() {
            files.push(input.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(input).to_path_buf();
                ImportError::file(&path, format!("cannot read: {e}"))
            })?;
            let is_txt = entry
                .path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("txt"));
            if entry.file_type().is_file() && is_txt {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Reads and parses one input file.
pub fn read_record(path: &Path) -> Result<Record, Vec<ImportError>> {
    let too_big = std::fs::metadata(path)
        .map(|m| m.len() > MAX_FILE_BYTES)
        .unwrap_or(false);
    if too_big {
        return Err(vec![ImportError::file(
            path,
            format!("larger than {MAX_FILE_BYTES} bytes: not a procedure record"),
        )]);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| vec![ImportError::file(path, format!("cannot read: {e}"))])?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes
                .get(..e.valid_up_to())
                .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
            return Err(vec![ImportError::at(
                path,
                line,
                "not UTF-8 text: this is not a text export of the national procedure database",
            )]);
        }
    };
    parse_record(path, text)
}

/// Writes `bytes` to `target` through a temporary file in the same folder, so a crash never
/// leaves half a file.
fn write_atomically(target: &Path, code: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".niemyet-import-{code}.tmp"));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_record(record: &Record, into: &Path, force: bool) -> Outcome {
    let target = into.join(format!("{}.md", record.code));
    let twin = into.join(format!("{}.toml", record.code));
    if twin.exists() {
        return Outcome::Skipped(ImportError::file(
            &twin,
            format!(
                "already holds procedure {}; the importer writes {}: remove or rename one of them",
                record.code,
                target.display()
            ),
        ));
    }
    let write = |text: &str, outcome: Outcome| match write_atomically(
        &target,
        &record.code,
        text.as_bytes(),
    ) {
        Ok(()) => outcome,
        Err(e) => Outcome::Skipped(ImportError::file(&target, format!("cannot write: {e}"))),
    };
    let fresh = record_to_toml(record);
    let existing = match std::fs::read(&target) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return write(&fresh, Outcome::Added);
        }
        Err(e) => {
            return Outcome::Skipped(ImportError::file(&target, format!("cannot read: {e}")));
        }
    };
    if existing == fresh.as_bytes() {
        return Outcome::Unchanged;
    }
    let refuse = |line: Option<usize>, why: String| {
        if force {
            write(&fresh, Outcome::Changed)
        } else {
            Outcome::Skipped(ImportError {
                file: target.clone(),
                line,
                message: format!(
                    "{why}; not overwritten, so nothing added by hand is lost: fix the file, or import with --force to replace it"
                ),
            })
        }
    };
    let Ok(existing) = String::from_utf8(existing) else {
        return refuse(None, "the existing file is not UTF-8 text".to_string());
    };
    match frontmatter::local_keys(&existing) {
        Ok(local) => {
            let merged = render(record, &local);
            if merged == existing {
                Outcome::Unchanged
            } else {
                write(&merged, Outcome::Changed)
            }
        }
        Err(e) => refuse(
            e.line,
            format!("the existing file can not be read: {}", e.message),
        ),
    }
}

/// Imports every `*.txt` record of `inputs` (files, or folders walked recursively) into
/// `into` as `<code>.md`, one file per code.
///
/// * Bad records are reported (`file:line: message`) and skipped; the others import.
/// * A file that would get the same bytes is left untouched (`unchanged`), so re-importing
///   the same export changes nothing.
/// * An existing file that differs is rewritten, keeping the keys the importer does not own
///   ([`frontmatter::OWNED_KEYS`]). If it can not be read (not TOML front matter), it is left
///   alone and reported, unless `force`.
/// * Two inputs with the same code: the first in path order is imported, the other reported.
///
/// Returns `Err` only when nothing can be done: an input that does not exist, a folder that
/// can not be read, no `.txt` file at all, or an output folder that can not be created.
pub fn run(inputs: &[PathBuf], into: &Path, force: bool) -> Result<ImportReport, ImportError> {
    let files = collect_inputs(inputs)?;
    if files.is_empty() {
        let shown = inputs.first().map_or(into, PathBuf::as_path);
        return Err(ImportError::file(shown, "no `.txt` record files found"));
    }
    let parsed: Vec<(PathBuf, Result<Record, Vec<ImportError>>)> = files
        .par_iter()
        .map(|path| (path.clone(), read_record(path)))
        .collect();
    std::fs::create_dir_all(into)
        .map_err(|e| ImportError::file(into, format!("cannot create the output folder: {e}")))?;

    let mut report = ImportReport::default();
    let mut first_source: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut todo: Vec<Record> = Vec::new();
    for (path, result) in parsed {
        match result {
            Err(errors) => {
                report.skipped += 1;
                report.errors.extend(errors);
            }
            Ok(record) => {
                report.stats.add_record(&record.tags);
                if let Some(first) = first_source.get(&record.code) {
                    report.skipped += 1;
                    report.errors.push(ImportError::file(
                        &path,
                        format!(
                            "procedure {} is also in {}, which was imported; this one is skipped",
                            record.code,
                            first.display()
                        ),
                    ));
                } else {
                    first_source.insert(record.code.clone(), path);
                    todo.push(record);
                }
            }
        }
    }
    let outcomes: Vec<Outcome> = todo
        .par_iter()
        .map(|record| write_record(record, into, force))
        .collect();
    for outcome in outcomes {
        match outcome {
            Outcome::Added => report.added += 1,
            Outcome::Changed => report.changed += 1,
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Skipped(e) => {
                report.skipped += 1;
                report.errors.push(e);
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
