//! The block fields of a record: channels, dossier, legal basis, and lists.

use super::*;

impl Parser<'_> {
    pub(super) fn channels(&mut self, field: &Field) -> Option<Vec<Channel>> {
        #[derive(PartialEq, Clone, Copy)]
        enum Part {
            Start,
            Time,
            Fee,
            Note,
        }
        struct Builder {
            line: usize,
            method: Option<Method>,
            time: Option<String>,
            fee: Option<String>,
            note: Option<Vec<String>>,
            part: Part,
        }

        let first = field.first.trim();
        let mut no_info = is_no_info(first);
        if !first.is_empty() && !no_info {
            self.error(
                field.line,
                say(
                    format!(
                        "chữ không mong đợi sau `Cách thức thực hiện:`: `{}`",
                        excerpt(first)
                    ),
                    format!(
                        "unexpected text after `Cách thức thực hiện:`: `{}`",
                        excerpt(first)
                    ),
                ),
            );
        }
        let mut built: Vec<Builder> = Vec::new();
        for &(no, line) in &field.rest {
            let t = line.trim();
            let indent = indent_of(line);
            if let Some(m) = t.strip_prefix("* Hình thức nộp:") {
                let m = m.trim();
                let method = match m.to_ascii_uppercase().as_str() {
                    "DIRECT" => Some(Method::Direct),
                    "ONLINE" => Some(Method::Online),
                    "POSTAL" => Some(Method::Postal),
                    _ => {
                        self.error(
                            no,
                            say(
                                format!("`Hình thức nộp:` `{}` không rõ (cần DIRECT, ONLINE hoặc POSTAL)", excerpt(m)),
                                format!("unknown `Hình thức nộp:` `{}` (expected DIRECT, ONLINE or POSTAL)", excerpt(m)),
                            ),
                        );
                        None
                    }
                };
                built.push(Builder {
                    line: no,
                    method,
                    time: None,
                    fee: None,
                    note: None,
                    part: Part::Start,
                });
                continue;
            }
            let Some(b) = built.last_mut() else {
                if t.is_empty() {
                    continue;
                }
                if is_no_info(t) {
                    no_info = true;
                    continue;
                }
                self.error(
                    no,
                    say(
                        format!("chữ không mong đợi trong `Cách thức thực hiện:` trước dòng `* Hình thức nộp:` đầu tiên: `{}`", excerpt(t)),
                        format!("unexpected text in `Cách thức thực hiện:` before the first `* Hình thức nộp:`: `{}`", excerpt(t)),
                    ),
                );
                continue;
            };
            if b.part != Part::Note && indent > 0 {
                let sub = if let Some(v) = t.strip_prefix("Thời hạn giải quyết:") {
                    Some((Part::Time, "Thời hạn giải quyết:", v))
                } else if let Some(v) = t.strip_prefix("Phí, lệ phí:") {
                    Some((Part::Fee, "Phí, lệ phí:", v))
                } else {
                    t.strip_prefix("Mô tả:").map(|v| (Part::Note, "Mô tả:", v))
                };
                if let Some((part, name, v)) = sub {
                    let v = v.trim().to_string();
                    let taken = match part {
                        Part::Time => b.time.is_some(),
                        Part::Fee => b.fee.is_some(),
                        Part::Note => b.note.is_some(),
                        Part::Start => false,
                    };
                    if taken {
                        let at = b.line;
                        self.error(
                            no,
                            say(
                                format!("`{name}` thứ hai trong cách thức bắt đầu ở dòng {at}"),
                                format!("a second `{name}` in the channel starting at line {at}"),
                            ),
                        );
                    } else {
                        match part {
                            Part::Time => b.time = Some(v),
                            Part::Fee => b.fee = Some(v),
                            Part::Note => b.note = Some(vec![v]),
                            Part::Start => {}
                        }
                    }
                    b.part = part;
                    continue;
                }
            }
            match b.part {
                Part::Note => {
                    if let Some(note) = b.note.as_mut() {
                        note.push(line.trim_end().to_string());
                    }
                }
                _ if t.is_empty() => {}
                _ if indent > 0 && looks_like_label(t).is_some() => {
                    let label = looks_like_label(t).unwrap_or(t);
                    self.error(
                        no,
                        say(
                            format!(
                                "nhãn `{label}:` không rõ trong cách thức bắt đầu ở dòng {}",
                                b.line
                            ),
                            format!(
                                "unknown label `{label}:` in the channel starting at line {}",
                                b.line
                            ),
                        ),
                    );
                }
                Part::Time => {
                    self.tags.push("time:continued");
                    if let Some(v) = b.time.as_mut() {
                        v.push('\n');
                        v.push_str(t);
                    }
                }
                Part::Fee => {
                    self.tags.push("fees:continued");
                    if let Some(v) = b.fee.as_mut() {
                        v.push('\n');
                        v.push_str(t);
                    }
                }
                Part::Start => {
                    self.error(
                        no,
                        say(
                            format!(
                                "chữ không mong đợi trong cách thức bắt đầu ở dòng {}: `{}`",
                                b.line,
                                excerpt(t)
                            ),
                            format!(
                                "unexpected text in the channel starting at line {}: `{}`",
                                b.line,
                                excerpt(t)
                            ),
                        ),
                    );
                }
            }
        }
        if built.is_empty() {
            if !no_info {
                self.tags.push("channels:none");
            }
            self.tags.push("channels:no-info");
            return None;
        }
        let mut channels = Vec::new();
        for b in built {
            let Some(method) = b.method else { continue };
            self.tags.push(match method {
                Method::Direct => "channel:truc-tiep",
                Method::Online => "channel:truc-tuyen",
                Method::Postal => "channel:buu-chinh",
            });
            let time = match b.time {
                Some(raw) => parse_time(&raw, &mut self.tags),
                None => {
                    self.tags.push("time:no-line");
                    Time::Unpublished
                }
            };
            let fees = match b.fee {
                Some(raw) => parse_fees(&raw, &mut self.tags),
                None => {
                    self.tags.push("fees:no-line");
                    Fees::Unpublished
                }
            };
            let note = b.note.and_then(|lines| {
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let text = join_trimmed(&refs);
                if text.is_empty() || is_no_info(&text) {
                    None
                } else {
                    self.tags.push("channel:note");
                    if text.contains('\n') {
                        self.tags.push("channel:note-several-lines");
                    }
                    Some(text)
                }
            });
            channels.push(Channel {
                method,
                time,
                fees,
                note,
                line: b.line,
            });
        }
        Some(channels)
    }

    pub(super) fn dossier(&mut self, field: &Field) -> Option<Vec<DossierCase>> {
        let first = field.first.trim();
        let mut no_info = is_no_info(first);
        if !first.is_empty() && !no_info {
            self.error(
                field.line,
                say(
                    format!(
                        "chữ không mong đợi sau `Thành phần hồ sơ:`: `{}`",
                        excerpt(first)
                    ),
                    format!(
                        "unexpected text after `Thành phần hồ sơ:`: `{}`",
                        excerpt(first)
                    ),
                ),
            );
        }
        // (case, items with counts still to come)
        let mut cases: Vec<(Option<String>, Vec<PendingItem>)> = Vec::new();
        for &(no, line) in &field.rest {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(h) = t.strip_prefix('[') {
                let h = match h.strip_suffix(']') {
                    Some(h) => h,
                    None => {
                        self.tags.push("dossier:heading-unclosed");
                        h
                    }
                };
                let h = h.trim();
                self.tags.push("dossier:case");
                cases.push(((!h.is_empty()).then(|| h.to_string()), Vec::new()));
            } else if t == "-" || t.starts_with("- ") {
                let name = t.get(1..).unwrap_or("").trim().to_string();
                if cases.is_empty() {
                    self.tags.push("dossier:items-before-heading");
                    cases.push((None, Vec::new()));
                }
                if let Some((_, items)) = cases.last_mut() {
                    if let Some((at, _, None)) = items.last() {
                        let at = *at;
                        self.error(
                            at,
                            say(
                                "giấy tờ không có dòng `Số lượng:`",
                                "dossier item without a `Số lượng:` line",
                            ),
                        );
                    }
                    items.push((no, name, None));
                }
            } else if let Some(q) = t.strip_prefix("Số lượng:") {
                let counts = parse_counts(q);
                let slot = cases
                    .last_mut()
                    .and_then(|(_, items)| items.last_mut())
                    .filter(|(_, _, c)| c.is_none());
                match (counts, slot) {
                    (Some(c), Some(item)) => item.2 = Some(c),
                    (None, _) => self.error(
                        no,
                        say(
                            format!(
                                "`Số lượng:` phải viết `Bản chính: N, Bản sao: M`, không phải `{}`",
                                excerpt(q.trim())
                            ),
                            format!(
                                "`Số lượng:` should read `Bản chính: N, Bản sao: M`, not `{}`",
                                excerpt(q.trim())
                            ),
                        ),
                    ),
                    (Some(_), None) => self.error(
                        no,
                        say(
                            "`Số lượng:` không thuộc giấy tờ nào",
                            "`Số lượng:` without a dossier item",
                        ),
                    ),
                }
            } else if t.starts_with(NO_INFO)
                && cases.last().is_none_or(|(_, items)| items.is_empty())
            {
                // "Không có thông tin thành phần hồ sơ.", possibly under a heading
                no_info = true;
            } else {
                self.error(
                    no,
                    say(
                        format!(
                            "dòng không mong đợi trong `Thành phần hồ sơ:`: `{}`",
                            excerpt(t)
                        ),
                        format!("unexpected line in `Thành phần hồ sơ:`: `{}`", excerpt(t)),
                    ),
                );
            }
        }
        if cases.iter().all(|(_, items)| items.is_empty()) {
            if !no_info {
                self.tags.push("dossier:none");
            }
            if !cases.is_empty() {
                // headings without items: keep them as written
                self.tags.push("dossier:headings-without-items");
                let lines: Vec<&str> = field.rest.iter().map(|(_, l)| l.trim_end()).collect();
                self.dossier_raw = Some(join_trimmed(&lines));
            }
            self.tags.push("dossier:no-info");
            return None;
        }
        let mut out = Vec::new();
        for (case, items) in cases {
            if items.is_empty() {
                self.tags.push("dossier:empty-case");
            }
            let mut done = Vec::new();
            for (no, name, counts) in items {
                let Some((originals, copies)) = counts else {
                    self.error(
                        no,
                        say(
                            "giấy tờ không có dòng `Số lượng:`",
                            "dossier item without a `Số lượng:` line",
                        ),
                    );
                    continue;
                };
                self.tags.push("dossier:item");
                done.push(self.dossier_item(name, originals, copies));
            }
            out.push(DossierCase { case, items: done });
        }
        Some(out)
    }

    pub(super) fn dossier_item(
        &mut self,
        name: String,
        originals: u32,
        copies: u32,
    ) -> DossierItem {
        if originals == 0 && copies == 0 {
            self.tags.push("dossier:item-0-0");
            let core = name.trim_start_matches(|c: char| {
                c == '*' || c == '-' || c == '+' || c.is_whitespace()
            });
            for marker in ["Lưu ý", "Ghi chú", "Chú ý"] {
                let Some(head) = core.get(..marker.len()) else {
                    continue;
                };
                if head.to_lowercase() != marker.to_lowercase() {
                    continue;
                }
                let rest = core
                    .get(marker.len()..)
                    .unwrap_or("")
                    .trim_start_matches(|c: char| c == ':' || c.is_whitespace())
                    .trim_end();
                self.tags.push("dossier:note-item");
                return DossierItem {
                    name: head.to_string(),
                    originals,
                    copies,
                    note: (!rest.is_empty()).then(|| rest.to_string()),
                };
            }
        }
        if name.is_empty() {
            self.tags.push("dossier:unnamed-item");
            return DossierItem {
                name: UNPUBLISHED_TEXT.to_string(),
                originals,
                copies,
                note: None,
            };
        }
        DossierItem {
            name,
            originals,
            copies,
            note: None,
        }
    }

    pub(super) fn legal_basis(&mut self, field: &Field) -> Option<LegalBasis> {
        let first = field.first.trim();
        if !first.is_empty() && !is_no_info(first) {
            self.error(
                field.line,
                say(
                    format!(
                        "chữ không mong đợi sau `Căn cứ pháp lý:`: `{}`",
                        excerpt(first)
                    ),
                    format!(
                        "unexpected text after `Căn cứ pháp lý:`: `{}`",
                        excerpt(first)
                    ),
                ),
            );
        }
        let mut items: Vec<String> = Vec::new();
        let mut wrapped = false;
        let mut raw_lines: Vec<&str> = Vec::new();
        for &(no, line) in &field.rest {
            let t = line.trim();
            raw_lines.push(line.trim_end());
            if t.is_empty() {
                continue;
            }
            if indent_of(line) <= 3 && (t == "*" || t.starts_with("* ")) {
                let item = t.get(1..).unwrap_or("").trim();
                if item.is_empty() {
                    self.tags.push("legal_basis:empty-item");
                } else {
                    self.tags.push("legal_basis:item");
                    items.push(item.to_string());
                }
            } else if items.is_empty() && t.starts_with(NO_INFO) {
                // "Không có thông tin căn cứ pháp lý."
            } else if let Some(last) = items.last_mut() {
                self.tags.push("legal_basis:wrapped-line");
                wrapped = true;
                last.push(' ');
                last.push_str(t);
            } else {
                self.error(
                    no,
                    say(
                        format!(
                            "dòng không mong đợi trong `Căn cứ pháp lý:`: `{}`",
                            excerpt(t)
                        ),
                        format!("unexpected line in `Căn cứ pháp lý:`: `{}`", excerpt(t)),
                    ),
                );
            }
        }
        if items.is_empty() {
            self.tags.push("legal_basis:no-info");
            return None;
        }
        Some(LegalBasis {
            items,
            raw: join_trimmed(&raw_lines),
            wrapped,
        })
    }

    pub(super) fn list(
        &mut self,
        value: Option<String>,
        ambiguous_tag: &'static str,
    ) -> Option<TextList> {
        let raw = value?;
        let (items, ambiguous) = split_list(&raw);
        if ambiguous {
            self.tags.push(ambiguous_tag);
        }
        Some(TextList {
            items,
            raw,
            ambiguous,
        })
    }
}

/// A dossier item being read: its line, its name, its counts once seen.
pub(super) type PendingItem = (usize, String, Option<(u32, u32)>);

/// Joins lines with `\n`, dropping blank lines at both ends.
pub(super) fn join_trimmed(lines: &[&str]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => lines.get(s..=e).map(|ls| ls.join("\n")).unwrap_or_default(),
        _ => String::new(),
    }
}

/// `Bản chính: N, Bản sao: M`.
pub(super) fn parse_counts(q: &str) -> Option<(u32, u32)> {
    let (a, b) = q.trim().split_once(',')?;
    let originals = a.trim().strip_prefix("Bản chính:")?.trim().parse().ok()?;
    let copies = b.trim().strip_prefix("Bản sao:")?.trim().parse().ok()?;
    Some((originals, copies))
}
