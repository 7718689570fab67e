//! Reading a record: the text normalised, the labels found in order, each field parsed.

use std::path::Path;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::*;

/// Normalises text for parsing: BOM removed, CRLF and CR made LF, NFC. Tags what it did.
pub(super) fn normalise(text: &str, tags: &mut Vec<&'static str>) -> String {
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
pub(super) struct Field<'a> {
    /// 1-based line of the label.
    pub(super) line: usize,
    /// The value on the label's line.
    pub(super) first: &'a str,
    /// The following lines, with their 1-based numbers.
    pub(super) rest: Vec<(usize, &'a str)>,
}

pub(super) struct Parser<'p> {
    pub(super) path: &'p Path,
    pub(super) errors: Vec<ImportError>,
    pub(super) tags: Vec<&'static str>,
    pub(super) dossier_raw: Option<String>,
}

impl Parser<'_> {
    pub(super) fn error(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(ImportError::at(self.path, line, message));
    }

    /// A one-line value. Extra lines are joined with `\n` (counted); a label-like extra
    /// line is an unknown label.
    pub(super) fn single(&mut self, field: &Field, info: &LabelInfo) -> Option<String> {
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
                        say(
                            format!("nhãn `{label}:` không rõ (sau `{}:` ở dòng {}): định dạng tệp xuất có thể đã đổi", info.vi, field.line),
                            format!("unknown label `{label}:` (after `{}:` at line {}): the export format may have changed", info.vi, field.line),
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
    pub(super) fn text(&mut self, field: &Field, info: &LabelInfo) -> Option<String> {
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

    pub(super) fn code(&mut self, field: &Field, info: &LabelInfo) -> Option<String> {
        let code = self.single(field, info)?;
        if is_procedure_code(&code) {
            Some(code)
        } else {
            self.error(
                field.line,
                say(
                    format!("`Mã thủ tục:` `{}` không phải là một mã thủ tục: mã gồm chữ số, dấu chấm, chữ số, như 1.001193, có thể thêm hậu tố như 1.014955-Xoa; bản ghi này bị bỏ qua", excerpt(&code)),
                    format!("`Mã thủ tục:` `{}` is not a procedure code: digits, a dot, digits, like 1.001193, possibly with a suffix like 1.014955-Xoa; this record is skipped", excerpt(&code)),
                ),
            );
            None
        }
    }

    pub(super) fn level(&mut self, value: Option<String>) -> LevelField {
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
                say(
                    format!("ký tự điều khiển U+{:04X}: đây không phải tệp văn bản xuất từ Cơ sở dữ liệu quốc gia về thủ tục hành chính", c as u32),
                    format!("control character U+{:04X}: this is not a text export of the national procedure database", c as u32),
                ),
            );
            return Err(p.errors);
        }
    }
    let Some(header_at) = lines.iter().position(|l| !l.trim().is_empty()) else {
        p.errors.push(ImportError::file(
            p.path,
            say(
                "tệp rỗng: cần một bản ghi của Cơ sở dữ liệu quốc gia về thủ tục hành chính",
                "empty file: expected a national procedure database record",
            ),
        ));
        return Err(p.errors);
    };
    let header = lines.get(header_at).map_or("", |l| l.trim());
    if header != HEADER {
        p.error(
            header_at + 1,
            say(
                format!("không phải bản ghi của Cơ sở dữ liệu quốc gia về thủ tục hành chính: dòng đầu phải là `{HEADER}`, nhưng đây là `{}`", excerpt(header)),
                format!("not a national procedure database record: expected `{HEADER}`, found `{}`", excerpt(header)),
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
        // Two codes in one record: which one is meant cannot be guessed, and the file
        // written is named by the code.
        if LABELS.get(j).is_some_and(|l| l.label == Label::Code) {
            let mut lines_before = own.iter().filter(|&&i| bound.is_none_or(|b| i < b));
            if let (Some(first_line), Some(second)) = (lines_before.next(), lines_before.next()) {
                p.error(
                    second + 1,
                    say(
                        format!("dòng `Mã thủ tục:` thứ hai (dòng đầu là dòng {}): một bản ghi chỉ có một mã thủ tục; sửa tệp cho còn một dòng `Mã thủ tục:`. Bản ghi này bị bỏ qua", first_line + 1),
                        format!("a second `Mã thủ tục:` line (the first is line {}): a record has one procedure code; keep one `Mã thủ tục:` line. This record is skipped", first_line + 1),
                    ),
                );
            }
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
                say(
                    format!("tệp kết thúc trước `{first_missing}:` (thiếu {} trong 20 nhãn): có vẻ tệp bị cắt cụt", missing.len()),
                    format!("the file ends before `{first_missing}:` ({} of 20 labels missing): it looks truncated", missing.len()),
                ),
            );
        }
        for &j in &missing {
            let Some(info) = LABELS.get(j) else { continue };
            if info.label == Label::Code {
                p.errors.push(ImportError::file(
                    p.path,
                    say(
                        "thiếu `Mã thủ tục:`",
                        say(
                            "thiếu `Mã thủ tục:`",
                            "missing `Mã thủ tục:` (the procedure code)",
                        ),
                    ),
                ));
            } else if !truncated {
                let line = (0..j)
                    .rev()
                    .find_map(|k| chosen.get(k).copied().flatten())
                    .map_or(header_at + 1, |i| i + 1);
                p.error(
                    line,
                    say(
                        format!("thiếu nhãn `{}:` sau dòng này", info.vi),
                        format!("missing label `{}:` after this line", info.vi),
                    ),
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
                        say(
                            "`Mã thủ tục:` để trống hoặc `Không có thông tin`",
                            "`Mã thủ tục:` (the procedure code) is empty or `Không có thông tin`",
                        ),
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
            say(
                "thiếu `Mã thủ tục:`",
                "missing `Mã thủ tục:` (the procedure code)",
            ),
        ));
        return Err(p.errors);
    };
    record.code = code;
    record.dossier_raw = p.dossier_raw;
    record.tags = p.tags;
    Ok(record)
}

/// Whether `code` has the shape of a national procedure code: digits, a dot, digits
/// (`1.001193`), then parts of letters or digits after `-`, `_` or `.` (`1.014955-Xoa`);
/// at most 64 bytes. It becomes a file name and an address, so anything else (`README`,
/// `index.html`, `../x`) is refused.
pub fn is_procedure_code(code: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Some((head, rest)) = code.split_once('.') else {
        return false;
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at_checked(end).unwrap_or((rest, ""));
    code.len() <= 64
        && digits(head)
        && digits(number)
        && (suffix.is_empty()
            || (suffix.starts_with(['-', '_', '.'])
                && suffix.split(['-', '_', '.']).skip(1).all(|part| {
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric())
                })))
}
