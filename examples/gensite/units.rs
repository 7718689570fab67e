//! Units (_unit.toml) and the output folder.

use super::*;

// ---------------------------------------------------------------------------
// Units

pub(crate) struct Office {
    pub(crate) name: String,
    pub(crate) address: String,
    pub(crate) phone: String,
    pub(crate) email: String,
    pub(crate) hours: &'static str,
    pub(crate) website: String,
}

pub(crate) struct Feedback {
    pub(crate) agency: String,
    pub(crate) address: String,
    pub(crate) phone: String,
    pub(crate) email: String,
    pub(crate) website: String,
}

pub(crate) struct Former {
    pub(crate) path: String,
    pub(crate) name: String,
    pub(crate) basis: String,
}

pub(crate) struct Unit {
    /// Folder path under content/, e.g. "tinh-tuyen-quang/xa-dong-loi".
    pub(crate) path: String,
    pub(crate) name: String,
    pub(crate) kind: &'static str,
    pub(crate) code: String,
    pub(crate) office: Office,
    pub(crate) feedback: Option<Feedback>,
    pub(crate) adopt: Vec<String>,
    pub(crate) adopt_levels: Vec<&'static str>,
    pub(crate) former: Vec<Former>,
}

pub(crate) fn phone(r: &mut Rng) -> String {
    format!(
        "0{} {} {}",
        r.range(203, 299),
        r.range(100, 999),
        r.range(1000, 9999)
    )
}

/// A unit named `name` ("Đông Lợi") of `kind`, with office and (optionally) feedback
/// contacts derived from its path.
pub(crate) fn make_unit(
    path: String,
    name: &str,
    kind: &'static str,
    kind_label: &str,
    code: String,
    province: &str,
    with_feedback: bool,
) -> Unit {
    let mut r = Rng::new(seed(&[3, str_seed(&path)]));
    let full = format!("{kind_label} {name}");
    let domain = format!("{}.gov.vn", compact(province));
    let province_label = if is_city(province) {
        "thành phố"
    } else {
        "tỉnh"
    };
    let address = if kind == "tinh" || kind == "thanh-pho-tw" {
        format!(
            "Số {} đường {} {}, {province_label} {province}",
            r.range(1, 300),
            r.pick(SYLLABLES),
            r.pick(SYLLABLES)
        )
    } else {
        format!(
            "Thôn {} {}, {} {name}, {province_label} {province}",
            r.pick(SYLLABLES),
            r.pick(SYLLABLES),
            lower_first(kind_label)
        )
    };
    let office_name = if kind == "tinh" || kind == "thanh-pho-tw" {
        format!(
            "Trung tâm Phục vụ hành chính công {} {province}",
            province_label
        )
    } else {
        format!(
            "Trung tâm Phục vụ hành chính công {} {name}",
            lower_first(kind_label)
        )
    };
    // Provinces publish on their own domain, communes on a sub-domain of it.
    let (local, host) = if kind == "tinh" || kind == "thanh-pho-tw" {
        ("tthcc".to_string(), domain.clone())
    } else {
        let l = compact(name);
        (format!("tthcc.{l}"), format!("{l}.{domain}"))
    };
    let office = Office {
        name: office_name,
        address: address.clone(),
        phone: phone(&mut r),
        email: format!("{local}@{domain}"),
        hours: r.choose(HOURS),
        website: format!("https://{host}"),
    };
    let feedback = with_feedback.then(|| Feedback {
        agency: if kind == "tinh" || kind == "thanh-pho-tw" {
            format!("Văn phòng Ủy ban nhân dân {province_label} {province}")
        } else {
            format!("Ủy ban nhân dân {} {name}", lower_first(kind_label))
        },
        address,
        phone: phone(&mut r),
        email: format!("phananh.{}@{domain}", compact(name)),
        website: format!("https://{host}/phan-anh-kien-nghi"),
    });
    Unit {
        path,
        name: full,
        kind,
        code,
        office,
        feedback,
        adopt: vec![],
        adopt_levels: vec![],
        former: vec![],
    }
}

