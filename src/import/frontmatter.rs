//! Reading an existing procedure file back, to keep what a webmaster added to it.
//!
//! An imported file is owned by the importer only in part: the keys it writes
//! ([`OWNED_KEYS`], plus the Markdown body, which holds the steps) are replaced on every
//! import; any other top-level key (`effective`, `repealed`, `forms`, `online`, a key of the
//! webmaster's own…) is read from the existing file with the `toml` crate and written back
//! unchanged in value. Comments and the layout of those local keys are not kept: they are
//! written in a fixed form, so that re-importing the same data gives byte-identical files.

use crate::import::toml_text;

/// Top-level keys the importer writes and therefore replaces (the body, i.e. the steps, is
/// replaced too). `steps` is included: in a `.md` file the steps are the body, so a `steps`
/// key would conflict with it.
pub const OWNED_KEYS: [&str; 22] = [
    "code",
    "name",
    "sector",
    "level",
    "decision",
    "procedure_type",
    "applicants",
    "agency",
    "authority",
    "place",
    "delegated_agency",
    "coordinating_agency",
    "result",
    "requirements",
    "legal_basis",
    "keywords",
    "description",
    "unpublished",
    "source",
    "channels",
    "dossier",
    "steps",
];

/// Why an existing file could not be read; `line` is 1-based in the file, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: Option<usize>,
    pub message: String,
}

/// Splits a `.md` procedure file into its front matter (between the first two `+++`
/// lines) and its body, by the same rule as the content reader
/// ([`crate::content::source::front_matter`]). Accepts a BOM and CRLF line ends (the front
/// matter is returned with LF line ends; it starts on line 2 of the file).
pub fn split(text: &str) -> Result<(String, &str), FrontMatterError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match crate::content::source::front_matter(text) {
        Ok(s) => Ok((
            text.get(s.toml_start..s.toml_end)
                .unwrap_or("")
                .replace("\r\n", "\n"),
            text.get(s.body_start..).unwrap_or(""),
        )),
        Err(e) => Err(FrontMatterError {
            line: Some(1),
            message: e.message().to_owned(),
        }),
    }
}

/// The keys of an existing file's front matter that the importer does not own.
pub fn local_keys(text: &str) -> Result<toml::Table, FrontMatterError> {
    let (front, _) = split(text)?;
    let table: toml::Table = toml::from_str(&front).map_err(|e| {
        let line = e.span().map(|span| {
            2 + front
                .get(..span.start)
                .map_or(0, |s| s.matches('\n').count())
        });
        FrontMatterError {
            line,
            message: crate::diag::say(
                format!(
                    "phần khóa đầu tệp không phải TOML hợp lệ: {}",
                    e.message().trim_end()
                ),
                format!(
                    "the front matter is not valid TOML: {}",
                    e.message().trim_end()
                ),
            ),
        }
    })?;
    Ok(table
        .into_iter()
        .filter(|(k, _)| !OWNED_KEYS.contains(&k.as_str()))
        .collect())
}

/// Keys a webmaster may have edited by hand in an imported file that the importer owns
/// and so replaces: reported by name when a re-import changes them.
pub const HAND_EDITABLE: [&str; 9] = [
    "name",
    "keywords",
    "sector",
    "agency",
    "applicants",
    "result",
    "requirements",
    "legal_basis",
    "description",
];

/// The [`HAND_EDITABLE`] keys whose values differ between an existing file and the file
/// a re-import writes in its place (empty when either cannot be read).
pub fn replaced_keys(existing: &str, fresh: &str) -> Vec<&'static str> {
    let table = |text: &str| -> Option<toml::Table> {
        let (front, _) = split(text).ok()?;
        toml::from_str(&front).ok()
    };
    let (Some(old), Some(new)) = (table(existing), table(fresh)) else {
        return Vec::new();
    };
    HAND_EDITABLE
        .iter()
        .copied()
        .filter(|k| old.get(*k).is_some() && old.get(*k) != new.get(*k))
        .collect()
}

/// Whether a local value is written as a `[key]` or `[[key]]` section rather than inline.
fn is_section(v: &toml::Value) -> bool {
    match v {
        toml::Value::Table(_) => true,
        toml::Value::Array(items) => {
            !items.is_empty() && items.iter().all(|i| matches!(i, toml::Value::Table(_)))
        }
        _ => false,
    }
}

fn sorted_keys(t: &toml::Table) -> Vec<&String> {
    let mut keys: Vec<&String> = t.keys().collect();
    keys.sort();
    keys
}

/// Local keys whose values fit on one line (`key = value`), in key order, each line ending
/// in `\n`. Goes among the top-level keys, before the first table.
pub fn render_inline(local: &toml::Table) -> String {
    let mut out = String::new();
    for k in sorted_keys(local) {
        let Some(v) = local.get(k) else { continue };
        if is_section(v) {
            continue;
        }
        let value = match v {
            toml::Value::String(s) => toml_text::string(s),
            other => toml_text::inline_value(other),
        };
        out.push_str(&format!("{} = {}\n", toml_text::key(k), value));
    }
    out
}

/// Local keys that are tables or arrays of tables, as `[key]` / `[[key]]` sections (their
/// own values inline), each section preceded by a blank line. Goes after every other table.
pub fn render_sections(local: &toml::Table) -> String {
    let mut out = String::new();
    for k in sorted_keys(local) {
        let Some(v) = local.get(k) else { continue };
        match v {
            toml::Value::Table(t) => {
                out.push_str(&format!("\n[{}]\n", toml_text::key(k)));
                push_entries(&mut out, t);
            }
            toml::Value::Array(items) if is_section(v) => {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        out.push_str(&format!("\n[[{}]]\n", toml_text::key(k)));
                        push_entries(&mut out, t);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn push_entries(out: &mut String, t: &toml::Table) {
    for k in sorted_keys(t) {
        if let Some(v) = t.get(k) {
            let value = match v {
                toml::Value::String(s) => toml_text::string(s),
                other => toml_text::inline_value(other),
            };
            out.push_str(&format!("{} = {}\n", toml_text::key(k), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let (front, body) = split("+++\na = 1\n+++\nbody\n").unwrap();
        assert_eq!(front, "a = 1\n");
        assert_eq!(body, "body\n");
        let (front, body) = split("\u{FEFF}+++\r\na = 1\r\n+++\r\nbody\r\n").unwrap();
        assert_eq!(front, "a = 1\n");
        assert_eq!(body, "body\r\n");
        assert!(split("a = 1\n").is_err());
        assert!(split("+++\na = 1\n").is_err());
        assert!(split("").is_err());
    }

    #[test]
    fn keeps_only_local_keys() {
        let text = "+++\ncode = \"1\"\neffective = 2025-07-01\n[[forms]]\nname = \"x\"\nfile = \"f.pdf\"\n[[channels]]\nmethod = \"truc-tiep\"\n+++\n";
        let local = local_keys(text).unwrap();
        let keys: Vec<&String> = local.keys().collect();
        assert_eq!(keys, ["effective", "forms"]);
        assert_eq!(render_inline(&local), "effective = 2025-07-01\n");
        assert_eq!(
            render_sections(&local),
            "\n[[forms]]\nfile = \"f.pdf\"\nname = \"x\"\n"
        );
    }

    #[test]
    fn reports_the_file_line_of_a_toml_error() {
        let err = local_keys("+++\na = 1\nb = = 2\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.contains("không phải TOML hợp lệ"),
            "{}",
            err.message
        );
    }
}
