//! `niemyet init DIR`: a new site that builds, with the default theme copied in so it can
//! be changed.

use super::new::{procedure_skeleton, unit_skeleton};
use crate::model::UnitKind;
use std::path::Path;

pub fn run(dir: &Path, title: &str) -> Result<(), String> {
    if dir.join("site.toml").exists() {
        return Err(format!(
            "{} already holds a site (site.toml exists)",
            dir.display()
        ));
    }
    let files: Vec<(String, Vec<u8>)> = vec![
        (
            "site.toml".into(),
            format!(
                r#"title = "{title}"
base_url = "https://thutuc.example.gov.vn/"   # địa chỉ công bố trang (dùng cho mã QR, sitemap)
# theme = "default"
# language = "vi"

[feedback]                                     # địa chỉ tiếp nhận phản ánh, kiến nghị mặc định
agency = "Văn phòng Ủy ban nhân dân tỉnh"
address = "Điền địa chỉ"
phone = ""
email = ""
"#
            )
            .into_bytes(),
        ),
        (
            "content/tinh-mau/_unit.toml".into(),
            unit_skeleton("Tỉnh Mẫu", UnitKind::Tinh).into_bytes(),
        ),
        (
            "content/tinh-mau/xa-mau/_unit.toml".into(),
            unit_skeleton("Xã Mẫu", UnitKind::Xa)
                .replace("adopt = []", "adopt = [\"1.000001\"]")
                .into_bytes(),
        ),
        (
            "content/_catalog/1.000001.md".into(),
            procedure_skeleton("1.000001", "Thủ tục mẫu").into_bytes(),
        ),
        (".gitignore".into(), b"/public\n".to_vec()),
    ];
    let theme = crate::theme::DEFAULT_THEME
        .iter()
        .map(|(p, b)| (format!("themes/default/{p}"), b.to_vec()));
    for (rel, bytes) in files.into_iter().chain(theme) {
        let p = dir.join(&rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    println!(
        "created a new site in {}\n  cd {}\n  niemyet build     # writes public/\n  niemyet check     # lists problems",
        dir.display(),
        dir.display()
    );
    Ok(())
}
