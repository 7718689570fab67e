//! The `niemyet` command: parses arguments and calls [`niemyet::cmd`].

use clap::{ArgAction, Parser, Subcommand};
use niemyet::cmd;
use niemyet::diag::report::{Options, WarningMode};
use niemyet::diag::{say, Lang};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h), which libmimalloc-sys does not name;
/// the option after it, `use_numa_nodes`, it does (a test checks the default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// A one-shot command (build, check, import, pdf) keeps the memory it frees for its next
/// allocations: by default mimalloc returns freed memory to the OS after a delay and takes
/// it back, zeroed, at the next page fault. A 20k build took 4,000 page faults (most of
/// them 2 MiB huge pages, 6 % of its samples in the kernel's `clear_page`) instead of
/// 500; keeping the memory saves 2 % of its wall time (0.06 s of system time, medians of
/// 9 alternating runs) for 2 % more peak memory. A site whose big files are rebuilt in
/// big buffers gains more: the province adopting all 5,652 national records (an 82 MB
/// pack) 1.86 → 1.69 s. National builds showed no change beyond the machine's noise
/// (peak memory 658–666 MiB both ways).
/// `serve` runs for hours and keeps the default, giving memory back between rebuilds.
#[allow(unsafe_code)] // see the SAFETY comment below
fn keep_freed_memory() {
    // SAFETY: sets one integer option before any other thread exists; mimalloc reads it
    // on its next purge. -1 is the documented "no purging at all".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// The layout of every help page, with Vietnamese headings (clap's own are English).
const HELP: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "niemyet",
    version,
    about = "Niêm yết thủ tục hành chính thành một trang web tĩnh (static site): nhanh, tìm được, in được",
    long_about = "Niêm yết thủ tục hành chính thành một trang web tĩnh (static site): nhanh, tìm được, in được.\n\nMột trang gồm site.toml, content/ (các đơn vị, thủ tục, danh mục chung) và, nếu cần, themes/. Cách viết các tệp: README của niemyet.\n\nMã thoát (exit code): 0 thành công, 1 lỗi trong nội dung (in ra), 2 tham số sai hoặc không có trang ở --root, 3 in thất bại (pdf), 4 một bản dựng khác đang ghi (build --no-wait), 5 không có gì thay đổi từ ngày pdf --since (không ghi PDF).",
    help_template = HELP,
    subcommand_help_heading = "Lệnh",
    subcommand_value_name = "LỆNH",
    next_help_heading = "Tùy chọn",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    /// Thư mục của trang (nơi có site.toml và content/). Mặc định: thư mục hiện tại.
    #[arg(long, short, global = true, value_name = "THƯ_MỤC")]
    root: Option<PathBuf>,
    /// Ngôn ngữ của thông báo: vi (mặc định) hoặc en. Mặc định: `language` của trang.
    #[arg(long, global = true, value_name = "vi|en")]
    lang: Option<String>,
    /// In hướng dẫn này (--help: đầy đủ hơn).
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// In số phiên bản.
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Kiểm tra nội dung và ghi trang vào thư mục đầu ra (thay cả thư mục một lần, chỉ khi không có lỗi).
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Build {
        /// Thư mục đầu ra; chỉ được thay khi dựng thành công. Mặc định: THƯ_MỤC_TRANG/public.
        #[arg(long, short, value_name = "THƯ_MỤC")]
        out: Option<PathBuf>,
        /// Dựng theo ngày này (YYYY-MM-DD): quyết định thủ tục nào đang, sắp, đã hết hiệu lực.
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
        /// Công bố tại địa chỉ này thay cho base_url của site.toml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Liên kết kết thúc bằng index.html, để xem từ ổ đĩa hoặc USB không cần máy chủ.
        #[arg(long)]
        file_links: bool,
        /// Chỉ in lỗi (và một dòng đếm cảnh báo).
        #[arg(long, short)]
        quiet: bool,
        /// Cách in cảnh báo: all (tất cả), summary (đếm theo loại khi nhiều), none (không in).
        #[arg(long, value_enum, default_value_t = WarningMode::Summary, value_name = "all|summary|none", hide_possible_values = true)]
        warnings: WarningMode,
        /// In thời gian của từng bước.
        #[arg(long)]
        timings: bool,
        /// Dựng lại cả khi không có gì thay đổi từ lần trước.
        #[arg(long)]
        force: bool,
        /// Dừng (mã thoát 4) thay vì chờ khi một bản dựng khác đang ghi vào cùng thư mục.
        #[arg(long)]
        no_wait: bool,
    },
    /// Báo mọi lỗi trong nội dung một lần (đường_dẫn:dòng:cột: error|warning: …).
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Check {
        /// Kiểm tra theo ngày này (YYYY-MM-DD).
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
        /// Chỉ in lỗi (và một dòng đếm cảnh báo).
        #[arg(long, short)]
        quiet: bool,
        /// Cách in cảnh báo: all (tất cả), summary (đếm theo loại khi nhiều), none (không in).
        #[arg(long, value_enum, default_value_t = WarningMode::Summary, value_name = "all|summary|none", hide_possible_values = true)]
        warnings: WarningMode,
    },
    /// Nhập thủ tục từ dữ liệu xuất của hệ thống khác vào content/.
    #[command(
        help_template = HELP,
        next_help_heading = "Tùy chọn",
        subcommand_help_heading = "Nguồn",
        subcommand_value_name = "NGUỒN"
    )]
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Xem trước trang khi sửa: phục vụ trang, dựng lại phần vừa sửa, tải lại trang đang mở.
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Serve {
        /// Cổng (port); nếu bận thì lấy một cổng còn trống.
        #[arg(long, short, default_value_t = 8000, value_name = "CỔNG")]
        port: u16,
        /// Địa chỉ lắng nghe (mặc định chỉ máy này: bản xem trước là cho người sửa).
        #[arg(long, default_value = "127.0.0.1", value_name = "ĐỊA_CHỈ")]
        bind: String,
        /// Mở bản xem trước trong trình duyệt.
        #[arg(long)]
        open: bool,
        /// Dựng theo ngày này (YYYY-MM-DD) thay cho hôm nay.
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
    /// Tạo một trang mẫu dựng được ngay (một tỉnh, một xã, thủ tục của danh mục chung).
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Init {
        /// Thư mục sẽ tạo trang.
        #[arg(value_name = "THƯ_MỤC", help_heading = "Tham số")]
        dir: PathBuf,
        /// Tiêu đề trang.
        #[arg(
            long,
            default_value = "Thủ tục hành chính tỉnh Mẫu",
            value_name = "TIÊU_ĐỀ"
        )]
        title: String,
    },
    /// In bảng niêm yết của một đơn vị ra tệp PDF khổ A4 bằng Chromium trên máy.
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Pdf {
        /// Đường dẫn đơn vị, ví dụ tuyen-quang/xa-son-duong.
        #[arg(value_name = "ĐƠN_VỊ", help_heading = "Tham số")]
        unit: String,
        /// Tệp PDF sẽ ghi. Mặc định: niem-yet-<đơn vị>.pdf trong thư mục hiện tại.
        #[arg(long, short, value_name = "TỆP")]
        out: Option<PathBuf>,
        /// In theo ngày này (YYYY-MM-DD): quyết định thủ tục nào đang hiệu lực và ngày in.
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
        /// In chỉ những gì thay đổi trên bảng từ ngày này (YYYY-MM-DD): trang bìa liệt kê
        /// thủ tục cần niêm yết mới, thay thế, gỡ bỏ, rồi các tờ cần dán và danh mục khi
        /// danh mục đổi. Mã thoát 5 (không ghi PDF) khi không có gì thay đổi.
        #[arg(long, value_name = "NGÀY")]
        since: Option<String>,
    },
    /// Báo cáo công khai thủ tục cho cấp tỉnh: mỗi đơn vị có bao nhiêu thủ tục đang, sắp có
    /// hiệu lực, đã bãi bỏ, thành phần "Chưa công bố", nơi tiếp nhận phản ánh, lần đổi gần nhất.
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Report {
        /// csv (tên cột tiếng Việt, dòng tổng của tỉnh trước) hoặc json.
        #[arg(long, value_enum, default_value_t = cmd::report::Format::Csv, value_name = "csv|json")]
        format: cmd::report::Format,
        /// Ghi ra tệp này thay cho đầu ra chuẩn (standard output).
        #[arg(long, short, value_name = "TỆP")]
        out: Option<PathBuf>,
        /// Báo cáo theo ngày này (YYYY-MM-DD) thay cho hôm nay.
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
    /// Tạo tệp đơn vị hoặc tệp thủ tục để điền.
    #[command(
        help_template = HELP,
        next_help_heading = "Tùy chọn",
        subcommand_help_heading = "Loại",
        subcommand_value_name = "LOẠI"
    )]
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
}

