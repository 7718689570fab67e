//! Stage 0, `config`: reads `site.toml` into a [`SiteConfig`], with strict keys and its
//! own diagnostics. Everything after it (content, resolve, render) takes the settings
//! from here; nothing else opens `site.toml`.

use crate::content::extract;
use crate::content::source;
use crate::content::value::{self as v, At, Keys};
use crate::diag::{Diagnostics, Lang, Loc, Msg};
use crate::model::Feedback;
use crate::text::is_segment;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml_spanner::Arena;

/// The keys `site.toml` may hold. Anything else is an error naming the closest of these.
pub const SITE_KEYS: &[&str] = &[
    "title",
    "base_url",
    "theme",
    "language",
    "feedback",
    "description",
    "licence",
    "licence_url",
    "extra",
];

/// The licence the open data is published under when `site.toml` names none: Creative
/// Commons Attribution 4.0. Procedures are public information that the law requires to be
/// disclosed (Decree 63/2010), so anyone may reuse them; attribution keeps reusers
/// pointing citizens back to the publishing office, the one source that is binding.
pub const DEFAULT_LICENCE: &str = "CC-BY-4.0";

/// The licence of the site's open data (`licence`, `licence_url` in `site.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Licence {
    /// An SPDX identifier (`CC-BY-4.0`, `CC0-1.0`, `ODbL-1.0`…) or the licence's name.
    pub name: String,
    /// Where its text is: `licence_url`, else the known address of an SPDX identifier.
    pub url: Option<String>,
}

impl Licence {
    /// `name`, with `url` or the address of the licence it names.
    pub fn new(name: String, url: Option<String>) -> Licence {
        let known = match name.as_str() {
            "CC-BY-4.0" => Some("https://creativecommons.org/licenses/by/4.0/"),
            "CC-BY-SA-4.0" => Some("https://creativecommons.org/licenses/by-sa/4.0/"),
            "CC0-1.0" => Some("https://creativecommons.org/publicdomain/zero/1.0/"),
            "ODbL-1.0" => Some("https://opendatacommons.org/licenses/odbl/1-0/"),
            "ODC-By-1.0" => Some("https://opendatacommons.org/licenses/by/1-0/"),
            "PDDL-1.0" => Some("https://opendatacommons.org/licenses/pddl/1-0/"),
            _ => None,
        };
        Licence {
            url: url.or_else(|| known.map(str::to_owned)),
            name,
        }
    }

    /// One line: `CC-BY-4.0 (https://…)`.
    pub fn line(&self) -> String {
        match &self.url {
            Some(u) => format!("{} ({u})", self.name),
            None => self.name.clone(),
        }
    }
}

/// The site's settings (`site.toml`).
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub theme: String,
    pub language: String,
    pub description: Option<String>,
    pub feedback: Option<Feedback>,
    /// The licence of the open data (data.json, data.csv).
    pub licence: Licence,
    /// The `[extra]` table: the site's own keys for its templates, never checked.
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub extra: serde_json::Value,
}

impl SiteConfig {
    /// The language of niemyet's own messages for this site: English only for `en`.
    pub fn message_lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or(Lang::Vi)
    }
}

/// Whether `root` holds a site at all (a `site.toml`): commands refuse other folders with
/// exit code 2 instead of reporting a content error.
pub fn is_site(root: &Path) -> bool {
    // Anything named site.toml: one that cannot be read (a named pipe, a folder) is the
    // site's content error, reported by the reader, not "no site here".
    root.join("site.toml").symlink_metadata().is_ok()
}

/// Reads `site.toml`, its problems reported to `d`. `None` when it cannot be used.
pub fn load(root: &Path, d: &mut Diagnostics) -> Option<SiteConfig> {
    let src = source::read_text(&root.join("site.toml"), PathBuf::from("site.toml"), d)?;
    let arena = Arena::new();
    let t = source::parse_toml(&src, 0, &src.text, &arena, d)?;
    crate::content::placeholders::table(At { src: &src, base: 0 }, &t, "", d);
    let keys = Keys::new(
        At { src: &src, base: 0 },
        &t,
        v::first_key(&src.text),
        String::new(),
    );
    let site = site(&keys, d)?;
    theme_and_language(root, &site, &keys, d);
    Some(site)
}

