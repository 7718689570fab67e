//! `niemyet init DIR`: a new sample site that builds with no error, no warning and no
//! placeholder: a province, a commune adopting two catalogue procedures, and the site's
//! settings. Its contacts are fictional and say so in comments (never in published text).
//! No theme is copied: the built-in one is used, and a site's `themes/` folder holds only
//! the files it changes.

use crate::diag::{fix, Lang};
use std::path::Path;

/// The sample site's files (`src/cmd/sample/`), by path in the new site.
pub const SAMPLE: &[(&str, &str)] = &[
    ("site.toml", include_str!("sample/site.toml")),
    (
        "content/tinh-mau/_unit.toml",
        include_str!("sample/content/tinh-mau/_unit.toml"),
    ),
    (
        "content/tinh-mau/xa-mau/_unit.toml",
        include_str!("sample/content/tinh-mau/xa-mau/_unit.toml"),
    ),
    (
        "content/_catalog/ho-tich/dang-ky-khai-sinh.md",
        include_str!("sample/content/_catalog/ho-tich/dang-ky-khai-sinh.md"),
    ),
    (
        "content/_catalog/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.toml",
        include_str!("sample/content/_catalog/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.toml"),
    ),
    // The output, and the files a build keeps beside it (lock, marker, fingerprint).
    (".gitignore", "/public\n/.public.*\n"),
];

pub fn run(dir: &Path, title: &str) -> Result<(), String> {
    let vi = Lang::current() == Lang::Vi;
    if dir.join("site.toml").exists() || dir.join("content").exists() {
        return Err(if vi {
            format!(
                "{} đã có một trang (có site.toml hoặc content/); không ghi đè",
                dir.display()
            )
        } else {
            format!(
                "{} already holds a site (site.toml or content/ exists); not overwritten",
                dir.display()
            )
        });
    }
    for (rel, text) in SAMPLE {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let text = text.replace("__TITLE__", &fix::quoted(title));
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    let d = dir.display();
    if vi {
        println!(
            "đã tạo trang mẫu trong {d}: một tỉnh, một xã, hai thủ tục của danh mục chung.\n\
             Tên, địa chỉ, điện thoại trong đó là ví dụ: sửa lại trước khi công bố. Sửa trước tiên:\n  \
             - site.toml: base_url (địa chỉ sẽ công bố trang: mã QR in trên bảng niêm yết dẫn tới đó)\n    \
             và [feedback] (nơi nhận phản ánh, kiến nghị);\n  \
             - content/tinh-mau/: đổi tên thư mục và name, [office] của tỉnh và xã thành của đơn vị mình.\n  \
             Khi còn địa chỉ mẫu example.gov.vn, check và build đều cảnh báo.\n  \
             cd {d}\n  \
             niemyet check     # báo mọi lỗi\n  \
             niemyet serve     # xem trước trên http://127.0.0.1:8000\n  \
             niemyet build     # ghi trang vào public/"
        );
    } else {
        println!(
            "created a sample site in {d}: a province, a commune, two catalogue procedures.\n\
             Its names, addresses and phone numbers are examples: change them before publishing. First:\n  \
             - site.toml: base_url (where the site will be published: printed QR codes lead there)\n    \
             and [feedback] (where citizens send complaints);\n  \
             - content/tinh-mau/: rename the folders and set name and [office] of your own units.\n  \
             While example.gov.vn addresses remain, check and build warn.\n  \
             cd {d}\n  \
             niemyet check     # lists problems\n  \
             niemyet serve     # preview on http://127.0.0.1:8000\n  \
             niemyet build     # writes public/"
        );
    }
    Ok(())
}
