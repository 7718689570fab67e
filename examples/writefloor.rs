//! writefloor: writes a folder of files of given sizes and nothing else, the floor under
//! any build that writes the same output: what the kernel charges for creating the
//! folders and files and copying the bytes in (on tmpfs, allocating its pages).
//!
//! ```text
//! find public -type f -printf '%s %P\n' > files.txt
//! cargo run --release --example writefloor -- files.txt <out-dir>
//! ```
//!
//! Each line of the list is `<size> <path relative to out-dir>`. The files are written in
//! parallel on every core, as `niemyet build` writes its output: each file's folder
//! (`create_dir_all`), then the file with one `write` of a buffer of its size. The bytes
//! are a repeated HTML-like pattern (their value does not change the kernel's work).
//! `bench/build.sh` runs it on the list of niemyet's own output, so the floor and the
//! build write the same files.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [list, out] = args.as_slice() else {
        eprintln!("usage: writefloor <list: \"<size> <path>\" per line> <out-dir>");
        return ExitCode::from(2);
    };
    match run(Path::new(list), Path::new(out)) {
        Ok((files, bytes)) => {
            println!("writefloor: {files} files, {bytes} bytes in {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("writefloor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(list: &Path, out: &Path) -> Result<(usize, u64), String> {
    let text = std::fs::read_to_string(list).map_err(|e| format!("{}: {e}", list.display()))?;
    let mut files: Vec<(u64, PathBuf)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = || {
            format!(
                "{}:{}: expected `<size> <path>`: a byte count, one space, a path inside the output folder",
                list.display(),
                n + 1
            )
        };
        let (size, path) = line.split_once(' ').ok_or_else(bad)?;
        let size: u64 = size.parse().map_err(|_| bad())?;
        // Only plain relative paths: nothing written outside out-dir.
        let plain = Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if path.is_empty() || !plain {
            return Err(bad());
        }
        files.push((size, out.join(path)));
    }
    let biggest = files.iter().map(|(s, _)| *s).max().unwrap_or(0);
    let pattern = b"<p>Th\xe1\xbb\xa7 t\xe1\xbb\xa5c h\xc3\xa0nh ch\xc3\xadnh</p>\n";
    let buf: Vec<u8> = pattern
        .iter()
        .copied()
        .cycle()
        .take(usize::try_from(biggest).map_err(|_| "a file too big for memory")?)
        .collect();
    files.par_iter().try_for_each(|(size, path)| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        // `buf` is as long as the biggest file.
        let len = usize::try_from(*size).unwrap_or(buf.len());
        std::fs::write(path, &buf[..len]).map_err(|e| format!("{}: {e}", path.display()))
    })?;
    Ok((files.len(), files.iter().map(|(s, _)| s).sum()))
}
