//! The update step of `niemyet serve` alone, in process: no watcher, no HTTP polling.
//! Loads a site, then ROUNDS times rewrites one file (its first fee) and times
//! `Preview::update`. Run by bench/serve.sh beside the end-to-end measurement.
//!
//! usage: serve_update SITE REL_FILE [ROUNDS]
//! (REL_FILE relative to SITE/content, e.g. tinh-bench/xa-137/2.010037.md)
//! `NIEMYET_SERVE_SKIP=search` leaves renderers out, as for `niemyet serve`.

use niemyet::date::Date;
use niemyet::serve::{Changes, Outcome, Preview};
use std::path::PathBuf;
use std::time::Instant;

/// The allocator of the `niemyet` binary, so the figures are those of `niemyet serve`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: serve_update SITE REL_FILE [ROUNDS]");
        std::process::exit(2);
    }
    let root = PathBuf::from(&args[1]);
    let rel = PathBuf::from(&args[2]);
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut p = Preview::new(&root, Date::parse("2026-11-23"), None, None);
    // As `niemyet serve`: renderers to leave out, for measuring the rest.
    if let Ok(skip) = std::env::var("NIEMYET_SERVE_SKIP") {
        println!("leaving out: {skip}");
        p.skip_renderers(skip.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
    }
    let t = Instant::now();
    let first = p.update(&Changes {
        rescan: true,
        ..Changes::default()
    });
    if let Outcome::Broken(d) = &first {
        eprintln!("the site has errors: {:?}", d.first());
        std::process::exit(1);
    }
    println!("first render: {:.2} s", t.elapsed().as_secs_f64());
    let file = root.join("content").join(&rel);
    let Ok(original) = std::fs::read_to_string(&file) else {
        eprintln!("cannot read {}", file.display());
        std::process::exit(1);
    };
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    for i in 0..rounds {
        let text = with_fee(&original, 7_000_000 + i as u64 * 1000);
        if std::fs::write(&file, text).is_err() {
            std::process::exit(1);
        }
        match p.update(&Changes {
            content: vec![rel.clone()],
            ..Changes::default()
        }) {
            Outcome::Rendered { took, cpu, .. } => {
                times.push(took.as_secs_f64() * 1000.0);
                cpus.extend(cpu.map(|c| c.as_secs_f64() * 1000.0));
            }
            Outcome::Broken(d) => {
                eprintln!("broken: {:?}", d.first());
                std::process::exit(1);
            }
        }
    }
    let _ = std::fs::write(&file, original);
    let (min, max) = (
        times.iter().cloned().fold(f64::MAX, f64::min),
        times.iter().cloned().fold(0.0, f64::max),
    );
    println!(
        "update after saving {}: median {:.1} ms wall (min {min:.1}, max {max:.1}), {:.1} ms processor; {rounds} rounds",
        rel.display(),
        median(&mut times),
        median(&mut cpus),
    );
}

/// The file with its first `amount = N` replaced by `fee`.
fn with_fee(text: &str, fee: u64) -> String {
    let Some(i) = text.find("amount = ") else {
        return text.to_owned();
    };
    let start = i + "amount = ".len();
    let end = text[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(text.len(), |e| start + e);
    format!("{}{fee}{}", &text[..start], &text[end..])
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}
