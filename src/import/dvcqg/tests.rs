use super::*;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

const SAMPLE: &str = "Chi tiết thủ tục hành chính
Mã thủ tục: 1.000001
Số quyết định: 163/QĐ-BTP
Tên thủ tục: Đăng ký khai sinh cho người
đã có hồ sơ
Cấp thực hiện: Cấp Xã
Loại thủ tục: TTHC được luật giao quy định chi tiết
Lĩnh vực: Hộ tịch
Trình tự thực hiện:
    Bước 1: Nộp hồ sơ.
    Bước 2: Nhận kết quả.
        - chi tiết thụt lề

Cách thức thực hiện:
  * Hình thức nộp: DIRECT
    Thời hạn giải quyết: 3 WORKING_DAY
    Phí, lệ phí: 7000 VNĐ (Lệ phí (cá nhân): 7.000 đồng) | 0 VNĐ ( Miễn phí (theo Điều 4 )
    Mô tả: Nộp tại UBND xã.
Thời hạn giải quyết: dòng này thuộc mô tả
  * Hình thức nộp: ONLINE
    Thời hạn giải quyết: 1 OTHER
    Phí, lệ phí: Không có thông tin
  * Hình thức nộp: POSTAL
    Thời hạn giải quyết:  OTHER
    Phí, lệ phí: 0 VNĐ ()

Thành phần hồ sơ:
    - Tờ khai
      Số lượng: Bản chính: 1, Bản sao: 0
  [ * Trường hợp ủy quyền: ]
    - Văn bản ủy quyền
      Số lượng: Bản chính: 1, Bản sao: 2
    - *Lưu ý: không cần công chứng
      Số lượng: Bản chính: 0, Bản sao: 0
    - 
      Số lượng: Bản chính: 1, Bản sao: 0

Đối tượng thực hiện: Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức, Công dân Việt Nam
Cơ quan thực hiện: Không có thông tin
Cơ quan có thẩm quyền: Ủy ban nhân dân cấp xã
Địa chỉ tiếp nhận HS: a) Tại UBND xã
b) Tại bưu điện
Cơ quan được ủy quyền: Không có thông tin
Cơ quan phối hợp: Không có thông tin
Kết quả thực hiện: Giấy khai sinh, Thông báo kết quả, hủy bỏ kết quả
Căn cứ pháp lý:
  * Luật Hộ tịch (60/2014/QH13)
  * Nghị định sửa đổi, bổ
sung một số điều (123/2015/NĐ-CP)

Yêu cầu, điều kiện thực hiện: Có giấy tờ.

+ Bản chính hợp lệ.
Từ khóa: khai sinh, hộ tịch
Mô tả: Có giấy tờ.

+ Bản chính hợp lệ.";

fn parse(text: &str) -> Result<Record, Vec<ImportError>> {
    parse_record(Path::new("t/1.000001.txt"), text)
}

