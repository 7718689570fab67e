//! Importing folders: inputs collected, records parsed in parallel, files written or left alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::*;

/// What happened to one record's file.
pub(super) enum Outcome {
    Added,
    Changed,
    /// Changed, and these keys the importer owns had other values in the file (hand
    /// edits, or the national data changed).
    Replaced(Vec<&'static str>),
    Unchanged,
    Skipped(ImportError),
}

/// The `.txt` files of the inputs (files as given, folders walked), sorted, without
/// duplicates.
pub(super) fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| {
            ImportError::file(
                input,
                say(format!("không đọc được: {e}"), format!("cannot read: {e}")),
            )
        })?;
        if meta.is_file() {
            files.push(input.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(input).to_path_buf();
                ImportError::file(
                    &path,
                    say(format!("không đọc được: {e}"), format!("cannot read: {e}")),
                )
            })?;
            let is_txt = entry
                .path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("txt"));
            if entry.file_type().is_file() && is_txt {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Reads and parses one input file.
pub fn read_record(path: &Path) -> Result<Record, Vec<ImportError>> {
    let too_big = std::fs::metadata(path)
        .map(|m| m.len() > MAX_FILE_BYTES)
        .unwrap_or(false);
    if too_big {
        return Err(vec![ImportError::file(
            path,
            say(
                format!("lớn hơn {MAX_FILE_BYTES} byte: không phải một bản ghi thủ tục"),
                format!("larger than {MAX_FILE_BYTES} bytes: not a procedure record"),
            ),
        )]);
    }
    let bytes = read_regular(path).map_err(|e| {
        vec![ImportError::file(
            path,
            say(format!("không đọc được: {e}"), format!("cannot read: {e}")),
        )]
    })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes
                .get(..e.valid_up_to())
                .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
            return Err(vec![ImportError::at(
                path,
                line,
                say(
                    "không phải văn bản UTF-8: đây không phải tệp văn bản xuất từ Cơ sở dữ liệu quốc gia về thủ tục hành chính",
                    "not UTF-8 text: this is not a text export of the national procedure database",
                ),
            )]);
        }
    };
    parse_record(path, text)
}

/// Reads a file only if it is a regular one: a named pipe where a record or an imported
/// file should be would block the import for good (it is opened without waiting, then
/// refused).
pub(super) fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    // Elsewhere, asked before opening (a pipe swapped in between would still block).
    #[cfg(not(target_os = "linux"))]
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other(
            "không phải là một tệp thường (not a regular file)",
        ));
    }
    let mut file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "không phải là một tệp thường (not a regular file)",
        ));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Writes `bytes` to `target` through a temporary file in the same folder, so a crash never
/// leaves half a file.
pub(super) fn write_atomically(target: &Path, code: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".niemyet-import-{code}.tmp"));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub(super) fn write_record(record: &Record, into: &Path, force: bool) -> Outcome {
    let target = into.join(format!("{}.md", record.code));
    let twin = into.join(format!("{}.toml", record.code));
    if twin.exists() {
        return Outcome::Skipped(ImportError::file(
            &twin,
            say(
                format!("đã có thủ tục {}; lần nhập ghi vào {}: xóa hoặc đổi tên một trong hai tệp", record.code, target.display()),
                format!("already holds procedure {}; the importer writes {}: remove or rename one of them", record.code, target.display()),
            ),
        ));
    }
    let write = |text: &str, outcome: Outcome| match write_atomically(
        &target,
        &record.code,
        text.as_bytes(),
    ) {
        Ok(()) => outcome,
        Err(e) => Outcome::Skipped(ImportError::file(
            &target,
            say(format!("không ghi được: {e}"), format!("cannot write: {e}")),
        )),
    };
    let fresh = record_to_toml(record);
    let existing = match read_regular(&target) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return write(&fresh, Outcome::Added);
        }
        Err(e) => {
            return Outcome::Skipped(ImportError::file(
                &target,
                say(format!("không đọc được: {e}"), format!("cannot read: {e}")),
            ));
        }
    };
    if existing == fresh.as_bytes() {
        return Outcome::Unchanged;
    }
    let refuse = |line: Option<usize>, why: String| {
        if force {
            write(&fresh, Outcome::Changed)
        } else {
            Outcome::Skipped(ImportError {
                file: target.clone(),
                line,
                message: say(
                    format!("{why}; không ghi đè, để không mất gì đã sửa tay: sửa tệp, hoặc nhập lại với --force để thay nó"),
                    format!("{why}; not overwritten, so nothing added by hand is lost: fix the file, or import with --force to replace it"),
                ),
            })
        }
    };
    let Ok(existing) = String::from_utf8(existing) else {
        return refuse(
            None,
            say(
                "tệp đang có không phải văn bản UTF-8",
                "the existing file is not UTF-8 text",
            ),
        );
    };
    match frontmatter::local_keys(&existing) {
        Ok(local) => {
            let merged = render(record, &local);
            if merged == existing {
                Outcome::Unchanged
            } else {
                match frontmatter::replaced_keys(&existing, &merged) {
                    keys if keys.is_empty() => write(&merged, Outcome::Changed),
                    keys => write(&merged, Outcome::Replaced(keys)),
                }
            }
        }
        Err(e) => refuse(
            e.line,
            say(
                format!("không đọc được tệp đang có: {}", e.message),
                format!("the existing file can not be read: {}", e.message),
            ),
        ),
    }
}

