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
    s.check()
        .fails()
        .has("error", "content/tinh/xa-a/b.md:3:", &["invalid TOML"]);
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
        &["not closed", "+++"],
    );
}

#[test]
fn missing_required_key_names_key_and_label() {
    let s = base();
    let text = procedure_md("1.000002", "Thủ tục B", "")
        .replace("agency = \"Ủy ban nhân dân cấp xã\"\n", "");
    s.write("content/tinh/xa-a/b.md", &text);
    s.check().fails().has(
        "error",
        "content/tinh/xa-a/b.md:2:1",
        &["missing required key `agency`", "cơ quan thực hiện"],
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
    for key in [
        "sector",
        "level",
        "applicants",
        "agency",
        "result",
        "legal_basis",
        "channels",
        "dossier",
        "steps",
    ] {
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
            "expected a list of strings, found an integer",
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
        &["duplicate code `1.000001`", "content/tinh/xa-a/a.md:3:8"],
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
        &["duplicate code `2.000001` in the catalogue"],
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
        &["`adopt`", "`9.999999` is not in the catalogue"],
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
        &["`forms[1].file`", "does not exist"],
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
        &["`forms[1].file`", "outside content/"],
    );
    let absolute = procedure_md(
        "1.000004",
        "D",
        "forms = [{ name = \"Tờ khai\", file = \"/etc/passwd\" }]",
    );
    s.write("content/tinh/xa-a/d.md", &absolute);
    s.check()
        .fails()
        .has("error", "content/tinh/xa-a/d.md:2:", &["absolute path"]);
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
    s.check()
        .fails()
        .has("error", "content/tinh/xa-moi", &["no _unit.toml", "a.md"]);
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
        &["`tinh/xa-a`", "unit tinh/xa-a", "same address"],
    );
}

#[test]
fn reserved_and_invalid_folder_names() {
    let s = base();
    s.write("content/tthc/_unit.toml", &unit_toml("X", "tinh", ""));
    s.check().fails().has(
        "error",
        "content/tthc/_unit.toml",
        &["`tthc`", "used by the site"],
    );
    let s = base();
    s.write("content/Tinh_Moi/_unit.toml", &unit_toml("X", "tinh", ""));
    s.check().fails().has(
        "error",
        "content/Tinh_Moi/_unit.toml",
        &["\"Tinh_Moi\"", "lowercase"],
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
    s.check()
        .fails()
        .has("error", "site.toml:2:12", &["`base_url`", "absolute URL"]);
    s.remove("site.toml");
    s.check()
        .fails()
        .has("error", "site.toml", &["cannot read"]);
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
        &["`channels[2].fees[1]`", "a fee of 0 with no text"],
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
        &["`channels[2].fees[1]`", "`amount`", "`text`"],
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
        &["`channels[2].time`", "neither value nor text"],
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
            "`channels[2].time.value`",
            "without `channels[2].time.unit`",
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
    r.has(
        "warning",
        "content/tinh/huyen-x/_unit.toml:1:1",
        &["`kind`", "`huyen`", "01/07/2025"],
    );
    r.has(
        "warning",
        "content/tinh/huyen-x/thi-tran-y/_unit.toml:1:1",
        &["`thi-tran`"],
    );
    let r = s.run("check", &["--today", "2025-06-30"]);
    assert!(!r.stderr.contains("no longer exists"), "{}", r.stderr);
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
        &["`agency`", "not published by the source"],
    );
}

#[test]
fn unknown_keys_warn_with_location() {
    let s = base();
    let text = procedure_md("1.000002", "B", "agnecy = \"typo\"");
    s.write("content/tinh/xa-a/b.md", &text);
    s.check().ok().has(
        "warning",
        "content/tinh/xa-a/b.md:2:1",
        &["unknown key `agnecy`"],
    );
}

#[test]
fn invalid_utf8_and_bom_and_crlf() {
    let s = base();
    s.write_bytes(
        "content/tinh/xa-a/b.md",
        b"+++\ncode = \"1.000002\"\nname = \"\xff\xfe\"\n+++\n",
    );
    s.check()
        .fails()
        .has("error", "content/tinh/xa-a/b.md:3:9", &["not valid UTF-8"]);
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
    r.has("error", "content/tinh/xa-a/b.md:3:", &["invalid TOML"]);
    r.has("error", "content/tinh/xa-b/_unit.toml:2:8", &["`kind`"]);
    r.has("error", "content/tinh/xa-c", &["no _unit.toml"]);
    assert!(r.stderr.contains("3 error(s)"), "{}", r.stderr);
}
