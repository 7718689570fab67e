//! The model of a generated procedure, and its TOML and Markdown.

use super::*;

// ---------------------------------------------------------------------------
// The model

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Status {
    Current,
    Upcoming,
    Repealed,
}

pub(crate) enum Time {
    Value {
        value: u64,
        unit: &'static str,
        text: Option<&'static str>,
    },
    Text(&'static str),
}

pub(crate) struct Fee {
    pub(crate) amount: Option<u64>,
    pub(crate) text: Option<String>,
}

pub(crate) struct Channel {
    pub(crate) method: &'static str,
    pub(crate) time: Time,
    pub(crate) fees: Vec<Fee>,
    pub(crate) note: Option<&'static str>,
}

pub(crate) struct Item {
    pub(crate) name: String,
    pub(crate) originals: u64,
    pub(crate) copies: u64,
    pub(crate) form: Option<String>,
    pub(crate) note: Option<&'static str>,
}

pub(crate) struct Case {
    pub(crate) case: Option<&'static str>,
    pub(crate) items: Vec<Item>,
}

pub(crate) struct Form {
    pub(crate) name: String,
    pub(crate) file: Option<String>,
    pub(crate) url: Option<String>,
}

pub(crate) struct Proc {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) sector: &'static str,
    pub(crate) level: Vec<&'static str>,
    pub(crate) level_as_list: bool,
    pub(crate) decision: Option<String>,
    pub(crate) effective: Option<String>,
    pub(crate) repealed: Option<(String, String)>,
    pub(crate) applicants: Vec<&'static str>,
    pub(crate) agency: String,
    pub(crate) authority: Option<String>,
    pub(crate) result: Vec<&'static str>,
    pub(crate) requirements: Option<String>,
    pub(crate) legal_basis: Vec<&'static str>,
    pub(crate) online: Option<(&'static str, String)>,
    pub(crate) keywords: Vec<String>,
    pub(crate) channels: Vec<Channel>,
    pub(crate) dossier: Vec<Case>,
    pub(crate) forms: Vec<Form>,
    pub(crate) steps: String,
}

/// Where the procedure is published, for the text of the steps.
pub(crate) struct Place<'a> {
    pub(crate) office: &'a str,
}

/// How a procedure's form is provided.
pub(crate) enum FormKind<'a> {
    None,
    Url,
    /// A file next to the procedure, at this relative path.
    File(&'a str),
}

/// The identity of a code: the same code has the same name, sector and basis everywhere.
pub(crate) fn identity(code: &str) -> (usize, String, String) {
    let mut r = Rng::new(seed(&[1, str_seed(code)]));
    let s = r.below(SECTORS.len());
    let sec = &SECTORS[s];
    let action = r.pick(sec.actions);
    let object = r.pick(sec.objects);
    let qualifier = r.choose(&[
        "",
        "",
        "",
        " lưu động",
        " có yếu tố nước ngoài",
        " tại khu vực biên giới",
        " (cấp lại)",
        " trên địa bàn cấp xã",
    ]);
    let name = format!("{action} {object}{qualifier}");
    let decision = format!("{}/QĐ-{}", r.range(100, 3999), sec.ministry);
    (s, name, decision)
}