fn ok(text: &str) -> Record {
    match parse(text) {
        Ok(r) => r,
        Err(e) => panic!(
            "{}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn err(text: &str) -> Vec<ImportError> {
    match parse(text) {
        Ok(r) => panic!("expected an error, parsed {}", r.code),
        Err(e) => e,
    }
}

#[test]
fn parses_every_field() {
    let r = ok(SAMPLE);
    assert_eq!(r.code, "1.000001");
    assert_eq!(r.decision.as_deref(), Some("163/QĐ-BTP"));
    assert_eq!(
        r.name.as_deref(),
        Some("Đăng ký khai sinh cho người đã có hồ sơ")
    );
    assert_eq!(
        r.name_raw.as_deref(),
        Some("Đăng ký khai sinh cho người\nđã có hồ sơ")
    );
    assert_eq!(r.level, LevelField::Levels(vec![Level::Xa]));
    assert_eq!(r.sector.as_deref(), Some("Hộ tịch"));
    let steps = r.steps.as_deref().unwrap();
    assert_eq!(
        steps,
        "    Bước 1: Nộp hồ sơ.\n    Bước 2: Nhận kết quả.\n        - chi tiết thụt lề"
    );

    let ch = r.channels.as_ref().unwrap();
    assert_eq!(ch.len(), 3);
    assert_eq!(ch[0].method, Method::Direct);
    assert_eq!(
        ch[0].time,
        Time::Value {
            value: 3,
            unit: TimeUnit::WorkingDays,
            raw: "3 WORKING_DAY".into()
        }
    );
    let Fees::Tiers(tiers) = &ch[0].fees else {
        panic!()
    };
    assert_eq!(tiers.len(), 2);
    assert_eq!(tiers[0].amount, Some(7000));
    assert_eq!(
        tiers[0].text.as_deref(),
        Some("Lệ phí (cá nhân): 7.000 đồng")
    );
    assert_eq!(tiers[1].amount, Some(0));
    assert_eq!(tiers[1].text.as_deref(), Some("Miễn phí (theo Điều 4"));
    assert_eq!(tiers[1].raw, "0 VNĐ ( Miễn phí (theo Điều 4 )");
    assert_eq!(
        ch[0].note.as_deref(),
        Some("Nộp tại UBND xã.\nThời hạn giải quyết: dòng này thuộc mô tả")
    );
    assert_eq!(ch[1].method, Method::Online);
    assert_eq!(
        ch[1].time,
        Time::Text {
            text: OTHER_TIME_TEXT.into(),
            raw: "1 OTHER".into()
        }
    );
    assert_eq!(ch[1].fees, Fees::Unpublished);
    assert_eq!(ch[2].time, Time::Unpublished);
    let Fees::Tiers(t2) = &ch[2].fees else {
        panic!()
    };
    assert_eq!(
        t2,
        &vec![Fee {
            amount: Some(0),
            text: None,
            raw: "0 VNĐ ()".into()
        }]
    );

    let d = r.dossier.as_ref().unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].case, None);
    assert_eq!(d[0].items[0].name, "Tờ khai");
    assert_eq!(d[1].case.as_deref(), Some("* Trường hợp ủy quyền:"));
    assert_eq!((d[1].items[0].originals, d[1].items[0].copies), (1, 2));
    assert_eq!(d[1].items[1].name, "Lưu ý");
    assert_eq!(d[1].items[1].note.as_deref(), Some("không cần công chứng"));
    assert_eq!(d[1].items[2].name, UNPUBLISHED_TEXT);

    let a = r.applicants.as_ref().unwrap();
    assert_eq!(
        a.items,
        [
            "Tổ chức (không bao gồm doanh nghiệp, HTX)",
            "Cán bộ, công chức, viên chức",
            "Công dân Việt Nam"
        ]
    );
    assert!(a.ambiguous);
    assert_eq!(r.agency, None);
    assert_eq!(r.authority.as_deref(), Some("Ủy ban nhân dân cấp xã"));
    assert_eq!(r.place.as_deref(), Some("a) Tại UBND xã\nb) Tại bưu điện"));
    assert_eq!(r.delegated_agency, None);
    assert_eq!(
        r.result.as_ref().unwrap().items,
        ["Giấy khai sinh", "Thông báo kết quả, hủy bỏ kết quả"]
    );
    let lb = r.legal_basis.as_ref().unwrap();
    assert_eq!(
        lb.items,
        [
            "Luật Hộ tịch (60/2014/QH13)",
            "Nghị định sửa đổi, bổ sung một số điều (123/2015/NĐ-CP)"
        ]
    );
    assert!(lb.wrapped);
    assert_eq!(
        r.requirements.as_deref(),
        Some("Có giấy tờ.\n\n+ Bản chính hợp lệ.")
    );
    assert_eq!(r.keywords.as_deref(), Some("khai sinh, hộ tịch"));
    assert_eq!(r.description, r.requirements);
}

