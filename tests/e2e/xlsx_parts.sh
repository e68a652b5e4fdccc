#!/usr/bin/env bash
# libxlsxwriter's parts are written as src/render/xlsx_parts.c says:
#  * in memory: under strace, every file `kaohe month` creates is in its
#    output folder or its staging folder beside it (the documents' temporaries) or one of its
#    font subsets, none of libxlsxwriter's temporary files;
#  * deflated at kaohe's level, not libxlsxwriter's fixed default: each part
#    of the county workbook, a township workbook and the quarter's workbook
#    is deflated again with Python's zlib (the same zlib) at that level and
#    must equal the stored bytes; at the default level it must not, or the
#    check could not fail.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200
py=/usr/bin/python3
[ -x "$py" ] || skip "$py is missing"
level=$(sed -n 's/^#define KH_XLSX_DEFLATE_LEVEL \([0-9]\)$/\1/p' \
  "$KAOHE_SOURCE_DIR/src/render/xlsx_parts.h")
[ -n "$level" ] || fail "KH_XLSX_DEFLATE_LEVEL not found in src/render/xlsx_parts.h"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
own_sample "$tmp"
command -v strace >/dev/null || skip "strace is missing (scripts/install-deps.sh --tests)"
# LeakSanitizer cannot run under ptrace; leaks are the other tests' concern.
sanitized_build && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
strace -f -qq -e trace=open,openat,creat -o "$tmp/trace" \
  "$KAOHE" month "$sample" 2013-07 -o "$tmp/month" 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "kaohe month failed (under strace)"; }
created=$(grep -E 'O_CREAT|creat\(' "$tmp/trace" | sed -n 's/^[^"]*"\([^"]*\)".*$/\1/p')
[ -n "$created" ] || fail "strace shows no file created: the trace does not work"
# besides: the staging folder beside the output, and in the dataset folder
# itself the document register, its temporary file and the probe that tells
# whether the folder can be written (strace writes their Chinese names in
# octal escapes)
strays=$(printf '%s\n' "$created" | grep -v -e "^$tmp/month/" -e "^$tmp/\.month\.kaohe-staging-" \
  -e '/kaohe-font-[^/]*\.ttf$' -e "^$sample/[^/]*\$" || true)
[ -z "$strays" ] || fail "kaohe month created files outside its output: $(echo "$strays" | head -3)"
echo "ok: $(printf '%s\n' "$created" | wc -l) files created, all outputs or font subsets"
"$KAOHE" quarter "$sample" 2013Q3 -o "$tmp/quarter" 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "kaohe quarter failed"; }
books=("$tmp"/month/*.xlsx "$(find "$tmp/month/乡镇" -name '*.xlsx' | sort | head -1)"
  $(find "$tmp/quarter" -name '*.xlsx'))
[ ${#books[@]} -eq 3 ] || fail "expected 3 workbooks, found ${#books[@]}: ${books[*]}"

# redeflate LEVEL BOOK...: prints "parts equal" counts; exits 1 on a
# part that is not deflated (stored, or another method).
redeflate() {
  "$py" - "$@" <<'PY'
import struct, sys, zipfile, zlib
level, equal, total = int(sys.argv[1]), 0, 0
for path in sys.argv[2:]:
    raw = open(path, 'rb').read()
    book = zipfile.ZipFile(path)
    for info in book.infolist():
        if info.compress_type != zipfile.ZIP_DEFLATED:
            sys.exit(f"{path}: {info.filename} is not deflated")
        name_len, extra_len = struct.unpack('<HH', raw[info.header_offset + 26:info.header_offset + 30])
        start = info.header_offset + 30 + name_len + extra_len
        stored = raw[start:start + info.compress_size]
        # minizip's raw deflate: 15-bit window, memLevel 8, default strategy
        d = zlib.compressobj(level, zlib.DEFLATED, -15, 8)
        equal += stored == d.compress(book.read(info)) + d.flush()
        total += 1
print(equal, total)
PY
}
read -r equal total < <(redeflate "$level" "${books[@]}")
[ "$total" -ge 30 ] || fail "only $total parts in ${books[*]}"
[ "$equal" -eq "$total" ] || fail "$((total - equal)) of $total parts are not deflated at level $level"
read -r at_default _ < <(redeflate 6 "${books[@]}")
[ "$at_default" -lt "$total" ] || fail "every part is also what level 6 gives: the check cannot tell"
echo "ok: $total parts of 3 workbooks deflated at level $level ($at_default of them equal at level 6)"
