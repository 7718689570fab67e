//! Stage 3, `check`: problems that only show across files — addresses claimed twice,
//! units that publish without an office or feedback contact, stale unit kinds, broken or
//! circular `replaced_by` links. Problems inside one file were reported while reading it.

use crate::date::Date;
use crate::diag::msg::Claimant;
use crate::diag::{Diagnostics, Loc, Msg};
use crate::model::Status;
use crate::resolve::ResolvedSite;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Top-level addresses the site itself uses.
pub const RESERVED_TOP: &[&str] = &["tthc", "tim-kiem", "static", "tep-dinh-kem"];
/// Addresses inside a unit that pages use.
pub const RESERVED_IN_UNIT: &[&str] = &["niem-yet", "data.json", "data.csv", "index.html"];

/// The day districts stopped existing.
pub fn reorganisation_date() -> Date {
    Date {
        year: 2025,
        month: 7,
        day: 1,
    }
}

/// Who claims an address: a unit, or a unit's procedure (indices into the site).
#[derive(Clone, Copy)]
enum Claim {
    Unit(usize),
    Procedure(usize, usize),
}

/// Adds the cross-file diagnostics of a resolved site. It runs on every edit in
/// `serve`, so it allocates nothing per procedure: at 20,000 procedures a map of every
/// address cost more than the rest of an edit's checks together.
pub fn check(site: &ResolvedSite, d: &mut Diagnostics) {
    replacement_loops(site, d);
    reserved_names(site, d);
    former_inside_pages(site, d);
    writable(site, d);
    codes_equal_but_for_case(site, d);
    // Unit paths are distinct unless two folder names read the same (names that are not
    // UTF-8): only then can any two pages but a unit and a procedure collide.
    let mut paths = HashSet::with_capacity(site.units.len());
    if site
        .units
        .iter()
        .all(|u| paths.insert(u.unit.path.as_str()))
    {
        claims(site, d);
    } else {
        claims_by_map(site, d);
    }
    per_unit(site, d);
}

/// [`check`] with the addresses claimed twice found by a map of every address, as it
/// was done before [`claims`]: the reference the tests compare `check` with.
#[doc(hidden)]
pub fn check_by_address_map(site: &ResolvedSite, d: &mut Diagnostics) {
    replacement_loops(site, d);
    reserved_names(site, d);
    former_inside_pages(site, d);
    writable(site, d);
    codes_equal_but_for_case(site, d);
    claims_by_map(site, d);
    per_unit(site, d);
}

/// Units without office or feedback contact, stale kinds, dates out of order and
/// replacements published nowhere.
fn per_unit(site: &ResolvedSite, d: &mut Diagnostics) {
    let stale_after = reorganisation_date();
    for u in &site.units {
        let publishes = !u.procedures.is_empty();
        if u.unit.kind.is_stale() && site.today >= stale_after {
            d.warning(
                u.unit.kind_loc.clone(),
                Msg::StaleKind {
                    kind: u.unit.kind.slug().to_owned(),
                },
            );
        }
        // What a publishing unit must show beside its procedures (the disclosure rules).
        for fact in crate::disclosure::UNIT_FACTS.iter().filter(|_| publishes) {
            let unit = u.unit.path.clone();
            match fact.key {
                "office" if u.unit.office.is_none() => {
                    d.error(u.unit.loc.clone(), Msg::MissingOffice { unit })
                }
                // Its own, a parent's, or the site's (`resolve` found the nearest).
                "feedback" if u.feedback.is_none() => {
                    d.error(u.unit.loc.clone(), Msg::MissingFeedback { unit })
                }
                _ => {}
            }
        }
        for p in &u.procedures {
            let proc = &p.procedure;
            if let (Some(e), Some(r)) = (proc.effective, proc.repealed) {
                if r < e {
                    d.error(
                        proc.loc.clone(),
                        Msg::RepealedBeforeEffective {
                            repealed: r,
                            effective: e,
                        },
                    );
                }
            }
            if p.status == Status::Repealed {
                if let Some(rb) = &proc.replaced_by {
                    if !site.by_code.contains_key(rb) && !site.catalog.contains_key(rb) {
                        d.warning(
                            proc.loc.clone(),
                            Msg::ReplacedByNowhere { code: rb.clone() },
                        );
                    }
                }
            }
        }
    }
}