#[test]
fn nfd_crlf_and_bom_read_the_same() {
    let base = ok(SAMPLE);
    let nfd: String = SAMPLE.nfd().collect();
    assert_ne!(nfd, SAMPLE);
    let crlf = SAMPLE.replace('\n', "\r\n");
    let bom = format!("\u{FEFF}{SAMPLE}");
    for (text, tag) in [
        (nfd.as_str(), "input:not-nfc"),
        (crlf.as_str(), "input:cr-line-ends"),
        (bom.as_str(), "input:bom"),
    ] {
        let mut r = ok(text);
        assert!(r.tags.contains(&tag), "{tag}");
        r.tags.retain(|t| *t != tag);
        assert_eq!(r, base, "{tag}");
        assert_eq!(record_to_toml(&r), record_to_toml(&base));
    }
}

#[test]
fn garbage_is_one_clear_error() {
    let e = err("");
    assert_eq!(e.len(), 1);
    assert!(e[0].message.contains("tệp rỗng"), "{}", e[0]);

    let e = err("hello world\nMã thủ tục: 1\n");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, Some(1));
    assert!(e[0]
        .message
        .contains("không phải bản ghi của Cơ sở dữ liệu quốc gia"));

    let e = err("\n\n  \u{0}\u{1}binary");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, Some(3));
    assert!(e[0].message.contains("ký tự điều khiển"), "{}", e[0]);
    assert_eq!(
        e[0].to_string(),
        format!("t/1.000001.txt:3: {}", e[0].message)
    );
}

#[test]
fn truncated_files_are_reported_at_their_end() {
    let lines: Vec<&str> = SAMPLE.lines().collect();
    let cut = lines[..30].join("\n");
    let e = err(&cut);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, Some(30));
    assert!(e[0].message.contains("bị cắt cụt"), "{}", e[0]);
    assert!(e[0].message.contains("`Đối tượng thực hiện:`"), "{}", e[0]);

    // Every prefix, by lines and by characters: never a panic; Ok only once `Mô tả:` is in.
    for n in 0..=lines.len() {
        let text = lines[..n].join("\n");
        let has_last = lines[..n].iter().any(|l| l.starts_with("Mô tả:"));
        assert_eq!(parse(&text).is_ok(), has_last, "{n} lines");
    }
    let chars: Vec<char> = SAMPLE.chars().collect();
    for n in 0..chars.len() {
        let text: String = chars[..n].iter().collect();
        if let Ok(r) = parse(&text) {
            let out = record_to_toml(&r);
            assert!(frontmatter::local_keys(&out).is_ok(), "{n} chars");
        }
    }
}

#[test]
fn missing_code_and_bad_code_are_errors() {
    let no_code = SAMPLE.replace("Mã thủ tục: 1.000001\n", "");
    let e = err(&no_code);
    assert!(
        e.iter().any(|e| e.message.contains("thiếu `Mã thủ tục:`")),
        "{e:?}"
    );
    let e = err(&SAMPLE.replace("Mã thủ tục: 1.000001", "Mã thủ tục: Không có thông tin"));
    assert!(e[0].message.contains("để trống"), "{e:?}");
    for bad in [
        "../etc/passwd",
        "a b",
        ".hidden",
        "1/2",
        "README",
        "index.html",
        "1.000001.html/..",
        "data.json",
        "1.",
        ".000001",
        "1.000001-",
        "1.000001--x",
        "1.000001-Xóa",
        &format!("1.{}", "0".repeat(63)),
    ] {
        let e = err(&SAMPLE.replace("1.000001", bad));
        assert_eq!(e[0].line, Some(2), "{bad}");
        assert!(
            e[0].message.contains("không phải là một mã thủ tục"),
            "{bad}"
        );
        assert!(e[0].message.contains("bị bỏ qua"), "{bad}");
    }
    for good in [
        "1.000001",
        "2.009182739",
        "1.014955-Xoa",
        "1.0133611",
        "3.1_a.b",
    ] {
        assert!(is_procedure_code(good), "{good}");
    }
}

