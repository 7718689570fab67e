#!/usr/bin/env bash
# Reference sites for comparing the output of two niemyet binaries (bench/same_output.py).
#
#   bench/refsites.sh --work DIR --bin PATH --name NAME [--sites "tiny example ..."]
#
# Makes, once, in DIR/sites: the 20k, province and tiny benchmark sites (examples/gensite),
# the bundled example (content/ and site.toml of this repository) and a province adopting
# all 5,652 national records (imported by `niemyet import dvcqg`, as tests/import_site.rs
# does). None of them has a themes/ folder, so each binary builds with its own built-in
# default theme. Then builds each with PATH into DIR/out/NAME/<site>, as of 2026-11-23.
#
# Compare two builds with: python3 bench/same_output.py DIR/out/A DIR/out/B
set -euo pipefail

WORK=""
BIN=""
NAME=""
SITES="tiny example dvcqg 20k province"
while [ $# -gt 0 ]; do
    case "$1" in
        --work) WORK="$2"; shift 2 ;;
        --bin) BIN="$2"; shift 2 ;;
        --name) NAME="$2"; shift 2 ;;
        --sites) SITES="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "refsites.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$WORK" ] && [ -n "$BIN" ] && [ -n "$NAME" ] || { echo "refsites.sh: --work, --bin and --name are required" >&2; exit 2; }
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${NIEMYET_SHARED:-$REPO/../shared}"
[ -d "$SHARED/data/dvcqg" ] || SHARED=/work/shared
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
mkdir -p "$WORK/sites" "$WORK/out/$NAME" "$WORK/logs"

make_site() {
    local s="$1" dir="$WORK/sites/$1"
    [ -e "$dir/.ready" ] && return 0
    rm -rf "$dir"
    case "$s" in
        20k|province|tiny)
            (cd "$REPO" && cargo build --release --example gensite -q)
            "${CARGO_TARGET_DIR:-$REPO/target}/release/examples/gensite" "$s" "$dir" >/dev/null
            ;;
        example)
            mkdir -p "$dir"
            cp -r "$REPO/content" "$REPO/site.toml" "$dir/"
            ;;
        dvcqg)
            mkdir -p "$dir/content/tinh-thu"
            cat >"$dir/site.toml" <<'EOF'
title = "Thủ tục hành chính thử nghiệm"
base_url = "https://thutuc.example.gov.vn/"

[feedback]
agency = "Văn phòng UBND tỉnh"
address = "1 Đường Thử, Tỉnh Thử"
phone = "0207 3822 000"
email = "phananh@example.gov.vn"
EOF
            "$BIN" import dvcqg "$SHARED/data/dvcqg" --into content/_catalog/dvcqg --root "$dir" >/dev/null 2>&1
            # Records without a level are adopted by code (as tests/import_site.rs does).
            local codes
            codes="$(python3 - "$SHARED/data/dvcqg" <<'PY'
import pathlib, sys, unicodedata
codes = []
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    text = unicodedata.normalize("NFC", f.read_text(encoding="utf-8"))
    lines = text.splitlines()
    code = next(l.split(":", 1)[1].strip() for l in lines if l.startswith("Mã thủ tục:"))
    level = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("Cấp thực hiện:")), "")
    if not level.startswith("Cấp "):
        codes.append('"%s"' % code)
print(", ".join(codes))
PY
)"
            cat >"$dir/content/tinh-thu/_unit.toml" <<EOF
name = "Tỉnh Thử"
kind = "tinh"
adopt_levels = ["trung-uong", "tinh", "huyen", "xa"]
adopt = [$codes]

[office]
name = "Bộ phận một cửa Tỉnh Thử"
address = "Trụ sở Tỉnh Thử"
phone = "0207 000 000"
EOF
            ;;
        *) echo "refsites.sh: unknown site $s" >&2; exit 2 ;;
    esac
    touch "$dir/.ready"
}

for s in $SITES; do
    make_site "$s"
    out="$WORK/out/$NAME/$s"
    rm -rf "$out"
    start=$(date +%s%N)
    # The build's fingerprint goes beside its output (`.<site>.fingerprint`): removed, so
    # that every build renders.
    rm -f "$WORK/out/$NAME/.$s.fingerprint"
    "$BIN" build --root "$WORK/sites/$s" --out "$out" --today 2026-11-23 -q 2>"$WORK/logs/$NAME-$s.log"
    rm -f "$WORK/out/$NAME/.$s.fingerprint"
    echo "$s: built with $NAME in $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
done
