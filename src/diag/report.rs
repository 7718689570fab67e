//! Printing a list of problems for a person: every error in full; warnings in full when
//! they are few, else summarised by kind (a count, the first few, and the command that
//! lists them all), the unit's own apart from those in imported catalogue data.

use super::{Diagnostic, Kind, Lang, Severity};
use std::collections::BTreeMap;

/// How warnings are printed (`--warnings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum WarningMode {
    /// Every warning in full.
    All,
    /// In full when there are few, else a count per kind with the first few.
    #[default]
    Summary,
    /// None; only their number.
    None,
}

/// How to print a report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub warnings: WarningMode,
    /// Errors only, and one line for the rest (`-q`).
    pub quiet: bool,
    pub lang: Lang,
}

impl Options {
    /// The default report, in the current language.
    pub fn current() -> Options {
        Options {
            lang: Lang::current(),
            ..Options::default()
        }
    }
}

/// At most this many warnings are printed in full by a summary.
pub const FULL_BELOW: usize = 20;
/// Examples shown per kind in a summary.
pub const EXAMPLES: usize = 2;

/// The report's lines, ending with a line of counts when there is anything to count.
pub fn render(diags: &[Diagnostic], opts: &Options) -> String {
    let lang = opts.lang;
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let warnings: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity != Severity::Error)
        .collect();
    for d in &errors {
        line(&d.text(lang));
    }
    let mode = if opts.quiet {
        WarningMode::None
    } else {
        opts.warnings
    };
    let summarised = match mode {
        WarningMode::All => {
            for d in &warnings {
                line(&d.text(lang));
            }
            false
        }
        WarningMode::Summary if warnings.len() <= FULL_BELOW => {
            for d in &warnings {
                line(&d.text(lang));
            }
            false
        }
        WarningMode::Summary => {
            summary(&warnings, lang, &mut line);
            true
        }
        WarningMode::None => false,
    };
    if diags.is_empty() {
        return out;
    }
    let (e, w) = (errors.len(), warnings.len());
    let counts = match lang {
        Lang::Vi => format!("{} lỗi, {} cảnh báo", number(e, lang), number(w, lang)),
        Lang::En => format!(
            "{} error(s), {} warning(s)",
            number(e, lang),
            number(w, lang)
        ),
    };
    let hidden = w > 0 && (mode == WarningMode::None || summarised);
    let see_all = match lang {
        Lang::Vi => "xem tất cả: niemyet check --warnings all",
        Lang::En => "see them all: niemyet check --warnings all",
    };
    if hidden && mode == WarningMode::None {
        let word = match lang {
            Lang::Vi => "cảnh báo không in ra",
            Lang::En => "warnings not shown",
        };
        line(&format!("{counts} ({word}; {see_all})"));
    } else if hidden {
        line(&format!("{counts} ({see_all})"));
    } else {
        line(&counts);
    }
    out
}

/// Warnings grouped by (imported, kind), the unit's own first, the largest groups first
/// within each.
fn summary(warnings: &[&Diagnostic], lang: Lang, line: &mut impl FnMut(&str)) {
    let mut groups: BTreeMap<(bool, Kind), Vec<&Diagnostic>> = BTreeMap::new();
    for d in warnings {
        groups
            .entry((d.imported, d.message.kind()))
            .or_default()
            .push(d);
    }
    let mut groups: Vec<((bool, Kind), Vec<&Diagnostic>)> = groups.into_iter().collect();
    groups.sort_by(|(a, da), (b, db)| a.0.cmp(&b.0).then(db.len().cmp(&da.len())));
    line(&match lang {
        Lang::Vi => format!(
            "{} cảnh báo, theo loại (mỗi loại vài ví dụ):",
            number(warnings.len(), lang)
        ),
        Lang::En => format!(
            "{} warnings by kind (a few examples of each):",
            number(warnings.len(), lang)
        ),
    });
    for ((imported, kind), list) in &groups {
        let whose = match (imported, lang) {
            (true, Lang::Vi) => " — dữ liệu nhập từ CSDL quốc gia",
            (true, Lang::En) => " — imported from the national database",
            (false, _) => "",
        };
        line(&format!(
            "  {} × {}{whose}",
            number(list.len(), lang),
            kind.title(lang)
        ));
        for d in list.iter().take(EXAMPLES) {
            line(&format!("      {}", d.text(lang)));
        }
    }
}

/// `6.778` in Vietnamese, `6,778` in English.
pub fn number(n: usize, lang: Lang) -> String {
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Loc, Msg};
    use std::path::Path;
    use std::sync::Arc;

    fn warning(file: &str, imported: bool) -> Diagnostic {
        let mut d = Diagnostic::warning(
            Loc {
                path: Arc::from(Path::new(file)),
                line: 3,
                col: 1,
            },
            Msg::FeeZeroNoText {
                key: "channels[1].fees[1]".into(),
            },
        );
        d.imported = imported;
        d
    }

    #[test]
    fn many_warnings_are_counted_by_kind_and_errors_stay_whole() {
        let mut diags: Vec<Diagnostic> = (0..5000)
            .map(|i| warning(&format!("content/_catalog/d/{i}.md"), true))
            .collect();
        diags.extend((0..30).map(|i| warning(&format!("content/t/{i}.md"), false)));
        diags.push(Diagnostic::error(
            Loc::file(&Arc::from(Path::new("content/t/x.md"))),
            Msg::NotUtf8,
        ));
        let text = render(&diags, &Options::default());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() <= 12, "{text}");
        assert!(lines[0].starts_with("content/t/x.md: error: "), "{text}");
        assert!(text.contains("5.000 × mức thu 0 đồng"), "{text}");
        assert!(text.contains("dữ liệu nhập từ CSDL quốc gia"), "{text}");
        // The unit's own group comes before the imported one.
        let own = text.find("30 ×").expect("own group");
        let imported = text.find("5.000 ×").expect("imported group");
        assert!(own < imported, "{text}");
        assert!(
            lines.last().unwrap().starts_with("1 lỗi, 5.030 cảnh báo"),
            "{text}"
        );
        let quiet = render(
            &diags,
            &Options {
                quiet: true,
                ..Options::default()
            },
        );
        assert_eq!(quiet.lines().count(), 2, "{quiet}");
        let all = render(
            &diags,
            &Options {
                warnings: WarningMode::All,
                lang: Lang::En,
                ..Options::default()
            },
        );
        assert_eq!(all.lines().count(), 5032);
        assert!(
            all.ends_with("1 error(s), 5,030 warning(s)\n"),
            "{}",
            &all[all.len() - 80..]
        );
    }

    #[test]
    fn a_few_warnings_are_printed_whole() {
        let diags = vec![warning("content/t/a.md", false)];
        let text = render(&diags, &Options::default());
        assert_eq!(
            text,
            "content/t/a.md:3:1: warning: `channels[1].fees[1]` (phí, lệ phí): mức thu 0 đồng mà không có diễn giải; ghi rõ vì sao không thu (ví dụ text = \"Miễn lệ phí\")\n0 lỗi, 1 cảnh báo\n"
        );
    }
}
