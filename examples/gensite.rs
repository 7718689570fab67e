//! gensite: writes deterministic benchmark sites in niemyet's content format
//! (the site-format spec: units, `_catalog/`, procedures; see `bench/README.md`).
//!
//! ```text
//! cargo run --release --example gensite -- <size> <out-dir> [--hugo <hugo-dir>]
//! ```
//!
//! Sizes:
//! - `20k`: one province with 100 communes, 200 procedure files each, no catalogue.
//! - `province`: one province, 300 communes, a catalogue of 150 adopted by every commune,
//!   ~10% of communes override one procedure's channels, 10 local procedures each.
//! - `national`: 34 provinces, 3,321 communes, one catalogue of 150 (120 commune-level,
//!   30 province-level), 0–5 local procedures per commune.
//! - `tiny`: a handful of units, every feature once; for tests.
//!
//! `--hugo <dir>` (20k only) also writes an equivalent Hugo site for comparison.
//!
//! Everything is derived from a fixed seed: the same size always gives the same bytes.
//! Only std is used.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const SEED: u64 = 0x6e69_656d_7965_7421; // "niemyet!"
const BASE_URL: &str = "https://thutuc.example.gov.vn/";
const MARKER: &str = ".gensite";

// ---------------------------------------------------------------------------
// Deterministic randomness

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A seed derived from a path of integers, so every object gets its own stream
/// regardless of the order in which others were generated.
fn seed(parts: &[u64]) -> u64 {
    parts.iter().fold(SEED, |h, &p| {
        splitmix64(h ^ p.wrapping_mul(0x2545_f491_4f6c_dd1d))
    })
}

fn str_seed(s: &str) -> u64 {
    // FNV-1a, stable across runs and platforms.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        splitmix64(self.0)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Inclusive range.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn choose<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
    /// `k` distinct elements of `xs`, in random order.
    fn sample<T: Clone>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        let k = k.min(xs.len());
        for i in 0..k {
            let j = i + self.below(xs.len() - i);
            idx.swap(i, j);
        }
        idx[..k].iter().map(|&i| xs[i].clone()).collect()
    }
}

// ---------------------------------------------------------------------------
// Vietnamese text helpers

/// Strips tone and vowel marks, maps đ to d, lowercases.
fn fold(s: &str) -> String {
    const GROUPS: [(&str, char); 7] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let folded = GROUPS
            .iter()
            .find(|(set, _)| set.contains(c))
            .map(|&(_, to)| to);
        out.push(folded.unwrap_or(c));
    }
    out
}

/// URL segment: folded, ASCII letters and digits joined by single `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn compact(s: &str) -> String {
    slug(s).replace('-', "")
}

/// Lowercases the first character ("Xã" -> "xã").
fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_lowercase().chain(cs).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// TOML emitting

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn q_list<S: AsRef<str>>(xs: &[S]) -> String {
    let items: Vec<String> = xs.iter().map(|s| q(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

// ---------------------------------------------------------------------------
// Reference data

struct Sector {
    name: &'static str,
    actions: &'static [&'static str],
    objects: &'static [&'static str],
    agency: &'static str,
    results: &'static [&'static str],
    laws: &'static [&'static str],
    ministry: &'static str,
}

