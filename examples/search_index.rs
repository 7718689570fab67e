//! The search renderer alone, in process: loads a site, builds the render context once,
//! then runs `SearchRenderer::render` ROUNDS times into memory and prints its processor
//! and wall time: of the first round (all documents built, as in `build`) and the median
//! of the others (documents and A–Z taken from the last render, as in `serve`'s updates).
//! With OUT, writes the files of the last round there, to compare the index before and
//! after a change (`diff -r`).
//!
//! usage: search_index SITE [ROUNDS] [OUT]
//! (ROUNDS 0: load and set up only, to subtract from an instruction count)
//! (e.g. `cargo run --release --example search_index -- /dev/shm/s20k 5 /tmp/ix`)

use niemyet::date::Date;
use niemyet::output::Output;
use niemyet::render::search::SearchRenderer;
use niemyet::render::{RenderContext, RenderOptions, Renderer};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The allocator of the `niemyet` binary, so the figures are the build's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: search_index SITE [ROUNDS] [OUT]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let out_dir = args.get(3).map(PathBuf::from);
    let Some(today) = Date::parse("2026-11-23") else {
        std::process::exit(2);
    };
    let (site, diags) = niemyet::cmd::load(&root, today, None);
    let Some(site) = site else {
        eprintln!("the site could not be read: {:?}", diags.first());
        std::process::exit(1);
    };
    let mut d = niemyet::diag::Diagnostics::new();
    let Some(theme) = niemyet::theme::load(
        &site.root,
        &site.config.theme,
        &site.config.language,
        &mut d,
    ) else {
        eprintln!("the theme could not be read");
        std::process::exit(1);
    };
    let opts = RenderOptions::default();
    let cx = RenderContext::new(&site, &theme, &opts);
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    let mut files = Default::default();
    if rounds == 0 {
        return;
    }
    for _ in 0..rounds {
        let out = Output::memory();
        let (c0, w0) = (cpu_time(), Instant::now());
        if let Err(e) = SearchRenderer.render(&cx, &out) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        wall.push(w0.elapsed());
        cpu.push(cpu_time().saturating_sub(c0));
        files = out.into_files();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let procs: usize = site.units.iter().map(|u| u.procedures.len()).sum();
    println!(
        "{} published procedures, {} files, {} bytes: first round {:.1} ms processor, {:.1} ms wall",
        procs,
        files.len(),
        files.values().map(Vec::len).sum::<usize>(),
        ms(cpu[0]),
        ms(wall[0]),
    );
    let (mut cpu, mut wall) = (cpu.split_off(1), wall.split_off(1));
    if !cpu.is_empty() {
        cpu.sort();
        wall.sort();
        println!(
            "  again (median of {}): {:.1} ms processor, {:.1} ms wall",
            cpu.len(),
            ms(cpu[cpu.len() / 2]),
            ms(wall[wall.len() / 2])
        );
    }
    if let Some(dir) = out_dir {
        for (rel, bytes) in &files {
            let p = dir.join(rel);
            if let Some(parent) = p.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if let Err(e) = std::fs::write(&p, bytes) {
                eprintln!("{}: {e}", p.display());
                std::process::exit(1);
            }
        }
    }
}

/// Processor time of the process so far (user + system, all threads).
#[cfg(target_os = "linux")]
fn cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Duration {
    Duration::ZERO
}