/// Imports every `*.txt` record of `inputs` (files, or folders walked recursively) into
/// `into` as `<code>.md`, one file per code.
///
/// * Bad records are reported (`file:line: message`) and skipped; the others import.
/// * A file that would get the same bytes is left untouched (`unchanged`), so re-importing
///   the same export changes nothing.
/// * An existing file that differs is rewritten, keeping the keys the importer does not own
///   ([`frontmatter::OWNED_KEYS`]). If it can not be read (not TOML front matter), it is left
///   alone and reported, unless `force`.
/// * Two inputs with the same code: the first in path order is imported, the other reported.
///
/// Returns `Err` only when nothing can be done: an input that does not exist, a folder that
/// can not be read, no `.txt` file at all, or an output folder that can not be created.
pub fn run(inputs: &[PathBuf], into: &Path, force: bool) -> Result<ImportReport, ImportError> {
    let files = collect_inputs(inputs)?;
    if files.is_empty() {
        let shown = inputs.first().map_or(into, PathBuf::as_path);
        return Err(ImportError::file(
            shown,
            say(
                "không tìm thấy tệp bản ghi `.txt` nào",
                "no `.txt` record files found",
            ),
        ));
    }
    let parsed: Vec<(PathBuf, Result<Record, Vec<ImportError>>)> = files
        .par_iter()
        .map(|path| (path.clone(), read_record(path)))
        .collect();
    std::fs::create_dir_all(into).map_err(|e| {
        ImportError::file(
            into,
            say(
                format!("không tạo được thư mục đích: {e}"),
                format!("cannot create the output folder: {e}"),
            ),
        )
    })?;

    let mut report = ImportReport::default();
    let mut first_source: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    let mut todo: Vec<Record> = Vec::new();
    for (path, result) in parsed {
        match result {
            Err(errors) => {
                report.skipped += 1;
                report.errors.extend(errors);
            }
            Ok(record) => {
                report.stats.add_record(&record.tags);
                // Codes that differ only in case are one file on Windows and on USB
                // sticks (FAT, exFAT): the same code.
                let key = record.code.to_ascii_lowercase();
                if let Some((first_code, first)) = first_source.get(&key) {
                    report.skipped += 1;
                    let message = if *first_code == record.code {
                        say(
                            format!("thủ tục {} cũng có trong {} (đã nhập); bản ghi này bị bỏ qua", record.code, first.display()),
                            format!("procedure {} is also in {}, which was imported; this one is skipped", record.code, first.display()),
                        )
                    } else {
                        say(
                            format!("mã {} chỉ khác mã {} của {} (đã nhập) ở chữ hoa, chữ thường: hai tệp {}.md và {}.md là một trên Windows và USB; bản ghi này bị bỏ qua", record.code, first_code, first.display(), record.code, first_code),
                            format!("code {} differs from code {} of {} (imported) only in letter case: files {}.md and {}.md are one on Windows and USB sticks; this record is skipped", record.code, first_code, first.display(), record.code, first_code),
                        )
                    };
                    report.errors.push(ImportError::file(&path, message));
                } else {
                    first_source.insert(key, (record.code.clone(), path));
                    todo.push(record);
                }
            }
        }
    }
    let outcomes: Vec<Outcome> = todo
        .par_iter()
        .map(|record| write_record(record, into, force))
        .collect();
    for (record, outcome) in todo.iter().zip(outcomes) {
        match outcome {
            Outcome::Added => report.added += 1,
            Outcome::Changed => report.changed += 1,
            Outcome::Replaced(keys) => {
                report.changed += 1;
                report
                    .replaced
                    .push((into.join(format!("{}.md", record.code)), keys));
            }
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Skipped(e) => {
                report.skipped += 1;
                report.errors.push(e);
            }
        }
    }
    Ok(report)
}