fn describe(site: &ResolvedSite, c: Claim) -> (Loc, Claimant) {
    match c {
        Claim::Unit(ui) => {
            let u = &site.units[ui];
            (
                u.unit.loc.clone(),
                Claimant::Unit {
                    path: u.unit.path.clone(),
                },
            )
        }
        Claim::Procedure(ui, pi) => {
            let u = &site.units[ui];
            let p = &u.procedures[pi].procedure;
            (
                p.loc.clone(),
                Claimant::Procedure {
                    code: p.code.clone(),
                    unit: u.unit.path.clone(),
                },
            )
        }
    }
}

/// Folder names and codes that the site's own addresses use.
fn reserved_names(site: &ResolvedSite, d: &mut Diagnostics) {
    for u in &site.units {
        let path = &u.unit.path;
        let top = path.split('/').next().unwrap_or("");
        if RESERVED_TOP.contains(&top) {
            d.error(
                u.unit.loc.clone(),
                Msg::ReservedTop {
                    name: top.to_owned(),
                },
            );
        }
        let last = path.rsplit('/').next().unwrap_or("");
        if path.contains('/') && RESERVED_IN_UNIT.contains(&last) {
            d.error(
                u.unit.loc.clone(),
                Msg::ReservedInUnit {
                    name: last.to_owned(),
                },
            );
        }
        for p in &u.procedures {
            if RESERVED_IN_UNIT.contains(&p.procedure.code.as_str()) {
                d.error(
                    p.procedure.loc.clone(),
                    Msg::ReservedCode {
                        code: p.procedure.code.clone(),
                    },
                );
            }
        }
    }
    for r in &site.redirects {
        let top = r.from.split('/').next().unwrap_or("");
        if RESERVED_TOP.contains(&top) {
            for (_, f) in &r.to {
                d.error(
                    f.loc.clone(),
                    Msg::FormerReserved {
                        path: r.from.clone(),
                    },
                );
            }
        }
    }
}

/// `former` paths inside an address the site's pages use at any depth: a unit's
/// noticeboard (`<unit>/niem-yet/`, and below it) and a procedure's page folder
/// (`<unit>/<code>/…`). A path equal to a unit's or a procedure's address is reported by
/// the claims of addresses; the site's own top folders by [`reserved_names`].
fn former_inside_pages(site: &ResolvedSite, d: &mut Diagnostics) {
    for r in &site.redirects {
        let from = r.from.as_str();
        for (i, _) in from.match_indices('/') {
            let unit = &from[..i];
            let Some(&ui) = site.by_path.get(unit) else {
                continue;
            };
            let rest = &from[i + 1..];
            let seg = rest.split('/').next().unwrap_or("");
            let deeper = seg.len() < rest.len();
            let what = if RESERVED_IN_UNIT.contains(&seg) {
                format!("trang niêm yết của đơn vị {unit} (/{unit}/{seg}/)")
            } else if deeper && site.find(ui, seg).is_some() {
                format!("trang thủ tục {seg} của đơn vị {unit} (/{unit}/{seg}/)")
            } else {
                continue;
            };
            let is = if deeper {
                "nằm trong địa chỉ của"
            } else {
                "là địa chỉ của"
            };
            for (_, f) in &r.to {
                d.error(
                    f.loc.clone(),
                    format!(
                        "`former` (địa chỉ cũ) `path` `{from}` {is} {what}: trang chuyển hướng sẽ ghi đè lên trang đó. Viết đúng địa chỉ cũ của đơn vị đã thay, ví dụ huyen-son-duong/xa-dong-loi"
                    ),
                );
            }
            break;
        }
    }
}

/// The longest file or folder name file systems take (ext4, XFS, Btrfs, NTFS, exFAT and
/// FAT's long names): 255 bytes (of ASCII; codes and folder names are ASCII).
const NAME_MAX: usize = 255;