pub(crate) fn make_channels(r: &mut Rng) -> Vec<Channel> {
    let n = r.range(2, 3) as usize;
    let methods: &[&str] = if n == 2 {
        r.choose(&[
            &["truc-tiep", "truc-tuyen"][..],
            &["truc-tiep", "buu-chinh"][..],
        ])
    } else {
        &["truc-tiep", "truc-tuyen", "buu-chinh"]
    };
    let base_value = r.range(1, 20);
    let unit = r.choose(&[
        "working-days",
        "working-days",
        "working-days",
        "working-days",
        "days",
        "hours",
    ]);
    let base_value = if unit == "hours" {
        r.choose(&[4u64, 8, 24])
    } else {
        base_value
    };
    let amount = r.choose(FEE_AMOUNTS);
    methods
        .iter()
        .map(|&method| {
            let time = if r.chance(8) {
                Time::Text(r.choose(TIME_ONLY_TEXTS))
            } else {
                let value = if method == "truc-tuyen" && base_value > 2 && r.chance(30) {
                    base_value - 1
                } else {
                    base_value
                };
                Time::Value {
                    value,
                    unit,
                    text: if r.chance(25) {
                        Some(r.choose(TIME_TEXTS))
                    } else {
                        None
                    },
                }
            };
            // The first tier is the main fee; further tiers are distinct kinds of extra.
            let mut fees = vec![if r.chance(10) {
                Fee {
                    amount: None,
                    text: Some("Theo quy định của Hội đồng nhân dân cấp tỉnh".into()),
                }
            } else {
                if method == "truc-tuyen" && r.chance(40) {
                    Fee {
                        amount: Some(amount / 2),
                        text: Some("Đối với hồ sơ nộp trực tuyến (giảm 50%)".into()),
                    }
                } else {
                    Fee {
                        amount: Some(amount),
                        text: Some(r.pick(FEE_TEXTS).to_string()),
                    }
                }
            }];
            let extra_tiers = r.range(0, 2) as usize;
            for kind in r.sample(&[0u8, 1, 2], extra_tiers) {
                fees.push(match kind {
                    0 => Fee {
                        amount: Some(0),
                        text: Some(
                            "Miễn lệ phí đối với người thuộc hộ nghèo, người khuyết tật, trẻ em"
                                .into(),
                        ),
                    },
                    1 => Fee {
                        amount: Some(amount * 2),
                        text: None,
                    },
                    _ => Fee {
                        amount: Some(r.choose(FEE_AMOUNTS)),
                        text: Some("Từ trang thứ ba trở lên, mỗi trang".into()),
                    },
                });
            }
            let note = if r.chance(30) {
                Some(channel_note(method))
            } else {
                None
            };
            Channel {
                method,
                time,
                fees,
                note,
            }
        })
        .collect()
}

pub(crate) fn make_dossier(r: &mut Rng, form_name: Option<&str>) -> Vec<Case> {
    let ncases = r.range(2, 3) as usize;
    let cases = r.sample(CASES, ncases);
    let no_heading = r.chance(20);
    cases
        .into_iter()
        .enumerate()
        .map(|(ci, case)| {
            let nitems = r.range(3, 6) as usize;
            let names = r.sample(DOSSIER_ITEMS, nitems);
            let items = names
                .into_iter()
                .enumerate()
                .map(|(ii, name)| {
                    let (originals, copies) = match r.below(4) {
                        0 => (0, 1),
                        1 => (1, 1),
                        2 => (1, 0),
                        _ => (r.range(1, 2), r.range(0, 3)),
                    };
                    let form = if ii == 0 {
                        form_name.map(str::to_string)
                    } else {
                        None
                    };
                    let note = if r.chance(15) {
                        Some(r.choose(ITEM_NOTES))
                    } else {
                        None
                    };
                    Item {
                        name: name.to_string(),
                        originals,
                        copies,
                        form,
                        note,
                    }
                })
                .collect();
            Case {
                case: if ci == 0 && no_heading {
                    None
                } else {
                    Some(case)
                },
                items,
            }
        })
        .collect()
}

pub(crate) const STEP_SUBMIT: &[&str] = &[
    "Tổ chức, cá nhân chuẩn bị đầy đủ hồ sơ theo quy định và nộp tại {office}, qua dịch vụ bưu chính công ích hoặc trực tuyến trên [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}).",
    "Người yêu cầu nộp hồ sơ tại {office} hoặc nộp trực tuyến qua [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}); khi nộp trực tuyến, các giấy tờ phải được scan hoặc chụp từ bản chính.",
];

pub(crate) const STEP_CHECK: &[&str] = &[
    "Trường hợp hồ sơ đầy đủ, hợp lệ thì công chức tiếp nhận viết **Giấy tiếp nhận hồ sơ và hẹn trả kết quả**, giao cho người nộp.",
    "Trường hợp hồ sơ chưa đầy đủ, chưa hợp lệ thì hướng dẫn người nộp bổ sung, hoàn thiện **một lần** bằng Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
    "Trường hợp từ chối tiếp nhận thì lập Phiếu từ chối tiếp nhận giải quyết hồ sơ, nêu rõ lý do.",
    "Trường hợp nộp trực tuyến, hệ thống gửi thông báo tiếp nhận qua thư điện tử hoặc tin nhắn đến người nộp.",
];

