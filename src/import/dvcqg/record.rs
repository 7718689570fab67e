//! The record: one procedure as read from the export, and its parts.

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
    /// The tiers (`AMOUNT VNĐ (text) | …`), or text-only tiers for free text (one per
    /// ` | `-separated part).
    Tiers(Vec<Fee>),
}

/// One fee tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    /// In đồng, as published (`None` for free text).
    pub amount: Option<i64>,
    /// The text in parentheses (trimmed), or the free text; `None` when empty.
    pub text: Option<String>,
    /// The tier as written (`7000 VNĐ (…)`), or the free-text part.
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
