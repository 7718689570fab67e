//! The domain: units, procedures, channels, dossiers, the catalogue. Plain data, read from
//! the content by [`crate::content`] and published by [`crate::render`].

use crate::date::Date;
use crate::diag::Loc;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// A text of a procedure: shared, since the same texts recur across procedures (pooled
/// when a site is loaded: see `content::pool`).
pub type Text = Arc<str>;

/// A closed set of values written as slugs in the content (`kind = "xa"`).
pub trait Slugs: Sized + Copy + 'static {
    /// Every slug with its Vietnamese label, in order: what the content may say.
    const CHOICES: &'static [(&'static str, &'static str)];
    fn from_slug(s: &str) -> Option<Self>;
}

/// Declares a closed set of values written as slugs in the content, with the label a
/// reader sees. Unknown slugs are reported by the reader with the list of valid ones.
macro_rules! slug_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $slug:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// The Vietnamese label (the theme may translate it from the slug).
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_slug(s: &str) -> Option<Self> {
                match s { $($slug => Some($name::$variant),)+ _ => None }
            }

            /// `a, b, c`: what the content may say, for error messages.
            pub fn expected() -> String {
                [$($slug),+].join(", ")
            }
        }

        impl Slugs for $name {
            const CHOICES: &'static [(&'static str, &'static str)] = &[$(($slug, $label)),+];
            fn from_slug(s: &str) -> Option<Self> {
                $name::from_slug(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.slug())
            }
        }
    };
}

slug_enum!(
    /// The kind of an administrative unit. `huyen`, `quan`, `thi-xa` and `thi-tran` stopped
    /// existing on 2025-07-01 but stay valid for older data.
    UnitKind {
        Tinh = "tinh" / "Tỉnh",
        ThanhPhoTw = "thanh-pho-tw" / "Thành phố trực thuộc trung ương",
        Huyen = "huyen" / "Huyện",
        Quan = "quan" / "Quận",
        ThiXa = "thi-xa" / "Thị xã",
        ThanhPho = "thanh-pho" / "Thành phố",
        Xa = "xa" / "Xã",
        Phuong = "phuong" / "Phường",
        ThiTran = "thi-tran" / "Thị trấn",
        DacKhu = "dac-khu" / "Đặc khu",
    }
);

impl UnitKind {
    /// Kinds abolished by the 2025 reorganisation.
    pub fn is_stale(self) -> bool {
        matches!(
            self,
            UnitKind::Huyen | UnitKind::Quan | UnitKind::ThiXa | UnitKind::ThiTran
        )
    }
}

slug_enum!(
    /// Cấp thực hiện: the level of government that carries a procedure out.
    Level {
        TrungUong = "trung-uong" / "Trung ương",
        Tinh = "tinh" / "Cấp tỉnh",
        Huyen = "huyen" / "Cấp huyện",
        Xa = "xa" / "Cấp xã",
    }
);

slug_enum!(
    /// Cách thức thực hiện: how a dossier reaches the office.
    Method {
        TrucTiep = "truc-tiep" / "Trực tiếp",
        TrucTuyen = "truc-tuyen" / "Trực tuyến",
        BuuChinh = "buu-chinh" / "Bưu chính",
    }
);

slug_enum!(
    /// Online service tier.
    OnlineTier {
        ToanTrinh = "toan-trinh" / "Dịch vụ công trực tuyến toàn trình",
        MotPhan = "mot-phan" / "Dịch vụ công trực tuyến một phần",
    }
);

slug_enum!(
    /// Units of a processing time.
    TimeUnit {
        WorkingDays = "working-days" / "ngày làm việc",
        Days = "days" / "ngày",
        Hours = "hours" / "giờ",
        Months = "months" / "tháng",
        Years = "years" / "năm",
    }
);

/// site.toml: read by the `config` stage.
pub use crate::config::SiteConfig;

/// Where citizens submit dossiers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Office {
    pub name: String,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hours: Option<String>,
    pub website: Option<String>,
}

/// The phản ánh, kiến nghị contact (Decree 20/2008).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Feedback {
    pub agency: String,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// A unit this one replaced in a reorganisation.
#[derive(Debug, Clone, Serialize)]
pub struct Former {
    /// Old URL path without slashes at the ends, e.g. `huyen-son-duong/xa-dong-loi`.
    pub path: String,
    pub name: String,
    pub date: Option<Date>,
    pub basis: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// A code named in `adopt`, with where it was named.
#[derive(Debug, Clone)]
pub struct Adoption {
    pub code: String,
    pub loc: Loc,
}

/// An administrative unit: a folder holding `_unit.toml`.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Folder names joined by `/`: the unit's address.
    pub path: String,
    /// The folder on disk.
    pub dir: PathBuf,
    pub name: String,
    pub kind: UnitKind,
    pub code: Option<String>,
    pub office: Option<Office>,
    pub feedback: Option<Feedback>,
    pub adopt: Vec<Adoption>,
    pub adopt_levels: Vec<Level>,
    pub former: Vec<Former>,
    /// Optional Markdown introduction (niemyet extension).
    pub description: Option<String>,
    /// The `[extra]` table: the site's own keys for its templates, never checked.
    pub extra: serde_json::Value,
    /// Where `_unit.toml` is.
    pub loc: Loc,
    /// Where its `kind` is written (the stale-kind warning points there).
    pub kind_loc: Loc,
}

