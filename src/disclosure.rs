//! The disclosure rules: what a procedure must state to be published completely (Decree
//! 63/2010/NĐ-CP, art. 8.2, as amended by 48/2013 and 92/2017), as data. The eleven
//! components in the decree's order, with their Vietnamese labels, the keys that carry
//! each, whether a procedure file must give them, and whether an imported record may
//! list them in `unpublished` instead; then the other facts a listing shows (code,
//! sector, level, legal basis, …) under the same rules.
//!
//! `content` takes the required keys and the `unpublished` names from here, `check` and
//! the summaries of warnings name components by these labels, the templates can be given
//! [`COMPONENTS`] as data (it serialises), and `docs/format.md` quotes the table (a test
//! compares the two).

use serde::Serialize;

/// What leaving a component out is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    Error,
    Warning,
    /// Allowed: the page says "Không có" / "Không quy định".
    Allowed,
}

impl Missing {
    fn word(self) -> &'static str {
        match self {
            Missing::Error => "error",
            Missing::Warning => "warning",
            Missing::Allowed => "allowed",
        }
    }
}

/// One component of a complete disclosure.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Component {
    /// Its number in art. 8.2 (1–11), which is also the order pages show them in.
    pub number: u8,
    /// The key that names the component (in `unpublished`, in messages).
    pub key: &'static str,
    /// Its name in the decree.
    pub label: &'static str,
    /// Its name in English, for English messages and documentation.
    pub label_en: &'static str,
    /// Every key that carries it (`channels[].time`: the `time` of each channel); the
    /// first is the one `check` looks for.
    pub keys: &'static [&'static str],
    /// What `check` says when a procedure leaves it out (and does not list it in
    /// `unpublished`): an error for what every procedure has, a warning for a channel's
    /// time or fees, nothing for what the decree asks "where it exists" (forms,
    /// requirements): the page then says there is none.
    pub missing: Missing,
    /// It may be listed in `unpublished` (the source left it empty): the page then shows
    /// "Chưa công bố" and `check` warns instead of failing.
    pub unpublishable: bool,
}

/// The eleven components of Decree 63/2010, art. 8.2, in its order.
pub const COMPONENTS: [Component; 11] = [
    Component {
        number: 1,
        key: "name",
        label: "Tên thủ tục hành chính",
        label_en: "Name",
        keys: &["name"],
        missing: Missing::Error,
        unpublishable: true,
    },
    Component {
        number: 2,
        key: "steps",
        label: "Trình tự thực hiện",
        label_en: "Steps",
        keys: &["steps"],
        missing: Missing::Error,
        unpublishable: true,
    },
    Component {
        number: 3,
        key: "channels",
        label: "Cách thức thực hiện",
        label_en: "Ways to submit",
        keys: &["channels"],
        missing: Missing::Error,
        unpublishable: true,
    },
    Component {
        number: 4,
        key: "dossier",
        label: "Thành phần, số lượng hồ sơ",
        label_en: "Documents to submit",
        keys: &["dossier"],
        missing: Missing::Error,
        unpublishable: true,
    },
    Component {
        number: 5,
        key: "time",
        label: "Thời hạn giải quyết",
        label_en: "Processing time",
        keys: &["channels[].time"],
        missing: Missing::Warning,
        unpublishable: true,
    },
    Component {
        number: 6,
        key: "applicants",
        label: "Đối tượng thực hiện thủ tục hành chính",
        label_en: "Who may apply",
        keys: &["applicants"],
        missing: Missing::Error,
        unpublishable: true,
    },
    Component {
        number: 7,
        key: "agency",
        label: "Cơ quan thực hiện thủ tục hành chính",
        label_en: "Deciding and executing agency",
        keys: &[
            "agency",
            "authority",
            "delegated_agency",
            "coordinating_agency",
        ],
        missing: Missing::Error,
        unpublishable: true,
    },
    Component {
        number: 8,
        key: "forms",
        label: "Mẫu đơn, mẫu tờ khai",
        label_en: "Application forms",
        keys: &["forms"],
        missing: Missing::Allowed,
        unpublishable: true,
    },
    Component {
        number: 9,
        key: "result",
        label: "Kết quả thực hiện thủ tục hành chính",
        label_en: "Result",
        keys: &["result"],
        missing: Missing::Error,
        unpublishable: true,
    },
    Component {
        number: 10,
        key: "requirements",
        label: "Yêu cầu, điều kiện thực hiện thủ tục hành chính",
        label_en: "Requirements and conditions",
        keys: &["requirements"],
        missing: Missing::Allowed,
        unpublishable: true,
    },
    Component {
        number: 11,
        key: "fees",
        label: "Phí, lệ phí",
        label_en: "Fees and charges",
        keys: &["channels[].fees"],
        missing: Missing::Warning,
        unpublishable: true,
    },
];

/// Another fact a listing shows beside the components (the code, the announcing
/// decision, the sector…), under the same rules.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Fact {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub unpublishable: bool,
}