/// The longest path the system takes in one call (Linux `PATH_MAX`, with its NUL).
const PATH_MAX: usize = 4095;

/// The most bytes a QR code holds: version 40 (the largest, 177 × 177 modules) with the
/// medium error correction `render::qr` uses, every character in byte mode. Addresses up
/// to this always encode; a longer one is asked of the encoder (digits may pack tighter).
const QR_MAX_BYTES: usize = 2331;

/// Bytes a version-10 code holds (medium correction, byte mode): printed 25 mm wide, its
/// 57 modules are 0.4 mm each, about the least a phone reads from the noticeboard.
const QR_READABLE_BYTES: usize = 213;

/// The version of the QR code of `url`, or `None` when no version holds it.
fn qr_version(url: &str) -> Option<i16> {
    match qrcode::bits::encode_auto(url.as_bytes(), qrcode::EcLevel::M)
        .ok()?
        .version()
    {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => Some(v),
    }
}

/// Reports the QR code of an address `url_len` bytes long, made with its description by
/// `url` when needed: an error when no QR code holds it (the build would fail), a warning
/// when it is too dense to scan when printed. Only long addresses are encoded to find out.
fn qr_fits(url_len: usize, url: impl FnOnce() -> (String, String), loc: &Loc, d: &mut Diagnostics) {
    if url_len <= QR_READABLE_BYTES {
        return;
    }
    let (url, what) = url();
    match qr_version(&url) {
        None => d.error(
            loc.clone(),
            format!(
                "{what}: địa chỉ dài {url_len} byte, quá dài cho một mã QR (nhiều nhất {QR_MAX_BYTES} byte): rút ngắn tên các thư mục đơn vị, mã thủ tục hoặc `base_url`"
            ),
        ),
        Some(v) if v > 10 => d.warning(
            loc.clone(),
            format!(
                "{what}: địa chỉ dài {url_len} byte cần mã QR phiên bản {v}, in 25 mm thì điện thoại khó quét (nên từ phiên bản 10 trở xuống, tức khoảng {QR_READABLE_BYTES} byte): rút ngắn tên các thư mục đơn vị hoặc mã thủ tục"
            ),
        ),
        Some(_) => {}
    }
}

/// What `build` could not write, reported before it tries: a `base_url` without a host,
/// a code or a unit path that makes a file name longer than file systems take, an
/// address too long for the QR code printed for it, a `former` path too long to be a
/// folder. It runs on every edit in `serve`: nothing is allocated per procedure unless
/// something is long.
fn writable(site: &ResolvedSite, d: &mut Diagnostics) {
    let base = site.config.base_url.as_str();
    if let Err(why) = url_host(base) {
        d.error(
            base_url_loc(site),
            format!(
                "`base_url` (địa chỉ trang) \"{}\" {why}: viết địa chỉ đầy đủ, có tên máy chủ, ví dụ https://thutuc.example.gov.vn/ (trong site.toml, hoặc --base-url)",
                base.escape_debug()
            ),
        );
    }
    for u in &site.units {
        let path = &u.unit.path;
        let index = crate::render::search::unit_file(path);
        let name = index.rsplit('/').next().unwrap_or(&index);
        if name.len() > NAME_MAX {
            d.error(
                u.unit.loc.clone(),
                format!(
                    "đường dẫn đơn vị {path} dài {} byte, nên tệp tìm kiếm của nó (tim-kiem/{index}) có tên dài {} byte, hơn {NAME_MAX} byte mà hệ thống tệp cho phép: rút ngắn tên các thư mục đơn vị hoặc bớt một tầng",
                    path.len(),
                    name.len()
                ),
            );
        }
        qr_fits(
            base.len() + path.len() + 1,
            || {
                (
                    [base, path.as_str(), "/"].concat(),
                    format!("mã QR của đơn vị {path} (bảng niêm yết)"),
                )
            },
            &u.unit.loc,
            d,
        );
    }
    for (code, places) in &site.by_code {
        let Some(&(ui, pi)) = places.first() else {
            continue;
        };
        let loc = &site.units[ui].procedures[pi].procedure.loc;
        if code.len() > NAME_MAX {
            d.error(
                loc.clone(),
                format!(
                    "`code` (mã thủ tục) dài {} byte: nó là tên thư mục của trang thủ tục, mà hệ thống tệp chỉ cho phép tên dài nhiều nhất {NAME_MAX} byte. Dùng mã thủ tục thật, như 1.001193",
                    code.len()
                ),
            );
            continue;
        }
        qr_fits(
            base.len() + "tthc/".len() + code.len() + 1,
            || {
                (
                    [base, "tthc/", code.as_str(), "/"].concat(),
                    format!("mã QR của thủ tục {code}"),
                )
            },
            loc,
            d,
        );
    }
    for r in &site.redirects {
        let long = r.from.split('/').find(|s| s.len() > NAME_MAX);
        let why = match long {
            Some(seg) => format!(
                "có tên thư mục dài {} byte (nhiều nhất {NAME_MAX})",
                seg.len()
            ),
            None if r.from.len() + "/index.html".len() > PATH_MAX => format!(
                "dài {} byte, quá dài cho một đường dẫn (nhiều nhất khoảng {PATH_MAX})",
                r.from.len()
            ),
            None => continue,
        };
        for (_, f) in &r.to {
            d.error(
                f.loc.clone(),
                format!("`former` (địa chỉ cũ) `path` {why}: trang chuyển hướng không ghi được; rút ngắn địa chỉ cũ"),
            );
        }
    }
}

