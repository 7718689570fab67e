//! The message catalogue: every problem niemyet reports about a site, one variant each,
//! with the facts the message needs. The words are in [`super::vi`] (Vietnamese, the
//! default) and [`super::en`] (English); both match on every variant, so the compiler
//! refuses a message missing in either language. To translate niemyet, copy `en.rs`.
//!
//! Values in messages are the site's own (keys, paths, codes) or TOML to write (`fix`,
//! made by [`super::fix`]): the same in every language.

use super::{Lang, Loc};
use crate::date::Date;

/// What a value should have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Expected {
    /// A string, possibly empty.
    String,
    /// A non-empty string.
    Text,
    TextList,
    WholeNumber,
    Number,
    Bool,
    Date,
    Table,
    List,
    /// A list of tables (`[[channels]]`).
    TableList,
}

/// What a value was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Found {
    String,
    Integer,
    Float,
    Bool,
    Date,
    List,
    Table,
}

/// A channel's part that may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    Time,
    Fees,
}

/// Who claims an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Claimant {
    Unit { path: String },
    Procedure { code: String, unit: String },
}

/// What is wrong in TOML the parser refused, recognised from the line it stopped on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TomlProblem {
    /// A date written day/month/year (`01/07/2025`).
    DateDayFirst,
    /// A date without leading zeros (`2025-7-1`).
    DateDigits,
    /// A date that does not exist (`2025-02-30`).
    DateImpossible,
    /// A number written with thousands separators (`15.000.000`).
    GroupedNumber,
    /// A processing time written as words (`3 ngày làm việc`).
    TimeWords,
    /// Text without quotes (`name = Đăng ký`, `phone = 0207 3822 000`).
    Unquoted,
    /// `key =` and nothing after it.
    NoValue,
    /// A string opened and not closed.
    UnclosedString,
    /// A list opened with `[` and not closed.
    UnclosedList,
    /// An inline table opened with `{` and not closed.
    UnclosedTable,
    /// A comma missing between items.
    MissingComma,
    /// Lists or tables nested beyond the parser's limit.
    TooDeep,
    /// A date written `2025/08/15`: dashes between its parts.
    DateSeparator,
    /// A date in words (`ngày 15 tháng 8 năm 2025`).
    DateWords,
    /// `+++` or `---` lines in a `.toml` file (front matter fences belong in `.md` files).
    FenceInToml,
    /// A full-width `＝` or `：` from an input method.
    FullWidth,
    /// Curly quotes “…” from a word processor.
    CurlyQuotes,
    /// `key: value` instead of `key = value`.
    Colon,
    /// A number beyond what TOML holds (`1e400`).
    NumberTooLarge,
    /// A skeleton's date or number left as its sample (`YYYY-MM-DD`, `SỐ`).
    SampleDate,
    SampleNumber,
    /// Anything else: the parser's own words are shown.
    Other,
}

