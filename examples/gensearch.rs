//! Generates a large, deterministic site for the search benchmark (bench/search.sh): one
//! province and N communes (default 300) that all adopt a catalogue of M procedures
//! (default 100) with `adopt_levels = ["xa"]`, each commune with one procedure of its own
//! and every tenth overriding one catalogue entry. Texts are the bundled example's real
//! procedures (content/_catalog/), renumbered and renamed, so index sizes are realistic.
//!
//! With `--records DIR` (the national-database records, `shared/data/dvcqg/*.txt`), each
//! catalogue entry takes the code, name, sector and steps of a real commune-level record,
//! so names, words and compression are those of M distinct real procedures.
//!
//! `cargo run --example gensearch -- OUT_DIR [--communes N] [--catalog M] [--records DIR]`

use std::fs;
use std::path::{Path, PathBuf};

/// Syllables for commune names: deterministic, Vietnamese, with tones and đ.
const SYLLABLES: &[&str] = &[
    "An", "Bình", "Cẩm", "Đông", "Đức", "Hà", "Hòa", "Hưng", "Kim", "Lâm", "Lợi", "Minh", "Nghĩa",
    "Phú", "Phúc", "Quang", "Sơn", "Tân", "Thành", "Thuỷ", "Tiến", "Trung", "Vĩnh", "Xuân", "Yên",
];

/// Qualifiers that turn one real procedure into several plausible ones.
const QUALIFIERS: &[&str] = &[
    "",
    " có yếu tố nước ngoài",
    " lưu động",
    " cho người nước ngoài cư trú tại Việt Nam",
    " trong trường hợp đặc biệt",
    " tại cơ quan đại diện",
];

fn fail(msg: String) -> ! {
    eprintln!("gensearch: {msg}");
    std::process::exit(2);
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        if let Err(e) = fs::create_dir_all(dir) {
            fail(format!("{}: {e}", dir.display()));
        }
    }
    if let Err(e) = fs::write(path, text) {
        fail(format!("{}: {e}", path.display()));
    }
}