#[derive(Subcommand)]
enum ImportFrom {
    /// Dữ liệu xuất dạng văn bản của Cơ sở dữ liệu quốc gia về thủ tục hành chính
    /// (Cổng Dịch vụ công quốc gia): mỗi mã thủ tục một tệp <mã>.md; nhập lại được mà
    /// không mất khóa đã thêm tay.
    #[command(
        help_template = HELP,
        next_help_heading = "Tùy chọn",
        long_about = "Nhập dữ liệu xuất dạng văn bản của Cơ sở dữ liệu quốc gia về thủ tục hành chính (Cổng Dịch vụ công quốc gia).\n\nMỗi bản ghi thành <mã>.md trong thư mục đích. Nhập lại: tệp không đổi được giữ nguyên, tệp đổi được ghi lại nhưng giữ các khóa bạn thêm tay, rồi in số thêm mới / thay đổi / không đổi / bỏ qua. Bản ghi lỗi được báo dạng tệp:dòng: thông báo và bỏ qua. Mã thoát 0 khi có bản ghi được nhập (dù có bản bị bỏ qua), 1 khi không nhập được bản nào, 2 khi tham số sai. Cách chuyển từng mục: docs/import.md trong mã nguồn niemyet."
    )]
    Dvcqg {
        /// Tệp xuất (tên bất kỳ) hoặc thư mục (tìm mọi tệp *.txt).
        #[arg(
            required = true,
            value_name = "TỆP_HOẶC_THƯ_MỤC",
            help_heading = "Tham số"
        )]
        inputs: Vec<PathBuf>,
        /// Thư mục đích trong content/ của trang, tính từ --root, ví dụ content/_catalog/dvcqg.
        #[arg(long, value_name = "THƯ_MỤC")]
        into: PathBuf,
        /// Thay cả tệp đang có mà phần khóa đầu tệp không đọc được (mất những gì sửa tay trong đó).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// Một đơn vị: content/<ĐƯỜNG_DẪN>/_unit.toml, các giá trị cần điền ghi "<Điền …>".
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Unit {
        /// Đường dẫn đơn vị, ví dụ tuyen-quang/xa-dong-loi (viết content/tuyen-quang/xa-dong-loi cũng được).
        #[arg(value_name = "ĐƯỜNG_DẪN", help_heading = "Tham số")]
        path: String,
        /// Tên, ví dụ "Xã Đông Lợi".
        #[arg(long, value_name = "TÊN")]
        name: String,
        /// Loại: tinh, thanh-pho-tw, xa, phuong, dac-khu (hoặc loại cũ huyen, quan, thi-xa, thanh-pho, thi-tran).
        #[arg(long, default_value = "xa", value_name = "LOẠI")]
        kind: String,
    },
    /// Một thủ tục: content/<ĐƠN_VỊ>/<MÃ>.md (ĐƠN_VỊ có thể là _catalog). Mã đã có trong
    /// danh mục chung: một tệp ghi đè ngắn; nếu không: một tệp đầy đủ để điền.
    #[command(help_template = HELP, next_help_heading = "Tùy chọn")]
    Procedure {
        /// Đường dẫn đơn vị, hoặc _catalog cho danh mục chung.
        #[arg(value_name = "ĐƠN_VỊ", help_heading = "Tham số")]
        unit: String,
        /// Mã thủ tục, ví dụ 1.001193 (viết 1.001193.md cũng được).
        #[arg(value_name = "MÃ", help_heading = "Tham số")]
        code: String,
        /// Tên thủ tục, cho mã chưa có trong danh mục chung.
        #[arg(long, value_name = "TÊN")]
        name: Option<String>,
    },
}

