//! Micro-benchmarks of the hot stages: reading a site (front matter + TOML + extraction),
//! Markdown rendering with sanitising, and page rendering. Run: `cargo bench --bench stages`.
//! Whole-site figures are in bench/build.sh.

use criterion::{criterion_group, criterion_main, Criterion};
use niemyet::date::Date;
use niemyet::diag::Diagnostics;
use niemyet::render::markdown::Markdown;
use std::hint::black_box;
use std::path::Path;

const STEPS: &str = "Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật.\n\nBước 2: Nộp hồ sơ tại **Trung tâm Phục vụ hành chính công** hoặc [trực tuyến](https://dichvucong.gov.vn/).\n\n- Trường hợp hồ sơ đủ điều kiện thì cán bộ tiếp nhận và cấp Phiếu tiếp nhận hồ sơ và hẹn trả kết quả.\n- Trường hợp hồ sơ không đủ điều kiện thì từ chối và cấp Phiếu từ chối tiếp nhận, giải quyết hồ sơ.\n\nBước 3: Nhận kết quả theo ngày hẹn trên Phiếu tiếp nhận hồ sơ và hẹn trả kết quả.\n";

fn procedure(code: &str) -> String {
    format!(
        "+++\ncode = \"{code}\"\nname = \"Đăng ký tạm trú\"\nsector = \"Đăng ký, quản lý cư trú\"\nlevel = \"xa\"\ndecision = \"9354/QĐ-BCA-C06\"\napplicants = [\"Công dân Việt Nam\"]\nagency = \"Công an cấp xã\"\nresult = [\"Cập nhật thông tin trong Cơ sở dữ liệu về cư trú\"]\nlegal_basis = [\"Luật Cư trú 2020 (68/2020/QH14)\", \"Thông tư 55/2021/TT-BCA\"]\n\n[[channels]]\nmethod = \"truc-tiep\"\ntime = {{ value = 3, unit = \"working-days\" }}\nfees = [{{ amount = 15000, text = \"Cá nhân, hộ gia đình\" }}, {{ amount = 10000, text = \"Theo danh sách\" }}]\n\n[[channels]]\nmethod = \"truc-tuyen\"\ntime = {{ value = 3, unit = \"working-days\" }}\nfees = [{{ amount = 7000 }}, {{ amount = 5000, text = \"Theo danh sách\" }}]\n\n[[dossier]]\ncase = \"Hồ sơ gồm\"\nitems = [\n  {{ name = \"Tờ khai thay đổi thông tin cư trú (Mẫu CT01)\", originals = 1 }},\n  {{ name = \"Giấy tờ chứng minh chỗ ở hợp pháp\", originals = 1, copies = 1 }},\n]\n+++\n{STEPS}"
    )
}

/// A small site: one province, 10 communes, 20 procedures each.
fn site(dir: &Path) {
    std::fs::write(
        dir.join("site.toml"),
        "title = \"Bench\"\nbase_url = \"https://x.example/\"\n[feedback]\nagency = \"UBND\"\naddress = \"1 Đường A\"\n",
    )
    .unwrap();
    let unit = |name: &str, kind: &str| {
        format!("name = \"{name}\"\nkind = \"{kind}\"\n[office]\nname = \"Bộ phận một cửa\"\naddress = \"Số 1\"\n")
    };
    let p = dir.join("content/tinh");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("_unit.toml"), unit("Tỉnh", "tinh")).unwrap();
    for u in 0..10 {
        let d = p.join(format!("xa-{u}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("_unit.toml"), unit(&format!("Xã {u}"), "xa")).unwrap();
        for i in 0..20 {
            std::fs::write(
                d.join(format!("p{i}.md")),
                procedure(&format!("1.{:06}", i)),
            )
            .unwrap();
        }
    }
}

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let today = Date::new(2026, 11, 23).unwrap();

    c.bench_function(
        "load 200 procedure files (front matter, TOML, extraction)",
        |b| {
            b.iter(|| {
                let mut d = Diagnostics::new();
                black_box(niemyet::content::load(dir.path(), &mut d))
            })
        },
    );

    let md = Markdown::new();
    // Plain text takes the shortcut (no raw HTML: the sanitiser is skipped); the second
    // figure is the same text through the sanitiser, as text with raw HTML goes.
    assert!(md.is_plain(STEPS));
    c.bench_function("markdown render (steps, 700 B, shortcut)", |b| {
        b.iter(|| black_box(md.render(black_box(STEPS))))
    });
    c.bench_function("markdown render + sanitise (steps, 700 B)", |b| {
        b.iter(|| black_box(md.render_sanitised(black_box(STEPS))))
    });

    let (site, diags) = niemyet::cmd::load(dir.path(), today, None);
    assert!(diags
        .iter()
        .all(|d| d.severity != niemyet::diag::Severity::Error));
    let site = site.unwrap();
    let mut d = Diagnostics::new();
    let theme = niemyet::theme::load(dir.path(), "default", "vi", &mut d).unwrap();
    // Output on tmpfs when there is one: the disk would dominate the figure.
    let shm = Path::new("/dev/shm");
    let out = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let target = out.path().join("public");
    let opts = niemyet::render::RenderOptions::default();
    c.bench_function("render + write 200 procedure pages and lists", |b| {
        b.iter(|| {
            let o = niemyet::output::Output::begin(&target).unwrap();
            niemyet::render::render_all(&site, &theme, &opts, &o).unwrap();
            o.commit().unwrap()
        })
    });
}

/// The QR code file of a procedure (`tthc/<code>/qr.svg`), drawn once for each distinct
/// code: 20,000 times in the 20k benchmark site, each a different address.
fn procedure_codes(c: &mut Criterion) {
    let urls: Vec<String> = (0..1000)
        .map(|i| format!("https://thutuc.example.gov.vn/tthc/1.{:06}/", i * 37))
        .collect();
    c.bench_function("draw 1,000 procedures' QR codes (SVG files)", |b| {
        b.iter(|| {
            for u in &urls {
                black_box(niemyet::render::qr::printed(u).unwrap());
            }
        })
    });
}

criterion_group!(benches, stages, procedure_codes);
criterion_main!(benches);
