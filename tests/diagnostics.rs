//! Every error and warning the format lists, each triggered by a fixture and asserted to
//! name the file, the line and the key. No input may crash the binary (exit 101).

mod common;
use common::*;

/// A valid site with one unit publishing one local procedure; tests break one thing.
fn base() -> Site {
    let s = Site::new();
    s.write(
        "content/tinh/_unit.toml",
        &unit_toml("Tỉnh Thử", "tinh", ""),
    );
    s.write("content/tinh/xa-a/_unit.toml", &unit_toml("Xã A", "xa", ""));
    s.write(
        "content/tinh/xa-a/a.md",
        &procedure_md("1.000001", "Thủ tục A", ""),
    );
    s.check().ok();
    s
}

#[test]
fn invalid_toml_names_line_and_column() {
    let s = base();
    s.write(
        "content/tinh/xa-a/b.md",
        "+++\ncode = \"1.000002\"\nname = \"Thủ tục B\n+++\n",
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:3:",
        &["TOML không hợp lệ", "chưa đóng"],
    );
    s.build(&[]).fails();
    assert!(!s.out().exists(), "nothing written");
}

#[test]
fn unclosed_front_matter() {
    let s = base();
    s.write("content/tinh/xa-a/b.md", "+++\ncode = \"1.000002\"\n");
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:1:1",
        &["chưa đóng", "`+++`"],
    );
}

#[test]
fn missing_required_key_names_key_and_label() {
    let s = base();
    let text = procedure_md("1.000002", "Thủ tục B", "")
        .replace("agency = \"Ủy ban nhân dân cấp xã\"\n", "");
    s.write("content/tinh/xa-a/b.md", &text);
    // At the first key of the front matter (line 3: line 2 is blank), not a comment.
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:3:1",
        &[
            "thiếu khóa bắt buộc `agency`",
            "cơ quan thực hiện",
            "Viết: `agency = \"",
        ],
    );
}

#[test]
fn missing_keys_are_all_reported_at_once() {
    let s = base();
    s.write(
        "content/tinh/xa-a/b.toml",
        "code = \"1.000002\"\nname = \"B\"\n",
    );
    let r = s.check();
    r.fails();
    // Every key the disclosure rules require, but the two the file gives.
    let required = niemyet::disclosure::required_keys();
    assert!(required.len() >= 11, "{required:?}");
    for key in required.iter().filter(|k| !["code", "name"].contains(k)) {
        r.has(
            "error",
            "content/tinh/xa-a/b.toml:1:1",
            &[&format!("`{key}`")],
        );
    }
}

#[test]
fn wrong_type_points_at_the_value() {
    let s = base();
    let text = procedure_md("1.000002", "Thủ tục B", "")
        .replace("applicants = [\"Công dân Việt Nam\"]", "applicants = 5");
    s.write("content/tinh/xa-a/b.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:8:14",
        &[
            "`applicants`",
            "đối tượng thực hiện",
            "cần một danh sách chữ",
            "nhưng đây là một số nguyên",
            "Viết: `applicants = [\"Công dân Việt Nam\"]`",
        ],
    );
}

#[test]
fn unknown_enum_value_lists_the_valid_ones() {
    let s = base();
    let text =
        procedure_md("1.000002", "Thủ tục B", "").replace("level = \"xa\"", "level = \"cap-xa\"");
    s.write("content/tinh/xa-a/b.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:6:9",
        &[
            "`level`",
            "cấp thực hiện",
            "trung-uong, tinh, huyen, xa",
            "\"cap-xa\"",
            "ý bạn là \"xa\"?",
        ],
    );
    let text = procedure_md("1.000003", "Thủ tục C", "")
        .replace("method = \"truc-tuyen\"", "method = \"online\"");
    s.write("content/tinh/xa-a/c.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/c.md:",
        &["`channels[2].method`", "hình thức nộp", "truc-tiep"],
    );
    s.write(
        "content/tinh/xa-b/_unit.toml",
        &unit_toml("Xã B", "commune", ""),
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-b/_unit.toml:2:8",
        &["`kind`", "loại đơn vị", "phuong"],
    );
}

#[test]
fn duplicate_code_in_one_unit() {
    let s = base();
    s.write(
        "content/tinh/xa-a/z.md",
        &procedure_md("1.000001", "Bản trùng", ""),
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/z.md:3:8",
        &["mã `1.000001` trùng", "content/tinh/xa-a/a.md:3:8"],
    );
}