/// Whether a command works in a site folder (all but `init`).
fn uses_root(c: &Command) -> bool {
    !matches!(c, Command::Init { .. })
}

use cmd::fail;

/// Exit code 2 with a message when `root` holds no site: a typo in --root is not a
/// content error. The message says where the site more likely is: the folder above
/// (run from inside `content/`), the folder holding a `site.toml` given as --root.
fn require_site(root: &Path) -> Result<(), i32> {
    if niemyet::config::is_site(root) {
        if root.join("content").is_dir() {
            return Ok(());
        }
        return Err(fail(
            &say(
                format!(
                    "{} có site.toml nhưng không có thư mục content/: tạo thư mục content/ (các đơn vị, thủ tục đặt trong đó), hoặc bắt đầu một trang mẫu: niemyet init THƯ_MỤC",
                    root.display()
                ),
                format!(
                    "{} has site.toml but no content/ folder: make content/ (units and procedures go in it), or start a sample site: niemyet init DIR",
                    root.display()
                ),
            ),
            2,
        ));
    }
    let shown = root.display();
    let parent = if root.as_os_str().is_empty() || root == Path::new(".") {
        std::env::current_dir()
            .ok()
            .and_then(|d| d.parent().map(Path::to_path_buf))
    } else {
        root.parent().map(Path::to_path_buf)
    };
    let site_above = parent.filter(|p| niemyet::config::is_site(p));
    let message = if root.is_file() {
        let dir = root
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .display()
            .to_string();
        say(
            format!("--root {shown} là một tệp, không phải thư mục: --root nhận thư mục của trang (nơi có site.toml), ví dụ --root {dir}"),
            format!("--root {shown} is a file, not a folder: --root takes the site's folder (holding site.toml), e.g. --root {dir}"),
        )
    } else if let Some(above) = site_above {
        let above = if root == Path::new(".") {
            "..".to_owned()
        } else {
            above.display().to_string()
        };
        say(
            format!("{shown} không phải thư mục của một trang, nhưng thư mục cha là: trang ở thư mục cha. Chạy lệnh ở đó, hoặc thêm --root {above}"),
            format!("{shown} is not a site, but the folder above is: the site is one level up. Run the command there, or add --root {above}"),
        )
    } else if root.is_dir() {
        say(
            format!("{shown} không phải thư mục của một trang: không có site.toml. Chọn đúng thư mục bằng --root, hoặc tạo trang mới: niemyet init THƯ_MỤC"),
            format!("{shown} is not a site: it has no site.toml. Give the site's folder with --root, or start one: niemyet init DIR"),
        )
    } else {
        say(
            format!("không có thư mục {shown}: chọn thư mục của trang (nơi có site.toml) bằng --root, hoặc tạo trang mới: niemyet init THƯ_MỤC"),
            format!("the folder {shown} does not exist: give the site's folder (holding site.toml) with --root, or start one: niemyet init DIR"),
        )
    };
    Err(fail(&message, 2))
}

