//! The Hugo twin of the 20k site.

use super::*;

// ---------------------------------------------------------------------------
// Hugo

pub(crate) const HUGO_CONFIG: &str = r#"baseURL = "https://thutuc.example.gov.vn/"
languageCode = "vi"
title = "TITLE"
disableKinds = ["taxonomy", "term"]
# Feeds list the latest 100 pages, not all 20,000 (niemyet's feed lists changes only).
rssLimit = 100
[markup.goldmark.renderer]
unsafe = false
"#;

pub(crate) const HUGO_SINGLE: &str = r#"<!doctype html>
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

pub(crate) const HUGO_LIST: &str = r#"<!doctype html>
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

pub(crate) const HUGO_INDEX: &str = r#"<!doctype html>
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

pub(crate) fn hugo_skeleton(h: &mut Out, title: &str) -> io::Result<()> {
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