#[test]
fn duplicate_code_in_the_catalogue() {
    let s = base();
    s.write("content/_catalog/x.md", &procedure_md("2.000001", "X", ""));
    s.write(
        "content/_catalog/sub/y.md",
        &procedure_md("2.000001", "Y", ""),
    );
    s.check().fails().has(
        "error",
        "content/_catalog/x.md:3:8",
        &["mã `2.000001` trùng trong danh mục chung"],
    );
}

#[test]
fn adopted_code_missing_from_catalogue() {
    let s = base();
    s.write(
        "content/tinh/xa-b/_unit.toml",
        &unit_toml("Xã B", "xa", "adopt = [\"1.000001\", \"9.999999\"]"),
    );
    s.write("content/_catalog/a.md", &procedure_md("1.000001", "A", ""));
    s.check().fails().has(
        "error",
        "content/tinh/xa-b/_unit.toml:3:22",
        &["`adopt`", "`9.999999` không có trong danh mục chung"],
    );
}

#[test]
fn form_file_missing_or_outside_content() {
    let s = base();
    let missing = procedure_md(
        "1.000002",
        "B",
        "forms = [{ name = \"Tờ khai\", file = \"forms/khong-co.pdf\" }]",
    );
    s.write("content/tinh/xa-a/b.md", &missing);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:2:",
        &["`forms[1].file`", "không có tệp"],
    );
    let outside = procedure_md(
        "1.000003",
        "C",
        "forms = [{ name = \"Tờ khai\", file = \"../../../site.toml\" }]",
    );
    s.write("content/tinh/xa-a/c.md", &outside);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/c.md:2:",
        &["`forms[1].file`", "ra ngoài content/"],
    );
    let absolute = procedure_md(
        "1.000004",
        "D",
        "forms = [{ name = \"Tờ khai\", file = \"/etc/passwd\" }]",
    );
    s.write("content/tinh/xa-a/d.md", &absolute);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/d.md:2:",
        &["đường dẫn tuyệt đối"],
    );
}

#[test]
fn dossier_item_naming_an_unknown_form() {
    let s = base();
    let text = procedure_md("1.000002", "B", "")
        .replace("originals = 1 }", "originals = 1, form = \"Mẫu X\" }");
    s.write("content/tinh/xa-a/b.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:",
        &["`dossier[1].items[2].form`", "\"Mẫu X\""],
    );
}

#[test]
fn procedure_folder_without_unit_toml() {
    let s = base();
    s.write(
        "content/tinh/xa-moi/a.md",
        &procedure_md("1.000009", "X", ""),
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-moi",
        &[
            "không có _unit.toml",
            "a.md",
            "niemyet new unit tinh/xa-moi",
        ],
    );
}

#[test]
fn two_units_claiming_the_same_address() {
    let s = base();
    s.write(
        "content/tinh/xa-b/_unit.toml",
        &unit_toml(
            "Xã B",
            "xa",
            "[[former]]\npath = \"tinh/xa-a\"\nname = \"Xã A cũ\"",
        ),
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-b/_unit.toml:3:1",
        &["`tinh/xa-a`", "đơn vị tinh/xa-a", "cùng một địa chỉ"],
    );
}

#[test]
fn reserved_and_invalid_folder_names() {
    let s = base();
    s.write("content/tthc/_unit.toml", &unit_toml("X", "tinh", ""));
    s.check().fails().has(
        "error",
        "content/tthc/_unit.toml",
        &["`tthc`", "trang dùng riêng"],
    );
    let s = base();
    s.write("content/Tinh_Moi/_unit.toml", &unit_toml("X", "tinh", ""));
    s.check().fails().has(
        "error",
        "content/Tinh_Moi/_unit.toml",
        &["\"Tinh_Moi\"", "chữ thường"],
    );
}

#[test]
fn unit_publishing_without_office_or_feedback() {
    let s = Site::new();
    s.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://x.example/\"\n",
    );
    s.write("content/xa/_unit.toml", "name = \"Xã\"\nkind = \"xa\"\n");
    s.write("content/xa/a.md", &procedure_md("1.000001", "A", ""));
    let r = s.check();
    r.fails();
    r.has(
        "error",
        "content/xa/_unit.toml:1:1",
        &["`office`", "nơi tiếp nhận hồ sơ"],
    );
    r.has(
        "error",
        "content/xa/_unit.toml:1:1",
        &["`feedback`", "phản ánh, kiến nghị"],
    );
}