/// The other facts, in the order a procedure page shows them.
pub const FACTS: [Fact; 11] = [
    fact("code", "Mã thủ tục", true, false),
    fact("decision", "Số quyết định công bố", false, true),
    fact("effective", "Ngày có hiệu lực", false, false),
    fact("sector", "Lĩnh vực", true, true),
    fact("level", "Cấp thực hiện", true, true),
    fact("online", "Dịch vụ công trực tuyến", false, false),
    fact("legal_basis", "Căn cứ pháp lý", true, true),
    fact("authority", "Cơ quan có thẩm quyền", false, true),
    fact("place", "Địa điểm thực hiện", false, true),
    fact("keywords", "Từ khóa tìm kiếm", false, true),
    fact("description", "Mô tả", false, true),
];

/// What a unit that publishes procedures must show beside them: where to submit, and
/// where to send feedback (Decree 20/2008/NĐ-CP; a noticeboard carries it). `check` reports
/// a publishing unit without either.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct UnitFact {
    pub key: &'static str,
    pub label: &'static str,
    /// May come from a parent unit or `site.toml`.
    pub inherited: bool,
}

pub const UNIT_FACTS: [UnitFact; 2] = [
    UnitFact {
        key: "office",
        label: "Nơi tiếp nhận hồ sơ",
        inherited: false,
    },
    UnitFact {
        key: "feedback",
        label: "Địa chỉ tiếp nhận phản ánh, kiến nghị",
        inherited: true,
    },
];

const fn fact(key: &'static str, label: &'static str, required: bool, unpublishable: bool) -> Fact {
    Fact {
        key,
        label,
        required,
        unpublishable,
    }
}

/// The component a key carries (`time` and `fees` are the channels' parts; the agency
/// keys all carry component 7).
pub fn component_of(key: &str) -> Option<&'static Component> {
    let last = key.rsplit('.').next().unwrap_or(key);
    let last = last.split('[').next().unwrap_or(last);
    COMPONENTS
        .iter()
        .find(|c| c.key == last || c.keys.iter().any(|k| k.rsplit('.').next() == Some(last)))
}

/// Whether a procedure must give this top-level key (missing, it is an error).
pub fn is_required(key: &str) -> bool {
    COMPONENTS
        .iter()
        .any(|c| c.missing == Missing::Error && c.keys.first() == Some(&key))
        || FACTS.iter().any(|f| f.required && f.key == key)
}

/// The top-level keys a procedure must give, components first, in the decree's order.
pub fn required_keys() -> Vec<&'static str> {
    let components = COMPONENTS
        .iter()
        .filter(|c| c.missing == Missing::Error)
        .map(|c| c.keys[0]);
    let facts = FACTS.iter().filter(|f| f.required).map(|f| f.key);
    components.chain(facts).collect()
}

/// The names `unpublished` may list.
pub fn unpublishable() -> Vec<&'static str> {
    let components = COMPONENTS.iter().filter(|c| c.unpublishable).map(|c| c.key);
    let facts = FACTS.iter().filter(|f| f.unpublishable).map(|f| f.key);
    let mut v: Vec<&'static str> = components.chain(facts).collect();
    v.dedup();
    v
}

/// Whether `unpublished` may list `name`.
pub fn may_be_unpublished(name: &str) -> bool {
    COMPONENTS.iter().any(|c| c.unpublishable && c.key == name)
        || FACTS.iter().any(|f| f.unpublishable && f.key == name)
}

/// The rules as a Markdown table: what `docs/format.md` quotes.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| # | component | Vietnamese | keys | if missing | may be `unpublished` |\n|---|---|---|---|---|---|\n",
    );
    let yes = |b: bool| if b { "yes" } else { "no" };
    for c in &COMPONENTS {
        let keys: Vec<String> = c.keys.iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            c.number,
            c.label_en,
            c.label,
            keys.join(", "),
            c.missing.word(),
            yes(c.unpublishable)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleven_components_in_the_decrees_order() {
        let numbers: Vec<u8> = COMPONENTS.iter().map(|c| c.number).collect();
        assert_eq!(numbers, (1..=11).collect::<Vec<u8>>());
        assert_eq!(component_of("channels[2].fees").map(|c| c.number), Some(11));
        assert_eq!(component_of("authority").map(|c| c.number), Some(7));
        assert!(is_required("agency") && !is_required("forms") && is_required("code"));
        assert!(may_be_unpublished("fees") && !may_be_unpublished("code"));
    }

    /// The rules as published in docs/format.md are the rules niemyet applies.
    #[test]
    fn the_documentation_quotes_this_table() {
        let doc = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"),
        )
        .expect("docs/format.md");
        assert!(
            doc.contains(&markdown_table()),
            "docs/format.md must hold the table of disclosure::markdown_table():\n{}",
            markdown_table()
        );
        let listed = format!(
            "{}.",
            unpublishable()
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert!(doc.contains(&listed), "docs/format.md must list {listed}");
    }
}
