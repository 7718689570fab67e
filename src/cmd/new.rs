//! `niemyet new unit|procedure`: a file to fill in. Every value niemyet cannot know is a
//! placeholder (`"<Điền …>"`) that `check` and `build` report until it is replaced, so
//! nothing half-filled is published. For a code the catalogue has, `new procedure`
//! writes a short override file instead: the code, and a comment per key it may change.

use crate::content::{extract::PROCEDURE_KEYS, peek, placeholders::placeholder};
use crate::diag::{fix, msg, Lang};
use crate::model::UnitKind;
use crate::text::{is_code, is_segment};
use std::path::{Path, PathBuf};

/// A message in the current language.
fn say(vi: String, en: String) -> String {
    match Lang::current() {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The text of a new `_unit.toml`.
pub fn unit_skeleton(name: &str, kind: UnitKind) -> String {
    let p = placeholder;
    format!(
        r#"# Đơn vị hành chính {name}. Thay mọi giá trị "<Điền …>" bằng thông tin thật, rồi chạy
# `niemyet check`: giá trị mẫu còn sót bị báo lỗi và không bao giờ được công bố.
# Khóa không bắt buộc (phone, email, hours, website) có thể xóa cả dòng.
# Cách viết từng khóa: {docs}
name = {name_q}
kind = "{kind}"
# code = "{code}"    # không bắt buộc

# Thủ tục áp dụng từ danh mục chung (content/_catalog/), theo mã:
adopt = []
# adopt_levels = ["xa"]           # hoặc: mọi thủ tục cấp xã của danh mục

[office]                          # nơi tiếp nhận hồ sơ
name = "{office}"
address = "{address}"
phone = "{phone}"
hours = "{hours}"

# Địa chỉ tiếp nhận phản ánh, kiến nghị: bỏ dấu # nếu đơn vị có địa chỉ riêng; nếu không,
# trang dùng địa chỉ của đơn vị cấp trên, hoặc của site.toml.
# [feedback]
# agency = "{fb_agency}"
# address = "{fb_address}"
# phone = "{fb_phone}"
# email = "{fb_email}"

# Đơn vị cũ đã sáp nhập vào đơn vị này (địa chỉ cũ sẽ chuyển hướng về đây):
# [[former]]
# path = "{former_path}"
# name = "{former_name}"
# date = YYYY-MM-DD                 # ngày sáp nhập, năm-tháng-ngày
# basis = "{former_basis}"
"#,
        docs = DOCS_URL,
        code = p("mã đơn vị hành chính"),
        fb_agency = p(&format!(
            "tên cơ quan tiếp nhận phản ánh, ví dụ: Ủy ban nhân dân {name}"
        )),
        fb_address = p("địa chỉ tiếp nhận phản ánh"),
        fb_phone = p("số điện thoại tiếp nhận phản ánh"),
        fb_email = p("thư điện tử tiếp nhận phản ánh"),
        former_path = p("đường dẫn cũ, ví dụ: huyen-cu/xa-cu"),
        former_name = p("tên đơn vị cũ"),
        former_basis = p("số nghị quyết sáp nhập"),
        kind = kind.slug(),
        name_q = fix::quoted(name),
        office = p(&format!(
            "tên nơi tiếp nhận hồ sơ, ví dụ: Trung tâm Phục vụ hành chính công {name}"
        )),
        address = p("địa chỉ nơi tiếp nhận hồ sơ"),
        phone = p("số điện thoại"),
        hours = p("giờ làm việc, ví dụ: Sáng 7h30–11h30, chiều 13h30–17h00, thứ Hai đến thứ Sáu"),
    )
}

/// The text of a new procedure file for a code the catalogue does not have (`.md`, the
/// steps in the body): every value to fill in is a placeholder.
pub fn procedure_skeleton(code: &str, name: Option<&str>, level: &str) -> String {
    let p = placeholder;
    let name = fix::quoted(&name.map(str::to_owned).unwrap_or_else(|| p("tên thủ tục")));
    format!(
        r#"+++
# Thủ tục hành chính {code}. Thay mọi giá trị "<Điền …>" bằng thông tin thật, rồi chạy
# `niemyet check`: giá trị mẫu còn sót bị báo lỗi và không bao giờ được công bố.
code = "{code}"
name = {name}
sector = "{sector}"
level = "{level}"                     # cấp thực hiện: trung-uong, tinh, huyen, xa
# decision = "{decision}"
# effective = YYYY-MM-DD          # ngày có hiệu lực, năm-tháng-ngày
applicants = ["{applicants}"]
agency = "{agency}"
result = ["{result}"]
legal_basis = ["{legal_basis}"]

[[channels]]
method = "truc-tiep"              # trực tiếp; trực tuyến: truc-tuyen; bưu chính: buu-chinh
time = {{ text = "{time}" }}
# hoặc: time = {{ value = SỐ, unit = "working-days" }}   (working-days, days, hours, months, years)
fees = [{{ text = "{fees}" }}]
# hoặc: fees = [{{ amount = SỐ_ĐỒNG, text = "Lệ phí" }}]; không thu phí: fees = []

[[dossier]]
items = [
  {{ name = "{item}", originals = 1, copies = 0 }},
]
+++
Bước 1: {step1}

Bước 2: {step2}
"#,
        decision = p("số quyết định công bố"),
        sector = p("lĩnh vực, ví dụ: Hộ tịch"),
        applicants = p("đối tượng thực hiện"),
        agency = p("cơ quan thực hiện"),
        result = p("kết quả thực hiện"),
        legal_basis = p("căn cứ pháp lý"),
        time = p("thời hạn giải quyết, ví dụ: 3 ngày làm việc"),
        fees = p("phí, lệ phí"),
        item = p("tên giấy tờ phải nộp"),
        step1 = p("bước đầu tiên"),
        step2 = p("bước tiếp theo"),
    )
}

/// The text of an override file: a unit's own version of catalogue entry `code`
/// (`entry`: its file, `name`: its name). Only the code; every key that may be changed
/// is a comment to uncomment.
pub fn override_file(code: &str, entry: &Path, name: Option<&str>) -> String {
    let mut out = String::from("+++\n");
    out.push_str(&format!(
        "# Thủ tục {code}{} của danh mục chung ({}), cho riêng đơn vị này.\n",
        name.map(|n| format!(" “{n}”")).unwrap_or_default(),
        entry.display()
    ));
    out.push_str(
        "# Trang giữ mọi khóa của danh mục; khóa nào viết ở đây thay cả khóa đó của danh mục.\n\
         # Bỏ dấu # ở đầu dòng để dùng. Phần dưới dòng +++ cuối: để trống thì giữ trình tự\n\
         # thực hiện của danh mục; viết vào thì thay.\n",
    );
    out.push_str(&format!("# Cách viết từng khóa: {DOCS_URL}\n"));
    out.push_str(&format!("code = \"{code}\"\n"));
    let skip = ["code", "steps", "source", "extra"];
    for key in PROCEDURE_KEYS.iter().filter(|k| !skip.contains(k)) {
        let label = msg::label(key);
        out.push_str(&format!("# {}\n", override_example(key, label)));
    }
    out.push_str("+++\n");
    out
}

/// Where the format of every key is described, for the comments of generated files: the
/// webmaster's site has no `docs/` folder, so the files of niemyet's own source are named
/// as such (no address is published for them yet).
pub const DOCS_URL: &str =
    "tệp docs/content-format.md và docs/format.md trong mã nguồn niemyet (README, mục \"The files\")";

/// A commented line of an override file: a value that is no value yet, so that a line
/// uncommented and not filled in is never published. Texts are placeholders (`"<Điền
/// …>"`, an error until replaced); dates `YYYY-MM-DD` and numbers `SỐ`, which TOML
/// refuses.
fn override_example(key: &str, label: &str) -> String {
    let p = |what: &str| placeholder(what);
    match key {
        "effective" | "repealed" | "updated" => format!("{key} = YYYY-MM-DD    # {label}, năm-tháng-ngày"),
        "level" => format!("{key} = \"{}\"", p("cấp thực hiện: trung-uong, tinh, huyen hoặc xa")),
        "online" => format!("{key} = \"{}\"", p("mức trực tuyến: toan-trinh, mot-phan hoặc khong")),
        "replaced_by" => format!("{key} = \"{}\"", p("mã thủ tục thay thế (mã khác mã của tệp này)")),
        "applicants" | "result" | "legal_basis" | "keywords" => {
            format!("{key} = [\"{}\"]", p(label))
        }
        "unpublished" => format!("{key} = [\"{}\"]", p("tên khóa chưa công bố, ví dụ: fees")),
        "channels" => format!(
            "{key} = [{{ method = \"truc-tiep\", time = {{ text = \"{}\" }}, fees = [{{ text = \"{}\" }}] }}]",
            p("thời hạn giải quyết"),
            p("phí, lệ phí")
        ),
        "dossier" => format!(
            "{key} = [{{ items = [{{ name = \"{}\", originals = 1, copies = 0 }}] }}]",
            p("tên giấy tờ")
        ),
        "forms" => format!(
            "{key} = [{{ name = \"{}\", url = \"{}\" }}]",
            p("tên mẫu đơn"),
            p("đường dẫn tới mẫu")
        ),
        _ => format!("{key} = \"{}\"", p(label)),
    }
}

fn write_new(path: &Path, text: &str) -> Result<(), String> {
    if path.exists() {
        return Err(say(
            format!("{} đã có; không ghi đè", path.display()),
            format!("{} already exists; not overwritten", path.display()),
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "{}",
        say(
            format!("đã tạo {}", path.display()),
            format!("created {}", path.display())
        )
    );
    Ok(())
}

/// The site at `root`, or why there is none.
fn require_site(root: &Path) -> Result<(), String> {
    if crate::config::is_site(root) {
        return Ok(());
    }
    Err(say(
        format!(
            "{} không phải thư mục của một trang (không có site.toml): chạy lệnh trong thư mục của trang, hoặc chỉ rõ bằng --root; trang mới: niemyet init THƯ_MỤC",
            root.display()
        ),
        format!(
            "{} is not a site (no site.toml): run the command in the site's folder, or give it with --root; a new site: niemyet init DIR",
            root.display()
        ),
    ))
}

/// A unit path as given (`content/tinh/xa`, `tinh/xa/`, `./content/tinh/xa`), as the
/// path below content/ (`tinh/xa`).
fn below_content(path: &str) -> String {
    let p = path.trim().replace('\\', "/");
    let p = p.trim_start_matches("./").trim_matches('/');
    p.strip_prefix("content/")
        .or_else(|| (p == "content").then_some(""))
        .unwrap_or(p)
        .trim_matches('/')
        .to_owned()
}

/// `new unit <path>`.
pub fn unit(root: &Path, path: &str, name: &str, kind: &str) -> Result<(), String> {
    require_site(root)?;
    let path = below_content(path);
    let segments: Vec<&str> = path.split('/').collect();
    if path.is_empty() || !segments.iter().all(|s| is_segment(s)) {
        return Err(say(
            format!("đường dẫn đơn vị \"{path}\" phải gồm các tên thư mục viết chữ thường không dấu, chữ số và dấu -, nối bằng /, ví dụ tuyen-quang/xa-dong-loi"),
            format!("the unit path \"{path}\" must be folder names of lowercase ASCII letters, digits and - joined by /, like tuyen-quang/xa-dong-loi"),
        ));
    }
    if segments[0] == "content" {
        return Err(say(
            format!("\"{path}\" sẽ tạo content/content/…: bỏ bớt một content/ ở đầu"),
            format!("\"{path}\" would make content/content/…: drop one content/ at its start"),
        ));
    }
    if crate::check::RESERVED_TOP.contains(&segments[0]) {
        return Err(say(
            format!(
                "tên thư mục `{}` trùng địa chỉ trang dùng riêng; chọn tên khác",
                segments[0]
            ),
            format!(
                "the folder name `{}` is used by the site itself; choose another",
                segments[0]
            ),
        ));
    }
    let kind = UnitKind::from_slug(kind).ok_or_else(|| {
        say(
            format!(
                "--kind: cần một trong {}, nhưng đây là \"{kind}\"",
                UnitKind::expected()
            ),
            format!(
                "--kind: expected one of {}, found \"{kind}\"",
                UnitKind::expected()
            ),
        )
    })?;
    // Every folder above it must be a unit: a folder between units is an error.
    let content = root.join("content");
    for n in 1..segments.len() {
        let parent = segments[..n].join("/");
        if !content.join(&parent).join("_unit.toml").is_file() {
            return Err(say(
                format!("đơn vị cấp trên {parent} chưa có (thiếu content/{parent}/_unit.toml): tạo nó trước bằng niemyet new unit {parent} --name \"…\" --kind …"),
                format!("the parent unit {parent} does not exist (no content/{parent}/_unit.toml): create it first with niemyet new unit {parent} --name \"…\" --kind …"),
            ));
        }
    }
    let file = content.join(&path).join("_unit.toml");
    write_new(&file, &unit_skeleton(name, kind))?;
    next_steps();
    Ok(())
}

/// `new procedure <unit path> <code>`.
pub fn procedure(root: &Path, unit: &str, code: &str, name: Option<&str>) -> Result<(), String> {
    require_site(root)?;
    // `1.001193.md` as tab completion gives it: the code is the name without its ending.
    let code = code
        .strip_suffix(".md")
        .or_else(|| code.strip_suffix(".toml"))
        .unwrap_or(code);
    let unit = below_content(unit);
    let in_catalog = unit == "_catalog" || unit.starts_with("_catalog/");
    let rel: PathBuf = Path::new("content").join(&unit);
    if !in_catalog && !root.join(&rel).join("_unit.toml").is_file() {
        return Err(say(
            format!("chưa có đơn vị {unit} (thiếu content/{unit}/_unit.toml): tạo nó trước bằng niemyet new unit {unit} --name \"…\" --kind …, hoặc dùng _catalog cho danh mục chung"),
            format!("content/{unit}/_unit.toml does not exist: create the unit first (niemyet new unit {unit} --name … --kind …), or give _catalog"),
        ));
    }
    if !is_code(code) {
        return Err(say(
            format!("mã \"{code}\" chỉ được gồm chữ, chữ số, dấu . - _, ví dụ 1.001193"),
            format!("the code \"{code}\" must use letters, digits, `.`, `-` or `_`, like 1.001193"),
        ));
    }
    let catalog = peek::catalog(root);
    let entry = catalog.get(code);
    // A code this unit's own files already give (or the catalogue, for a catalogue file).
    let taken = if in_catalog {
        entry.map(|e| e.file.clone())
    } else {
        peek::unit(root, &rel)
            .into_iter()
            .find(|p| p.code == code)
            .map(|p| p.file)
    };
    if let Some(file) = taken {
        return Err(say(
            format!(
                "mã {code} đã có ở {}: sửa tệp đó thay vì tạo tệp mới",
                file.display()
            ),
            format!(
                "code {code} is already given by {}: edit that file instead",
                file.display()
            ),
        ));
    }
    let file = root.join(&rel).join(format!("{code}.md"));
    match entry.filter(|_| !in_catalog) {
        Some(e) => {
            write_new(&file, &override_file(code, &e.file, e.name.as_deref()))?;
            println!(
                "{}",
                say(
                    format!("{code} có trong danh mục chung ({}): tệp này chỉ ghi những gì đơn vị khác với danh mục; bỏ dấu # ở khóa cần thay.", e.file.display()),
                    format!("{code} is in the catalogue ({}): this file holds only what the unit changes; uncomment the keys to change.", e.file.display()),
                )
            );
        }
        None => {
            let level = level_of(root, &unit);
            write_new(&file, &procedure_skeleton(code, name, level))?;
            next_steps();
        }
    }
    Ok(())
}

/// The level a new procedure of `unit` most likely has, from the unit's kind.
fn level_of(root: &Path, unit: &str) -> &'static str {
    let text = std::fs::read_to_string(root.join("content").join(unit).join("_unit.toml"))
        .unwrap_or_default();
    let kind = text
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("kind")?.as_str().and_then(UnitKind::from_slug));
    match kind {
        Some(UnitKind::Tinh | UnitKind::ThanhPhoTw) => "tinh",
        Some(UnitKind::Huyen | UnitKind::Quan | UnitKind::ThiXa | UnitKind::ThanhPho) => "huyen",
        _ => "xa",
    }
}

fn next_steps() {
    println!(
        "{}",
        say(
            "Điền các giá trị \"<Điền …>\", rồi chạy: niemyet check".into(),
            "Fill in the \"<Điền …>\" values, then run: niemyet check".into(),
        )
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_paths_are_taken_with_or_without_content() {
        assert_eq!(below_content("content/tinh/xa-a"), "tinh/xa-a");
        assert_eq!(below_content("./content/tinh/xa-a/"), "tinh/xa-a");
        assert_eq!(below_content("tinh/xa-a"), "tinh/xa-a");
        assert_eq!(below_content("content/content/x"), "content/x");
    }

    /// The skeletons are valid TOML whose only problems are their placeholders.
    #[test]
    fn skeletons_hold_placeholders_and_nothing_else_wrong() {
        let text = procedure_skeleton("9.000001", None, "xa");
        let (_, d) = crate::content::parse_procedure_text(Path::new("content/a/b.md"), &text);
        assert!(!d.is_empty());
        for x in &d {
            assert!(
                matches!(x.message, crate::diag::Msg::Placeholder { .. }),
                "{}",
                x.text(Lang::En)
            );
        }
        let text = unit_skeleton("Xã Mới", UnitKind::Xa);
        let (u, d) = crate::content::parse_unit_text(Path::new("content/a/_unit.toml"), &text);
        assert!(u.is_some());
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(d
            .iter()
            .all(|x| matches!(x.message, crate::diag::Msg::Placeholder { .. })));
        let text = override_file(
            "1.001193",
            Path::new("content/_catalog/a.md"),
            Some("Đăng ký khai sinh"),
        );
        let (p, d) = crate::content::parse_procedure_text(Path::new("content/a/b.md"), &text);
        assert_eq!(p.map(|p| p.code), Some("1.001193".into()));
        // Alone (without its catalogue entry) it lacks every required key, and has no other
        // problem: the comments are not keys.
        assert!(
            d.iter()
                .all(|x| matches!(x.message, crate::diag::Msg::MissingKey { .. })),
            "{d:?}"
        );
    }
}