#[test]
fn site_toml_problems() {
    let s = base();
    s.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"thutuc.example\"\n",
    );
    s.check().fails().has(
        "error",
        "site.toml:2:12",
        &[
            "`base_url`",
            "địa chỉ đầy đủ",
            "Viết: `base_url = \"https://",
        ],
    );
    // No site.toml: not a site at all, a bad --root (exit 2), said so.
    s.remove("site.toml");
    let r = s.check();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("không có site.toml"), "{}", r.stderr);
}

#[test]
fn fee_of_zero_with_no_text_warns() {
    let s = base();
    let text = procedure_md("1.000002", "B", "").replace(
        "fees = [{ amount = 7000, text = \"Nộp trực tuyến\" }]",
        "fees = [{ amount = 0 }]",
    );
    s.write("content/tinh/xa-a/b.md", &text);
    let r = s.check();
    r.ok();
    r.has(
        "warning",
        "content/tinh/xa-a/b.md:21:9",
        &[
            "`channels[2].fees[1]`",
            "mức thu 0 đồng mà không có diễn giải",
        ],
    );
}

#[test]
fn fee_with_neither_amount_nor_text_is_an_error() {
    let s = base();
    let text = procedure_md("1.000002", "B", "").replace(
        "fees = [{ amount = 7000, text = \"Nộp trực tuyến\" }]",
        "fees = [{ }]",
    );
    s.write("content/tinh/xa-a/b.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:21:9",
        &[
            "`channels[2].fees[1]`",
            "`amount`",
            "`text`",
            "Viết: `{ amount = 15000",
        ],
    );
}

#[test]
fn time_with_neither_value_nor_text_warns() {
    let s = base();
    let text = procedure_md("1.000002", "B", "").replace(
        "time = { value = 3, unit = \"working-days\" }\nfees = [{ amount = 7000",
        "time = { }\nfees = [{ amount = 7000",
    );
    s.write("content/tinh/xa-a/b.md", &text);
    let r = s.check();
    r.ok();
    r.has(
        "warning",
        "content/tinh/xa-a/b.md:20:8",
        &["`channels[2].time`", "không có số", "diễn giải"],
    );
    let text = procedure_md("1.000003", "C", "").replace(
        "time = { value = 3, unit = \"working-days\" }\nfees = [{ amount = 7000",
        "time = { value = 3 }\nfees = [{ amount = 7000",
    );
    s.write("content/tinh/xa-a/c.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/c.md:20:8",
        &[
            "`channels[2].time`",
            "có `value` mà thiếu `unit`",
            "Viết: `time = { value = 3, unit = \"working-days\" }`",
        ],
    );
}

#[test]
fn stale_unit_kind_warns_after_the_reorganisation() {
    let s = base();
    s.write(
        "content/tinh/huyen-x/_unit.toml",
        &unit_toml("Huyện X", "huyen", ""),
    );
    s.write(
        "content/tinh/huyen-x/thi-tran-y/_unit.toml",
        &unit_toml("Thị trấn Y", "thi-tran", ""),
    );
    let r = s.check();
    r.ok();
    // At the `kind` value (line 2), not at the file's start.
    r.has(
        "warning",
        "content/tinh/huyen-x/_unit.toml:2:8",
        &["`kind`", "`huyen`", "01/07/2025"],
    );
    r.has(
        "warning",
        "content/tinh/huyen-x/thi-tran-y/_unit.toml:2:8",
        &["`thi-tran`"],
    );
    let r = s.run("check", &["--today", "2025-06-30"]);
    assert!(!r.stderr.contains("không còn"), "{}", r.stderr);
}

#[test]
fn unpublished_keys_warn_instead_of_error() {
    let s = base();
    let text = procedure_md("1.000002", "B", "unpublished = [\"agency\"]")
        .replace("agency = \"Ủy ban nhân dân cấp xã\"\n", "");
    s.write("content/tinh/xa-a/b.md", &text);
    let r = s.check();
    r.ok();
    r.has(
        "warning",
        "content/tinh/xa-a/b.md:2:1",
        &["`agency`", "nguồn không công bố"],
    );
}