/// Why `url` (http or https) has no usable host, if it has none.
fn url_host(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("không bắt đầu bằng https:// hay http://")?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("có khoảng trắng hoặc ký tự điều khiển");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = match host_port.strip_prefix('[') {
        // An IPv6 address.
        Some(v6) => match v6.split_once(']') {
            Some((h, p))
                if !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') =>
            {
                (h, p.strip_prefix(':'))
            }
            _ => return Err("có địa chỉ IPv6 viết sai"),
        },
        None => match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err("không có tên máy chủ (host)");
    }
    if !host_port.starts_with('[')
        && (host.starts_with(['.', '-'])
            || host.contains("..")
            || !host
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.'))
    {
        return Err("có tên máy chủ (host) viết sai");
    }
    if let Some(p) = port {
        if p.is_empty() || p.parse::<u16>().is_err() {
            return Err("có cổng (port) viết sai");
        }
    }
    Ok(())
}

/// Where `base_url` is written in site.toml (the whole file when it is not found there:
/// it came from `--base-url`).
fn base_url_loc(site: &ResolvedSite) -> Loc {
    let shown: std::sync::Arc<std::path::Path> =
        std::sync::Arc::from(std::path::Path::new("site.toml"));
    let text = crate::content::source::read_regular_to_string(&site.root.join("site.toml"))
        .unwrap_or_default();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("base_url") {
            if rest.trim_start().starts_with('=') {
                let col = line.find('=').map_or(1, |i| {
                    let after = &line[i + 1..];
                    line[..i + 1 + (after.len() - after.trim_start().len())]
                        .chars()
                        .count()
                        + 1
                });
                return Loc {
                    path: shown,
                    line: n as u32 + 1,
                    col: col as u32,
                };
            }
        }
    }
    Loc::file(&shown)
}

