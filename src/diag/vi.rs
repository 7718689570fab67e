//! Các thông báo bằng tiếng Việt (ngôn ngữ mặc định). Mỗi thông báo nói điều gì sai và,
//! khi có thể, cách viết đúng ("Viết: …") để người quản trị chép lại.

use super::fix;
use super::msg::{
    self, is_optional, key_desc as kd, Claimant, Expected, Found, Msg, Part, TomlProblem,
};

fn expected(e: Expected) -> &'static str {
    match e {
        Expected::String => "một chuỗi chữ trong ngoặc kép",
        Expected::Text => "một đoạn chữ trong ngoặc kép, không để trống",
        Expected::TextList => "một danh sách chữ [\"…\", \"…\"]",
        Expected::WholeNumber => "một số nguyên viết liền (không dấu chấm, không đơn vị)",
        Expected::Number => "một số",
        Expected::Bool => "true hoặc false",
        Expected::Date => "một ngày viết năm-tháng-ngày, không ngoặc kép",
        Expected::Table => "một bảng { … }",
        Expected::List => "một danh sách [ … ]",
        Expected::TableList => "một danh sách bảng [{ … }, { … }]",
    }
}

fn found(f: Found) -> &'static str {
    match f {
        Found::String => "một chuỗi chữ",
        Found::Integer => "một số nguyên",
        Found::Float => "một số thập phân",
        Found::Bool => "true/false",
        Found::Date => "một ngày",
        Found::List => "một danh sách",
        Found::Table => "một bảng",
    }
}

fn claimant(c: &Claimant) -> String {
    match c {
        Claimant::Unit { path } => format!("đơn vị {path}"),
        Claimant::Procedure { code, unit } => format!("thủ tục {code} của {unit}"),
    }
}

