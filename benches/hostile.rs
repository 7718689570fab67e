//! Time against input size for hostile inputs that were quadratic (issue #28): a Markdown
//! body of nested `<div>`s and a long `replaced_by` chain. Each group's throughput is
//! per byte or per procedure, so a flat throughput across sizes is linear time; a
//! quadratic stage halves its throughput each time the size doubles.
//! Run: `cargo bench --bench hostile` (benches/README in bench/README.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use niemyet::date::Date;
use niemyet::diag::Diagnostics;
use niemyet::render::markdown::Markdown;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// `unit` repeated to `size` bytes, then `tail`.
fn repeated(unit: &str, size: usize, tail: &str) -> String {
    let mut s = unit.repeat(size / unit.len());
    s.push_str(tail);
    s
}

/// A kind of input, and how to make one of about so many bytes.
type Shape = (&'static str, fn(usize) -> String);

fn markdown(c: &mut Criterion) {
    let md = Markdown::new();
    let shapes: [Shape; 3] = [
        ("nested <div> (never closed)", |n| {
            repeated("<div>", n, "Bước 1: nộp hồ sơ.")
        }),
        ("nested <div>, closed", |n| {
            let half = repeated("<div>", n / 2, "Bước 1");
            format!("{half}{}", "</div>".repeat(n / 2 / 5))
        }),
        ("nested blockquotes with inline HTML", |n| {
            repeated(">", n, " Bước <b>1</b>")
        }),
    ];
    for (name, make) in shapes {
        let mut g = c.benchmark_group(format!("markdown: {name}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        for kb in [60, 240, 1024] {
            let src = make(kb * 1024);
            g.throughput(Throughput::Bytes(src.len() as u64));
            g.bench_with_input(
                BenchmarkId::from_parameter(format!("{kb} kB")),
                &src,
                |b, src| b.iter(|| black_box(md.render(black_box(src)))),
            );
        }
        g.finish();
    }
}

/// A site whose catalogue holds `n` procedures, each repealed and replaced by the next
/// (the last one in force), all published by one commune.
fn chain_site(dir: &Path, n: usize) {
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "site.toml",
        "title = \"Bench\"\nbase_url = \"https://x.example/\"\n[feedback]\nagency = \"UBND\"\naddress = \"1 Đường A\"\n",
    );
    let unit = |name: &str, kind: &str, extra: &str| {
        format!("name = \"{name}\"\nkind = \"{kind}\"\n{extra}\n[office]\nname = \"Bộ phận một cửa\"\naddress = \"Số 1\"\n")
    };
    write("content/tinh/_unit.toml", &unit("Tỉnh", "tinh", ""));
    write(
        "content/tinh/xa-a/_unit.toml",
        &unit("Xã A", "xa", "adopt_levels = [\"xa\"]"),
    );
    for i in 0..n {
        let repeal = if i + 1 < n {
            format!("repealed = 2026-01-01\nreplaced_by = \"2.{:06}\"\n", i + 1)
        } else {
            String::new()
        };
        write(
            &format!("content/_catalog/p{i}.toml"),
            &format!(
                "code = \"2.{i:06}\"\nname = \"Thủ tục {i}\"\nsector = \"Hộ tịch\"\nlevel = \"xa\"\n{repeal}applicants = [\"Công dân\"]\nagency = \"UBND xã\"\nresult = [\"Giấy\"]\nlegal_basis = [\"Luật\"]\nsteps = \"Nộp hồ sơ.\"\n[[channels]]\nmethod = \"truc-tiep\"\ntime = {{ value = 3, unit = \"working-days\" }}\nfees = []\n[[dossier]]\nitems = [{{ name = \"Tờ khai\", originals = 1 }}]\n"
            ),
        );
    }
}

fn replaced_by_chain(c: &mut Criterion) {
    let today = Date::new(2026, 11, 23).unwrap();
    let mut g = c.benchmark_group("check: replaced_by chain");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in [500, 2_500, 10_000] {
        let dir = tempfile::tempdir().unwrap();
        chain_site(dir.path(), n);
        let (site, diags) = niemyet::cmd::load(dir.path(), today, None);
        assert!(diags
            .iter()
            .all(|d| d.severity != niemyet::diag::Severity::Error));
        let site = site.unwrap();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &site, |b, site| {
            b.iter(|| {
                let mut d = Diagnostics::new();
                niemyet::check::check(black_box(site), &mut d);
                black_box(d)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, markdown, replaced_by_chain);
criterion_main!(benches);