/// Codes that differ only in upper and lower case: one folder on Windows, macOS and the
/// FAT and exFAT of USB sticks, so one page (in a unit, and at `/tthc/<code>/`) would
/// replace the other when the site is copied there. Only a code with an upper case letter
/// can equal another but for case, so nothing is allocated unless there is one.
fn codes_equal_but_for_case(site: &ResolvedSite, d: &mut Diagnostics) {
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for code in site.by_code.keys() {
        if code.bytes().any(|b| b.is_ascii_uppercase()) {
            groups
                .entry(code.to_ascii_lowercase())
                .or_default()
                .push(code);
        }
    }
    for (lower, mut codes) in groups {
        if let Some((c, _)) = site.by_code.get_key_value(&lower) {
            codes.push(c);
        }
        if codes.len() < 2 {
            continue;
        }
        codes.sort_unstable();
        let first = codes[0];
        let where_first = |code: &str| {
            site.by_code
                .get(code)
                .and_then(|p| p.first())
                .map(|&(ui, pi)| {
                    (
                        site.units[ui].procedures[pi].procedure.loc.clone(),
                        site.units[ui].unit.path.clone(),
                    )
                })
        };
        let Some((first_loc, _)) = where_first(first) else {
            continue;
        };
        for other in &codes[1..] {
            let Some((loc, unit)) = where_first(other) else {
                continue;
            };
            let same_unit = site.by_code.get(*other).is_some_and(|ps| {
                ps.iter().any(|&(ui, _)| {
                    site.by_code
                        .get(first)
                        .is_some_and(|fs| fs.iter().any(|&(u2, _)| u2 == ui))
                })
            });
            let pages = if same_unit {
                format!("/{unit}/{first}/ và /{unit}/{other}/, /tthc/{first}/ và /tthc/{other}/")
            } else {
                format!("/tthc/{first}/ và /tthc/{other}/")
            };
            d.error(
                loc,
                format!(
                    "`code` (mã thủ tục) `{other}` chỉ khác mã `{first}` ({first_loc}) ở chữ hoa, chữ thường: trên Windows, macOS và USB, các trang {pages} là một thư mục, trang này sẽ ghi đè trang kia. Viết mã đúng như mã quốc gia, chỉ một cách"
                ),
            );
        }
    }
}

/// The procedure whose page is at `addr` (`<unit path>/<code>`): codes hold no `/`, so
/// only the unit at the address's parent path can claim it.
fn procedure_at(site: &ResolvedSite, addr: &str) -> Option<Claim> {
    let (unit, code) = addr.rsplit_once('/')?;
    let &ui = site.by_path.get(unit)?;
    let &(_, pi) = site.by_code.get(code)?.iter().find(|(u, _)| *u == ui)?;
    Some(Claim::Procedure(ui, pi))
}

/// Addresses claimed twice, when unit paths are distinct: a unit whose path is the
/// address of its parent's procedure (`a/1.001` beside procedure `1.001` of `a`), and
/// `former` paths that a unit or a procedure holds. The messages are those of
/// [`claims_by_map`]; the first claimant of an address is the one met first in unit
/// order, and a unit comes after its parent's procedures.
fn claims(site: &ResolvedSite, d: &mut Diagnostics) {
    for u in &site.units {
        let path = &u.unit.path;
        if let Some(first) = procedure_at(site, path) {
            let (_, first) = describe(site, first);
            d.error(
                u.unit.loc.clone(),
                Msg::AddressTwice {
                    addr: path.clone(),
                    first,
                    second: Claimant::Unit { path: path.clone() },
                },
            );
        }
    }
    for r in &site.redirects {
        let existing = procedure_at(site, &r.from)
            .or_else(|| site.by_path.get(&r.from).map(|&ui| Claim::Unit(ui)));
        if let Some(existing) = existing {
            let (_, who) = describe(site, existing);
            for (_, f) in &r.to {
                d.error(
                    f.loc.clone(),
                    Msg::FormerClaimed {
                        path: r.from.clone(),
                        who: who.clone(),
                    },
                );
            }
        }
    }
}

