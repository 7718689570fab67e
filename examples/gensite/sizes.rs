//! The sizes: 20k (unique files, no catalogue), and the catalogue sizes (province, national, tiny).

use super::*;

// ---------------------------------------------------------------------------
// Size 20k: unique files, no catalogue

pub(crate) fn gen_20k(out: &mut Out, mut hugo: Option<&mut Out>) -> io::Result<()> {
    let province = "Tuyên Quang";
    let mut r = Rng::new(seed(&[10]));
    out.mkdir("content")?;
    let site_fb = national_feedback();
    out.write(
        "site.toml",
        &site_toml("Thủ tục hành chính tỉnh Tuyên Quang", Some(&site_fb)),
    )?;
    let prov = province_unit(province, "08".into(), true);
    out.write_unit(&prov)?;
    if let Some(h) = hugo.as_deref_mut() {
        hugo_skeleton(h, "Thủ tục hành chính tỉnh Tuyên Quang")?;
        h.mkdir(&format!("content/{}", prov.path))?;
        h.write(
            &format!("content/{}/_index.md", prov.path),
            &format!("+++\n{}+++\n", prov.toml(true)),
        )?;
    }
    let pool = codes(&mut r, 1, 600);
    let kinds = commune_kinds(&mut r, 100);
    let names = commune_names(&mut r, 100, &kinds);
    let mut all_codes = BTreeSet::new();
    for (ci, (name, kind)) in names.iter().enumerate() {
        let (label, prefix) = kind_label(kind);
        let path = format!("{}/{prefix}-{}", prov.path, slug(name));
        let with_fb = ci % 10 != 7; // ~10% inherit the province's feedback
        let unit = make_unit(
            path,
            name,
            kind,
            label,
            format!("{:05}", 2200 + ci * 3),
            province,
            with_fb,
        );
        out.write_unit(&unit)?;
        if let Some(h) = hugo.as_deref_mut() {
            h.mkdir(&format!("content/{}", unit.path))?;
            h.write(
                &format!("content/{}/_index.md", unit.path),
                &format!("+++\n{}+++\n", unit.toml(true)),
            )?;
        }
        let mut ur = Rng::new(seed(&[11, ci as u64]));
        let mine = ur.sample(&pool, 200);
        let statuses: Vec<Status> = mine.iter().map(|_| status_for(&mut ur)).collect();
        let current: Vec<&String> = mine
            .iter()
            .zip(&statuses)
            .filter(|(_, s)| **s == Status::Current)
            .map(|(c, _)| c)
            .collect();
        let place = Place {
            office: &unit.office.name,
        };
        for (pi, code) in mine.iter().enumerate() {
            let replaced_by =
                (statuses[pi] == Status::Repealed).then(|| ur.pick(&current).as_str());
            let level: Vec<&'static str> = if ur.chance(15) {
                vec!["tinh", "xa"]
            } else {
                vec!["xa"]
            };
            let level_as_list = level.len() > 1;
            let form = if ur.chance(10) {
                FormKind::Url
            } else {
                FormKind::None
            };
            let p = make_proc(
                ProcOptions {
                    code,
                    var: seed(&[12, ci as u64, pi as u64]),
                    level,
                    level_as_list,
                    status: statuses[pi],
                    replaced_by,
                    form,
                },
                &place,
            );
            out.write(
                &format!("content/{}/{}.md", unit.path, code),
                &p.markdown(false),
            )?;
            out.stats.procedure_files += 1;
            out.stats.expected_pages += 1;
            match statuses[pi] {
                Status::Upcoming => out.stats.upcoming_pages += 1,
                Status::Repealed => out.stats.repealed_pages += 1,
                Status::Current => {}
            }
            all_codes.insert(code.clone());
            if let Some(h) = hugo.as_deref_mut() {
                h.write(
                    &format!("content/{}/{}.md", unit.path, code),
                    &p.markdown(true),
                )?;
                h.stats.procedure_files += 1;
                h.stats.expected_pages += 1;
            }
        }
    }
    out.stats.distinct_codes = all_codes.len() as u64;
    Ok(())
}

// ---------------------------------------------------------------------------
// Catalogue sizes: province, national, tiny

pub(crate) struct CatalogueSize {
    pub(crate) title: &'static str,
    /// (province index into PROVINCES, number of communes)
    pub(crate) provinces: Vec<(usize, usize)>,
    pub(crate) catalogue_xa: usize,
    pub(crate) catalogue_tinh: usize,
    pub(crate) local_min: u64,
    pub(crate) local_max: u64,
    pub(crate) provinces_adopt_tinh: bool,
    /// Percentage of communes listing their adoptions with `adopt` instead of `adopt_levels`.
    pub(crate) explicit_percent: u64,
}

pub(crate) struct CatEntry {
    pub(crate) code: String,
    pub(crate) levels: Vec<&'static str>,
    pub(crate) status: Status,
}