/// " Viết: `…`" when there is a form to show.
fn write(fix: Option<&str>) -> String {
    fix.map(|f| format!(". Viết: `{f}`")).unwrap_or_default()
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

pub fn text(m: &Msg) -> String {
    match m {
        Msg::Text(s) => s.clone(),
        Msg::CannotRead { error } => format!("không đọc được: {error}"),
        Msg::TooLarge { len, max } => format!(
            "tệp dài {len} byte; niemyet không đọc tệp lớn hơn {max} byte"
        ),
        Msg::NotUtf8 => "tệp không phải văn bản UTF-8 (hãy lưu lại với bảng mã UTF-8)".into(),
        Msg::FrontMatterMissing => "thiếu phần khóa đầu tệp: tệp phải bắt đầu bằng một dòng `+++`, rồi các khóa TOML, rồi một dòng `+++` đóng lại".into(),
        Msg::FrontMatterYaml => "phần đầu tệp kiểu YAML (---) không được hỗ trợ: hãy viết các khóa TOML giữa hai dòng `+++`".into(),
        Msg::FrontMatterUnclosed => "phần khóa đầu tệp chưa đóng: thêm một dòng `+++` sau các khóa TOML".into(),
        Msg::Toml {
            key,
            problem,
            fix,
            detail,
        } => {
            let at = key.as_deref().map(|k| format!("{}: ", kd(k))).unwrap_or_default();
            let what = match problem {
                TomlProblem::DateDayFirst => "ngày phải viết theo thứ tự năm-tháng-ngày, không ngoặc kép",
                TomlProblem::DateDigits => "tháng và ngày phải có đủ hai chữ số (năm-tháng-ngày)",
                TomlProblem::DateImpossible => "ngày này không có trong lịch",
                TomlProblem::GroupedNumber => "số viết liền, không có dấu chấm hay dấu phẩy ngăn cách hàng nghìn",
                TomlProblem::TimeWords => "thời hạn là một bảng gồm số và đơn vị, không phải chữ",
                TomlProblem::Unquoted => "chữ phải đặt trong ngoặc kép",
                TomlProblem::NoValue => "thiếu giá trị sau dấu =",
                TomlProblem::UnclosedString => "chuỗi chữ mở ngoặc kép mà chưa đóng: thêm dấu \" ở cuối",
                TomlProblem::UnclosedList => "danh sách mở bằng [ mà chưa đóng: thêm dấu ] ở cuối",
                TomlProblem::UnclosedTable => "bảng mở bằng { mà chưa đóng: thêm dấu } ở cuối, trên cùng một dòng",
                TomlProblem::MissingComma => "thiếu dấu phẩy giữa các phần tử",
                TomlProblem::TooDeep => "danh sách hoặc bảng lồng nhau quá sâu (quá 256 tầng)",
                TomlProblem::DateSeparator => "ngày viết năm-tháng-ngày, các phần nối bằng dấu gạch ngang (-), không dùng dấu / hay dấu .",
                TomlProblem::DateWords => "ngày viết bằng số năm-tháng-ngày, không có chữ và không ngoặc kép",
                TomlProblem::FenceInToml => "tệp .toml không có dòng +++ hay ---: chỉ tệp .md mới đặt khóa giữa hai dòng +++; xóa hai dòng này (hoặc đổi đuôi tệp thành .md)",
                TomlProblem::FullWidth => "dấu ＝ hoặc ： toàn khổ (do bộ gõ) không dùng được: dùng dấu = thường, tắt bộ gõ khi viết khóa",
                TomlProblem::CurlyQuotes => "dấu ngoặc kép cong “ ” (do trình soạn thảo văn bản tự đổi) không dùng được: dùng dấu \" thẳng",
                TomlProblem::Colon => "giữa khóa và giá trị là dấu =, không phải dấu :",
                TomlProblem::NumberTooLarge => "số quá lớn (hoặc viết dạng 1e400): viết số thật, liền, không dấu chấm",
                TomlProblem::SampleDate => "còn giá trị mẫu YYYY-MM-DD: viết ngày thật theo thứ tự năm-tháng-ngày, không ngoặc kép, hoặc đặt lại dấu # ở đầu dòng",
                TomlProblem::SampleNumber => "còn giá trị mẫu SỐ: viết số thật, hoặc đặt lại dấu # ở đầu dòng",
                TomlProblem::Other => "",
            };
            if what.is_empty() {
                format!("{at}TOML không hợp lệ ({detail})")
            } else {
                format!("{at}TOML không hợp lệ: {what}{}", write(fix.as_deref()))
            }
        }
        Msg::DuplicateKey { key } => format!(
            "TOML không hợp lệ: khóa `{key}` được viết hai lần; mỗi khóa chỉ viết một lần (xóa một dòng)"
        ),
        Msg::SymlinkFolder => "thư mục này là liên kết tượng trưng (symbolic link); đơn vị phải là thư mục thật trong content/ (không đọc)".into(),
        Msg::SymlinkFile => "tệp này là liên kết tượng trưng (symbolic link); tệp thủ tục và tệp đơn vị phải là tệp thật trong content/".into(),
        Msg::NoContentFolder => "không có thư mục content/ (tạo trang mới bằng `niemyet init`)".into(),
        Msg::FolderWithoutUnit { count, files, path } => format!(
            "thư mục có {count} tệp thủ tục ({}) nhưng không có _unit.toml: tạo đơn vị bằng `niemyet new unit {path} --name \"…\" --kind xa`, hoặc chuyển các tệp vào một đơn vị",
            list(files)
        ),
        Msg::FolderBetweenUnits { path, units } => format!(
            "thư mục nằm giữa các đơn vị ({}) nhưng không có _unit.toml, nên trang /{path}/ không có: tạo nó bằng `niemyet new unit {path} --name \"…\" --kind …`",
            list(units)
        ),
        Msg::BadFolderName { name } => format!(
            "tên thư mục \"{name}\" không dùng làm địa chỉ được: chỉ dùng chữ thường không dấu, chữ số và dấu - (ví dụ xa-dong-loi)"
        ),
        Msg::MissingKey { key } => format!(
            "thiếu khóa bắt buộc {}{}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::UnknownKey {
            key,
            suggestion,
            known,
        } => match suggestion {
            Some(s) => format!(
                "khóa không có trong định dạng: `{key}` — ý bạn là `{s}`? (khóa riêng của trang đặt trong bảng [extra])"
            ),
            None => format!(
                "khóa không có trong định dạng: `{key}` (các khóa ở đây: {}; khóa riêng của trang đặt trong bảng [extra])",
                list(known)
            ),
        },
        Msg::WrongType {
            key,
            expected: e,
            found: f,
            fix,
        } => format!(
            "{}: cần {}, nhưng đây là {}{}",
            kd(key),
            expected(*e),
            found(*f),
            write(fix.as_deref())
        ) + if fix.as_deref().is_some_and(|f| f.contains("Miễn phí")) {
            " (không thu phí nào: cũng có thể viết `fees = []` cho cách thức này)"
        } else {
            ""
        },
        Msg::NumberTooLarge { key } => format!("{}: số quá lớn", kd(key)),
        Msg::NotFinite { key } => format!(
            "{}: cần một số hữu hạn{}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::NegativeCount { key, found } => format!(
            "{}: số bản phải từ 0 trở lên, nhưng đây là {found}{}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::NegativeTime { key, found } => format!(
            "{}: thời hạn phải từ 0 trở lên, nhưng đây là {found}",
            kd(key)
        ),
        Msg::NegativeAmount { key, found } => format!(
            "{}: mức thu (đồng) phải từ 0 trở lên, nhưng đây là {found}",
            kd(key)
        ),
        Msg::EmptyText { key } => format!(
            "{}: đang để trống; điền nội dung, hoặc nếu nguồn không công bố thì ghi khóa vào `unpublished`",
            kd(key)
        ),
        Msg::EmptyList { key } => format!(
            "{}: danh sách trống; điền ít nhất một mục, hoặc nếu nguồn không công bố thì ghi khóa vào `unpublished`{}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::BadDate { key, found, fix } => format!(
            "{}: \"{found}\" không phải ngày viết năm-tháng-ngày có trong lịch{}",
            kd(key),
            write(fix.as_deref().or(fix::example(key).as_deref()))
        ),
        Msg::BadSlug {
            key,
            found,
            expected,
            suggestion,
        } => {
            let hint = suggestion
                .as_ref()
                .map(|s| format!(" — ý bạn là \"{s}\"?"))
                .unwrap_or_default();
            format!(
                "{}: \"{found}\" không phải giá trị hợp lệ{hint} (chọn một trong: {})",
                kd(key),
                list(expected)
            )
        }
        Msg::BadUrl { key, found } => format!(
            "{}: cần một địa chỉ web bắt đầu bằng https:// hoặc http://, nhưng đây là \"{found}\"",
            kd(key)
        ),
        Msg::BadPhone { key, found } => format!(
            "{}: \"{found}\" không phải số điện thoại (trang sẽ làm nó thành liên kết gọi điện): viết số, ví dụ `phone = \"0207 3822 000\"`; chưa có số thì xóa cả dòng",
            kd(key)
        ),
        Msg::BadEmail { key, found } => format!(
            "{}: \"{found}\" không phải địa chỉ thư điện tử (dạng tên@miền.vn, không dấu cách): ví dụ `email = \"motcua@xa.gov.vn\"`; chưa có thì xóa cả dòng",
            kd(key)
        ),
        Msg::TimeZero { key } => format!(
            "{}: thời hạn 0 sẽ hiện là \"0 ngày\": nếu giải quyết ngay trong ngày, viết `time = {{ text = \"Trong ngày\" }}`; nếu chưa biết, bỏ `time` và ghi \"time\" vào `unpublished`",
            kd(key)
        ),
        Msg::KeysInExtra { keys } => format!(
            "các khóa {} viết sau dòng [extra] nên thuộc bảng [extra] và không được đọc như khóa của tệp: chuyển bảng [extra] xuống cuối tệp (mọi khóa sau một dòng [bảng] đều thuộc bảng đó)",
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
        Msg::Placeholder { key, value } => format!(
            "{}: còn giá trị mẫu \"{value}\": thay bằng thông tin thật{}",
            kd(key),
            if is_optional(key) {
                " (khóa này không bắt buộc: cũng có thể xóa cả dòng)"
            } else {
                ""
            }
        ),
        Msg::SampleAddress { key, value } => format!(
            "{}: địa chỉ mẫu \"{value}\" còn để nguyên: {}; thay bằng địa chỉ thật của cơ quan",
            kd(key),
            if msg::last_name(key) == "base_url" {
                format!("mã QR in ra sẽ dẫn tới {value}, không phải trang của cơ quan")
            } else {
                "người dân sẽ liên hệ tới một địa chỉ không có thật".to_owned()
            }
        ),
        Msg::BadBaseUrl { found } => format!(
            "{}: cần một địa chỉ đầy đủ, nhưng đây là \"{found}\". Viết: `base_url = \"https://thutuc.example.gov.vn/\"`",
            kd("base_url")
        ),
        Msg::BadTheme { found } => format!(
            "{}: \"{found}\" phải là tên một thư mục trong themes/ (chữ thường không dấu, chữ số, dấu -)",
            kd("theme")
        ),
        Msg::ThemeMissing { found, suggestion, available } => format!(
            "{}: không có thư mục themes/{found}/{}. Các giao diện có: {} (`default` là giao diện có sẵn). Viết: `theme = \"{}\"`, hoặc tạo thư mục themes/{found}/ chỉ chứa những tệp muốn thay",
            kd("theme"),
            suggestion.as_deref().map(|s| format!(" — ý bạn là `{s}`?")).unwrap_or_default(),
            list(available),
            suggestion.as_deref().unwrap_or("default"),
        ),
        Msg::UnknownLanguage { found, suggestion, available } => format!(
            "{}: giao diện không có chữ giao diện cho ngôn ngữ \"{found}\"{}. Các ngôn ngữ có: {}. Viết: `language = \"{}\"`",
            kd("language"),
            suggestion.as_deref().map(|s| format!(" — ý bạn là `{s}`?")).unwrap_or_default(),
            list(available),
            suggestion.as_deref().unwrap_or("vi"),
        ),
        Msg::BadFormerPath { key, found } => format!(
            "{}: cần địa chỉ cũ gồm các tên thư mục (chữ thường không dấu, chữ số, dấu -) nối bằng /, nhưng đây là \"{found}\". Viết: `path = \"huyen-son-duong/xa-dong-loi\"`",
            kd(key)
        ),
        Msg::BadCode { found } => format!(
            "{}: \"{found}\" không dùng làm địa chỉ được; chỉ dùng chữ, chữ số, dấu . - _. Viết: `code = \"1.001193\"`",
            kd("code")
        ),
        Msg::NotUnpublishable { item, allowed } => format!(
            "{}: không thể ghi `{item}`; chỉ ghi được các khóa: {}",
            kd("unpublished"),
            list(allowed)
        ),
        Msg::NotPublished { key } => format!(
            "{}: nguồn không công bố (có trong `unpublished`); trang hiện “Chưa công bố”",
            kd(key)
        ),
        Msg::ReplacedByWithoutRepealed => format!(
            "{} không có tác dụng khi thiếu {}",
            kd("replaced_by"),
            kd("repealed")
        ),
        Msg::EmptyChannels => format!(
            "{}: danh sách trống; cần ít nhất một cách nộp hồ sơ{}",
            kd("channels"),
            write(fix::example("channels").as_deref())
        ),
        Msg::ChannelLacks {
            key,
            part,
            unpublished,
        } => {
            let why = match (part, unpublished) {
                (_, true) => "nguồn không công bố",
                (Part::Time, false) => "chưa có",
                (Part::Fees, false) => "chưa có (kênh không thu phí thì viết `fees = []`)",
            };
            format!("{} {why}; trang hiện “Chưa công bố”", kd(key))
        }
        Msg::TimeValueWithoutUnit { key } => format!(
            "{}: có `value` mà thiếu `unit` (working-days, days, hours, months, years). Viết: `time = {{ value = 3, unit = \"working-days\" }}`",
            kd(key)
        ),
        Msg::TimeUnitWithoutValue { key } => format!(
            "{}: có `unit` mà thiếu `value`. Viết: `time = {{ value = 3, unit = \"working-days\" }}`",
            kd(key)
        ),
        Msg::TimeEmpty { key } => format!(
            "{}: thời hạn không có số (`value`) cũng không có diễn giải (`text`); trang hiện “Chưa công bố”",
            kd(key)
        ),
        Msg::FeeEmpty { key } => format!(
            "{}: một mức phí cần `amount` (mức thu, đồng) hoặc `text` (diễn giải), hoặc cả hai. Viết: `{{ amount = 15000, text = \"Lệ phí\" }}`",
            kd(key)
        ),
        Msg::FeeZeroNoText { key } => format!(
            "{}: mức thu 0 đồng mà không có diễn giải; ghi rõ vì sao không thu (ví dụ text = \"Miễn lệ phí\")",
            kd(key)
        ),
        Msg::UnknownForm { key, name } => format!(
            "{}: không có mẫu nào trong `forms` tên là \"{name}\"",
            kd(key)
        ),
        Msg::FormBoth { key } => format!("{}: chỉ ghi `file` hoặc `url`, không ghi cả hai", kd(key)),
        Msg::FormNeither { key } => format!(
            "{}: thiếu `file` (một tệp trong content/) hoặc `url`. Viết: `{{ name = \"Tờ khai\", file = \"forms/to-khai.pdf\" }}`",
            kd(key)
        ),
        Msg::FormAbsolute { key, path } => format!(
            "{}: \"{path}\" là đường dẫn tuyệt đối; ghi đường dẫn tính từ thư mục của tệp này, nằm trong content/",
            kd(key)
        ),
        Msg::FormOutside { key, path } => format!(
            "{}: \"{path}\" dẫn ra ngoài content/; mẫu đơn phải là tệp nằm trong content/",
            kd(key)
        ),
        Msg::FormMissing { key, path, looked } => format!(
            "{}: không có tệp \"{path}\" (đã tìm {looked})",
            kd(key)
        ),
        Msg::FormLinkOutside { key, path } => format!(
            "{}: \"{path}\" là liên kết tới một tệp ngoài content/",
            kd(key)
        ),
        Msg::BodyAndSteps => "phần nội dung Markdown thay cho khóa `steps`; chỉ giữ một trong hai".into(),
        Msg::DuplicateCatalogCode { code, other } => format!(
            "mã `{code}` trùng trong danh mục chung: đã có ở {other}. Mỗi mã chỉ một tệp: giữ một tệp, xóa tệp kia (thủ tục mẫu do `niemyet init` tạo, như content/_catalog/ho-tich/, xóa được khi đã nhập dữ liệu quốc gia); đơn vị muốn khác danh mục thì dùng tệp ghi đè: niemyet new procedure ĐƠN_VỊ {code}"
        ),
        Msg::DuplicateCode { code, unit, other } => format!(
            "mã `{code}` trùng trong đơn vị {unit}: đã có ở {other}"
        ),
        Msg::AdoptMissing { code } => format!(
            "{}: mã `{code}` không có trong danh mục chung (content/_catalog/)",
            kd("adopt")
        ),
        Msg::AdoptOwn { code, file } => format!(
            "{}: mã `{code}` là thủ tục riêng của đơn vị này ({file}), không phải của danh mục chung; xóa nó khỏi `adopt`",
            kd("adopt")
        ),
        Msg::StaleKind { kind } => format!(
            "{}: loại `{kind}` không còn từ 01/07/2025; chỉ giữ cho dữ liệu cũ",
            kd("kind")
        ),
        Msg::MissingOffice { unit } => format!(
            "thiếu khóa bắt buộc {}: đơn vị {unit} công bố thủ tục nên phải cho người dân biết nộp hồ sơ ở đâu. Viết: `[office]` với `name = \"…\"` và `address = \"…\"`",
            kd("office")
        ),
        Msg::MissingFeedback { unit } => format!(
            "thiếu khóa bắt buộc {}: đơn vị {unit} công bố thủ tục; khai báo ở đây, ở đơn vị cấp trên hoặc trong site.toml. Viết: `[feedback]` với `agency = \"…\"` và `address = \"…\"`",
            kd("feedback")
        ),
        Msg::RepealedBeforeEffective {
            repealed,
            effective,
        } => format!(
            "{} ({}) trước {} ({})",
            kd("repealed"),
            repealed.vi(),
            kd("effective"),
            effective.vi()
        ),
        Msg::ReplacedByNowhere { code } => format!(
            "{}: mã `{code}` không được công bố ở đâu trên trang",
            kd("replaced_by")
        ),
        Msg::ReservedTop { name } => format!(
            "tên thư mục `{name}` trùng địa chỉ trang dùng riêng (/{name}/); hãy đổi tên thư mục"
        ),
        Msg::ReservedInUnit { name } => format!(
            "tên thư mục `{name}` trùng địa chỉ các trang của đơn vị cấp trên; hãy đổi tên thư mục"
        ),
        Msg::ReservedCode { code } => format!(
            "mã `{code}` trùng địa chỉ các trang của đơn vị; không dùng làm mã thủ tục được"
        ),
        Msg::FormerReserved { path } => format!(
            "{}: địa chỉ cũ `{path}` trùng địa chỉ trang dùng riêng",
            kd("former")
        ),
        Msg::AddressTwice {
            addr,
            first,
            second,
        } => format!(
            "hai trang cùng dùng địa chỉ /{addr}/: {} và {}",
            claimant(first),
            claimant(second)
        ),
        Msg::FormerClaimed { path, who } => format!(
            "{}: địa chỉ cũ `{path}` là địa chỉ của {}: hai đơn vị không thể dùng cùng một địa chỉ",
            kd("former"),
            claimant(who)
        ),
        Msg::ReplacementLoop { chain } => format!(
            "{} vòng lại thành một vòng các thủ tục đã bãi bỏ: {}; ít nhất một thủ tục phải trỏ tới thủ tục còn hiệu lực",
            kd("replaced_by"),
            chain.join(" → ")
        ),
    }
}

/// The heading of a group of warnings in a summary.
pub fn kind_title(kind: &str) -> &'static str {
    match kind {
        "channel-lacks-time" => "kênh nộp chưa có thời hạn giải quyết",
        "channel-lacks-fees" => "kênh nộp chưa có phí, lệ phí",
        "not-published" => "thành phần nguồn không công bố (trang hiện “Chưa công bố”)",
        "fee-zero-no-text" => "mức thu 0 đồng không có diễn giải",
        "time-empty" => "thời hạn không có số cũng không có diễn giải",
        "stale-kind" => "loại đơn vị không còn từ 01/07/2025",
        "replaced-by-without-repealed" => "`replaced_by` thiếu `repealed`",
        "replaced-by-nowhere" => "thủ tục thay thế không được công bố",
        "adopt-own" => "`adopt` ghi mã thủ tục riêng của đơn vị",
        "sample-address" => "địa chỉ mẫu (example.…) chưa thay",
        "body-and-steps" => "có cả nội dung Markdown và khóa `steps`",
        "time-zero" => "thời hạn giải quyết bằng 0",
        "keys-in-extra" => "khóa của tệp nằm trong bảng [extra]",
        "other" => "cảnh báo khác",
        _ => "lỗi",
    }
}
