//! The search lexicon: how people name things (colloquial and outdated terms, common
//! abbreviations) mapped to the official wording of procedures, and the filler words of a
//! request ("xin", "làm thủ tục"). Shipped as a data file of the default theme
//! (`themes/default/search/lexicon.toml`); a site adds its own terms in other files of its
//! theme's `search/` folder. Read when the theme is loaded (so `check` reports its
//! mistakes at their line and column), folded and written into the search index
//! (`catalog.js`), where the client rewrites queries with it: see docs/search.md.
//!
//! ```toml
//! fillers = ["xin", "làm thủ tục"]
//!
//! [terms."Đất đai"]              # a group, usually a sector: for people reading the file
//! "sổ đỏ" = "giấy chứng nhận quyền sử dụng đất"
//! "sang tên" = ["chuyển nhượng", "đăng ký biến động"]
//! ```

use crate::content::source::parse_toml;
use crate::diag::{say, Diagnostics, Loc, Source};
use crate::text::{fold, nfc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use toml_spanner::{Arena, Item, Value as TomlValue};

/// The lexicon's file in a theme; other `.toml` files of the same folder add to it.
pub const LEXICON_FILE: &str = "search/lexicon.toml";

/// What people say, and what the procedures say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    /// Words and phrases that only carry a request: matched, they weigh little and are
    /// not required.
    pub fillers: Vec<String>,
    /// Words of a procedure's name that make it a secondary form of another ("cấp lại",
    /// "gia hạn", "xóa đăng ký"): unless the query asks for them, such procedures come
    /// after the main one.
    pub secondary: Vec<String>,
    /// Words anywhere in a name that narrow a procedure to a case ("có yếu tố nước ngoài",
    /// "lưu động"): unless the query asks for them, the general procedure comes first.
    pub narrower: Vec<String>,
    /// (what people say, the official wordings), in NFC, in file order; a phrase given
    /// in several places has all their wordings.
    pub terms: Vec<(String, Vec<String>)>,
}

/// The lexicon as the index carries it: what people say in lowercase, the official
/// wordings folded (as the client folds queries), duplicates merged.
#[derive(Debug, Serialize, PartialEq)]
pub struct FoldedLexicon {
    pub fillers: Vec<String>,
    /// Folded.
    pub secondary: Vec<String>,
    /// Folded.
    pub narrower: Vec<String>,
    /// `[what people say, folded wording, folded wording, …]`, by what people say.
    pub terms: Vec<Vec<String>>,
}

impl Lexicon {
    /// The lexicon of a theme: its `search/lexicon.toml`, or the default theme's when it
    /// has none (a theme copied before the lexicon existed), then its other
    /// `search/*.toml` files in name order. `origin` names the theme in messages.
    pub fn load(origin: &str, files: &[(String, Vec<u8>)], d: &mut Diagnostics) -> Lexicon {
        let mut lex = Lexicon::default();
        let own = files.iter().find(|(p, _)| p == LEXICON_FILE);
        match own {
            Some((p, bytes)) => lex.read(&PathBuf::from(origin).join(p), bytes, d),
            None => {
                let builtin = crate::theme::DEFAULT_THEME
                    .iter()
                    .find(|(p, _)| *p == LEXICON_FILE);
                if let Some((p, bytes)) = builtin {
                    let path = PathBuf::from("built-in default theme").join(p);
                    lex.read(&path, bytes, d);
                }
            }
        }
        let mut others: Vec<&(String, Vec<u8>)> = files
            .iter()
            .filter(|(p, _)| p != LEXICON_FILE && p.starts_with("search/") && p.ends_with(".toml"))
            .collect();
        others.sort_by(|a, b| a.0.cmp(&b.0));
        for (p, bytes) in others {
            lex.read(&PathBuf::from(origin).join(p), bytes, d);
        }
        lex
    }