/// The themes a site can name: `default` and the folders of its `themes/`.
pub fn themes(root: &Path) -> Vec<String> {
    let mut names = vec!["default".to_owned()];
    if let Ok(rd) = std::fs::read_dir(root.join("themes")) {
        let mut own: Vec<String> = rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n != "default")
            .collect();
        own.sort();
        names.extend(own);
    }
    names
}

/// The languages a theme has interface strings for (`i18n/<code>.toml`), the built-in
/// theme's included.
fn languages(root: &Path, theme: &str) -> Vec<String> {
    let mut codes: Vec<String> = crate::theme::DEFAULT_THEME
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("i18n/")?.strip_suffix(".toml"))
        .map(str::to_owned)
        .collect();
    if let Ok(rd) = std::fs::read_dir(root.join("themes").join(theme).join("i18n")) {
        codes.extend(rd.flatten().filter_map(|e| {
            let n = e.file_name().into_string().ok()?;
            n.strip_suffix(".toml").map(str::to_owned)
        }));
    }
    codes.sort();
    codes.dedup();
    codes
}

/// `theme` names a folder that exists, and `language` one the theme has strings for:
/// else an error at the key with the names that exist ("ý bạn là `vi`?").
fn theme_and_language(root: &Path, site: &SiteConfig, keys: &Keys, d: &mut Diagnostics) {
    let mut theme_ok = true;
    if is_segment(&site.theme)
        && site.theme != "default"
        && !root.join("themes").join(&site.theme).is_dir()
    {
        if let Some(f) = keys.get("theme") {
            let available = themes(root);
            let suggestion =
                crate::diag::fix::closest(&site.theme, available.iter().map(|n| (n.as_str(), "")))
                    .or_else(|| {
                        // `xanh` for `xanh-la`: a name that starts the other.
                        available
                            .iter()
                            .filter(|n| *n != "default")
                            .find(|n| {
                                n.starts_with(&site.theme) || site.theme.starts_with(n.as_str())
                            })
                            .cloned()
                    });
            d.error(
                f.loc(),
                Msg::ThemeMissing {
                    found: site.theme.clone(),
                    suggestion,
                    available,
                },
            );
        }
        theme_ok = false;
    }
    if !theme_ok {
        return;
    }
    let available = languages(root, &site.theme);
    if !available.contains(&site.language) {
        if let Some(f) = keys.get("language") {
            let suggestion = match site.language.trim().to_ascii_lowercase().as_str() {
                "vn" | "vie" | "viet" | "vietnamese" | "tieng-viet" | "tiếng việt" | "vi-vn"
                | "vi_vn" => Some("vi".to_owned()),
                other => {
                    crate::diag::fix::closest(other, available.iter().map(|n| (n.as_str(), "")))
                }
            }
            .filter(|s| available.contains(s));
            d.error(
                f.loc(),
                Msg::UnknownLanguage {
                    found: site.language.clone(),
                    suggestion,
                    available,
                },
            );
        }
    }
}

/// The settings alone, for work that can start before the content is read (the build
/// loads its theme meanwhile). Problems are left to [`load`] to report.
pub fn peek(root: &Path) -> Option<SiteConfig> {
    load(root, &mut Diagnostics::new())
}

/// The `language` of `site.toml` as written, without reading the rest: which language
/// niemyet speaks before the site is loaded (`--lang` wins over it).
pub fn peek_language(root: &Path) -> Option<String> {
    let text = source::read_regular_to_string(&root.join("site.toml")).ok()?;
    let t: toml::Table = text.parse().ok()?;
    t.get("language")?.as_str().map(str::to_owned)
}

/// Reads `site.toml` from its text alone (for fuzzing and tools): never touches the file
/// system, never panics.
pub fn parse_text(path: &Path, text: &str) -> (Option<SiteConfig>, Vec<crate::diag::Diagnostic>) {
    let mut d = Diagnostics::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = crate::diag::Source::new(path.to_path_buf(), text.to_owned());
    let arena = Arena::new();
    let site = source::parse_toml(&src, 0, &src.text, &arena, &mut d).and_then(|t| {
        crate::content::placeholders::table(At { src: &src, base: 0 }, &t, "", &mut d);
        let keys = Keys::new(
            At { src: &src, base: 0 },
            &t,
            v::first_key(&src.text),
            String::new(),
        );
        site(&keys, &mut d)
    });
    (site, d.finish())
}