pub(crate) const STEP_PROCESS: &[&str] = &[
    "Công chức chuyên môn kiểm tra, xác minh nội dung hồ sơ; trường hợp cần thiết thì tổ chức xác minh thực tế tại nơi cư trú của người yêu cầu",
    "Lấy ý kiến của các cơ quan, đơn vị có liên quan; thời gian lấy ý kiến không tính vào thời hạn giải quyết",
    "Trình Chủ tịch Ủy ban nhân dân cấp xã xem xét, quyết định",
    "Cập nhật kết quả vào Cơ sở dữ liệu chuyên ngành và Cơ sở dữ liệu quốc gia về dân cư",
    "Niêm yết công khai tại trụ sở Ủy ban nhân dân trong thời hạn 07 ngày làm việc",
    "Trường hợp không đủ điều kiện giải quyết thì trả lời bằng văn bản và nêu rõ lý do",
    "Lưu hồ sơ theo quy định của pháp luật về lưu trữ",
];

pub(crate) const STEP_NOTES: &[&str] = &[
    "Người nộp hồ sơ không phải nộp lại các giấy tờ, thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư hoặc cơ sở dữ liệu chuyên ngành.",
    "Khi đến nhận kết quả, người yêu cầu mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả; trường hợp nhận thay phải có văn bản ủy quyền theo quy định.",
    "Công chức không được yêu cầu người dân nộp thêm giấy tờ ngoài thành phần hồ sơ đã được công bố công khai.",
    "Trường hợp quá hạn giải quyết, cơ quan giải quyết phải có văn bản xin lỗi và hẹn lại thời gian trả kết quả.",
    "Người yêu cầu có thể theo dõi tình trạng hồ sơ bằng mã hồ sơ trên Cổng Dịch vụ công hoặc qua số điện thoại đường dây nóng.",
    "Kết quả điện tử có giá trị pháp lý như kết quả giấy và được lưu vào kho dữ liệu của cá nhân, tổ chức trên Cổng Dịch vụ công quốc gia.",
    "Phí, lệ phí được nộp trực tiếp tại Bộ phận Một cửa hoặc thanh toán trực tuyến; người nộp được cấp biên lai theo quy định.",
    "Đối với người cao tuổi, người khuyết tật, phụ nữ có thai, cán bộ tiếp nhận ưu tiên giải quyết trước.",
    "Trường hợp hồ sơ gửi qua bưu chính, thời hạn giải quyết được tính từ ngày cơ quan có thẩm quyền nhận đủ hồ sơ hợp lệ.",
    "Mọi phản ánh, kiến nghị về quy định hành chính và việc giải quyết thủ tục này được tiếp nhận theo địa chỉ niêm yết tại trụ sở.",
];

pub(crate) fn make_steps(r: &mut Rng, code: &str, place: &Place) -> String {
    let mut s = String::with_capacity(2600);
    let submit = r
        .pick(STEP_SUBMIT)
        .replace("{office}", place.office)
        .replace("{code}", code);
    let _ = write!(s, "**Bước 1. Chuẩn bị và nộp hồ sơ.** {submit}\n\n");
    s.push_str("**Bước 2. Tiếp nhận và kiểm tra hồ sơ.** Công chức tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ:\n\n");
    for line in STEP_CHECK.iter().take(r.range(3, 4) as usize) {
        let _ = writeln!(s, "- {line}");
    }
    s.push_str("\n**Bước 3. Giải quyết hồ sơ.** Trong thời hạn giải quyết, cơ quan có thẩm quyền thực hiện:\n\n");
    let nproc = r.range(3, 5) as usize;
    for (i, line) in r.sample(STEP_PROCESS, nproc).iter().enumerate() {
        let _ = writeln!(s, "{}. {line};", i + 1);
    }
    s.push_str("\n**Bước 4. Trả kết quả.** Kết quả được trả trực tiếp tại nơi nộp hồ sơ, qua dịch vụ bưu chính hoặc trên tài khoản dịch vụ công của người yêu cầu.\n\n");
    s.push_str("*Lưu ý:*\n\n");
    let mut notes: Vec<&str> = STEP_NOTES.to_vec();
    r.shuffle(&mut notes);
    let target = r.range(1900, 2300) as usize;
    for note in notes {
        if s.len() >= target {
            break;
        }
        let _ = writeln!(s, "- {note}");
    }
    s
}