    /// Adds the fillers and terms of one file, reporting its mistakes.
    pub fn read(&mut self, path: &std::path::Path, bytes: &[u8], d: &mut Diagnostics) {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                d.error(
                    Loc::file(&std::sync::Arc::from(path)),
                    say(
                        format!(
                            "tệp không phải văn bản UTF-8 (byte {}); lưu lại với bảng mã UTF-8",
                            e.valid_up_to()
                        ),
                        format!("the file is not UTF-8 (byte {})", e.valid_up_to()),
                    ),
                );
                return;
            }
        };
        let src = Source::new(path.to_owned(), text.to_owned());
        let arena = Arena::new();
        let Some(table) = parse_toml(&src, 0, &src.text, &arena, d) else {
            return;
        };
        for (key, item) in table.iter() {
            match key.name {
                "fillers" | "secondary" | "narrower" => {
                    for (phrase, at) in strings(&src, item, key.name, d) {
                        if self.phrase_ok(&src, at, key.name, &phrase, d) {
                            match key.name {
                                "fillers" => self.fillers.push(phrase),
                                "secondary" => self.secondary.push(phrase),
                                _ => self.narrower.push(phrase),
                            }
                        }
                    }
                }
                "terms" => match item.value() {
                    TomlValue::Table(t) => {
                        for (k, v) in t.iter() {
                            match v.value() {
                                TomlValue::Table(group) => {
                                    for (k2, v2) in group.iter() {
                                        let name = format!("terms.\"{}\".\"{}\"", k.name, k2.name);
                                        self.term(&src, k2.name, k2.span.start, v2, &name, d);
                                    }
                                }
                                _ => {
                                    let name = format!("terms.\"{}\"", k.name);
                                    self.term(&src, k.name, k.span.start, v, &name, d);
                                }
                            }
                        }
                    }
                    _ => d.error(
                        src.loc(item.span().start as usize),
                        say(
                            "`terms` (từ điển tìm kiếm): cần một bảng các từ, ví dụ [terms.\"Đất đai\"] rồi \"sổ đỏ\" = \"giấy chứng nhận quyền sử dụng đất\"",
                            "`terms` (từ điển tìm kiếm): expected a table of terms, e.g. [terms.\"Đất đai\"] then \"sổ đỏ\" = \"giấy chứng nhận quyền sử dụng đất\"",
                        ),
                    ),
                },
                other => d.warning(
                    src.loc(key.span.start as usize),
                    say(
                        format!("`{other}` (từ điển tìm kiếm): khóa không có trong từ điển, bỏ qua; từ điển có `fillers`, `secondary`, `narrower` và `terms`"),
                        format!("`{other}` (từ điển tìm kiếm): unknown key, ignored; the lexicon has `fillers`, `secondary`, `narrower` and `terms`"),
                    ),
                ),
            }
        }
    }

    /// One term: `"what people say" = "wording"` or a list of wordings.
    fn term(
        &mut self,
        src: &Source,
        said: &str,
        at: u32,
        value: &Item,
        name: &str,
        d: &mut Diagnostics,
    ) {
        if !self.phrase_ok(src, at as usize, name, said, d) {
            return;
        }
        let mut alts = Vec::new();
        for (alt, a) in strings(src, value, name, d) {
            if self.phrase_ok(src, a, name, &alt, d) {
                alts.push(alt);
            }
        }
        if alts.is_empty() {
            return;
        }
        let said = nfc(said.trim());
        match self.terms.iter_mut().find(|(s, _)| *s == said) {
            Some((_, old)) => {
                for a in alts {
                    if !old.contains(&a) {
                        old.push(a);
                    }
                }
            }
            None => self.terms.push((said, alts)),
        }
    }

    /// Whether a phrase has a word to search for.
    fn phrase_ok(
        &self,
        src: &Source,
        at: usize,
        name: &str,
        phrase: &str,
        d: &mut Diagnostics,
    ) -> bool {
        if fold(phrase).is_empty() {
            d.error(
                src.loc(at),
                say(
                    format!("`{name}` (từ điển tìm kiếm): \"{phrase}\" không có chữ cái hay chữ số nào để tìm"),
                    format!("`{name}` (từ điển tìm kiếm): \"{phrase}\" has no letter or digit to search for"),
                ),
            );
            return false;
        }
        true
    }

    /// The lexicon for the index: what people say as written (lowercase NFC: the
    /// client tells "gà" from "ga" when the query has marks), the wordings folded.
    pub fn folded(&self) -> FoldedLexicon {
        self.folded_for(|_| true)
    }

    /// [`Lexicon::folded`], keeping the wordings whose every word is `known` (the words
    /// of the site's procedures' names and keywords): the rest could match no procedure
    /// of the site, only cost bytes (a commune publishing a hundred procedures needs a
    /// tenth of the lexicon). A term left with no wording goes.
    pub fn folded_for(&self, known: impl Fn(&str) -> bool) -> FoldedLexicon {
        let said = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let mut fillers: Vec<String> = Vec::new();
        for f in &self.fillers {
            let f = said(f);
            if !fillers.contains(&f) {
                fillers.push(f);
            }
        }
        let folded_list = |list: &[String]| {
            let mut out: Vec<String> = Vec::new();
            for f in list {
                let f = fold(f);
                if !out.contains(&f) {
                    out.push(f);
                }
            }
            out
        };
        let mut terms: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, alts) in &self.terms {
            let key = said(key);
            let folded = fold(&key);
            let entry = terms.entry(key).or_default();
            for a in alts {
                let a = fold(a);
                // A wording within what people say ("mã số thuế" for "đăng ký mã số thuế")
                // would match procedures holding only part of what was asked.
                if !within(&a, &folded) && !entry.contains(&a) && a.split(' ').all(&known) {
                    entry.push(a);
                }
            }
        }
        FoldedLexicon {
            fillers,
            secondary: folded_list(&self.secondary),
            narrower: folded_list(&self.narrower),
            terms: terms
                .into_iter()
                .filter(|(_, alts)| !alts.is_empty())
                .map(|(k, alts)| std::iter::once(k).chain(alts).collect())
                .collect(),
        }
    }
}