/// The language named by `--lang` among the raw arguments, before clap reads them (its
/// errors are then shown in that language).
fn lang_in_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::from_code(v);
        }
        if a == "--lang" {
            return it.next().and_then(Lang::from_code);
        }
    }
    None
}

/// A clap error (an unknown flag, a missing argument, a value of the wrong form) in the
/// current language, with the usage line and where to read more. Exit code 2.
fn argument_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| -> Option<String> {
        match e.get(k)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join(", ")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(
                v.iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let suggested = get(ContextKind::SuggestedArg)
        .or_else(|| get(ContextKind::SuggestedSubcommand))
        .map(|s| {
            say(
                format!(" — ý bạn là `{s}`?"),
                format!(" — did you mean `{s}`?"),
            )
        })
        .unwrap_or_default();
    let valid = get(ContextKind::ValidValue)
        .map(|v| say(format!(" (chọn một trong: {v})"), format!(" (one of: {v})")))
        .unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::UnknownArgument => say(
            format!("tham số không có: `{arg}`{suggested}"),
            format!("unknown argument `{arg}`{suggested}"),
        ),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            say(
                format!("không có lệnh `{sub}`{suggested}"),
                format!("no command `{sub}`{suggested}"),
            )
        }
        ErrorKind::InvalidValue => say(
            format!("{arg}: giá trị \"{value}\" không dùng được{valid}"),
            format!("{arg}: the value \"{value}\" is not valid{valid}"),
        ),
        ErrorKind::ValueValidation => say(
            format!("{arg}: giá trị \"{value}\" không đúng dạng (ví dụ --port 8000)"),
            format!("{arg}: the value \"{value}\" is not of the right form (e.g. --port 8000)"),
        ),
        ErrorKind::MissingRequiredArgument => say(
            format!("thiếu tham số bắt buộc: {arg}"),
            format!("a required argument is missing: {arg}"),
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => say(
            "thiếu lệnh: viết một lệnh sau niemyet (build, check, serve, init, new, import, pdf)",
            "a command is missing: write one after niemyet (build, check, serve, init, new, import, pdf)",
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::ArgumentConflict => {
            say(
                format!("tham số {arg} có quá nhiều giá trị, được viết hai lần, hoặc không dùng cùng tham số đã viết"),
                format!("the argument {arg} has too many values, is given twice, or cannot be used with one already given"),
            )
        }
        _ => {
            let raw = e.render().to_string();
            let first = raw
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_owned();
            say(
                format!("tham số không đúng ({first})"),
                format!("bad arguments ({first})"),
            )
        }
    };
    let usage = get(ContextKind::Usage)
        .map(|u| u.trim().trim_start_matches("Usage:").trim().to_owned())
        .map(|u| say(format!("\nCách dùng: {u}"), format!("\nUsage: {u}")))
        .unwrap_or_default();
    format!(
        "{what}{usage}\n{}",
        say(
            "Xem thêm: niemyet --help, hoặc niemyet LỆNH --help",
            "More: niemyet --help, or niemyet COMMAND --help"
        )
    )
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(l) = lang_in_args(&args) {
        l.set_current();
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
                _ => {
                    fail(&argument_error(&e), 2);
                    ExitCode::from(2)
                }
            };
        }
    };
    if !matches!(cli.command, Command::Serve { .. }) {
        keep_freed_memory();
    }
    if cli.root.is_some() && !uses_root(&cli.command) {
        fail(
            &say(
                "init không dùng --root: viết thư mục sẽ tạo trang ngay sau init, ví dụ niemyet init trang-moi",
                "init takes no --root: write the folder to create right after init, e.g. niemyet init new-site",
            ),
            2,
        );
        return ExitCode::from(2);
    }
    let root = cli.root.clone().unwrap_or_else(|| PathBuf::from("."));
    // The language of messages: --lang, else the site's `language`, else Vietnamese.
    let lang = match cli.lang.as_deref() {
        Some(code) => match Lang::from_code(code) {
            Some(l) => l,
            None => {
                eprintln!(
                    "lỗi: --lang: cần vi hoặc en, nhưng đây là \"{code}\" (error: --lang: expected vi or en, found \"{code}\")"
                );
                return ExitCode::from(2);
            }
        },
        None => Some(root.as_path())
            .filter(|_| uses_root(&cli.command))
            .and_then(niemyet::config::peek_language)
            .and_then(|l| Lang::from_code(&l))
            .unwrap_or_default(),
    };
    lang.set_current();
    ExitCode::from(run(cli.command, root, lang) as u8)
}

