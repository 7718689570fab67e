#!/usr/bin/env python3
"""Writes a deterministic benchmark site for `bench/serve.sh`.

usage: gen_site.py DIR [PROCEDURES] [COMMUNES] [CATALOGUE]

A province with COMMUNES communes (default 300); PROCEDURES local procedure files
(default 20,000) spread evenly over them; a catalogue of CATALOGUE entries (default 10)
that every commune adopts, so one catalogue edit reaches every commune. Same arguments,
same files: nothing random.
"""
import os
import sys

SITE = '''title = "Thủ tục hành chính (bộ thử hiệu năng)"
base_url = "https://bench.example.gov.vn/"

[feedback]
agency = "Văn phòng UBND tỉnh"
address = "1 Đường Thử, Tỉnh Thử"
phone = "0207 3822 000"
email = "phananh@example.gov.vn"
'''

SECTORS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Hộ kinh doanh", "Bảo trợ xã hội",
           "Nông nghiệp", "Giáo dục", "Y tế", "Văn hóa"]


def procedure(code, name, sector, level, fee):
    return f'''+++
code = "{code}"
name = "{name}"
sector = "{sector}"
level = "{level}"
decision = "163/QĐ-BTP"
applicants = ["Công dân Việt Nam"]
agency = "Ủy ban nhân dân cấp xã"
result = ["Giấy xác nhận"]
legal_basis = ["Luật Hộ tịch 2014 (60/2014/QH13)"]

[[channels]]
method = "truc-tiep"
time = {{ value = 3, unit = "working-days" }}
fees = [{{ amount = {fee}, text = "Lệ phí" }}]

[[channels]]
method = "truc-tuyen"
time = {{ value = 3, unit = "working-days" }}
fees = [{{ amount = {fee // 2}, text = "Nộp trực tuyến" }}]

[[dossier]]
case = "Giấy tờ phải nộp"
items = [
  {{ name = "Tờ khai", originals = 1, copies = 0 }},
  {{ name = "Giấy tờ tùy thân", originals = 0, copies = 1 }},
]
+++
Bước 1: Nộp hồ sơ tại Bộ phận một cửa.

Bước 2: Cán bộ tiếp nhận kiểm tra hồ sơ, **viết giấy hẹn**.

Bước 3: Nhận kết quả.
'''


def unit(name, kind, extra):
    return f'''name = "{name}"
kind = "{kind}"
{extra}

[office]
name = "Bộ phận một cửa {name}"
address = "Trụ sở {name}"
phone = "0207 000 000"
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    out = sys.argv[1]
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    communes = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    catalogue = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    write(os.path.join(out, "site.toml"), SITE)
    content = os.path.join(out, "content")
    for c in range(catalogue):
        code = f"1.{c:06d}"
        write(os.path.join(content, "_catalog", f"{code}.md"),
              procedure(code, f"Thủ tục chung số {c}", SECTORS[c % len(SECTORS)], "xa", 10000 + c))
    adopt = ", ".join(f'"1.{c:06d}"' for c in range(catalogue))
    write(os.path.join(content, "tinh-bench", "_unit.toml"), unit("Tỉnh Thử", "tinh", ""))
    for u in range(communes):
        write(os.path.join(content, "tinh-bench", f"xa-{u:03d}", "_unit.toml"),
              unit(f"Xã Số {u}", "xa", f"adopt = [{adopt}]"))
    for i in range(procs):
        u = i % communes
        code = f"2.{i:06d}"
        write(os.path.join(content, "tinh-bench", f"xa-{u:03d}", f"{code}.md"),
              procedure(code, f"Thủ tục riêng số {i}", SECTORS[i % len(SECTORS)], "xa", 1000 * (i % 50)))


if __name__ == "__main__":
    main()