/// "Last wins" would name the file after one code and leave the other unsaid.
#[test]
fn two_code_lines_in_one_record_are_an_error() {
    let text = SAMPLE.replace(
        "Mã thủ tục: 1.000001\n",
        "Mã thủ tục: 1.000001\nMã thủ tục: 1.000002\n",
    );
    let e = err(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, Some(3));
    assert!(e[0].message.contains("dòng đầu là dòng 2"), "{e:?}");
    // A code quoted later, inside another field's text, is not the record's code.
    let quoted = SAMPLE.replace("Mô tả:", "Mô tả:\nMã thủ tục: 9.999999 (xem thêm)");
    assert!(parse_record(Path::new("t/1.000001.txt"), &quoted).is_ok());
}

#[test]
fn a_missing_middle_label_is_named() {
    let text = SAMPLE.replace("Loại thủ tục: TTHC được luật giao quy định chi tiết\n", "");
    let e = err(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].message.contains("thiếu nhãn `Loại thủ tục:`"));
    assert_eq!(e[0].line, Some(6), "the line of `Cấp thực hiện:`");
}

#[test]
fn unknown_labels_are_reported_with_their_line() {
    let text = SAMPLE.replace(
        "Lĩnh vực: Hộ tịch\n",
        "Lĩnh vực: Hộ tịch\nThời gian hiệu lực: 01/07/2025\n",
    );
    let e = err(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, Some(9));
    assert!(
        e[0].message.contains("nhãn `Thời gian hiệu lực:` không rõ"),
        "{}",
        e[0]
    );

    let text = SAMPLE.replace(
        "    Phí, lệ phí: Không có thông tin\n",
        "    Phí, lệ phí: Không có thông tin\n    Ghi chú khác: x\n",
    );
    let e = err(&text);
    assert!(
        e[0].message.contains("nhãn `Ghi chú khác:` không rõ"),
        "{e:?}"
    );

    let text = SAMPLE.replace("Hình thức nộp: ONLINE", "Hình thức nộp: FAX");
    let e = err(&text);
    assert!(
        e[0].message.contains("`Hình thức nộp:` `FAX` không rõ"),
        "{e:?}"
    );
}

#[test]
fn dossier_and_legal_basis_errors() {
    let text = SAMPLE.replace("      Số lượng: Bản chính: 1, Bản sao: 2\n", "");
    let e = err(&text);
    assert!(e[0].message.contains("không có dòng `Số lượng:`"), "{e:?}");
    let text = SAMPLE.replace("Bản chính: 1, Bản sao: 2", "Bản chính: một");
    let e = err(&text);
    assert!(e[0].message.contains("phải viết `Bản chính"), "{e:?}");
    let text = SAMPLE.replace("  [ * Trường hợp", "  garbage\n  [ * Trường hợp");
    let e = err(&text);
    assert!(e[0]
        .message
        .contains("dòng không mong đợi trong `Thành phần hồ sơ:`"));
}

#[test]
fn a_label_quoted_inside_a_value_stays_in_the_value() {
    // As in 1.004411: the requirements end with a line "Từ khóa:".
    let text = SAMPLE.replace(
        "+ Bản chính hợp lệ.\nTừ khóa: khai sinh, hộ tịch",
        "+ Bản chính hợp lệ.\nTừ khóa:\nTừ khóa: Không có thông tin",
    );
    let r = ok(&text);
    assert_eq!(
        r.requirements.as_deref(),
        Some("Có giấy tờ.\n\n+ Bản chính hợp lệ.\nTừ khóa:")
    );
    assert_eq!(r.keywords, None);
    assert!(r.tags.contains(&"label:repeated-in-text"));
}