#[test]
fn unknown_keys_are_errors_naming_the_closest_key() {
    let s = base();
    let text = procedure_md("1.000002", "B", "agnecy = \"typo\"");
    s.write("content/tinh/xa-a/b.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:2:1",
        &["`agnecy`", "ý bạn là `agency`?"],
    );
    s.build(&[]).fails();
    assert!(!s.out().exists(), "nothing written");
}

#[test]
fn invalid_utf8_and_bom_and_crlf() {
    let s = base();
    s.write_bytes(
        "content/tinh/xa-a/b.md",
        b"+++\ncode = \"1.000002\"\nname = \"\xff\xfe\"\n+++\n",
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:3:9",
        &["không phải văn bản UTF-8"],
    );
    let s = base();
    let crlf = procedure_md("1.000002", "Thủ tục CRLF", "").replace('\n', "\r\n");
    s.write("content/tinh/xa-a/b.md", &format!("\u{feff}{crlf}"));
    s.build(&[]).ok();
    assert!(s
        .page("tinh/xa-a/1.000002/index.html")
        .contains("Thủ tục CRLF"));
}

#[test]
fn all_problems_reported_across_files_in_one_run() {
    let s = base();
    s.write(
        "content/tinh/xa-a/b.md",
        "+++\ncode = \"1.000002\"\nname = \n+++\n",
    );
    s.write(
        "content/tinh/xa-b/_unit.toml",
        "name = \"Xã B\"\nkind = 3\n",
    );
    s.write("content/tinh/xa-c/a.md", &procedure_md("1.000003", "X", ""));
    let r = s.check();
    r.fails();
    r.has(
        "error",
        "content/tinh/xa-a/b.md:3:",
        &["TOML không hợp lệ", "thiếu giá trị sau dấu ="],
    );
    r.has("error", "content/tinh/xa-b/_unit.toml:2:8", &["`kind`"]);
    r.has("error", "content/tinh/xa-c", &["không có _unit.toml"]);
    // The two warnings: the fixture's example addresses (base_url, feedback e-mail).
    assert!(r.stderr.contains("3 lỗi, 2 cảnh báo"), "{}", r.stderr);
}

/// A misspelt key is an error wherever it is: in site.toml, a unit, a procedure, and every
/// table inside them; each names the closest known key.
#[test]
fn unknown_keys_in_every_table_name_the_closest_key() {
    let cases: [(&str, &str, &str, &str, &str); 10] = [
        // (file, text to replace, replacement, key as reported, suggestion)
        (
            "site.toml",
            "phone = ",
            "phnoe = ",
            "feedback.phnoe",
            "phone",
        ),
        (
            "content/tinh/xa-a/_unit.toml",
            "phone = ",
            "phoen = ",
            "office.phoen",
            "phone",
        ),
        (
            "content/tinh/xa-a/_unit.toml",
            "kind = ",
            "knid = ",
            "knid",
            "kind",
        ),
        (
            "content/tinh/xa-a/a.md",
            "method = \"truc-tiep\"",
            "method = \"truc-tiep\"\nnotes = \"x\"",
            "channels[1].notes",
            "note",
        ),
        (
            "content/tinh/xa-a/a.md",
            "{ amount = 15000, text",
            "{ amout = 15000, text",
            "channels[1].fees[1].amout",
            "amount",
        ),
        (
            "content/tinh/xa-a/a.md",
            "{ value = 3, unit",
            "{ vaule = 3, unit",
            "channels[1].time.vaule",
            "value",
        ),
        (
            "content/tinh/xa-a/a.md",
            "case = \"Giấy tờ phải nộp\"",
            "cases = \"Giấy tờ phải nộp\"",
            "dossier[1].cases",
            "case",
        ),
        (
            "content/tinh/xa-a/a.md",
            "originals = 1, copies = 0",
            "originals = 1, coppies = 0",
            "dossier[1].items[1].coppies",
            "copies",
        ),
        (
            "content/tinh/xa-a/a.md",
            "code = ",
            "forms = [{ name = \"Tờ khai\", fiel = \"a.pdf\" }]\ncode = ",
            "forms[1].fiel",
            "file",
        ),
        (
            "content/tinh/xa-a/a.md",
            "code = ",
            "phi_le_phi = \"15.000 đồng\"\ncode = ",
            "phi_le_phi",
            "channels[].fees",
        ),
    ];
    for (file, from, to, key, suggestion) in cases {
        let s = base();
        let text = std::fs::read_to_string(s.path().join(file)).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        s.write(file, &text.replacen(from, to, 1));
        s.check().fails().has(
            "error",
            &format!("{file}:"),
            &[&format!("`{key}`"), &format!("ý bạn là `{suggestion}`?")],
        );
    }
    // A former unit's table too.
    let s = base();
    s.write(
        "content/tinh/xa-b/_unit.toml",
        &unit_toml(
            "Xã B",
            "xa",
            "[[former]]\npath = \"tinh/xa-cu\"\nname = \"Xã Cũ\"\nbasic = \"NQ\"",
        ),
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-b/_unit.toml:6:1",
        &["`former[1].basic`", "ý bạn là `basis`?"],
    );
}