pub(crate) fn is_city(province: &str) -> bool {
    PROVINCES.iter().any(|(n, city, _)| *n == province && *city)
}

pub(crate) fn province_unit(province: &str, code: String, with_feedback: bool) -> Unit {
    let (kind, label, prefix) = if is_city(province) {
        ("thanh-pho-tw", "Thành phố", "thanh-pho")
    } else {
        ("tinh", "Tỉnh", "tinh")
    };
    let path = format!("{prefix}-{}", slug(province));
    make_unit(path, province, kind, label, code, province, with_feedback)
}

pub(crate) fn fmt_feedback(o: &mut String, table: &str, f: &Feedback) {
    let _ = writeln!(o, "\n[{table}]");
    let _ = writeln!(o, "agency = {}", q(&f.agency));
    let _ = writeln!(o, "address = {}", q(&f.address));
    let _ = writeln!(o, "phone = {}", q(&f.phone));
    let _ = writeln!(o, "email = {}", q(&f.email));
    let _ = writeln!(o, "website = {}", q(&f.website));
}

impl Unit {
    /// The `_unit.toml` body. `hugo` writes Hugo `_index.md` front matter instead.
    pub(crate) fn toml(&self, hugo: bool) -> String {
        let mut o = String::with_capacity(1024);
        if hugo {
            let _ = writeln!(o, "title = {}", q(&self.name));
        }
        let _ = writeln!(o, "name = {}", q(&self.name));
        let _ = writeln!(o, "kind = {}", q(self.kind));
        let _ = writeln!(o, "code = {}", q(&self.code));
        if !self.adopt_levels.is_empty() {
            let _ = writeln!(o, "adopt_levels = {}", q_list(&self.adopt_levels));
        }
        if !self.adopt.is_empty() {
            o.push_str("adopt = [\n");
            for chunk in self.adopt.chunks(8) {
                let items: Vec<String> = chunk.iter().map(|c| q(c)).collect();
                let _ = writeln!(o, "  {},", items.join(", "));
            }
            o.push_str("]\n");
        }
        let f = &self.office;
        o.push_str("\n[office]\n");
        let _ = writeln!(o, "name = {}", q(&f.name));
        let _ = writeln!(o, "address = {}", q(&f.address));
        let _ = writeln!(o, "phone = {}", q(&f.phone));
        let _ = writeln!(o, "email = {}", q(&f.email));
        let _ = writeln!(o, "hours = {}", q(f.hours));
        let _ = writeln!(o, "website = {}", q(&f.website));
        if let Some(fb) = &self.feedback {
            fmt_feedback(&mut o, "feedback", fb);
        }
        for fm in &self.former {
            o.push_str("\n[[former]]\n");
            let _ = writeln!(o, "path = {}", q(&fm.path));
            let _ = writeln!(o, "name = {}", q(&fm.name));
            o.push_str("date = 2025-07-01\n");
            let _ = writeln!(o, "basis = {}", q(&fm.basis));
        }
        o
    }
}

/// Names for `n` communes of one province, unique by folder name.
pub(crate) fn commune_names(
    r: &mut Rng,
    n: usize,
    kinds: &[&'static str],
) -> Vec<(String, &'static str)> {
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while out.len() < n {
        let a = r.choose(SYLLABLES);
        let b = r.choose(SYLLABLES);
        if a == b {
            continue;
        }
        let name = format!("{a} {b}");
        let kind = kinds[i % kinds.len()];
        if used.insert(slug(&name)) {
            out.push((name, kind));
            i += 1;
        }
    }
    out
}

pub(crate) fn kind_label(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "xa" => ("Xã", "xa"),
        "phuong" => ("Phường", "phuong"),
        "dac-khu" => ("Đặc khu", "dac-khu"),
        _ => unreachable!("commune kind"),
    }
}

