//! gensite: writes deterministic benchmark sites in niemyet's content format
//! (the site-format spec: units, `_catalog/`, procedures; see `bench/README.md`).
//!
//! ```text
//! cargo run --release --example gensite -- <size> <out-dir> [--hugo <hugo-dir>]
//! ```
//!
//! Sizes:
//! - `20k`: one province with 100 communes, 200 procedure files each, no catalogue.
//! - `province`: one province, 300 communes, a catalogue of 150 adopted by every commune,
//!   ~10% of communes override one procedure's channels, 10 local procedures each.
//! - `national`: 34 provinces, 3,321 communes, one catalogue of 150 (120 commune-level,
//!   30 province-level), 0–5 local procedures per commune.
//! - `tiny`: a handful of units, every feature once; for tests.
//!
//! `--hugo <dir>` (20k only) also writes an equivalent Hugo site for comparison.
//!
//! Everything is derived from a fixed seed: the same size always gives the same bytes.
//! Only std is used.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub(crate) const SEED: u64 = 0x6e69_656d_7965_7421; // "niemyet!"
pub(crate) const BASE_URL: &str = "https://thutuc.example.gov.vn/";
pub(crate) const MARKER: &str = ".gensite";

mod data;
mod hugo;
mod model;
mod rng;
mod sizes;
mod text;
mod units;

use data::*;
use hugo::*;
use model::*;
use rng::*;
use sizes::*;
use text::*;
use units::*;

// ---------------------------------------------------------------------------
// Main

fn national_provinces() -> Vec<(usize, usize)> {
    // 3,321 communes over 34 provinces: 23 with 98, 11 with 97.
    (0..PROVINCES.len())
        .map(|i| (i, if i < 23 { 98 } else { 97 }))
        .collect()
}

fn usage() -> ExitCode {
    eprintln!("usage: gensite <20k|province|national|tiny> <out-dir> [--hugo <hugo-dir>]");
    ExitCode::from(2)
}

fn write_marker(out: &mut Out, size: &str) -> io::Result<()> {
    let s = &out.stats;
    let body = format!(
        "# written by niemyet's examples/gensite.rs; the folder may be replaced by the next run\n\
         size = \"{size}\"\nunits = {}\nunit_files = {}\nprocedure_files = {}\ncatalogue_files = {}\n\
         override_files = {}\nform_files = {}\nexpected_procedure_pages = {}\nupcoming_pages = {}\n\
         repealed_pages = {}\ndistinct_codes = {}\n",
        s.units,
        s.unit_files,
        s.procedure_files,
        s.catalogue_files,
        s.override_files,
        s.form_files,
        s.expected_pages,
        s.upcoming_pages,
        s.repealed_pages,
        s.distinct_codes,
    );
    out.write(MARKER, &body)
}

fn run(size: &str, dir: &Path, hugo_dir: Option<&Path>) -> io::Result<()> {
    let start = Instant::now();
    prepare(dir)?;
    let mut out = Out {
        root: dir.to_path_buf(),
        stats: Stats::default(),
    };
    let mut hugo = match hugo_dir {
        Some(h) => {
            prepare(h)?;
            Some(Out {
                root: h.to_path_buf(),
                stats: Stats::default(),
            })
        }
        None => None,
    };
    match size {
        "20k" => gen_20k(&mut out, hugo.as_mut())?,
        "province" => gen_catalogue_size(
            &mut out,
            &CatalogueSize {
                title: "Thủ tục hành chính tỉnh Nghệ An",
                provinces: vec![(8, 300)],
                catalogue_xa: 150,
                catalogue_tinh: 0,
                local_min: 10,
                local_max: 10,
                provinces_adopt_tinh: false,
                explicit_percent: 20,
            },
        )?,
        "national" => gen_catalogue_size(
            &mut out,
            &CatalogueSize {
                title: "Thủ tục hành chính các địa phương",
                provinces: national_provinces(),
                catalogue_xa: 120,
                catalogue_tinh: 30,
                local_min: 0,
                local_max: 5,
                provinces_adopt_tinh: true,
                explicit_percent: 20,
            },
        )?,
        "tiny" => gen_catalogue_size(
            &mut out,
            &CatalogueSize {
                title: "Thủ tục hành chính (tiny)",
                provinces: vec![(10, 4), (11, 3)],
                catalogue_xa: 10,
                catalogue_tinh: 2,
                local_min: 1,
                local_max: 3,
                provinces_adopt_tinh: true,
                explicit_percent: 40,
            },
        )?,
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unknown size {size:?}"),
            ))
        }
    }
    write_marker(&mut out, size)?;
    if let Some(h) = hugo.as_mut() {
        h.write(
            MARKER,
            "# written by niemyet's examples/gensite.rs (Hugo twin of the 20k site)\n",
        )?;
    }
    let elapsed = start.elapsed();
    let s = &out.stats;
    let files = s.unit_files + s.procedure_files + s.form_files + 2; // + site.toml + marker
    println!("gensite {size} -> {}", dir.display());
    println!("  units                     {:>9}", s.units);
    println!(
        "  procedure files           {:>9}  (catalogue {}, local overrides {})",
        s.procedure_files, s.catalogue_files, s.override_files
    );
    println!("  form files                {:>9}", s.form_files);
    println!("  files in total            {:>9}", files);
    println!(
        "  expected procedure pages  {:>9}  (of which upcoming {}, repealed {})",
        s.expected_pages, s.upcoming_pages, s.repealed_pages
    );
    println!("  distinct codes (/tthc/)   {:>9}", s.distinct_codes);
    println!(
        "  bytes written             {:>9}  ({:.1} MB)",
        s.bytes,
        s.bytes as f64 / 1e6
    );
    if let Some(h) = &hugo {
        let hs = &h.stats;
        println!(
            "  hugo site {}: {} pages, {} bytes ({:.1} MB)",
            h.root.display(),
            hs.expected_pages,
            hs.bytes,
            hs.bytes as f64 / 1e6
        );
    }
    println!(
        "  time                      {:>9.2} s",
        elapsed.as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut hugo: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--hugo" => match it.next() {
                Some(d) => hugo = Some(PathBuf::from(d)),
                None => return usage(),
            },
            "-h" | "--help" => {
                println!(
                    "usage: gensite <20k|province|national|tiny> <out-dir> [--hugo <hugo-dir>]"
                );
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') => return usage(),
            _ => positional.push(a.clone()),
        }
    }
    let [size, dir] = positional.as_slice() else {
        return usage();
    };
    if hugo.is_some() && size != "20k" {
        eprintln!("gensite: --hugo is only available for the 20k size");
        return ExitCode::from(2);
    }
    match run(size, Path::new(dir), hugo.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gensite: {e}");
            ExitCode::FAILURE
        }
    }
}