/// Addresses claimed twice, by a map of every address: for sites where two units have
/// the same path, so that anything may collide.
fn claims_by_map(site: &ResolvedSite, d: &mut Diagnostics) {
    let mut claims: HashMap<String, Claim> = HashMap::new();
    let mut others: HashMap<String, Vec<Claim>> = HashMap::new();
    let mut claim = |addr: String, c: Claim| match claims.entry(addr) {
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(c);
        }
        std::collections::hash_map::Entry::Occupied(e) => {
            others.entry(e.key().clone()).or_default().push(c);
        }
    };
    for (ui, u) in site.units.iter().enumerate() {
        let path = &u.unit.path;
        claim(path.clone(), Claim::Unit(ui));
        for (pi, p) in u.procedures.iter().enumerate() {
            claim(
                format!("{path}/{}", p.procedure.code),
                Claim::Procedure(ui, pi),
            );
        }
    }
    for r in &site.redirects {
        if let Some(existing) = claims.get(&r.from) {
            let (_, who) = describe(site, *existing);
            for (_, f) in &r.to {
                d.error(
                    f.loc.clone(),
                    Msg::FormerClaimed {
                        path: r.from.clone(),
                        who: who.clone(),
                    },
                );
            }
        }
    }
    for (addr, rest) in &others {
        let Some(first) = claims.get(addr) else {
            continue;
        };
        let (_, first) = describe(site, *first);
        let (_, second) = describe(site, rest[0]);
        for c in rest {
            let (loc, _) = describe(site, *c);
            d.error(
                loc,
                Msg::AddressTwice {
                    addr: addr.clone(),
                    first: first.clone(),
                    second: second.clone(),
                },
            );
        }
    }
}

/// `replaced_by` chains that come back to where they started (A → B → A, or A → A): a
/// citizen following "thay thế bằng" from a repealed procedure would never reach one in
/// force. Reported once per loop, at the procedure with the smallest code in it.
///
/// Each repealed procedure has at most one replacement, so the chains form paths that
/// may end in a loop; each procedure is walked once (linear in their number: the walk
/// from every procedure to the end of its chain was cubic, 14 s for a chain of 2,500,
/// again on every edit in `serve`).
fn replacement_loops(site: &ResolvedSite, d: &mut Diagnostics) {
    // Repealed procedures by code, with what replaces them (the catalogue, then units).
    let mut next: BTreeMap<&str, (&str, &Loc)> = BTreeMap::new();
    let repealed = |p: &crate::model::Procedure| p.status(site.today) == Status::Repealed;
    let all = site.catalog.values().map(|p| p.as_ref()).chain(
        site.units
            .iter()
            .flat_map(|u| u.procedures.iter().map(|p| p.procedure.as_ref())),
    );
    for p in all {
        if let (true, Some(rb)) = (repealed(p), p.replaced_by.as_deref()) {
            next.entry(p.code.as_str()).or_insert((rb, &p.loc));
        }
    }
    let to: BTreeMap<&str, &str> = next.iter().map(|(c, (t, _))| (*c, *t)).collect();
    for (first, chain) in find_loops(&to) {
        if let Some((_, loc)) = next.get(first) {
            d.error(
                (*loc).clone(),
                Msg::ReplacementLoop {
                    chain: chain.split(" → ").map(str::to_owned).collect(),
                },
            );
        }
    }
}

/// The loops of `next` (a code → the code it names), each once: (its smallest code, the
/// loop from there back to it, `A → B → A`). Every code is walked once.
fn find_loops<'a>(next: &BTreeMap<&'a str, &'a str>) -> Vec<(&'a str, String)> {
    // The codes by position (in code order), and each one's successor among them.
    let codes: Vec<&str> = next.keys().copied().collect();
    let position: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let succ: Vec<Option<usize>> = next.values().map(|to| position.get(to).copied()).collect();
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; codes.len()];
    let mut path = Vec::new();
    let mut out = Vec::new();
    for start in 0..codes.len() {
        if state[start] != NEW {
            continue;
        }
        path.clear();
        let mut at = Some(start);
        while let Some(i) = at {
            match state[i] {
                NEW => {
                    state[i] = ON_PATH;
                    path.push(i);
                    at = succ[i];
                }
                ON_PATH => {
                    // The walk came back to a code of this very walk: a loop.
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    let cycle = &path[from..];
                    // Codes are in order of position: the smallest is the least index.
                    let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
                    let mut names: Vec<&str> = cycle[first..]
                        .iter()
                        .chain(&cycle[..first])
                        .map(|&k| codes[k])
                        .collect();
                    names.push(codes[cycle[first]]);
                    out.push((codes[cycle[first]], names.join(" → ")));
                    break;
                }
                // Walked before, from another start: no new loop from here.
                _ => at = None,
            }
        }
        for &p in &path {
            state[p] = DONE;
        }
    }
    out
}