/// Commune kinds in national proportions (2,621 xã, 687 phường, 13 đặc khu), shuffled.
pub(crate) fn commune_kinds(r: &mut Rng, n: usize) -> Vec<&'static str> {
    let dac_khu = (n * 13 + 3321 / 2) / 3321;
    let phuong = (n * 687 + 3321 / 2) / 3321;
    let mut kinds = vec!["xa"; n];
    for k in kinds.iter_mut().take(dac_khu) {
        *k = "dac-khu";
    }
    for k in kinds.iter_mut().skip(dac_khu).take(phuong) {
        *k = "phuong";
    }
    r.shuffle(&mut kinds);
    kinds
}

// ---------------------------------------------------------------------------
// Output

#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) units: u64,
    pub(crate) unit_files: u64,
    pub(crate) procedure_files: u64,
    pub(crate) catalogue_files: u64,
    pub(crate) override_files: u64,
    pub(crate) form_files: u64,
    pub(crate) other_files: u64,
    pub(crate) expected_pages: u64,
    pub(crate) upcoming_pages: u64,
    pub(crate) repealed_pages: u64,
    pub(crate) distinct_codes: u64,
    pub(crate) bytes: u64,
}

pub(crate) struct Out {
    pub(crate) root: PathBuf,
    pub(crate) stats: Stats,
}

impl Out {
    pub(crate) fn write(&mut self, rel: &str, body: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        fs::write(&path, body)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        self.stats.bytes += body.len() as u64;
        Ok(())
    }
    pub(crate) fn mkdir(&self, rel: &str) -> io::Result<()> {
        fs::create_dir_all(self.root.join(rel))
    }
    pub(crate) fn write_unit(&mut self, u: &Unit) -> io::Result<()> {
        self.mkdir(&format!("content/{}", u.path))?;
        self.write(&format!("content/{}/_unit.toml", u.path), &u.toml(false))?;
        self.stats.units += 1;
        self.stats.unit_files += 1;
        Ok(())
    }
}

/// Prepares an output folder: it must be missing, empty, or an earlier gensite output.
pub(crate) fn prepare(dir: &Path) -> io::Result<()> {
    if dir.exists() {
        let empty = fs::read_dir(dir)?.next().is_none();
        if !empty {
            if !dir.join(MARKER).exists() {
                return Err(io::Error::other(format!(
                    "{} exists, is not empty and was not written by gensite ({MARKER} missing); refusing to overwrite",
                    dir.display()
                )));
            }
            fs::remove_dir_all(dir)?;
        }
    }
    fs::create_dir_all(dir)
}

pub(crate) fn site_toml(title: &str, feedback: Option<&Feedback>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "title = {}", q(title));
    let _ = writeln!(o, "base_url = {}", q(BASE_URL));
    o.push_str("language = \"vi\"\n");
    if let Some(f) = feedback {
        fmt_feedback(&mut o, "feedback", f);
    }
    o
}

pub(crate) fn national_feedback() -> Feedback {
    Feedback {
        agency: "Cục Kiểm soát thủ tục hành chính, Văn phòng Chính phủ".into(),
        address: "Số 1 Hoàng Hoa Thám, phường Ba Đình, thành phố Hà Nội".into(),
        phone: "080 43162".into(),
        email: "kiemsoatthutuc@chinhphu.vn".into(),
        website: "https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-pakn.html".into(),
    }
}

pub(crate) fn status_for(r: &mut Rng) -> Status {
    match r.below(100) {
        0 => Status::Upcoming,
        1 => Status::Repealed,
        _ => Status::Current,
    }
}

/// Distinct codes `<prefix>.NNNNNN`.
pub(crate) fn codes(r: &mut Rng, prefix: u32, n: usize) -> Vec<String> {
    let mut set = BTreeSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let c = format!("{prefix}.{:06}", r.range(1000, 15999));
        if set.insert(c.clone()) {
            out.push(c);
        }
    }
    out
}