/// Whether the words of `part` stand side by side in `whole` (both folded).
fn within(part: &str, whole: &str) -> bool {
    let (p, w): (Vec<&str>, Vec<&str>) = (part.split(' ').collect(), whole.split(' ').collect());
    w.windows(p.len()).any(|x| x == p.as_slice())
}

/// A string or a list of strings, each in NFC with where it starts; anything else is
/// reported.
fn strings(src: &Source, item: &Item, name: &str, d: &mut Diagnostics) -> Vec<(String, usize)> {
    let wrong = |d: &mut Diagnostics, at: u32| {
        d.error(
            src.loc(at as usize),
            say(
                format!("`{name}` (từ điển tìm kiếm): cần một chuỗi chữ hoặc một danh sách chữ, ví dụ \"sổ đỏ\" = [\"giấy chứng nhận quyền sử dụng đất\"]"),
                format!("`{name}` (từ điển tìm kiếm): expected a string or a list of strings, e.g. \"sổ đỏ\" = [\"giấy chứng nhận quyền sử dụng đất\"]"),
            ),
        )
    };
    match item.value() {
        TomlValue::String(s) => vec![(nfc(s.trim()), item.span().start as usize)],
        TomlValue::Array(arr) => {
            let mut out = Vec::new();
            for v in arr.iter() {
                match v.value() {
                    TomlValue::String(s) => out.push((nfc(s.trim()), v.span().start as usize)),
                    _ => wrong(d, v.span().start),
                }
            }
            out
        }
        _ => {
            wrong(d, item.span().start);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Lexicon, Vec<String>) {
        let mut d = Diagnostics::new();
        let mut lex = Lexicon::default();
        lex.read(
            std::path::Path::new("search/lexicon.toml"),
            text.as_bytes(),
            &mut d,
        );
        (lex, d.finish().iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn terms_in_groups_and_alone_merge_by_what_people_say() {
        let (lex, diags) = read(
            "fillers = [\"xin\", \"làm thủ tục\"]\n\
             [terms.\"Đất đai\"]\n\"sổ đỏ\" = \"giấy chứng nhận quyền sử dụng đất\"\n\
             \"Sổ hồng\" = [\"giấy chứng nhận quyền sử dụng đất\", \"quyền sở hữu nhà ở\"]\n\
             [terms.\"Khác\"]\n\"sổ đỏ\" = [\"bìa đỏ\", \"giấy chứng nhận quyền sử dụng đất\"]\n\
             \"đăng ký mã số thuế\" = [\"đăng ký thuế\", \"mã số thuế\", \"Đăng ký mã số thuế\"]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(lex.fillers, ["xin", "làm thủ tục"]);
        assert_eq!(
            lex.terms[0],
            (
                "sổ đỏ".to_owned(),
                vec![
                    "giấy chứng nhận quyền sử dụng đất".to_owned(),
                    "bìa đỏ".to_owned()
                ]
            )
        );
        let f = lex.folded();
        assert_eq!(f.fillers, ["xin", "làm thủ tục"]);
        // Wordings folded and merged; what people say in lowercase, sorted; a wording
        // within what people say is left out.
        assert_eq!(
            f.terms,
            [
                vec![
                    "sổ hồng",
                    "giay chung nhan quyen su dung dat",
                    "quyen so huu nha o"
                ],
                vec!["sổ đỏ", "giay chung nhan quyen su dung dat", "bia do"],
                vec!["đăng ký mã số thuế", "dang ky thue"],
            ]
        );
    }

    #[test]
    fn mistakes_are_reported_at_their_place() {
        let (lex, diags) = read(
            "fillers = [\"xin\", 3]\nother = 1\n[terms.\"Đất đai\"]\n\"sổ đỏ\" = 5\n\"...\" = \"x\"\n\"bìa đỏ\" = \"giấy chứng nhận\"\n",
        );
        assert_eq!(lex.fillers, ["xin"]);
        assert_eq!(lex.terms.len(), 1, "{:?}", lex.terms);
        let all = diags.join("\n");
        assert!(
            all.contains("search/lexicon.toml:1:19: error: `fillers`"),
            "{all}"
        );
        assert!(
            all.contains("search/lexicon.toml:2:1: warning: `other`"),
            "{all}"
        );
        assert!(all.contains("search/lexicon.toml:4:11: error: `terms.\"Đất đai\".\"sổ đỏ\"` (từ điển tìm kiếm): cần một chuỗi chữ hoặc một danh sách chữ"), "{all}");
        assert!(
            all.contains("search/lexicon.toml:5:1: error:") && all.contains("không có chữ cái"),
            "{all}"
        );
        let (_, diags) = read("[terms\n");
        assert!(diags[0].starts_with("search/lexicon.toml:1:"), "{diags:?}");
        assert!(diags[0].contains("TOML không hợp lệ"), "{diags:?}");
    }

    /// Wordings no procedure of the site could match are left out, and terms with them.
    #[test]
    fn wordings_the_site_cannot_match_are_left_out() {
        let (lex, _) = read(
            "[terms.x]\n\"sổ đỏ\" = [\"giấy chứng nhận quyền sử dụng đất\", \"bìa đỏ\"]\n\
             \"cà vẹt\" = \"chứng nhận đăng ký xe\"\n",
        );
        let site = [
            "giay", "chung", "nhan", "quyen", "su", "dung", "dat", "dang", "ky",
        ];
        let f = lex.folded_for(|w| site.contains(&w));
        assert_eq!(
            f.terms,
            [vec!["sổ đỏ", "giay chung nhan quyen su dung dat"]]
        );
    }

    /// The default theme's lexicon reads without a word of complaint.
    #[test]
    fn the_default_lexicon_is_clean() {
        let mut d = Diagnostics::new();
        let lex = Lexicon::load("themes/default", &[], &mut d);
        let diags = d.finish();
        assert!(diags.is_empty(), "{diags:?}");
        assert!(lex.terms.len() > 100, "{}", lex.terms.len());
        assert!(!lex.fillers.is_empty());
    }
}