#[test]
fn no_information_everywhere() {
    let mut text = String::from("Chi tiết thủ tục hành chính\nMã thủ tục: 9.9\n");
    for info in LABELS.iter().skip(1) {
        text.push_str(&format!("{}: {NO_INFO}\n", info.vi));
    }
    let r = ok(&text);
    assert_eq!(
        unpublished_keys(&r),
        [
            "name",
            "sector",
            "level",
            "applicants",
            "agency",
            "result",
            "legal_basis",
            "steps",
            "channels",
            "dossier"
        ]
    );
    let out = record_to_toml(&r);
    assert!(
        out.starts_with("+++\ncode = \"9.9\"\nunpublished = [\n"),
        "{out}"
    );
    assert!(
        out.ends_with("[source]\norigin = \"dvcqg\"\n+++\n"),
        "{out}"
    );
}

#[test]
fn dossier_with_only_a_heading_is_unpublished_but_kept() {
    // As in 6.003500.
    let text = SAMPLE.replace(
        &SAMPLE[SAMPLE.find("    - Tờ khai").unwrap()..SAMPLE.find("\nĐối tượng").unwrap()],
        "  [ KQ.G04.000398 ]\n  Không có thông tin thành phần hồ sơ.\n",
    );
    let r = ok(&text);
    assert_eq!(r.dossier, None);
    assert!(unpublished_keys(&r).contains(&"dossier"));
    let out = record_to_toml(&r);
    assert!(
        out.contains("\n[source]\norigin = \"dvcqg\"\nname = "),
        "{out}"
    );
    assert!(
        out.contains("dossier = \"\"\"\n  [ KQ.G04.000398 ]\n"),
        "{out}"
    );
}

#[test]
fn times() {
    let t = |s: &str| parse_time(s, &mut Vec::new());
    let v = |value, unit, raw: &str| Time::Value {
        value,
        unit,
        raw: raw.into(),
    };
    let x = |text: &str, raw: &str| Time::Text {
        text: text.into(),
        raw: raw.into(),
    };
    assert_eq!(
        t(" 3 WORKING_DAY"),
        v(3, TimeUnit::WorkingDays, "3 WORKING_DAY")
    );
    assert_eq!(t("15 ngày"), v(15, TimeUnit::Days, "15 ngày"));
    assert_eq!(t("2 DAY"), v(2, TimeUnit::Days, "2 DAY"));
    assert_eq!(t("4 HOUR"), v(4, TimeUnit::Hours, "4 HOUR"));
    assert_eq!(t("6 MONTH"), v(6, TimeUnit::Months, "6 MONTH"));
    assert_eq!(t("1 YEAR"), v(1, TimeUnit::Years, "1 YEAR"));
    assert_eq!(
        t("01 WORKING_DAY"),
        v(1, TimeUnit::WorkingDays, "01 WORKING_DAY")
    );
    assert_eq!(t("1 OTHER"), x(OTHER_TIME_TEXT, "1 OTHER"));
    assert_eq!(t("0 OTHER"), x(OTHER_TIME_TEXT, "0 OTHER"));
    assert_eq!(t(" OTHER"), Time::Unpublished);
    assert_eq!(t(""), Time::Unpublished);
    assert_eq!(t("- OTHER"), Time::Unpublished);
    assert_eq!(t("Theo mô tả OTHER"), x("Theo mô tả", "Theo mô tả OTHER"));
    assert_eq!(
        t("3.5 WORKING_DAY"),
        x("3,5 ngày làm việc", "3.5 WORKING_DAY")
    );
    assert_eq!(t("0.5 HOUR"), x("0,5 giờ", "0.5 HOUR"));
    assert_eq!(t("2 WEEK"), x("2 WEEK", "2 WEEK"));
    assert_eq!(
        t("Không quá 15 ngày kể từ ngày nhận đủ hồ sơ"),
        x(
            "Không quá 15 ngày kể từ ngày nhận đủ hồ sơ",
            "Không quá 15 ngày kể từ ngày nhận đủ hồ sơ"
        )
    );
    assert_eq!(
        t("99999999999 WORKING_DAY"),
        x("99999999999 WORKING_DAY", "99999999999 WORKING_DAY")
    );
}