/// Keys of a site's own go in `[extra]`, anywhere, unchecked.
#[test]
fn extra_tables_hold_a_sites_own_keys() {
    let s = base();
    s.write(
        "site.toml",
        &format!("{SITE_TOML}\n[extra]\nlogo = \"logo.png\"\nnam = 2025\n"),
    );
    s.write(
        "content/tinh/xa-a/_unit.toml",
        &unit_toml("Xã A", "xa", "[extra]\nma_bhxh = \"X1\""),
    );
    s.write(
        "content/tinh/xa-a/b.md",
        &procedure_md("1.000002", "B", "extra = { noi_bat = true }"),
    );
    s.check().ok();
    s.build(&[]).ok();
    // `extra` must be a table.
    s.write(
        "content/tinh/xa-a/b.md",
        &procedure_md("1.000002", "B", "extra = \"x\""),
    );
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:2:9",
        &["`extra`", "cần một bảng"],
    );
}

/// Messages in English when the site says `language = "en"`, or with `--lang en`; the
/// key, location and the form to write are the same.
#[test]
fn messages_are_english_on_request() {
    let s = base();
    let text = procedure_md("1.000002", "B", "").replace(
        "fees = [{ amount = 7000, text = \"Nộp trực tuyến\" }]",
        "fees = [{ amount = \"7.000 đồng\" }]",
    );
    s.write("content/tinh/xa-a/b.md", &text);
    let vi = s.check();
    vi.fails().has(
        "error",
        "content/tinh/xa-a/b.md:21:20",
        &[
            "`channels[2].fees[1].amount` (mức thu)",
            "cần một số nguyên",
            "Viết: `amount = 7000`",
        ],
    );
    let en = s.run("check", &["--today", "2026-11-23", "--lang", "en"]);
    en.fails().has(
        "error",
        "content/tinh/xa-a/b.md:21:20",
        &[
            "`channels[2].fees[1].amount` (mức thu)",
            "expected a whole number",
            "found a string",
            "Write: `amount = 7000`",
        ],
    );
    assert!(
        en.stderr.contains("1 error(s), 2 warning(s)"),
        "{}",
        en.stderr
    );
    // The site's own language, when no --lang is given.
    s.write(
        "site.toml",
        &SITE_TOML.replace("title =", "language = \"en\"\ntitle ="),
    );
    let r = s.check();
    assert!(r.stderr.contains("Write: `amount = 7000`"), "{}", r.stderr);
    // --lang wins over the site.
    let r = s.run("check", &["--lang", "vi"]);
    assert!(r.stderr.contains("Viết: `amount = 7000`"), "{}", r.stderr);
    let r = s.run("check", &["--lang", "fr"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

/// A folder between units without `_unit.toml` is an error naming the folder and the
/// command that makes it a unit; its page would otherwise be missing.
#[test]
fn a_folder_between_units_without_unit_toml_is_reported() {
    let s = base();
    s.write(
        "content/tinh/huyen-x/xa-y/_unit.toml",
        &unit_toml("Xã Y", "xa", ""),
    );
    s.check().fails().has(
        "error",
        "content/tinh/huyen-x:",
        &[
            "không có _unit.toml",
            "tinh/huyen-x/xa-y",
            "/tinh/huyen-x/",
            "niemyet new unit tinh/huyen-x",
        ],
    );
    s.build(&[]).fails();
    // A folder of forms inside a unit is not a folder between units.
    let s = base();
    s.write_bytes("content/tinh/xa-a/mau/to-khai.pdf", b"%PDF-1.4");
    s.check().ok();
}