/// Replaces the first top-level line starting with `key = ` (before any table header).
fn set_key(text: &str, key: &str, value: &str) -> String {
    let mut done = false;
    let prefix = format!("{key} = ");
    text.lines()
        .map(|l| {
            if !done && l.starts_with(&prefix) {
                done = true;
                format!("{key} = {value}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Removes top-level lines of these keys (repeal dates, so every procedure is current).
fn drop_keys(text: &str, keys: &[&str]) -> String {
    text.lines()
        .filter(|l| !keys.iter().any(|k| l.starts_with(&format!("{k} = "))))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn quoted_value(text: &str, key: &str) -> Option<String> {
    let prefix = format!("{key} = \"");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|r| r.strip_suffix('"'))
        .map(str::to_owned)
}

struct Template {
    /// Folder relative to content/_catalog (where its forms are).
    dir: PathBuf,
    ext: String,
    text: String,
    name: String,
}

fn templates(catalog: &Path) -> Vec<Template> {
    let mut out = Vec::new();
    let mut stack = vec![catalog.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else {
            fail(format!("cannot read {}", dir.display()))
        };
        let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext != "md" && ext != "toml" {
                continue;
            }
            let Ok(text) = fs::read_to_string(&p) else {
                continue;
            };
            let Some(name) = quoted_value(&text, "name") else {
                continue;
            };
            let rel = p
                .parent()
                .and_then(|d| d.strip_prefix(catalog).ok())
                .unwrap_or(Path::new(""))
                .to_path_buf();
            out.push(Template {
                dir: rel,
                ext: ext.to_owned(),
                text,
                name,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn copy_forms(from: &Path, to: &Path) {
    let Ok(rd) = fs::read_dir(from) else { return };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_forms(&p, &dest);
        } else if !matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("md") | Some("toml")
        ) {
            if let Some(d) = dest.parent() {
                let _ = fs::create_dir_all(d);
            }
            if let Err(err) = fs::copy(&p, &dest) {
                fail(format!("{}: {err}", p.display()));
            }
        }
    }
}

fn procedure(t: &Template, code: &str, name: &str) -> String {
    let text = drop_keys(&t.text, &["repealed", "replaced_by", "effective"]);
    let text = set_key(&text, "code", &format!("\"{code}\""));
    let text = set_key(&text, "name", &format!("\"{name}\""));
    set_key(&text, "level", "\"xa\"")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let mut communes = 300usize;
    let mut catalog = 100usize;
    let mut records: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        let mut num = |what: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| fail(format!("{what} needs a number")))
        };
        match a.as_str() {
            "--communes" => communes = num("--communes"),
            "--catalog" => catalog = num("--catalog"),
            "--records" => records = args.next().map(PathBuf::from),
            _ if out.is_none() => out = Some(PathBuf::from(a)),
            _ => fail(format!("unexpected argument {a}")),
        }
    }
    let Some(out) = out else {
        fail("usage: gensearch OUT_DIR [--communes N] [--catalog M]".into())
    };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let src = repo.join("content/_catalog");
    let ts = templates(&src);
    if ts.is_empty() {
        fail(format!("no procedures in {}", src.display()));
    }
    if out.exists() {
        if let Err(e) = fs::remove_dir_all(&out) {
            fail(format!("{}: {e}", out.display()));
        }
    }
    let content = out.join("content");
    write(
        &out.join("site.toml"),
        "title = \"Thủ tục hành chính tỉnh Thử Nghiệm\"\nbase_url = \"https://thutuc.example.gov.vn/\"\n\n\
         [feedback]\nagency = \"Văn phòng UBND tỉnh\"\naddress = \"Trụ sở UBND tỉnh\"\nphone = \"0200 000 000\"\n",
    );
    copy_forms(&src, &content.join("_catalog"));

    // The catalogue: M real records laid over the templates' structure, or the templates
    // renumbered and qualified.
    let mut codes = Vec::with_capacity(catalog);
    let real = records
        .as_deref()
        .map(|d| read_records(d, catalog))
        .unwrap_or_default();
    let md: Vec<&Template> = ts.iter().filter(|t| t.ext == "md").collect();
    for (i, r) in real.iter().enumerate() {
        let t = md[i % md.len()];
        let text = drop_keys(&procedure(t, &r.code, &toml_escape(&r.name)), &["keywords"]);
        let text = set_key(&text, "sector", &format!("\"{}\"", toml_escape(&r.sector)));
        let text = replace_body(&text, &r.steps);
        let file = content
            .join("_catalog")
            .join(&t.dir)
            .join(format!("rec-{i:04}.md"));
        write(&file, &text);
        codes.push(r.code.clone());
    }
    for i in real.len()..catalog {
        let t = &ts[i % ts.len()];
        let q = QUALIFIERS[(i / ts.len()) % QUALIFIERS.len()];
        let round = i / (ts.len() * QUALIFIERS.len());
        let name = if round > 0 {
            format!("{}{q} (mẫu {round})", t.name)
        } else {
            format!("{}{q}", t.name)
        };
        let code = format!("9.{i:06}");
        let file = content
            .join("_catalog")
            .join(&t.dir)
            .join(format!("gen-{i:04}.{}", t.ext));
        write(&file, &procedure(t, &code, &name));
        codes.push(code);
    }

    let office = |name: &str| {
        format!(
            "[office]\nname = \"Bộ phận một cửa {name}\"\naddress = \"Trụ sở {name}\"\nphone = \"0200 000 001\"\n"
        )
    };
    write(
        &content.join("tinh-thu-nghiem/_unit.toml"),
        &format!(
            "name = \"Tỉnh Thử Nghiệm\"\nkind = \"tinh\"\n\n{}",
            office("tỉnh")
        ),
    );
    let n = SYLLABLES.len();
    for c in 0..communes {
        let (a, b) = (SYLLABLES[c % n], SYLLABLES[(c / n + c * 7 + 3) % n]);
        let name = format!("Xã {a} {b} {}", c + 1);
        let dir = content.join(format!("tinh-thu-nghiem/xa-{:03}", c + 1));
        write(
            &dir.join("_unit.toml"),
            &format!(
                "name = \"{name}\"\nkind = \"xa\"\nadopt_levels = [\"xa\"]\n\n{}",
                office(&name)
            ),
        );
        // One procedure of its own, with the attachments its template refers to.
        let t = &ts[(c * 5) % ts.len()];
        let own = procedure(
            t,
            &format!("8.{:06}", c + 1),
            &format!("{} tại {name}", t.name),
        );
        write(&dir.join(format!("rieng.{}", t.ext)), &own);
        copy_forms(&src.join(&t.dir), &dir);
        // Every tenth commune sets its own place for one catalogue procedure.
        if c % 10 == 0 {
            let code = &codes[c % codes.len()];
            write(
                &dir.join("ghi-de.toml"),
                &format!("code = \"{code}\"\nplace = \"Nhà văn hoá thôn 1, {name}\"\n"),
            );
        }
    }
    eprintln!(
        "gensearch: {} with 1 province, {communes} communes, a catalogue of {catalog} ({} published procedures)",
        out.display(),
        communes * (catalog + 1)
    );
}

/// What the benchmark takes from a national-database record.
struct Record {
    code: String,
    name: String,
    sector: String,
    steps: String,
}

/// The first `n` commune-level records of the folder, by file name.
fn read_records(dir: &Path, n: usize) -> Vec<Record> {
    let Ok(rd) = fs::read_dir(dir) else {
        fail(format!("cannot read {}", dir.display()))
    };
    let mut files: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        if out.len() == n {
            break;
        }
        let Ok(text) = fs::read_to_string(&f) else {
            continue;
        };
        let field = |label: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(label))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let (Some(code), Some(name), Some(sector), Some(level)) = (
            field("Mã thủ tục:"),
            field("Tên thủ tục:"),
            field("Lĩnh vực:"),
            field("Cấp thực hiện:"),
        ) else {
            continue;
        };
        if !level.contains("Xã") || !code.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            continue;
        }
        // The steps: the indented lines after "Trình tự thực hiện:".
        let steps: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("Trình tự thực hiện:"))
            .skip(1)
            .take_while(|l| l.starts_with(' ') || l.is_empty())
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "+++")
            .collect();
        out.push(Record {
            code,
            name,
            sector,
            steps: steps.join("\n\n"),
        });
    }
    out
}

fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Replaces the Markdown body after the closing `+++`.
fn replace_body(text: &str, body: &str) -> String {
    let mut parts = text.splitn(3, "+++\n");
    let (Some(_), Some(front)) = (parts.next(), parts.next()) else {
        return text.to_owned();
    };
    format!("+++\n{front}+++\n{body}\n")
}