/// One problem's message. `key` fields are dotted key paths as written in messages, e.g.
/// `channels[2].fees[1].amount`; `fix` is TOML to write instead, when niemyet can tell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Msg {
    /// Text from outside the catalogue (a theme's template error, a renderer): shown as
    /// it is, in the language it came in.
    Text(String),

    // Files and folders.
    CannotRead {
        error: String,
    },
    TooLarge {
        len: u64,
        max: u64,
    },
    NotUtf8,
    FrontMatterMissing,
    FrontMatterYaml,
    FrontMatterUnclosed,
    /// The TOML parser stopped. `detail`: its own words (English), kept for reference.
    Toml {
        key: Option<String>,
        problem: TomlProblem,
        fix: Option<String>,
        detail: String,
    },
    DuplicateKey {
        key: String,
    },
    SymlinkFolder,
    SymlinkFile,
    NoContentFolder,
    FolderWithoutUnit {
        count: usize,
        files: Vec<String>,
        /// The unit path the folder would have (`tinh/xa-moi`).
        path: String,
    },
    /// A folder without `_unit.toml` that has units below it.
    FolderBetweenUnits {
        path: String,
        units: Vec<String>,
    },
    BadFolderName {
        name: String,
    },

    // Keys and values.
    MissingKey {
        key: String,
    },
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    WrongType {
        key: String,
        expected: Expected,
        found: Found,
        fix: Option<String>,
    },
    NumberTooLarge {
        key: String,
    },
    NotFinite {
        key: String,
    },
    NegativeCount {
        key: String,
        found: i64,
    },
    NegativeTime {
        key: String,
        found: String,
    },
    NegativeAmount {
        key: String,
        found: i64,
    },
    EmptyText {
        key: String,
    },
    EmptyList {
        key: String,
    },
    BadDate {
        key: String,
        found: String,
        fix: Option<String>,
    },
    BadSlug {
        key: String,
        found: String,
        expected: Vec<String>,
        suggestion: Option<String>,
    },
    BadUrl {
        key: String,
        found: String,
    },
    /// A phone number without digits (`"chưa có"`).
    BadPhone {
        key: String,
        found: String,
    },
    /// An e-mail address that is not one (`"xamoi@"`).
    BadEmail {
        key: String,
        found: String,
    },
    /// A processing time of 0 (`time = { value = 0 }`): a warning.
    TimeZero {
        key: String,
    },
    /// Keys after `[extra]` that are the file's own keys: they belong to `[extra]`.
    KeysInExtra {
        keys: Vec<String>,
    },
    /// A skeleton's value (`<Điền …>`) left in place.
    Placeholder {
        key: String,
        value: String,
    },
    /// An example address (`example.gov.vn`) left in `base_url`, an e-mail or a website
    /// (a warning).
    SampleAddress {
        key: String,
        value: String,
    },

    // site.toml and _unit.toml.
    BadBaseUrl {
        found: String,
    },
    BadTheme {
        found: String,
    },
    /// `theme` names a folder `themes/` does not have.
    ThemeMissing {
        found: String,
        suggestion: Option<String>,
        available: Vec<String>,
    },
    /// `language` names a language the theme has no interface strings for.
    UnknownLanguage {
        found: String,
        suggestion: Option<String>,
        available: Vec<String>,
    },
    BadFormerPath {
        key: String,
        found: String,
    },

    // Procedures.
    BadCode {
        found: String,
    },
    NotUnpublishable {
        item: String,
        allowed: Vec<String>,
    },
    /// A required component left out and listed in `unpublished` (a warning).
    NotPublished {
        key: String,
    },
    ReplacedByWithoutRepealed,
    EmptyChannels,
    ChannelLacks {
        key: String,
        part: Part,
        unpublished: bool,
    },
    TimeValueWithoutUnit {
        key: String,
    },
    TimeUnitWithoutValue {
        key: String,
    },
    TimeEmpty {
        key: String,
    },
    FeeEmpty {
        key: String,
    },
    FeeZeroNoText {
        key: String,
    },
    UnknownForm {
        key: String,
        name: String,
    },
    FormBoth {
        key: String,
    },
    FormNeither {
        key: String,
    },
    FormAbsolute {
        key: String,
        path: String,
    },
    FormOutside {
        key: String,
        path: String,
    },
    FormMissing {
        key: String,
        path: String,
        looked: String,
    },
    FormLinkOutside {
        key: String,
        path: String,
    },
    BodyAndSteps,
    DuplicateCatalogCode {
        code: String,
        other: Loc,
    },

    // Resolve.
    DuplicateCode {
        code: String,
        unit: String,
        other: Loc,
    },
    AdoptMissing {
        code: String,
    },
    AdoptOwn {
        code: String,
        file: String,
    },

    // Check.
    StaleKind {
        kind: String,
    },
    MissingOffice {
        unit: String,
    },
    MissingFeedback {
        unit: String,
    },
    RepealedBeforeEffective {
        repealed: Date,
        effective: Date,
    },
    ReplacedByNowhere {
        code: String,
    },
    ReservedTop {
        name: String,
    },
    ReservedInUnit {
        name: String,
    },
    ReservedCode {
        code: String,
    },
    FormerReserved {
        path: String,
    },
    AddressTwice {
        addr: String,
        first: Claimant,
        second: Claimant,
    },
    FormerClaimed {
        path: String,
        who: Claimant,
    },
    ReplacementLoop {
        chain: Vec<String>,
    },
}