const SECTORS: &[Sector] = &[
    Sector {
        name: "Hộ tịch",
        actions: &["Đăng ký", "Đăng ký lại", "Cấp bản sao trích lục", "Ghi vào Sổ hộ tịch việc", "Thay đổi, cải chính, bổ sung thông tin"],
        objects: &["khai sinh", "kết hôn", "khai tử", "nhận cha, mẹ, con", "giám hộ", "chấm dứt giám hộ", "xác định lại dân tộc"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Giấy khai sinh (bản chính)", "Trích lục hộ tịch", "Giấy chứng nhận kết hôn", "Bản sao trích lục hộ tịch"],
        laws: &[
            "Luật Hộ tịch số 60/2014/QH13",
            "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch",
            "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành Luật Hộ tịch",
            "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
        ],
        ministry: "BTP",
    },
    Sector {
        name: "Chứng thực",
        actions: &["Chứng thực", "Cấp bản sao từ sổ gốc đối với", "Chứng thực chữ ký trong", "Sửa lỗi sai sót trong"],
        objects: &["hợp đồng, giao dịch liên quan đến tài sản là động sản", "văn bản thỏa thuận phân chia di sản", "giấy tờ, văn bản", "bản sao từ bản chính giấy tờ, văn bản", "di chúc", "văn bản từ chối nhận di sản"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Bản sao được chứng thực từ bản chính", "Hợp đồng, giao dịch được chứng thực"],
        laws: &[
            "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch",
            "Thông tư số 01/2020/TT-BTP ngày 03/3/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết và hướng dẫn thi hành Nghị định số 23/2015/NĐ-CP",
            "Thông tư số 226/2016/TT-BTC ngày 11/11/2016 của Bộ trưởng Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực",
        ],
        ministry: "BTP",
    },
    Sector {
        name: "Đất đai",
        actions: &["Đăng ký", "Đăng ký biến động về", "Cấp đổi Giấy chứng nhận đối với", "Xác nhận", "Hòa giải tranh chấp về"],
        objects: &["quyền sử dụng đất lần đầu", "tài sản gắn liền với đất", "chuyển mục đích sử dụng đất", "thửa đất nông nghiệp", "đất ở tại nông thôn", "ranh giới thửa đất"],
        agency: "Văn phòng đăng ký đất đai",
        results: &["Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Xác nhận nội dung biến động vào Giấy chứng nhận đã cấp", "Biên bản hòa giải thành"],
        laws: &[
            "Luật Đất đai số 31/2024/QH15",
            "Nghị định số 101/2024/NĐ-CP ngày 29/7/2024 của Chính phủ quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền sử dụng đất",
            "Nghị định số 151/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp, phân quyền, phân cấp trong lĩnh vực đất đai",
        ],
        ministry: "BNNMT",
    },
    Sector {
        name: "Người có công",
        actions: &["Giải quyết chế độ trợ cấp đối với", "Cấp giấy giới thiệu đi thăm viếng mộ cho", "Hỗ trợ cải thiện nhà ở cho", "Xác nhận thông tin của"],
        objects: &["thân nhân liệt sĩ", "người hoạt động kháng chiến bị nhiễm chất độc hóa học", "thương binh", "người có công giúp đỡ cách mạng", "người phục vụ người có công"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Quyết định trợ cấp", "Giấy giới thiệu"],
        laws: &[
            "Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14",
            "Nghị định số 131/2021/NĐ-CP ngày 30/12/2021 của Chính phủ quy định chi tiết và biện pháp thi hành Pháp lệnh Ưu đãi người có công với cách mạng",
        ],
        ministry: "BNV",
    },
    Sector {
        name: "Bảo trợ xã hội",
        actions: &["Trợ giúp xã hội thường xuyên cho", "Điều chỉnh, thôi hưởng trợ cấp xã hội đối với", "Hỗ trợ chi phí mai táng cho", "Xác định, xác định lại mức độ khuyết tật cho"],
        objects: &["người cao tuổi", "trẻ em có hoàn cảnh đặc biệt", "người khuyết tật", "hộ nghèo, hộ cận nghèo", "đối tượng bảo trợ xã hội"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Quyết định trợ cấp xã hội", "Giấy xác nhận khuyết tật"],
        laws: &[
            "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội",
            "Luật Người khuyết tật số 51/2010/QH12",
            "Luật Người cao tuổi số 39/2009/QH12",
        ],
        ministry: "BYT",
    },
    Sector {
        name: "Đăng ký, quản lý cư trú",
        actions: &["Đăng ký", "Xóa đăng ký", "Khai báo", "Gia hạn"],
        objects: &["thường trú", "tạm trú", "lưu trú", "tạm vắng", "thường trú cho người chưa thành niên"],
        agency: "Công an cấp xã",
        results: &["Thông tin cư trú được cập nhật vào Cơ sở dữ liệu về cư trú"],
        laws: &[
            "Luật Cư trú số 68/2020/QH14",
            "Nghị định số 154/2024/NĐ-CP ngày 26/11/2024 của Chính phủ quy định chi tiết một số điều của Luật Cư trú",
            "Thông tư số 53/2025/TT-BCA của Bộ trưởng Bộ Công an",
        ],
        ministry: "BCA",
    },
    Sector {
        name: "Thành lập và hoạt động của hộ kinh doanh",
        actions: &["Đăng ký thành lập", "Đăng ký thay đổi nội dung đăng ký", "Tạm ngừng kinh doanh của", "Chấm dứt hoạt động của", "Cấp lại Giấy chứng nhận đăng ký"],
        objects: &["hộ kinh doanh", "địa điểm kinh doanh của hộ kinh doanh"],
        agency: "Phòng Kinh tế",
        results: &["Giấy chứng nhận đăng ký hộ kinh doanh"],
        laws: &[
            "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về đăng ký doanh nghiệp",
            "Thông tư số 68/2025/TT-BTC của Bộ trưởng Bộ Tài chính",
        ],
        ministry: "BTC",
    },
    Sector {
        name: "Nông nghiệp",
        actions: &["Hỗ trợ khôi phục sản xuất tại", "Xác nhận", "Phê duyệt kế hoạch", "Công nhận"],
        objects: &["vùng bị thiệt hại do thiên tai", "kinh tế trang trại", "cây trồng, vật nuôi", "vùng sản xuất an toàn", "diện tích đất trồng lúa chuyển đổi"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Quyết định hỗ trợ", "Giấy xác nhận"],
        laws: &[
            "Nghị định số 02/2017/NĐ-CP ngày 09/01/2017 của Chính phủ về cơ chế, chính sách hỗ trợ sản xuất nông nghiệp để khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh",
            "Luật Trồng trọt số 31/2018/QH14",
            "Luật Chăn nuôi số 32/2018/QH14",
        ],
        ministry: "BNNMT",
    },
    Sector {
        name: "Thủy lợi",
        actions: &["Cấp giấy phép", "Phê duyệt phương án", "Thẩm định", "Hỗ trợ"],
        objects: &["xả nước thải vào công trình thủy lợi", "cắm mốc chỉ giới phạm vi bảo vệ công trình thủy lợi", "nạo vét kênh mương nội đồng", "sử dụng sản phẩm, dịch vụ thủy lợi"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Giấy phép", "Quyết định phê duyệt"],
        laws: &[
            "Luật Thủy lợi số 08/2017/QH14",
            "Nghị định số 67/2018/NĐ-CP ngày 14/5/2018 của Chính phủ quy định chi tiết một số điều của Luật Thủy lợi",
        ],
        ministry: "BNNMT",
    },
    Sector {
        name: "Hoạt động xây dựng",
        actions: &["Cấp giấy phép xây dựng", "Điều chỉnh giấy phép xây dựng", "Gia hạn giấy phép xây dựng", "Cấp lại giấy phép xây dựng"],
        objects: &["nhà ở riêng lẻ", "công trình tín ngưỡng", "công trình cấp IV", "công trình quảng cáo"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Giấy phép xây dựng"],
        laws: &[
            "Luật Xây dựng số 50/2014/QH13",
            "Luật số 62/2020/QH14 sửa đổi, bổ sung một số điều của Luật Xây dựng",
            "Nghị định số 175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng",
        ],
        ministry: "BXD",
    },
    Sector {
        name: "Giáo dục mầm non",
        actions: &["Thành lập", "Cho phép hoạt động giáo dục đối với", "Sáp nhập, chia, tách", "Giải thể", "Hỗ trợ chi phí học tập cho trẻ em tại"],
        objects: &["nhà trẻ, trường mẫu giáo", "nhóm trẻ, lớp mẫu giáo độc lập", "trường mầm non", "cơ sở giáo dục mầm non dân lập"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Quyết định cho phép hoạt động giáo dục", "Quyết định thành lập"],
        laws: &[
            "Luật Giáo dục số 43/2019/QH14",
            "Nghị định số 125/2024/NĐ-CP ngày 05/10/2024 của Chính phủ quy định điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục",
            "Nghị định số 142/2025/NĐ-CP của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương hai cấp trong lĩnh vực quản lý nhà nước của Bộ Giáo dục và Đào tạo",
        ],
        ministry: "BGDĐT",
    },
    Sector {
        name: "Tín ngưỡng, tôn giáo",
        actions: &["Đăng ký", "Thông báo", "Đăng ký thay đổi", "Đề nghị tổ chức"],
        objects: &["hoạt động tín ngưỡng", "sinh hoạt tôn giáo tập trung", "người đại diện nhóm sinh hoạt tôn giáo", "lễ hội tín ngưỡng", "danh mục hoạt động tôn giáo"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Văn bản chấp thuận", "Văn bản trả lời"],
        laws: &[
            "Luật Tín ngưỡng, tôn giáo số 02/2016/QH14",
            "Nghị định số 95/2023/NĐ-CP ngày 29/12/2023 của Chính phủ quy định chi tiết và biện pháp thi hành Luật Tín ngưỡng, tôn giáo",
        ],
        ministry: "BDTTG",
    },
    Sector {
        name: "Văn hóa cơ sở",
        actions: &["Xét tặng danh hiệu", "Công nhận", "Thông báo tổ chức", "Đăng ký tổ chức"],
        objects: &["Gia đình văn hóa", "Thôn, tổ dân phố văn hóa", "lễ hội cấp xã", "câu lạc bộ văn hóa, thể thao"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Giấy khen", "Quyết định công nhận"],
        laws: &[
            "Nghị định số 86/2023/NĐ-CP ngày 07/12/2023 của Chính phủ quy định khung tiêu chuẩn và trình tự, thủ tục, hồ sơ xét tặng danh hiệu",
            "Nghị định số 110/2018/NĐ-CP ngày 29/8/2018 của Chính phủ quy định về quản lý và tổ chức lễ hội",
        ],
        ministry: "BVHTTDL",
    },
    Sector {
        name: "Môi trường",
        actions: &["Đăng ký", "Tham vấn", "Xác nhận", "Cấp phép"],
        objects: &["kế hoạch bảo vệ môi trường", "thu gom, xử lý chất thải rắn sinh hoạt", "đề án bảo vệ môi trường đơn giản", "khai thác nước dưới đất quy mô hộ gia đình"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Văn bản xác nhận", "Giấy phép môi trường"],
        laws: &[
            "Luật Bảo vệ môi trường số 72/2020/QH14",
            "Nghị định số 08/2022/NĐ-CP ngày 10/01/2022 của Chính phủ quy định chi tiết một số điều của Luật Bảo vệ môi trường",
            "Nghị định số 05/2025/NĐ-CP ngày 06/01/2025 của Chính phủ",
        ],
        ministry: "BNNMT",
    },
    Sector {
        name: "Thi đua, khen thưởng",
        actions: &["Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về", "Tặng danh hiệu", "Khen thưởng"],
        objects: &["thành tích thực hiện nhiệm vụ chính trị", "Lao động tiên tiến", "thành tích cho gia đình", "thành tích theo đợt, chuyên đề", "thành tích đột xuất"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Giấy khen", "Quyết định khen thưởng"],
        laws: &[
            "Luật Thi đua, khen thưởng số 06/2022/QH15",
            "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        ],
        ministry: "BNV",
    },
    Sector {
        name: "Giải quyết khiếu nại, tố cáo",
        actions: &["Giải quyết", "Tiếp nhận, xử lý"],
        objects: &["khiếu nại lần đầu", "tố cáo", "kiến nghị, phản ánh", "đơn khiếu nại có nhiều người"],
        agency: "Ủy ban nhân dân cấp xã",
        results: &["Quyết định giải quyết khiếu nại", "Kết luận nội dung tố cáo"],
        laws: &[
            "Luật Khiếu nại số 02/2011/QH13",
            "Luật Tố cáo số 25/2018/QH14",
            "Nghị định số 124/2020/NĐ-CP ngày 19/10/2020 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Khiếu nại",
        ],
        ministry: "TTCP",
    },
];

const APPLICANTS: &[&str] = &[
    "Công dân Việt Nam",
    "Người nước ngoài",
    "Người Việt Nam định cư ở nước ngoài",
    "Tổ chức (không bao gồm doanh nghiệp, HTX)",
    "Doanh nghiệp",
    "Hợp tác xã",
    "Hộ kinh doanh",
];

const DOSSIER_ITEMS: &[&str] = &[
    "Tờ khai theo mẫu quy định",
    "Đơn đề nghị (Mẫu số 01)",
    "Bản sao Căn cước hoặc giấy tờ tùy thân có ảnh",
    "Văn bản ủy quyền có chứng thực",
    "Giấy tờ chứng minh nơi cư trú",
    "Sơ đồ vị trí thửa đất",
    "Biên bản xác minh của công chức chuyên môn",
    "Giấy xác nhận của Ủy ban nhân dân cấp xã nơi cư trú",
    "Bản chính giấy tờ cần chứng thực",
    "Ảnh chân dung cỡ 4 x 6 cm, chụp không quá 06 tháng",
    "Hợp đồng, giao dịch đã được soạn thảo sẵn",
    "Giấy chứng nhận đăng ký hộ kinh doanh đã được cấp",
    "Bản vẽ thiết kế xây dựng",
    "Giấy tờ chứng minh quyền sử dụng đất",
    "Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử",
    "Văn bản thỏa thuận của các bên liên quan",
    "Danh sách thành viên kèm theo",
    "Báo cáo thành tích có xác nhận của người đứng đầu",
    "Giấy khai sinh (bản sao)",
    "Văn bản xác nhận tình trạng hôn nhân",
];

const CASES: &[&str] = &[
    "Trường hợp nộp trực tiếp",
    "Trường hợp ủy quyền",
    "Trường hợp người nước ngoài",
    "Trường hợp nộp trực tuyến",
    "Trường hợp cấp lại",
    "Trường hợp đã có hồ sơ trong Cơ sở dữ liệu quốc gia về dân cư",
];

const ITEM_NOTES: &[&str] = &[
    "Xuất trình bản chính để đối chiếu",
    "Không yêu cầu nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư",
    "Bản sao điện tử có giá trị như bản chính khi nộp trực tuyến",
];

const FEE_AMOUNTS: &[u64] = &[
    2_000, 5_000, 8_000, 10_000, 15_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000,
];

const FEE_TEXTS: &[&str] = &[
    "Lệ phí đăng ký",
    "Phí chứng thực, tính trên mỗi trang",
    "Lệ phí cấp giấy chứng nhận",
    "Phí thẩm định hồ sơ",
];

const TIME_TEXTS: &[&str] = &[
    "Trường hợp cần xác minh thì thời hạn giải quyết kéo dài thêm không quá 05 ngày làm việc",
    "Kể từ ngày nhận đủ hồ sơ hợp lệ",
    "Không tính thời gian niêm yết công khai",
];

const TIME_ONLY_TEXTS: &[&str] = &[
    "Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
    "Trong ngày làm việc",
    "Theo thời gian ghi trên phiếu hẹn",
];

fn channel_note(method: &str) -> &'static str {
    match method {
        "truc-tiep" => "Nộp tại Trung tâm Phục vụ hành chính công hoặc điểm tiếp nhận của cấp xã",
        "truc-tuyen" => "Qua Cổng Dịch vụ công quốc gia hoặc Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
        _ => "Qua dịch vụ bưu chính công ích; cước phí do người nộp chi trả",
    }
}

const SYLLABLES: &[&str] = &[
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Tân",
    "Thạnh",
    "Mỹ",
    "Long",
    "Hưng",
    "Thuận",
    "Phước",
    "Quang",
    "Trung",
    "Nghĩa",
    "Đức",
    "Thành",
    "Hiệp",
    "Vĩnh",
    "Xuân",
    "Sơn",
    "Hải",
    "Lộc",
    "Thịnh",
    "Cường",
    "Châu",
    "Khánh",
    "Ninh",
    "Yên",
    "Hồng",
    "Minh",
    "Quý",
    "Điền",
    "Tiến",
    "Thắng",
    "Lạc",
    "Kim",
    "Ngọc",
    "Thủy",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Lợi",
    "Phong",
    "Định",
    "Hà",
    "Lâm",
    "Tường",
    "Vân",
    "Đồng",
    "Hợp",
    "Liên",
    "Thái",
    "Lương",
    "Mai",
    "Cát",
    "Trường",
    "Thượng",
    "Hạ",
    "Phúc",
    "Thọ",
    "Lập",
    "Diễn",
    "Hoàng",
    "Kiên",
    "Tịnh",
    "Tuy",
    "Dương",
    "Gia",
    "Quảng",
];

/// The 34 provinces since 1 July 2025, with the provinces merged into each (for `former`).
const PROVINCES: &[(&str, bool, &[&str])] = &[
    ("Hà Nội", true, &[]),
    ("Huế", true, &[]),
    ("Lai Châu", false, &[]),
    ("Điện Biên", false, &[]),
    ("Sơn La", false, &[]),
    ("Lạng Sơn", false, &[]),
    ("Quảng Ninh", false, &[]),
    ("Thanh Hóa", false, &[]),
    ("Nghệ An", false, &[]),
    ("Hà Tĩnh", false, &[]),
    ("Cao Bằng", false, &[]),
    ("Tuyên Quang", false, &["Hà Giang"]),
    ("Lào Cai", false, &["Yên Bái"]),
    ("Thái Nguyên", false, &["Bắc Kạn"]),
    ("Phú Thọ", false, &["Vĩnh Phúc", "Hòa Bình"]),
    ("Bắc Ninh", false, &["Bắc Giang"]),
    ("Hưng Yên", false, &["Thái Bình"]),
    ("Hải Phòng", true, &["Hải Dương"]),
    ("Ninh Bình", false, &["Hà Nam", "Nam Định"]),
    ("Quảng Trị", false, &["Quảng Bình"]),
    ("Đà Nẵng", true, &["Quảng Nam"]),
    ("Quảng Ngãi", false, &["Kon Tum"]),
    ("Gia Lai", false, &["Bình Định"]),
    ("Khánh Hòa", false, &["Ninh Thuận"]),
    ("Lâm Đồng", false, &["Đắk Nông", "Bình Thuận"]),
    ("Đắk Lắk", false, &["Phú Yên"]),
    ("Hồ Chí Minh", true, &["Bình Dương", "Bà Rịa - Vũng Tàu"]),
    ("Đồng Nai", false, &["Bình Phước"]),
    ("Tây Ninh", false, &["Long An"]),
    ("Cần Thơ", true, &["Sóc Trăng", "Hậu Giang"]),
    ("Vĩnh Long", false, &["Bến Tre", "Trà Vinh"]),
    ("Đồng Tháp", false, &["Tiền Giang"]),
    ("Cà Mau", false, &["Bạc Liêu"]),
    ("An Giang", false, &["Kiên Giang"]),
];

const HOURS: &[&str] = &[
    "Sáng từ 7 giờ 30 đến 11 giờ 30, chiều từ 13 giờ 30 đến 17 giờ, từ thứ Hai đến thứ Sáu",
    "Từ thứ Hai đến thứ Sáu: 7 giờ – 11 giờ 30 và 13 giờ 30 – 17 giờ; sáng thứ Bảy: 7 giờ 30 – 11 giờ 30",
    "Sáng 7h00–11h30, chiều 13h00–16h30 các ngày làm việc trong tuần",
];

// ---------------------------------------------------------------------------
// The model

#[derive(Clone, Copy, PartialEq)]
enum Status {
    Current,
    Upcoming,
    Repealed,
}

enum Time {
    Value {
        value: u64,
        unit: &'static str,
        text: Option<&'static str>,
    },
    Text(&'static str),
}

struct Fee {
    amount: Option<u64>,
    text: Option<String>,
}

struct Channel {
    method: &'static str,
    time: Time,
    fees: Vec<Fee>,
    note: Option<&'static str>,
}

struct Item {
    name: String,
    originals: u64,
    copies: u64,
    form: Option<String>,
    note: Option<&'static str>,
}

struct Case {
    case: Option<&'static str>,
    items: Vec<Item>,
}

struct Form {
    name: String,
    file: Option<String>,
    url: Option<String>,
}

struct Proc {
    code: String,
    name: String,
    sector: &'static str,
    level: Vec<&'static str>,
    level_as_list: bool,
    decision: Option<String>,
    effective: Option<String>,
    repealed: Option<(String, String)>,
    applicants: Vec<&'static str>,
    agency: String,
    authority: Option<String>,
    result: Vec<&'static str>,
    requirements: Option<String>,
    legal_basis: Vec<&'static str>,
    online: Option<(&'static str, String)>,
    keywords: Vec<String>,
    channels: Vec<Channel>,
    dossier: Vec<Case>,
    forms: Vec<Form>,
    steps: String,
}

/// Where the procedure is published, for the text of the steps.
struct Place<'a> {
    office: &'a str,
}

/// How a procedure's form is provided.
enum FormKind<'a> {
    None,
    Url,
    /// A file next to the procedure, at this relative path.
    File(&'a str),
}

/// The identity of a code: the same code has the same name, sector and basis everywhere.
fn identity(code: &str) -> (usize, String, String) {
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

fn make_channels(r: &mut Rng) -> Vec<Channel> {
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

fn make_dossier(r: &mut Rng, form_name: Option<&str>) -> Vec<Case> {
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

const STEP_SUBMIT: &[&str] = &[
    "Tổ chức, cá nhân chuẩn bị đầy đủ hồ sơ theo quy định và nộp tại {office}, qua dịch vụ bưu chính công ích hoặc trực tuyến trên [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}).",
    "Người yêu cầu nộp hồ sơ tại {office} hoặc nộp trực tuyến qua [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}); khi nộp trực tuyến, các giấy tờ phải được scan hoặc chụp từ bản chính.",
];

const STEP_CHECK: &[&str] = &[
    "Trường hợp hồ sơ đầy đủ, hợp lệ thì công chức tiếp nhận viết **Giấy tiếp nhận hồ sơ và hẹn trả kết quả**, giao cho người nộp.",
    "Trường hợp hồ sơ chưa đầy đủ, chưa hợp lệ thì hướng dẫn người nộp bổ sung, hoàn thiện **một lần** bằng Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
    "Trường hợp từ chối tiếp nhận thì lập Phiếu từ chối tiếp nhận giải quyết hồ sơ, nêu rõ lý do.",
    "Trường hợp nộp trực tuyến, hệ thống gửi thông báo tiếp nhận qua thư điện tử hoặc tin nhắn đến người nộp.",
];

const STEP_PROCESS: &[&str] = &[
    "Công chức chuyên môn kiểm tra, xác minh nội dung hồ sơ; trường hợp cần thiết thì tổ chức xác minh thực tế tại nơi cư trú của người yêu cầu",
    "Lấy ý kiến của các cơ quan, đơn vị có liên quan; thời gian lấy ý kiến không tính vào thời hạn giải quyết",
    "Trình Chủ tịch Ủy ban nhân dân cấp xã xem xét, quyết định",
    "Cập nhật kết quả vào Cơ sở dữ liệu chuyên ngành và Cơ sở dữ liệu quốc gia về dân cư",
    "Niêm yết công khai tại trụ sở Ủy ban nhân dân trong thời hạn 07 ngày làm việc",
    "Trường hợp không đủ điều kiện giải quyết thì trả lời bằng văn bản và nêu rõ lý do",
    "Lưu hồ sơ theo quy định của pháp luật về lưu trữ",
];

const STEP_NOTES: &[&str] = &[
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

fn make_steps(r: &mut Rng, code: &str, place: &Place) -> String {
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

struct ProcOptions<'a> {
    code: &'a str,
    /// Seed of this file's own variations.
    var: u64,
    level: Vec<&'static str>,
    level_as_list: bool,
    status: Status,
    replaced_by: Option<&'a str>,
    form: FormKind<'a>,
}

fn make_proc(o: ProcOptions, place: &Place) -> Proc {
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

fn write_channels(out: &mut String, channels: &[Channel]) {
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
    fn toml(&self, steps_key: bool, title: bool) -> String {
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

    fn markdown(&self, title: bool) -> String {
        format!("+++\n{}+++\n\n{}", self.toml(false, title), self.steps)
    }
}

// ---------------------------------------------------------------------------
// Units

struct Office {
    name: String,
    address: String,
    phone: String,
    email: String,
    hours: &'static str,
    website: String,
}

struct Feedback {
    agency: String,
    address: String,
    phone: String,
    email: String,
    website: String,
}

struct Former {
    path: String,
    name: String,
    basis: String,
}

struct Unit {
    /// Folder path under content/, e.g. "tinh-tuyen-quang/xa-dong-loi".
    path: String,
    name: String,
    kind: &'static str,
    code: String,
    office: Office,
    feedback: Option<Feedback>,
    adopt: Vec<String>,
    adopt_levels: Vec<&'static str>,
    former: Vec<Former>,
}

fn phone(r: &mut Rng) -> String {
    format!(
        "0{} {} {}",
        r.range(203, 299),
        r.range(100, 999),
        r.range(1000, 9999)
    )
}

/// A unit named `name` ("Đông Lợi") of `kind`, with office and (optionally) feedback
/// contacts derived from its path.
fn make_unit(
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

fn is_city(province: &str) -> bool {
    PROVINCES.iter().any(|(n, city, _)| *n == province && *city)
}

fn province_unit(province: &str, code: String, with_feedback: bool) -> Unit {
    let (kind, label, prefix) = if is_city(province) {
        ("thanh-pho-tw", "Thành phố", "thanh-pho")
    } else {
        ("tinh", "Tỉnh", "tinh")
    };
    let path = format!("{prefix}-{}", slug(province));
    make_unit(path, province, kind, label, code, province, with_feedback)
}

fn fmt_feedback(o: &mut String, table: &str, f: &Feedback) {
    let _ = writeln!(o, "\n[{table}]");
    let _ = writeln!(o, "agency = {}", q(&f.agency));
    let _ = writeln!(o, "address = {}", q(&f.address));
    let _ = writeln!(o, "phone = {}", q(&f.phone));
    let _ = writeln!(o, "email = {}", q(&f.email));
    let _ = writeln!(o, "website = {}", q(&f.website));
}

impl Unit {
    /// The `_unit.toml` body. `hugo` writes Hugo `_index.md` front matter instead.
    fn toml(&self, hugo: bool) -> String {
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
fn commune_names(r: &mut Rng, n: usize, kinds: &[&'static str]) -> Vec<(String, &'static str)> {
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

fn kind_label(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "xa" => ("Xã", "xa"),
        "phuong" => ("Phường", "phuong"),
        "dac-khu" => ("Đặc khu", "dac-khu"),
        _ => unreachable!("commune kind"),
    }
}

/// Commune kinds in national proportions (2,621 xã, 687 phường, 13 đặc khu), shuffled.
fn commune_kinds(r: &mut Rng, n: usize) -> Vec<&'static str> {
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
struct Stats {
    units: u64,
    unit_files: u64,
    procedure_files: u64,
    catalogue_files: u64,
    override_files: u64,
    form_files: u64,
    other_files: u64,
    expected_pages: u64,
    upcoming_pages: u64,
    repealed_pages: u64,
    distinct_codes: u64,
    bytes: u64,
}

struct Out {
    root: PathBuf,
    stats: Stats,
}

impl Out {
    fn write(&mut self, rel: &str, body: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        fs::write(&path, body)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        self.stats.bytes += body.len() as u64;
        Ok(())
    }
    fn mkdir(&self, rel: &str) -> io::Result<()> {
        fs::create_dir_all(self.root.join(rel))
    }
    fn write_unit(&mut self, u: &Unit) -> io::Result<()> {
        self.mkdir(&format!("content/{}", u.path))?;
        self.write(&format!("content/{}/_unit.toml", u.path), &u.toml(false))?;
        self.stats.units += 1;
        self.stats.unit_files += 1;
        Ok(())
    }
}

/// Prepares an output folder: it must be missing, empty, or an earlier gensite output.
fn prepare(dir: &Path) -> io::Result<()> {
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

fn site_toml(title: &str, feedback: Option<&Feedback>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "title = {}", q(title));
    let _ = writeln!(o, "base_url = {}", q(BASE_URL));
    o.push_str("language = \"vi\"\n");
    if let Some(f) = feedback {
        fmt_feedback(&mut o, "feedback", f);
    }
    o
}

fn national_feedback() -> Feedback {
    Feedback {
        agency: "Cục Kiểm soát thủ tục hành chính, Văn phòng Chính phủ".into(),
        address: "Số 1 Hoàng Hoa Thám, phường Ba Đình, thành phố Hà Nội".into(),
        phone: "080 43162".into(),
        email: "kiemsoatthutuc@chinhphu.vn".into(),
        website: "https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-pakn.html".into(),
    }
}

fn status_for(r: &mut Rng) -> Status {
    match r.below(100) {
        0 => Status::Upcoming,
        1 => Status::Repealed,
        _ => Status::Current,
    }
}

/// Distinct codes `<prefix>.NNNNNN`.
fn codes(r: &mut Rng, prefix: u32, n: usize) -> Vec<String> {
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

// ---------------------------------------------------------------------------
// Size 20k: unique files, no catalogue

fn gen_20k(out: &mut Out, mut hugo: Option<&mut Out>) -> io::Result<()> {
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

struct CatalogueSize {
    title: &'static str,
    /// (province index into PROVINCES, number of communes)
    provinces: Vec<(usize, usize)>,
    catalogue_xa: usize,
    catalogue_tinh: usize,
    local_min: u64,
    local_max: u64,
    provinces_adopt_tinh: bool,
    /// Percentage of communes listing their adoptions with `adopt` instead of `adopt_levels`.
    explicit_percent: u64,
}

struct CatEntry {
    code: String,
    levels: Vec<&'static str>,
    status: Status,
}

fn gen_catalogue_size(out: &mut Out, size: &CatalogueSize) -> io::Result<()> {
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

fn count_status(stats: &mut Stats, statuses: impl Iterator<Item = Status>) {
    for s in statuses {
        match s {
            Status::Upcoming => stats.upcoming_pages += 1,
            Status::Repealed => stats.repealed_pages += 1,
            Status::Current => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Hugo

const HUGO_CONFIG: &str = r#"baseURL = "https://thutuc.example.gov.vn/"
languageCode = "vi"
title = "TITLE"
disableKinds = ["taxonomy", "term"]
# Feeds list the latest 100 pages, not all 20,000 (niemyet's feed lists changes only).
rssLimit = 100
[markup.goldmark.renderer]
unsafe = false
"#;

const HUGO_SINGLE: &str = r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Params.name }} – {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
{{- $methods := dict "truc-tiep" "Trực tiếp" "truc-tuyen" "Trực tuyến" "buu-chinh" "Bưu chính" -}}
{{- $units := dict "working-days" "ngày làm việc" "days" "ngày" "hours" "giờ" "months" "tháng" "years" "năm" -}}
<nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a> › <a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></nav>
<main>
<h1>{{ .Params.name }}</h1>
<dl>
<dt>Mã thủ tục</dt><dd>{{ .Params.code }}</dd>
<dt>Lĩnh vực</dt><dd>{{ .Params.sector }}</dd>
<dt>Cấp thực hiện</dt><dd>{{ with .Params.level }}{{ if reflect.IsSlice . }}{{ delimit . ", " }}{{ else }}{{ . }}{{ end }}{{ end }}</dd>
{{ with .Params.decision }}<dt>Quyết định công bố</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.effective }}<dt>Ngày hiệu lực</dt><dd>{{ time.Format "02/01/2006" . }}</dd>{{ end }}
{{ with .Params.repealed }}<dt>Đã bãi bỏ</dt><dd>{{ time.Format "02/01/2006" . }}{{ with $.Params.replaced_by }} – thay bằng <a href="../{{ . }}/">{{ . }}</a>{{ end }}</dd>{{ end }}
<dt>Đối tượng thực hiện</dt><dd>{{ delimit .Params.applicants ", " }}</dd>
<dt>Cơ quan thực hiện</dt><dd>{{ .Params.agency }}</dd>
{{ with .Params.authority }}<dt>Cơ quan có thẩm quyền</dt><dd>{{ . }}</dd>{{ end }}
<dt>Kết quả</dt><dd>{{ delimit .Params.result ", " }}</dd>
<dt>Nơi nộp</dt><dd>{{ .Parent.Params.office.name }}, {{ .Parent.Params.office.address }}</dd>
</dl>
<h2>Cách thức thực hiện</h2>
<table>
<tr><th>Hình thức</th><th>Thời hạn</th><th>Phí, lệ phí</th></tr>
{{ range .Params.channels }}
<tr><td>{{ index $methods .method }}{{ with .note }}<br><small>{{ . }}</small>{{ end }}</td>
<td>{{ $t := .time }}{{ with $t.value }}{{ . }} {{ index $units $t.unit }}{{ end }}{{ with $t.text }} {{ . }}{{ end }}</td>
<td><ul>{{ range .fees }}<li>{{ with .amount }}{{ lang.FormatNumberCustom 0 . "- , ." }} đồng{{ end }}{{ with .text }} {{ . }}{{ end }}</li>{{ else }}<li>Không thu phí</li>{{ end }}</ul></td></tr>
{{ end }}
</table>
<h2>Thành phần hồ sơ</h2>
{{ range .Params.dossier }}
{{ with .case }}<h3>{{ . }}</h3>{{ end }}
<table>
<tr><th>Giấy tờ</th><th>Bản chính</th><th>Bản sao</th></tr>
{{ range .items }}<tr><td>{{ .name }}{{ with .form }} (mẫu: {{ . }}){{ end }}{{ with .note }}<br><small>{{ . }}</small>{{ end }}</td><td>{{ .originals | default 0 }}</td><td>{{ .copies | default 0 }}</td></tr>
{{ end }}
</table>
{{ end }}
{{ with .Params.forms }}<h2>Mẫu đơn, tờ khai</h2><ul>{{ range . }}<li>{{ with .url }}<a href="{{ . }}">{{ end }}{{ .name }}{{ with .url }}</a>{{ end }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.requirements }}<h2>Yêu cầu, điều kiện</h2>{{ . | markdownify }}{{ end }}
<h2>Trình tự thực hiện</h2>
{{ .Content }}
<h2>Căn cứ pháp lý</h2>
<ul>{{ range .Params.legal_basis }}<li>{{ . }}</li>{{ end }}</ul>
{{ with .Parent.Params.feedback }}<h2>Tiếp nhận phản ánh, kiến nghị</h2><p>{{ .agency }}, {{ .address }}, {{ .phone }}, {{ .email }}</p>{{ end }}
</main>
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "GovernmentService" "name" .Params.name "identifier" .Params.code "provider" (dict "@type" "GovernmentOrganization" "name" .Parent.Title) | jsonify | safeJS }}</script>
</body>
</html>
"#;

const HUGO_LIST: &str = r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ .Site.Title }}</title>
</head>
<body>
{{- $units := dict "working-days" "ngày làm việc" "days" "ngày" "hours" "giờ" "months" "tháng" "years" "năm" -}}
<nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>{{ with .Parent }} › <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<main>
<h1>{{ .Title }}</h1>
{{ with .Params.office }}<p><strong>{{ .name }}</strong><br>{{ .address }}<br>{{ .phone }} · {{ .email }}<br>{{ .hours }}</p>{{ end }}
{{ with .Params.feedback }}<h2>Tiếp nhận phản ánh, kiến nghị</h2><p>{{ .agency }}, {{ .address }}, {{ .phone }}, {{ .email }}</p>{{ end }}
{{ with .Sections }}<h2>Đơn vị</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ range .RegularPages.GroupByParam "sector" }}
<h2>{{ .Key }}</h2>
<table>
<tr><th>TT</th><th>Mã</th><th>Tên thủ tục</th><th>Thời hạn</th><th>Phí, lệ phí</th></tr>
{{ range $i, $p := .Pages }}{{ $c := index $p.Params.channels 0 }}
<tr><td>{{ add $i 1 }}</td><td>{{ $p.Params.code }}</td><td><a href="{{ $p.RelPermalink }}">{{ $p.Params.name }}</a></td>
<td>{{ with $c.time.value }}{{ . }} {{ index $units $c.time.unit }}{{ else }}{{ $c.time.text }}{{ end }}</td>
<td>{{ range $c.fees }}{{ with .amount }}{{ lang.FormatNumberCustom 0 . "- , ." }} đồng {{ end }}{{ end }}</td></tr>
{{ end }}
</table>
{{ end }}
</main>
</body>
</html>
"#;

const HUGO_INDEX: &str = r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Site.Title }}</title>
</head>
<body>
<main>
<h1>{{ .Site.Title }}</h1>
{{ range .Sections }}
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .RegularPages }} thủ tục)</li>{{ end }}</ul>
{{ end }}
</main>
</body>
</html>
"#;

fn hugo_skeleton(h: &mut Out, title: &str) -> io::Result<()> {
    h.mkdir("content")?;
    h.mkdir("layouts/_default")?;
    h.write("hugo.toml", &HUGO_CONFIG.replace("TITLE", title))?;
    h.write(
        "content/_index.md",
        &format!("+++\ntitle = {}\n+++\n", q(title)),
    )?;
    h.write("layouts/_default/single.html", HUGO_SINGLE)?;
    h.write("layouts/_default/list.html", HUGO_LIST)?;
    h.write("layouts/index.html", HUGO_INDEX)?;
    h.stats.other_files += 5;
    Ok(())
}

// ---------------------------------------------------------------------------
// Main

fn national_provinces() -> Vec<(usize, usize)> {
    // 3,321 communes over 34 provinces: 23 with 98, 11 with 97.
    (0..PROVINCES.len())
        .map(|i| (i, if i < 23 { 98 } else { 97 }))
        .collect()
}

fn usage() -> ExitCode {
    eprintln!("usage: gensite <20k|province|national|tiny> <out-dir> [--hugo <hugo-dir>]");
    ExitCode::from(2)
}

fn write_marker(out: &mut Out, size: &str) -> io::Result<()> {
    let s = &out.stats;
    let body = format!(
        "# written by niemyet's examples/gensite.rs; the folder may be replaced by the next run\n\
         size = \"{size}\"\nunits = {}\nunit_files = {}\nprocedure_files = {}\ncatalogue_files = {}\n\
         override_files = {}\nform_files = {}\nexpected_procedure_pages = {}\nupcoming_pages = {}\n\
         repealed_pages = {}\ndistinct_codes = {}\n",
        s.units,
        s.unit_files,
        s.procedure_files,
        s.catalogue_files,
        s.override_files,
        s.form_files,
        s.expected_pages,
        s.upcoming_pages,
        s.repealed_pages,
        s.distinct_codes,
    );
    out.write(MARKER, &body)
}

fn run(size: &str, dir: &Path, hugo_dir: Option<&Path>) -> io::Result<()> {
    let start = Instant::now();
    prepare(dir)?;
    let mut out = Out {
        root: dir.to_path_buf(),
        stats: Stats::default(),
    };
    let mut hugo = match hugo_dir {
        Some(h) => {
            prepare(h)?;
            Some(Out {
                root: h.to_path_buf(),
                stats: Stats::default(),
            })
        }
        None => None,
    };
    match size {
        "20k" => gen_20k(&mut out, hugo.as_mut())?,
        "province" => gen_catalogue_size(
            &mut out,
            &CatalogueSize {
                title: "Thủ tục hành chính tỉnh Nghệ An",
                provinces: vec![(8, 300)],
                catalogue_xa: 150,
                catalogue_tinh: 0,
                local_min: 10,
                local_max: 10,
                provinces_adopt_tinh: false,
                explicit_percent: 20,
            },
        )?,
        "national" => gen_catalogue_size(
            &mut out,
            &CatalogueSize {
                title: "Thủ tục hành chính các địa phương",
                provinces: national_provinces(),
                catalogue_xa: 120,
                catalogue_tinh: 30,
                local_min: 0,
                local_max: 5,
                provinces_adopt_tinh: true,
                explicit_percent: 20,
            },
        )?,
        "tiny" => gen_catalogue_size(
            &mut out,
            &CatalogueSize {
                title: "Thủ tục hành chính (tiny)",
                provinces: vec![(10, 4), (11, 3)],
                catalogue_xa: 10,
                catalogue_tinh: 2,
                local_min: 1,
                local_max: 3,
                provinces_adopt_tinh: true,
                explicit_percent: 40,
            },
        )?,
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unknown size {size:?}"),
            ))
        }
    }
    write_marker(&mut out, size)?;
    if let Some(h) = hugo.as_mut() {
        h.write(
            MARKER,
            "# written by niemyet's examples/gensite.rs (Hugo twin of the 20k site)\n",
        )?;
    }
    let elapsed = start.elapsed();
    let s = &out.stats;
    let files = s.unit_files + s.procedure_files + s.form_files + 2; // + site.toml + marker
    println!("gensite {size} -> {}", dir.display());
    println!("  units                     {:>9}", s.units);
    println!(
        "  procedure files           {:>9}  (catalogue {}, local overrides {})",
        s.procedure_files, s.catalogue_files, s.override_files
    );
    println!("  form files                {:>9}", s.form_files);
    println!("  files in total            {:>9}", files);
    println!(
        "  expected procedure pages  {:>9}  (of which upcoming {}, repealed {})",
        s.expected_pages, s.upcoming_pages, s.repealed_pages
    );
    println!("  distinct codes (/tthc/)   {:>9}", s.distinct_codes);
    println!(
        "  bytes written             {:>9}  ({:.1} MB)",
        s.bytes,
        s.bytes as f64 / 1e6
    );
    if let Some(h) = &hugo {
        let hs = &h.stats;
        println!(
            "  hugo site {}: {} pages, {} bytes ({:.1} MB)",
            h.root.display(),
            hs.expected_pages,
            hs.bytes,
            hs.bytes as f64 / 1e6
        );
    }
    println!(
        "  time                      {:>9.2} s",
        elapsed.as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut hugo: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--hugo" => match it.next() {
                Some(d) => hugo = Some(PathBuf::from(d)),
                None => return usage(),
            },
            "-h" | "--help" => {
                println!(
                    "usage: gensite <20k|province|national|tiny> <out-dir> [--hugo <hugo-dir>]"
                );
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') => return usage(),
            _ => positional.push(a.clone()),
        }
    }
    let [size, dir] = positional.as_slice() else {
        return usage();
    };
    if hugo.is_some() && size != "20k" {
        eprintln!("gensite: --hugo is only available for the 20k size");
        return ExitCode::from(2);
    }
    match run(size, Path::new(dir), hugo.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gensite: {e}");
            ExitCode::FAILURE
        }
    }
}
