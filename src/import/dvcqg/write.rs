//! Writing a record as a procedure file: TOML front matter and the steps as Markdown.

use super::*;

/// The non-blank lines of a text, trimmed.
pub(super) fn paragraphs(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Escapes what Markdown would otherwise swallow or turn into structure the source did not
/// mean. Bullets (`- `, `+ `, `* `) and numbered lines stay lists on purpose.
pub(super) fn markdown_line(t: &str) -> String {
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

pub(super) fn push_kv(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    out.push_str(value);
    out.push('\n');
}

pub(super) fn time_inline(time: &Time) -> Option<String> {
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
        fm.push_str(
            "# Khóa riêng của trang: không lấy từ dữ liệu quốc gia, được giữ khi nhập lại.\n",
        );
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