impl Msg {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => super::vi::text(self),
            Lang::En => super::en::text(self),
        }
    }

    /// The English text (for tests and logs that match words).
    pub fn en(&self) -> String {
        self.text(Lang::En)
    }

    /// The Vietnamese text.
    pub fn vi(&self) -> String {
        self.text(Lang::Vi)
    }

    /// What kind of problem this is, for summaries: one kind per variant, except the
    /// variants that name a channel part (`ChannelLacks`), kept apart by part.
    pub fn kind(&self) -> Kind {
        Kind(match self {
            Msg::ChannelLacks {
                part: Part::Time, ..
            } => "channel-lacks-time",
            Msg::ChannelLacks {
                part: Part::Fees, ..
            } => "channel-lacks-fees",
            Msg::NotPublished { .. } => "not-published",
            Msg::FeeZeroNoText { .. } => "fee-zero-no-text",
            Msg::TimeEmpty { .. } => "time-empty",
            Msg::StaleKind { .. } => "stale-kind",
            Msg::ReplacedByWithoutRepealed => "replaced-by-without-repealed",
            Msg::ReplacedByNowhere { .. } => "replaced-by-nowhere",
            Msg::AdoptOwn { .. } => "adopt-own",
            Msg::BodyAndSteps => "body-and-steps",
            Msg::SampleAddress { .. } => "sample-address",
            Msg::TimeZero { .. } => "time-zero",
            Msg::KeysInExtra { .. } => "keys-in-extra",
            Msg::Text(_) => "other",
            _ => "error",
        })
    }
}

/// A kind of problem (see [`Msg::kind`]), with its heading in summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kind(pub &'static str);

impl Kind {
    /// A short heading for a group of problems of this kind.
    pub fn title(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => super::vi::kind_title(self.0),
            Lang::En => super::en::kind_title(self.0),
        }
    }
}

impl From<String> for Msg {
    fn from(s: String) -> Msg {
        Msg::Text(s)
    }
}

impl From<&str> for Msg {
    fn from(s: &str) -> Msg {
        Msg::Text(s.to_owned())
    }
}

/// The Vietnamese label of a key (its last part: `channels[1].fees` → `fees`), shown
/// beside the key in every language; empty when the key has none.
pub fn label(key: &str) -> &'static str {
    // The feedback contact's agency is not the procedure's.
    if key == "feedback.agency" || key.ends_with(".feedback.agency") {
        return "cơ quan tiếp nhận phản ánh, kiến nghị";
    }
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
        "licence" => "giấy phép dữ liệu mở",
        "licence_url" => "địa chỉ giấy phép",
        "source" => "nguồn dữ liệu",
        "extra" => "khóa riêng của trang",
        _ => "",
    }
}

/// "`channels[1].fees` (phí, lệ phí)": the key in English and its Vietnamese label.
pub fn key_desc(key: &str) -> String {
    match label(key) {
        "" => format!("`{key}`"),
        l => format!("`{key}` ({l})"),
    }
}

/// Whether a key may be left out of its file (its line deleted): contacts' extras,
/// notes, and the optional keys of a procedure.
pub fn is_optional(key: &str) -> bool {
    let top = key.split(['.', '[']).next().unwrap_or(key);
    let last = last_name(key);
    matches!(
        last,
        "phone" | "email" | "hours" | "website" | "note" | "description" | "basis" | "case"
    ) || (top == last
        && !crate::disclosure::is_required(top)
        && !matches!(top, "title" | "base_url" | "kind"))
}

/// The last name of a key path: `channels[2].fees[1].amount` → `amount`.
pub fn last_name(key: &str) -> &str {
    let last = key.rsplit('.').next().unwrap_or(key);
    last.split('[').next().unwrap_or(last)
}