/// The loops [`replacement_loops`] finds, found by following every chain from every
/// procedure (the reference it is tested against, small sites only).
#[cfg(test)]
fn find_loops_by_walking(next: &BTreeMap<&str, &str>) -> Vec<String> {
    let mut out = Vec::new();
    for &start in next.keys() {
        let mut chain = vec![start];
        let mut at = start;
        while let Some(&to) = next.get(at) {
            if to == start {
                if chain.iter().all(|c| *c >= start) {
                    chain.push(start);
                    out.push(chain.join(" → "));
                }
                break;
            }
            if chain.contains(&to) {
                break;
            }
            chain.push(to);
            at = to;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On random chains and loops of replacements (codes replaced by codes, some by codes
    /// that are not repealed), the single walk finds the loops that following every chain
    /// from every code finds, each once, written alike.
    #[test]
    fn loops_are_found_as_following_every_chain_finds_them() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut rand = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut loops = 0;
        for round in 0..3000 {
            let n = 1 + rand(12) as usize;
            let names: Vec<String> = (0..n + 3).map(|i| format!("1.{i:06}")).collect();
            let mut next = BTreeMap::new();
            for name in &names[..n] {
                if rand(5) > 0 {
                    next.insert(
                        name.as_str(),
                        names[rand(names.len() as u64) as usize].as_str(),
                    );
                }
            }
            let mut fast: Vec<String> = find_loops(&next).into_iter().map(|(_, c)| c).collect();
            let mut slow = find_loops_by_walking(&next);
            fast.sort();
            slow.sort();
            assert_eq!(fast, slow, "round {round}: {next:?}");
            loops += slow.len();
        }
        assert!(loops > 500, "{loops}");
    }

    /// A chain of 100,000 replacements ending in a loop of three: found, in one walk.
    /// The limits [`qr_fits`] uses are the encoder's: byte-mode text of
    /// `QR_READABLE_BYTES` fits version 10 and one byte more does not; `QR_MAX_BYTES` fits
    /// the largest version and one byte more fits none.
    #[test]
    fn the_qr_limits_are_the_encoders() {
        let text = |n: usize| "a".repeat(n);
        assert_eq!(qr_version(&text(QR_READABLE_BYTES)), Some(10));
        assert_eq!(qr_version(&text(QR_READABLE_BYTES + 1)), Some(11));
        assert_eq!(qr_version(&text(QR_MAX_BYTES)), Some(40));
        assert_eq!(qr_version(&text(QR_MAX_BYTES + 1)), None);
    }

    #[test]
    fn a_base_url_needs_a_host() {
        for good in [
            "https://thutuc.example.gov.vn/",
            "http://localhost:8000/",
            "https://a.vn/sub/path/",
            "https://user@host.vn/",
            "https://[::1]:8080/",
            "https://thủtục.vn/",
        ] {
            assert_eq!(url_host(good), Ok(()), "{good}");
        }
        for bad in [
            "https:///",
            "https://",
            "http://:80/",
            "https://@/",
            "https://a b.vn/",
            "https://host:port/",
            "https://.vn/",
            "https://a..vn/",
            "https://[zz]/",
            "ftp://a.vn/",
            "https://a.vn/\u{1}/",
            "https:/a.vn/",
        ] {
            assert!(url_host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_long_chain_is_walked_once() {
        let names: Vec<String> = (0..100_000).map(|i| format!("2.{i:06}")).collect();
        let mut next: BTreeMap<&str, &str> = names
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        next.insert(names[99_999].as_str(), names[99_997].as_str());
        assert_eq!(
            find_loops(&next),
            [(
                "2.099997",
                "2.099997 → 2.099998 → 2.099999 → 2.099997".to_owned()
            )]
        );
    }
}