fn run(command: Command, root: PathBuf, lang: Lang) -> i32 {
    // `new` and `import` say themselves what they need of the folder; `init` makes one.
    let needs_site =
        uses_root(&command) && !matches!(command, Command::New { .. } | Command::Import { .. });
    if needs_site {
        if let Err(code) = require_site(&root) {
            return code;
        }
    }
    match command {
        Command::Build {
            out,
            today,
            base_url,
            file_links,
            quiet,
            warnings,
            timings,
            force,
            no_wait,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let args = cmd::build::BuildArgs {
                root,
                out,
                today,
                base_url,
                file_links,
                quiet,
                report: Options {
                    warnings,
                    quiet,
                    lang,
                },
                timings,
                force,
                no_wait,
            };
            match cmd::build::run(&args) {
                Ok(_) => 0,
                Err(cmd::build::BuildError::Usage(e)) => fail(&e, 2),
                Err(cmd::build::BuildError::Content(n)) => fail(
                    &match lang {
                        Lang::Vi => format!("{n} lỗi trong nội dung; không ghi gì, bản dựng trước vẫn giữ nguyên"),
                        Lang::En => format!("{n} error(s) in the content; nothing was written, the previous output is unchanged"),
                    },
                    1,
                ),
                Err(e) => fail(&e.to_string(), e.exit_code()),
            }
        }
        Command::Check {
            today,
            quiet,
            warnings,
        } => cmd::check::run(
            &root,
            today.as_deref(),
            &Options {
                warnings,
                quiet,
                lang,
            },
        ),
        Command::Import {
            from:
                ImportFrom::Dvcqg {
                    inputs,
                    into,
                    force,
                },
        } => cmd::import::run(&cmd::import::ImportArgs {
            inputs,
            root,
            into,
            force,
        }),
        Command::Serve {
            port,
            bind,
            open,
            today,
        } => cmd::serve::run(root, port, bind, open, today.as_deref()),
        Command::Init { dir, title } => result(cmd::init::run(&dir, &title)),
        Command::Pdf {
            unit,
            out,
            today,
            since,
        } => {
            let args = cmd::pdf::PdfArgs {
                root,
                unit,
                out,
                today,
                since,
            };
            match cmd::pdf::run(&args) {
                Ok(pdf) => {
                    eprintln!(
                        "{}",
                        say(
                            format!("đã ghi {}", pdf.display()),
                            format!("wrote {}", pdf.display())
                        )
                    );
                    0
                }
                Err(cmd::pdf::PdfError::Nothing(m)) => {
                    eprintln!("{m}");
                    5
                }
                Err(e) => fail(&e.to_string(), e.exit_code()),
            }
        }
        Command::Report { format, out, today } => cmd::report::run(&cmd::report::ReportArgs {
            root,
            format,
            out,
            today,
        }),
        Command::New { what } => match what {
            NewWhat::Unit { path, name, kind } => {
                result(cmd::new::unit(&root, &path, &name, &kind))
            }
            NewWhat::Procedure { unit, code, name } => {
                result(cmd::new::procedure(&root, &unit, &code, name.as_deref()))
            }
        },
    }
}

/// Exit 0, or 2 with the message: the errors of `init` and `new` are all about their
/// arguments or the folder they were pointed at.
fn result(r: Result<(), String>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => fail(&e, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option index is the one mimalloc reads `MIMALLOC_PURGE_DELAY` into: its
    /// default (1000 ms in mimalloc 3) is what `mi_option_get` gives, unless the
    /// environment sets it.
    #[test]
    #[allow(unsafe_code)] // see the SAFETY comment below
    fn the_purge_delay_option_is_the_one_mimalloc_documents() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("MIMALLOC_PURGE_DELAY is set: default not checked");
            return;
        }
        // SAFETY: reads an integer option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay, 1000,
            "option {MI_OPTION_PURGE_DELAY} is not purge_delay"
        );
    }
}