#[test]
fn fees() {
    let f = |s: &str| parse_fees(s, &mut Vec::new());
    let tiers = |s: &str| match f(s) {
        Fees::Tiers(t) => t,
        Fees::Unpublished => panic!("{s}"),
    };
    assert_eq!(f("Không có thông tin"), Fees::Unpublished);
    assert_eq!(f(" "), Fees::Unpublished);
    let t = tiers("0 VNĐ ()");
    assert_eq!((t[0].amount, t[0].text.as_deref()), (Some(0), None));
    // Parentheses inside texts, balanced or not, and a " | " that does not start a tier.
    let t = tiers("1000 VNĐ (a (b) c) | 2000 VNĐ (d (e | f) | 3000 VNĐ (g))");
    assert_eq!(t.len(), 3);
    assert_eq!(t[0].text.as_deref(), Some("a (b) c"));
    assert_eq!(t[1].text.as_deref(), Some("d (e | f"));
    assert_eq!(t[2].text.as_deref(), Some("g)"));
    assert_eq!(t[2].raw, "3000 VNĐ (g))");
    assert_eq!(
        t.iter()
            .map(|x| x.raw.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        "1000 VNĐ (a (b) c) | 2000 VNĐ (d (e | f) | 3000 VNĐ (g))"
    );
    // Free text, and almost-tiers that are free text.
    for s in [
        "Chi tiết tại Quyết định",
        "1000 VNĐ (no closing",
        "1000 VNĐ (a) trailing",
        "99999999999999999999 VNĐ (x)",
        "VNĐ ()",
    ] {
        let t = tiers(s);
        assert_eq!(t.len(), 1, "{s}");
        assert_eq!(t[0].amount, None, "{s}");
        assert_eq!(t[0].text.as_deref(), Some(s));
        assert_eq!(t[0].raw, s);
    }
    // Free text keeps the source's " | " tiers, repeated texts included.
    let t = tiers("Theo Biểu phí A | Theo Biểu phí A | Theo Biểu phí B");
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|f| f.amount.is_none()));
    assert_eq!(t[2].raw, "Theo Biểu phí B");
    assert_eq!(t[2].text.as_deref(), Some("Theo Biểu phí B"));
}

#[test]
fn lists_split_only_before_capitals_outside_parentheses() {
    let (items, amb) = split_list("A (x, Y), B, c, D");
    assert_eq!(items, ["A (x, Y)", "B, c", "D"]);
    assert!(amb);
    let (items, amb) = split_list("Một");
    assert_eq!(items, ["Một"]);
    assert!(!amb);
    let (items, amb) = split_list("A (unclosed, B");
    assert_eq!(items, ["A (unclosed, B"]);
    assert!(amb);
    for s in ["", ",", ", ", "a, ", ", B", "((", "))", "Ă, Â, Đ"] {
        let (items, _) = split_list(s);
        assert_eq!(items.join(", "), s);
    }
}