pub(crate) struct ProcOptions<'a> {
    pub(crate) code: &'a str,
    /// Seed of this file's own variations.
    pub(crate) var: u64,
    pub(crate) level: Vec<&'static str>,
    pub(crate) level_as_list: bool,
    pub(crate) status: Status,
    pub(crate) replaced_by: Option<&'a str>,
    pub(crate) form: FormKind<'a>,
}

pub(crate) fn make_proc(o: ProcOptions, place: &Place) -> Proc {
    let (s, name, decision) = identity(o.code);
    let sec = &SECTORS[s];
    let mut r = Rng::new(seed(&[2, o.var]));
    let form_name = format!("Tờ khai {}", lower_first(&name));
    let forms = match o.form {
        FormKind::None => vec![],
        FormKind::Url => vec![Form {
            name: form_name.clone(),
            file: None,
            url: Some(format!("https://dichvucong.gov.vn/mau/{}.docx", o.code)),
        }],
        FormKind::File(path) => vec![Form {
            name: form_name.clone(),
            file: Some(path.to_string()),
            url: None,
        }],
    };
    let effective = match o.status {
        Status::Upcoming => Some(format!("2030-{:02}-01", r.range(1, 12))),
        // A repealed procedure took effect before its repeal (2024-01-01).
        Status::Repealed => Some(format!("2021-{:02}-01", r.range(1, 12))),
        _ if r.chance(50) => Some(format!(
            "{}-{:02}-{:02}",
            r.range(2021, 2026),
            r.range(1, 10),
            r.range(1, 28)
        )),
        _ => None,
    };
    let repealed = match (o.status, o.replaced_by) {
        (Status::Repealed, Some(by)) => Some(("2024-01-01".to_string(), by.to_string())),
        _ => None,
    };
    let napplicants = r.range(1, 3) as usize;
    let applicants = r.sample(APPLICANTS, napplicants);
    let nlaws = r.range(2, sec.laws.len().min(4) as u64) as usize;
    let legal_basis = sec.laws[..nlaws].to_vec();
    let result = vec![r.choose(sec.results)];
    let authority = if r.chance(20) {
        Some("Chủ tịch Ủy ban nhân dân cấp xã".to_string())
    } else {
        None
    };
    let requirements = if r.chance(30) {
        Some(format!(
            "- Người yêu cầu có năng lực hành vi dân sự đầy đủ.\n- Hồ sơ phải được lập bằng **tiếng Việt**; giấy tờ bằng tiếng nước ngoài phải được dịch và chứng thực.\n- {}",
            r.pick(STEP_NOTES)
        ))
    } else {
        None
    };
    let online = match r.below(3) {
        0 => Some((
            "toan-trinh",
            format!("https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={}", o.code),
        )),
        1 => Some(("mot-phan", String::new())),
        _ => None,
    };
    let keywords = if r.chance(20) {
        vec![fold(&name), lower_first(sec.name)]
    } else {
        vec![]
    };
    let channels = make_channels(&mut r);
    let has_form = !forms.is_empty();
    let dossier = make_dossier(&mut r, has_form.then_some(form_name.as_str()));
    let steps = make_steps(&mut r, o.code, place);
    Proc {
        code: o.code.to_string(),
        name,
        sector: sec.name,
        level: o.level,
        level_as_list: o.level_as_list,
        decision: Some(decision),
        effective,
        repealed,
        applicants,
        agency: sec.agency.to_string(),
        authority,
        result,
        requirements,
        legal_basis,
        online,
        keywords,
        channels,
        dossier,
        forms,
        steps,
    }
}

