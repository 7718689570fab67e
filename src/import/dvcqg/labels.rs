//! The twenty labels of a record, in their fixed order, and how a line is matched to one.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Label {
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

pub(super) struct LabelInfo {
    pub(super) label: Label,
    /// The label as the export writes it.
    pub(super) vi: &'static str,
    /// Other spellings accepted (tone mark placement: "uỷ"/"ủy", "khoá"/"khóa").
    pub(super) alt: &'static [&'static str],
    /// Tag counted when the value is "Không có thông tin" or empty.
    pub(super) no_info: &'static str,
    /// Tag counted per extra line of a value.
    pub(super) continued: &'static str,
}

pub(super) const fn info(
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
pub(super) const LABELS: [LabelInfo; 20] = [
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
pub(super) fn label_value<'a>(line: &'a str, info: &LabelInfo) -> Option<&'a str> {
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
pub(super) fn looks_like_label(t: &str) -> Option<&str> {
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

pub(super) fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

pub(super) fn is_no_info(s: &str) -> bool {
    s.trim() == NO_INFO
}

/// Shortens a line for a message.
pub(super) fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}