#[test]
fn levels() {
    let lv = |v: &str| {
        let text = SAMPLE.replace("Cấp thực hiện: Cấp Xã", &format!("Cấp thực hiện: {v}"));
        ok(&text).level
    };
    assert_eq!(lv("Cấp Tỉnh"), LevelField::Levels(vec![Level::Tinh]));
    assert_eq!(
        lv("Cấp Bộ/Trung ương"),
        LevelField::Levels(vec![Level::TrungUong])
    );
    assert_eq!(lv("Cấp Huyện"), LevelField::Levels(vec![Level::Huyen]));
    assert_eq!(
        lv("Cấp Tỉnh, Cấp Xã"),
        LevelField::Levels(vec![Level::Tinh, Level::Xa])
    );
    assert_eq!(lv(NO_INFO), LevelField::Unpublished);
    assert_eq!(lv("Cấp Thôn"), LevelField::Unknown("Cấp Thôn".into()));

    let r = ok(&SAMPLE.replace("Cấp thực hiện: Cấp Xã", "Cấp thực hiện: Cấp Tỉnh, Cấp Xã"));
    assert!(record_to_toml(&r).contains("\nlevel = [\n  \"tinh\",\n  \"xa\",\n]\n"));
    let r = ok(&SAMPLE.replace("Cấp thực hiện: Cấp Xã", "Cấp thực hiện: Cấp Thôn"));
    let out = record_to_toml(&r);
    let t: toml::Table = toml::from_str(&frontmatter::split(&out).unwrap().0).unwrap();
    assert!(t.get("level").is_none());
    assert_eq!(t["source"]["level"].as_str(), Some("Cấp Thôn"));
    assert!(unpublished_keys(&r).contains(&"level"));
}