pub(crate) fn write_channels(out: &mut String, channels: &[Channel]) {
    for ch in channels {
        out.push_str("\n[[channels]]\n");
        let _ = writeln!(out, "method = {}", q(ch.method));
        match &ch.time {
            Time::Value { value, unit, text } => {
                let _ = write!(out, "time = {{ value = {value}, unit = {}", q(unit));
                if let Some(t) = text {
                    let _ = write!(out, ", text = {}", q(t));
                }
                out.push_str(" }\n");
            }
            Time::Text(t) => {
                let _ = writeln!(out, "time = {{ text = {} }}", q(t));
            }
        }
        let fees: Vec<String> = ch
            .fees
            .iter()
            .map(|f| match (&f.amount, &f.text) {
                (Some(a), Some(t)) => format!("{{ amount = {a}, text = {} }}", q(t)),
                (Some(a), None) => format!("{{ amount = {a} }}"),
                (None, Some(t)) => format!("{{ text = {} }}", q(t)),
                (None, None) => unreachable!("a fee has an amount or a text"),
            })
            .collect();
        let _ = writeln!(out, "fees = [{}]", fees.join(", "));
        if let Some(n) = ch.note {
            let _ = writeln!(out, "note = {}", q(n));
        }
    }
}

impl Proc {
    /// The TOML of a procedure: the front matter of a `.md`, or a whole `.toml` when
    /// `steps_key` is set. `title` adds Hugo's title key.
    pub(crate) fn toml(&self, steps_key: bool, title: bool) -> String {
        let mut o = String::with_capacity(4096);
        if title {
            let _ = writeln!(o, "title = {}", q(&self.name));
        }
        let _ = writeln!(o, "code = {}", q(&self.code));
        let _ = writeln!(o, "name = {}", q(&self.name));
        let _ = writeln!(o, "sector = {}", q(self.sector));
        if self.level_as_list {
            let _ = writeln!(o, "level = {}", q_list(&self.level));
        } else {
            let _ = writeln!(o, "level = {}", q(self.level[0]));
        }
        if let Some(d) = &self.decision {
            let _ = writeln!(o, "decision = {}", q(d));
        }
        if let Some(e) = &self.effective {
            let _ = writeln!(o, "effective = {e}");
        }
        if let Some((date, by)) = &self.repealed {
            let _ = writeln!(o, "repealed = {date}");
            let _ = writeln!(o, "replaced_by = {}", q(by));
        }
        let _ = writeln!(o, "applicants = {}", q_list(&self.applicants));
        let _ = writeln!(o, "agency = {}", q(&self.agency));
        if let Some(a) = &self.authority {
            let _ = writeln!(o, "authority = {}", q(a));
        }
        let _ = writeln!(o, "result = {}", q_list(&self.result));
        if let Some(req) = &self.requirements {
            let _ = writeln!(o, "requirements = {}", q(req));
        }
        o.push_str("legal_basis = [\n");
        for l in &self.legal_basis {
            let _ = writeln!(o, "  {},", q(l));
        }
        o.push_str("]\n");
        if let Some((tier, url)) = &self.online {
            let _ = writeln!(o, "online = {}", q(tier));
            if !url.is_empty() {
                let _ = writeln!(o, "online_url = {}", q(url));
            }
        }
        if !self.keywords.is_empty() {
            let _ = writeln!(o, "keywords = {}", q_list(&self.keywords));
        }
        if steps_key {
            let _ = writeln!(o, "steps = {}", q(&self.steps));
        }
        write_channels(&mut o, &self.channels);
        for case in &self.dossier {
            o.push_str("\n[[dossier]]\n");
            if let Some(c) = case.case {
                let _ = writeln!(o, "case = {}", q(c));
            }
            o.push_str("items = [\n");
            for it in &case.items {
                let _ = write!(
                    o,
                    "  {{ name = {}, originals = {}, copies = {}",
                    q(&it.name),
                    it.originals,
                    it.copies
                );
                if let Some(f) = &it.form {
                    let _ = write!(o, ", form = {}", q(f));
                }
                if let Some(n) = it.note {
                    let _ = write!(o, ", note = {}", q(n));
                }
                o.push_str(" },\n");
            }
            o.push_str("]\n");
        }
        for f in &self.forms {
            o.push_str("\n[[forms]]\n");
            let _ = writeln!(o, "name = {}", q(&f.name));
            if let Some(file) = &f.file {
                let _ = writeln!(o, "file = {}", q(file));
            }
            if let Some(url) = &f.url {
                let _ = writeln!(o, "url = {}", q(url));
            }
        }
        o
    }

    pub(crate) fn markdown(&self, title: bool) -> String {
        format!("+++\n{}+++\n\n{}", self.toml(false, title), self.steps)
    }
}