/// A processing time: a number of units, a text, or both.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProcessingTime {
    pub value: Option<f64>,
    pub unit: Option<TimeUnit>,
    pub text: Option<Text>,
    /// The source text this was parsed from, when imported (niemyet extension).
    pub raw: Option<Text>,
}

/// One fee tier.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fee {
    /// In đồng.
    pub amount: Option<i64>,
    pub text: Option<Text>,
    pub raw: Option<Text>,
}

/// One way to submit, with its own time and fees.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Channel {
    pub method: Method,
    pub time: Option<ProcessingTime>,
    /// `None`: not published. `Some(empty)`: free of charge.
    pub fees: Option<Vec<Fee>>,
    pub note: Option<Text>,
}

/// One document to bring.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DossierItem {
    pub name: Text,
    pub originals: u32,
    pub copies: u32,
    pub form: Option<Text>,
    pub note: Option<Text>,
}

/// A group of documents, often one per case (trường hợp).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DossierCase {
    pub case: Option<Text>,
    pub note: Option<Text>,
    pub items: Vec<DossierItem>,
}

/// Where a form is found.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FormTarget {
    /// A file inside content/, by its path relative to content/ (with `/`).
    File {
        path: String,
    },
    Url {
        url: String,
    },
}

/// An application form (mẫu đơn, tờ khai).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Form {
    pub name: Text,
    pub target: FormTarget,
}

/// A procedure as written: in a unit's folder, in the catalogue, or both merged.
#[derive(Debug, Clone, Serialize)]
pub struct Procedure {
    pub code: String,
    pub name: Option<Text>,
    pub sector: Option<Text>,
    pub levels: Vec<Level>,
    pub decision: Option<Text>,
    pub effective: Option<Date>,
    pub repealed: Option<Date>,
    pub replaced_by: Option<String>,
    pub applicants: Vec<Text>,
    pub agency: Option<Text>,
    pub authority: Option<Text>,
    pub place: Option<Text>,
    pub result: Vec<Text>,
    pub requirements: Option<Text>,
    pub legal_basis: Vec<Text>,
    pub online: Option<OnlineTier>,
    pub online_url: Option<Text>,
    pub keywords: Vec<Text>,
    pub channels: Vec<Channel>,
    pub dossier: Vec<DossierCase>,
    pub forms: Vec<Form>,
    /// Markdown.
    pub steps: Option<String>,
    /// Keys the source left empty: shown as "Chưa công bố".
    pub unpublished: Vec<String>,
    // niemyet extensions
    pub updated: Option<Date>,
    pub procedure_type: Option<Text>,
    pub delegated_agency: Option<Text>,
    pub coordinating_agency: Option<Text>,
    pub description: Option<Text>,
    /// The `[extra]` table: the site's own keys for its templates, never checked. Not in
    /// the open data (`data.json` holds the format's fields only).
    #[serde(skip)]
    pub extra: serde_json::Value,
    /// Written by an import (a `[source]` table naming its `origin`), not by hand.
    #[serde(skip)]
    pub imported: bool,
    /// The file(s) it was read from, relative to the site root (catalogue first).
    #[serde(skip)]
    pub files: Vec<PathBuf>,
    /// Where `code` is written (for duplicate-code messages).
    #[serde(skip)]
    pub loc: Loc,
}

/// Whether a procedure is in force on the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Current,
    Upcoming,
    Repealed,
}

impl Procedure {
    /// When the procedure last changed as of `today`: the latest of the dates its content
    /// gives that have come (`updated`, `effective`, `repealed`), or none when it gives
    /// none. Never a file's modification time (a fresh clone would make every procedure
    /// "changed today"), never after `today` (a date to come is not a change yet). The
    /// one accessor for "a procedure's change date": lists, the feed, the sitemap and
    /// the open data all read it.
    pub fn changed(&self, today: Date) -> Option<Date> {
        [self.updated, self.effective, self.repealed]
            .into_iter()
            .flatten()
            .filter(|d| *d <= today)
            .max()
    }

    pub fn status(&self, today: Date) -> Status {
        if self.repealed.is_some_and(|d| d <= today) {
            Status::Repealed
        } else if self.effective.is_some_and(|d| d > today) {
            Status::Upcoming
        } else {
            Status::Current
        }
    }

    /// The display name, or the code when the name is unpublished.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.code)
    }
}