#[test]
fn writes_our_format() {
    let r = ok(SAMPLE);
    let out = record_to_toml(&r);
    assert_eq!(out, record_to_toml(&r.clone()), "deterministic");
    let (front, body) = frontmatter::split(&out).unwrap();
    let t: toml::Table = toml::from_str(&front).unwrap();

    // key order
    let order = [
        "code",
        "name",
        "sector",
        "level",
        "decision",
        "procedure_type",
        "applicants",
        "agency",
        "authority",
        "place",
        "delegated_agency",
        "coordinating_agency",
        "result",
        "requirements",
        "legal_basis",
        "keywords",
        "description",
        "unpublished",
        "[source]",
        "[[channels]]",
        "[[dossier]]",
    ];
    let positions: Vec<usize> = order
        .iter()
        .filter_map(|k| {
            let k = if k.starts_with('[') {
                format!("{k}\n")
            } else {
                format!("{k} = ")
            };
            front
                .find(&format!("\n{k}"))
                .or_else(|| front.starts_with(&k).then_some(0))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{front}");

    assert_eq!(t["code"].as_str(), Some("1.000001"));
    assert_eq!(t["level"].as_str(), Some("xa"));
    assert_eq!(
        t["unpublished"].as_array().unwrap(),
        &vec![
            toml::Value::from("agency"),
            toml::Value::from("time"),
            toml::Value::from("fees")
        ]
    );
    assert_eq!(t["keywords"].as_array().unwrap().len(), 1);
    assert!(t.get("description").is_none(), "same as requirements");
    let source = t["source"].as_table().unwrap();
    assert_eq!(source["origin"].as_str(), Some("dvcqg"));
    assert_eq!(source["description_same_as"].as_str(), Some("requirements"));
    assert!(source["applicants"]
        .as_str()
        .unwrap()
        .contains("Cán bộ, công chức"));
    assert!(source["legal_basis"].as_str().unwrap().contains("bổ\nsung"));
    assert_eq!(
        t["requirements"].as_str(),
        Some("Có giấy tờ.\n\n+ Bản chính hợp lệ.")
    );

    let ch = t["channels"].as_array().unwrap();
    let c0 = ch[0].as_table().unwrap();
    assert_eq!(c0["method"].as_str(), Some("truc-tiep"));
    let time = c0["time"].as_table().unwrap();
    assert_eq!(time["value"].as_integer(), Some(3));
    assert_eq!(time["unit"].as_str(), Some("working-days"));
    assert_eq!(time["raw"].as_str(), Some("3 WORKING_DAY"));
    assert_eq!(c0["fees"].as_array().unwrap().len(), 2);
    let c1 = ch[1].as_table().unwrap();
    assert_eq!(c1["time"]["text"].as_str(), Some(OTHER_TIME_TEXT));
    assert!(c1.get("fees").is_none());
    let c2 = ch[2].as_table().unwrap();
    assert!(c2.get("time").is_none());
    let fee = c2["fees"][0].as_table().unwrap();
    assert_eq!(fee["amount"].as_integer(), Some(0));
    assert!(fee.get("text").is_none());
    assert_eq!(fee["raw"].as_str(), Some("0 VNĐ ()"));

    let d = t["dossier"].as_array().unwrap();
    assert!(d[0].get("case").is_none());
    let note = d[1]["items"][1].as_table().unwrap();
    assert_eq!(note["name"].as_str(), Some("Lưu ý"));
    assert_eq!(note["note"].as_str(), Some("không cần công chứng"));

    assert_eq!(
        body,
        "Bước 1: Nộp hồ sơ.\n\nBước 2: Nhận kết quả.\n\n- chi tiết thụt lề\n"
    );
}

#[test]
fn markdown_escapes_what_would_be_lost() {
    assert_eq!(markdown_line("# not a heading"), "\\# not a heading");
    assert_eq!(markdown_line("---"), "\\---");
    assert_eq!(markdown_line("> quote"), "\\> quote");
    assert_eq!(markdown_line("[1]: x"), "\\[1]: x");
    assert_eq!(markdown_line("~~~"), "\\~~~");
    assert_eq!(
        markdown_line("a <b>c</b> & d &amp; e"),
        "a \\<b>c\\</b> & d \\&amp; e"
    );
    assert_eq!(markdown_line("`code` a\\b"), "\\`code\\` a\\\\b");
    assert_eq!(markdown_line("- bullet stays"), "- bullet stays");
    assert_eq!(markdown_line("1. list stays"), "1. list stays");
    assert_eq!(markdown_line("x < 5 ngày"), "x < 5 ngày");
    assert_eq!(markdown_paragraphs("  a\n\n\n\t    b  \n"), "a\n\nb");
}

/// A small deterministic generator, so the mutation test needs no extra crate.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn mutated_records_never_panic_and_always_write_valid_toml() {
    let lines: Vec<&str> = SAMPLE.lines().collect();
    let junk = [
        "",
        " ",
        "+++",
        "\"\"\"",
        "\\",
        "* Hình thức nộp: DIRECT",
        "    - x",
        "[",
        "]",
        "      Số lượng: Bản chính: 1, Bản sao: 1",
        "Mô tả:",
        "Từ khóa:",
        "(",
        ")",
        "1 VNĐ (",
        " | ",
        "Ơ",
        "\u{301}",
        "\t",
        "Mã thủ tục: 2",
    ];
    let mut rng = Lcg(42);
    let mut oks = 0;
    for _ in 0..3000 {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        for _ in 0..1 + rng.next(4) {
            let i = rng.next(l.len());
            match rng.next(5) {
                0 => {
                    l.remove(i);
                }
                1 => l.insert(i, junk[rng.next(junk.len())].to_string()),
                2 => {
                    let j = rng.next(l.len());
                    l.swap(i, j);
                }
                3 => {
                    let s: Vec<char> = l[i].chars().collect();
                    let k = rng.next(s.len() + 1);
                    let mut t: String = s[..k].iter().collect();
                    t.push_str(junk[rng.next(junk.len())]);
                    t.extend(s[k..].iter());
                    l[i] = t;
                }
                _ => {
                    let s: Vec<char> = l[i].chars().collect();
                    l[i] = s[..rng.next(s.len() + 1)].iter().collect();
                }
            }
            if l.is_empty() {
                break;
            }
        }
        let text = l.join("\n");
        match parse(&text) {
            Ok(r) => {
                oks += 1;
                let out = record_to_toml(&r);
                let (front, _) = frontmatter::split(&out).unwrap();
                let parsed: Result<toml::Table, _> = toml::from_str(&front);
                assert!(parsed.is_ok(), "{text}\n---\n{out}");
            }
            Err(errors) => {
                assert!(!errors.is_empty());
                for e in errors {
                    assert!(!e.message.is_empty());
                }
            }
        }
    }
    assert!(oks > 100, "{oks}");
}
