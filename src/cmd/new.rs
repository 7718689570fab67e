//! `niemyet new unit|procedure`: a correct skeleton to fill in.

use crate::model::UnitKind;
use crate::text::{is_code, is_segment};
use std::path::Path;

/// The text of a new `_unit.toml`.
pub fn unit_skeleton(name: &str, kind: UnitKind) -> String {
    format!(
        r#"# Đơn vị hành chính. Xem README của niemyet để biết đầy đủ các khóa.
name = "{name}"
kind = "{kind}"
# code = ""                       # mã đơn vị hành chính (không bắt buộc)

# Thủ tục áp dụng từ danh mục chung (content/_catalog/):
adopt = []
# adopt_levels = ["xa"]           # hoặc: mọi thủ tục cấp xã trong danh mục

[office]                          # nơi tiếp nhận hồ sơ
name = "Trung tâm Phục vụ hành chính công {name}"
address = "Điền địa chỉ"
phone = ""
email = ""
hours = "Sáng 7h30–11h30, chiều 13h30–17h00, thứ Hai đến thứ Sáu"

[feedback]                        # địa chỉ tiếp nhận phản ánh, kiến nghị
agency = "Ủy ban nhân dân {name}"
address = "Điền địa chỉ"
phone = ""
email = ""

# Đơn vị cũ đã sáp nhập vào đơn vị này (địa chỉ cũ sẽ chuyển hướng về đây):
# [[former]]
# path = "huyen-cu/xa-cu"
# name = "Xã Cũ"
# date = 2025-07-01
# basis = "Nghị quyết số .../NQ-UBTVQH15"
"#,
        kind = kind.slug()
    )
}

/// The text of a new procedure file (`.md`, steps in the body).
pub fn procedure_skeleton(code: &str, name: &str) -> String {
    format!(
        r#"+++
code = "{code}"
name = "{name}"
sector = "Lĩnh vực"
level = "xa"
decision = ""                     # số quyết định công bố, ví dụ 163/QĐ-BTP
# effective = 2025-07-01          # ngày có hiệu lực
applicants = ["Công dân Việt Nam"]
agency = "Ủy ban nhân dân cấp xã"
result = ["Kết quả thực hiện"]
legal_basis = ["Văn bản quy phạm pháp luật"]

[[channels]]
method = "truc-tiep"
time = {{ value = 3, unit = "working-days" }}
fees = []                         # [] = không thu phí; hoặc [{{ amount = 15000, text = "…" }}]

[[channels]]
method = "truc-tuyen"
time = {{ value = 3, unit = "working-days" }}
fees = []

[[dossier]]
items = [
  {{ name = "Tờ khai theo mẫu", originals = 1, copies = 0 }},
]
+++
Bước 1: Người yêu cầu nộp hồ sơ tại Trung tâm Phục vụ hành chính công hoặc trực tuyến.

Bước 2: Cán bộ tiếp nhận kiểm tra hồ sơ và hẹn ngày trả kết quả.

Bước 3: Người yêu cầu nhận kết quả.
"#
    )
}

fn write_new(path: &Path, text: &str) -> Result<(), String> {
    if path.exists() {
        return Err(format!(
            "{} already exists; not overwritten",
            path.display()
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("created {}", path.display());
    Ok(())
}

/// `new unit <path>`.
pub fn unit(root: &Path, path: &str, name: &str, kind: &str) -> Result<(), String> {
    let path = path.trim_matches('/');
    if path.is_empty() || !path.split('/').all(is_segment) {
        return Err(format!(
            "the unit path \"{path}\" must be folder names of lowercase ASCII letters, digits and - joined by /, like tuyen-quang/xa-dong-loi"
        ));
    }
    let kind = UnitKind::from_slug(kind).ok_or_else(|| {
        format!(
            "--kind: expected one of {}, found \"{kind}\"",
            UnitKind::expected()
        )
    })?;
    write_new(
        &root.join("content").join(path).join("_unit.toml"),
        &unit_skeleton(name, kind),
    )
}

/// `new procedure <unit path> <code>`.
pub fn procedure(root: &Path, unit: &str, code: &str, name: &str) -> Result<(), String> {
    let unit = unit.trim_matches('/');
    let dir = if unit == "_catalog" || unit.starts_with("_catalog/") {
        root.join("content").join(unit)
    } else {
        let d = root.join("content").join(unit);
        if !d.join("_unit.toml").is_file() {
            return Err(format!(
                "content/{unit}/_unit.toml does not exist: create the unit first (niemyet new unit {unit} --name … --kind …), or give _catalog"
            ));
        }
        d
    };
    if !is_code(code) {
        return Err(format!(
            "the code \"{code}\" must use letters, digits, `.`, `-` or `_`, like 1.001193"
        ));
    }
    write_new(
        &dir.join(format!("{code}.md")),
        &procedure_skeleton(code, name),
    )
}