pub(crate) fn gen_catalogue_size(out: &mut Out, size: &CatalogueSize) -> io::Result<()> {
    let mut r = Rng::new(seed(&[20]));
    out.mkdir("content/_catalog")?;
    let site_fb = national_feedback();
    out.write("site.toml", &site_toml(size.title, Some(&site_fb)))?;

    // The catalogue.
    let n_cat = size.catalogue_xa + size.catalogue_tinh;
    let cat_codes = codes(&mut r, 1, n_cat);
    let n_special = n_cat.div_ceil(100);
    let mut cat: Vec<CatEntry> = cat_codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let levels = if i < size.catalogue_xa {
                if i % 7 == 3 && size.catalogue_tinh == 0 {
                    vec!["tinh", "xa"]
                } else {
                    vec!["xa"]
                }
            } else {
                vec!["tinh"]
            };
            CatEntry {
                code: code.clone(),
                levels,
                status: Status::Current,
            }
        })
        .collect();
    // Spread upcoming and repealed entries over the commune-level part of the catalogue.
    for k in 0..n_special {
        cat[(5 + 13 * k) % size.catalogue_xa].status = Status::Upcoming;
        cat[(11 + 13 * k) % size.catalogue_xa].status = Status::Repealed;
    }
    let generic = Place {
        office: "Trung tâm Phục vụ hành chính công cấp xã",
    };
    let xa_current: Vec<String> = cat[..size.catalogue_xa]
        .iter()
        .filter(|e| e.status == Status::Current)
        .map(|e| e.code.clone())
        .collect();
    for (i, e) in cat.iter().enumerate() {
        let (s, _, _) = identity(&e.code);
        let dir = format!("_catalog/{}", slug(SECTORS[s].name));
        out.mkdir(&format!("content/{dir}"))?;
        let form_file = format!("mau/{}-to-khai.pdf", e.code);
        let form = if i % 10 == 4 {
            out.mkdir(&format!("content/{dir}/mau"))?;
            let pdf = format!(
                "%PDF-1.4\n% gensite placeholder form for {}\n%%EOF\n",
                e.code
            );
            out.write(&format!("content/{dir}/{form_file}"), &pdf)?;
            out.stats.form_files += 1;
            FormKind::File(&form_file)
        } else if i % 10 == 8 {
            FormKind::Url
        } else {
            FormKind::None
        };
        let replaced_by =
            (e.status == Status::Repealed).then(|| xa_current[i % xa_current.len()].as_str());
        let p = make_proc(
            ProcOptions {
                code: &e.code,
                var: seed(&[21, i as u64]),
                level: e.levels.clone(),
                level_as_list: e.levels.len() > 1 || i % 5 == 1,
                status: e.status,
                replaced_by,
                form,
            },
            &generic,
        );
        if i % 10 == 9 {
            out.write(
                &format!("content/{dir}/{}.toml", e.code),
                &p.toml(true, false),
            )?;
        } else {
            out.write(&format!("content/{dir}/{}.md", e.code), &p.markdown(false))?;
        }
        out.stats.procedure_files += 1;
        out.stats.catalogue_files += 1;
    }
    let xa_codes: Vec<String> = cat
        .iter()
        .filter(|e| e.levels.contains(&"xa"))
        .map(|e| e.code.clone())
        .collect();
    let tinh_entries: Vec<&CatEntry> = cat.iter().filter(|e| e.levels.contains(&"tinh")).collect();
    let xa_entries: Vec<&CatEntry> = cat.iter().filter(|e| e.levels.contains(&"xa")).collect();

    let mut all_codes: BTreeSet<String> = BTreeSet::new();
    let mut commune_index = 0u64;
    let total_communes: usize = size.provinces.iter().map(|p| p.1).sum();
    let all_kinds = commune_kinds(&mut r, total_communes);
    let mut former_seen: HashSet<String> = HashSet::new();
    for (pn, &(pi, n_communes)) in size.provinces.iter().enumerate() {
        let (province, _, merged) = PROVINCES[pi];
        let mut pr = Rng::new(seed(&[22, pi as u64]));
        // Every 10th province leaves its feedback to site.toml.
        let mut prov = province_unit(province, format!("{:02}", 2 + pi * 2), pn % 10 != 9);
        if size.provinces_adopt_tinh {
            prov.adopt_levels = vec!["tinh"];
            out.stats.expected_pages += tinh_entries.len() as u64;
            count_status(&mut out.stats, tinh_entries.iter().map(|e| e.status));
            all_codes.extend(tinh_entries.iter().map(|e| e.code.clone()));
        }
        for old in merged {
            prov.former.push(Former {
                path: format!("tinh-{}", slug(old)),
                name: format!("Tỉnh {old}"),
                basis: "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh".into(),
            });
        }
        out.write_unit(&prov)?;

        let local_pool = codes(&mut pr, 2, 40);
        let old_districts: Vec<String> = (0..8)
            .map(|_| format!("{} {}", pr.pick(SYLLABLES), pr.pick(SYLLABLES)))
            .collect();
        let first = commune_index as usize;
        let kinds = &all_kinds[first..first + n_communes];
        let names = commune_names(&mut pr, n_communes, kinds);
        let mut last_former: Option<String> = None;
        for (ci, (name, kind)) in names.iter().enumerate() {
            let (label, prefix) = kind_label(kind);
            let path = format!("{}/{prefix}-{}", prov.path, slug(name));
            let mut cr = Rng::new(seed(&[23, pi as u64, ci as u64]));
            let with_fb = !cr.chance(10);
            let mut unit = make_unit(
                path,
                name,
                kind,
                label,
                format!("{:05}", 10 + commune_index * 3),
                province,
                with_fb,
            );
            commune_index += 1;
            let explicit = cr.chance(size.explicit_percent);
            if explicit {
                unit.adopt = xa_codes.clone();
            } else {
                unit.adopt_levels = vec!["xa"];
            }
            // Former communes merged into this one (~30%), rarely a split (the same old path
            // named by two units).
            if cr.chance(30) {
                for _ in 0..cr.range(1, 3) {
                    let old = format!("{} {}", cr.pick(SYLLABLES), cr.pick(SYLLABLES));
                    let district = cr.pick(&old_districts);
                    let p = format!("{}/huyen-{}/xa-{}", prov.path, slug(district), slug(&old));
                    if !former_seen.insert(p.clone()) {
                        continue; // an accidental repeat; splits are made on purpose below
                    }
                    unit.former.push(Former {
                        path: p.clone(),
                        name: format!("Xã {old}"),
                        basis: format!("Nghị quyết số {}/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội", 1650 + pi),
                    });
                    last_former = Some(p);
                }
            } else if cr.chance(3) {
                if let Some(p) = last_former.take() {
                    unit.former.push(Former {
                        path: p,
                        name: "Phường cũ (đã chia tách)".into(),
                        basis: format!("Nghị quyết số {}/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội", 1650 + pi),
                    });
                }
            }
            out.write_unit(&unit)?;
            out.stats.expected_pages += xa_entries.len() as u64;
            count_status(&mut out.stats, xa_entries.iter().map(|e| e.status));
            all_codes.extend(xa_codes.iter().cloned());

            // ~10% override one adopted procedure's channels.
            if cr.chance(10) {
                let e = xa_entries[cr.below(xa_entries.len())];
                let mut o = String::new();
                let _ = writeln!(
                    o,
                    "# {}: kênh nộp và thời hạn của địa phương thay cho danh mục chung.",
                    unit.name
                );
                let _ = writeln!(o, "code = {}", q(&e.code));
                let mut vr = Rng::new(seed(&[24, pi as u64, ci as u64]));
                write_channels(&mut o, &make_channels(&mut vr));
                out.write(&format!("content/{}/{}.toml", unit.path, e.code), &o)?;
                out.stats.procedure_files += 1;
                out.stats.override_files += 1;
            }

            // Local procedures.
            let n_local = cr.range(size.local_min, size.local_max) as usize;
            let mine = cr.sample(&local_pool, n_local);
            let statuses: Vec<Status> = mine.iter().map(|_| status_for(&mut cr)).collect();
            let place = Place {
                office: &unit.office.name,
            };
            for (li, code) in mine.iter().enumerate() {
                let (status, replaced_by) = match statuses[li] {
                    // A local procedure replaced by a current catalogue one.
                    Status::Repealed => (
                        Status::Repealed,
                        Some(xa_current[li % xa_current.len()].as_str()),
                    ),
                    s => (s, None),
                };
                let p = make_proc(
                    ProcOptions {
                        code,
                        var: seed(&[25, pi as u64, ci as u64, li as u64]),
                        level: vec!["xa"],
                        level_as_list: false,
                        status,
                        replaced_by,
                        form: if cr.chance(10) {
                            FormKind::Url
                        } else {
                            FormKind::None
                        },
                    },
                    &place,
                );
                out.write(
                    &format!("content/{}/{}.md", unit.path, code),
                    &p.markdown(false),
                )?;
                out.stats.procedure_files += 1;
                out.stats.expected_pages += 1;
                count_status(&mut out.stats, std::iter::once(status));
                all_codes.insert(code.clone());
            }
        }
    }
    out.stats.distinct_codes = all_codes.len() as u64;
    Ok(())
}

pub(crate) fn count_status(stats: &mut Stats, statuses: impl Iterator<Item = Status>) {
    for s in statuses {
        match s {
            Status::Upcoming => stats.upcoming_pages += 1,
            Status::Repealed => stats.repealed_pages += 1,
            Status::Current => {}
        }
    }
}