/// The settings from the keys of `site.toml`.
fn site(keys: &Keys, d: &mut Diagnostics) -> Option<SiteConfig> {
    keys.check_unknown(SITE_KEYS, d);
    let title = keys.text_req("title", d);
    let base_url = keys.text_req("base_url", d).and_then(|u| {
        let f = keys.get("base_url")?;
        if !(u.starts_with("https://") || u.starts_with("http://"))
            || u.contains(char::is_whitespace)
        {
            d.error(f.loc(), Msg::BadBaseUrl { found: u });
            return None;
        }
        Some(if u.ends_with('/') { u } else { format!("{u}/") })
    });
    let theme = keys.str_opt("theme", d).unwrap_or_else(|| "default".into());
    if !is_segment(&theme) {
        if let Some(f) = keys.get("theme") {
            d.error(
                f.loc(),
                Msg::BadTheme {
                    found: theme.clone(),
                },
            );
        }
    }
    let language = keys.str_opt("language", d).unwrap_or_else(|| "vi".into());
    let feedback = keys
        .get("feedback")
        .and_then(|f| extract::feedback(f, "feedback", d));
    let description = keys.str_opt("description", d);
    let licence = Licence::new(
        keys.str_opt("licence", d)
            .unwrap_or_else(|| DEFAULT_LICENCE.into()),
        keys.url_opt("licence_url", d),
    );
    let extra = v::extra(keys, SITE_KEYS, d);
    Some(SiteConfig {
        title: title?,
        base_url: base_url?,
        theme,
        language,
        description,
        feedback,
        licence,
        extra,
    })
}

/// Where a missing `site.toml` is reported.
pub fn loc() -> Loc {
    Loc::file(&Arc::from(Path::new("site.toml")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    #[test]
    fn reads_the_settings_and_ends_the_address_with_a_slash() {
        let (s, d) = parse_text(
            Path::new("site.toml"),
            "\u{feff}title = \"T\"\nbase_url = \"https://x.vn\"\n[extra]\nlogo = \"a.png\"\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let s = s.expect("site");
        assert_eq!(s.base_url, "https://x.vn/");
        assert_eq!(s.theme, "default");
        assert_eq!(s.language, "vi");
        assert_eq!(s.extra["logo"], "a.png");
        assert_eq!(s.licence.name, DEFAULT_LICENCE);
        assert_eq!(
            s.licence.url.as_deref(),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
    }

    /// `licence` and `licence_url` are read strictly: a wrong type or an address that
    /// is not a web address is an error at its line.
    #[test]
    fn the_licence_is_read_and_checked() {
        let site = |extra: &str| {
            parse_text(
                Path::new("site.toml"),
                &format!("title = \"T\"\nbase_url = \"https://x.vn/\"\n{extra}"),
            )
        };
        let (s, d) = site("licence = \"CC0-1.0\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            s.map(|s| s.licence.line()).as_deref(),
            Some("CC0-1.0 (https://creativecommons.org/publicdomain/zero/1.0/)")
        );
        let (s, d) = site("licence = \"Giấy phép riêng\"\nlicence_url = \"https://x.vn/gp\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            s.map(|s| s.licence.line()).as_deref(),
            Some("Giấy phép riêng (https://x.vn/gp)")
        );
        for bad in ["licence = 4\n", "licence_url = \"javascript:alert(1)\"\n"] {
            let (_, d) = site(bad);
            let e = d
                .iter()
                .find(|d| d.severity == Severity::Error)
                .unwrap_or_else(|| panic!("an error for {bad:?}"));
            assert_eq!(e.loc.line, 3, "{bad:?}");
        }
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_the_closest_one() {
        let (_, d) = parse_text(
            Path::new("site.toml"),
            "title = \"T\"\nbase_url = \"https://x.vn/\"\nlanguge = \"vi\"\n",
        );
        let e = d
            .iter()
            .find(|d| d.severity == Severity::Error)
            .expect("an error");
        assert_eq!((e.loc.line, e.loc.col), (3, 1));
        let vi = e.message.text(Lang::Vi);
        assert!(
            vi.contains("`languge`") && vi.contains("`language`"),
            "{vi}"
        );
    }
}
