#!/usr/bin/env bash
# Chinese punctuation in the documents (issue 16 item 3; src/render/punct.h):
# the sample county with ASCII marks in rules.ini's tier actions
# (通报表扬,奖励工作经费3,000元(一次性发放), 取消…资格;通报批评) and in a
# dataset mail template ("…办法",{{issuer}}… and a Subject with a colon):
#  - no ASCII , : ; ! ? ( ) " stands next to Chinese text in the month's
#    notice, county and township workbooks, the mails (.eml, plain and
#    HTML) or the quarter's report and workbook (punct_check.py);
#  - what is not Chinese text keeps its marks: 3,000 in the report, the
#    e-mail address and URL in the mails;
#  - the machine outputs keep the data as written: the quarter's JSON and
#    `kaohe score --format csv` still say 通报表扬,奖励工作经费3,000元(一次性发放).
source "$(dirname "$0")/lib/common.bash"
for tool in pdftotext /usr/bin/python3; do
  command -v "$tool" >/dev/null || skip "$tool missing"
done
export SOURCE_DATE_EPOCH=1381363200
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ds="$tmp/ds"
cp -r "$sample" "$ds"
action='通报表扬,奖励工作经费3,000元(一次性发放)'
sed -i "s/^action = 通报表扬，奖励工作经费3000元\$/action = $action/; s/^veto_action = .*/veto_action = 取消本季度评先评优资格;通报批评/" "$ds/rules.ini"
grep -qF "action = $action" "$ds/rules.ini" || fail "could not edit the sample's tier action"
mkdir "$ds/templates"
sed -e '1s/（{{township.name}}）$/: {{township.name}}/' -e 's/根据《{{county}}{{title}}办法》，{{issuer}}/根据"{{county}}{{title}}办法",{{issuer}}/' \
  -e '$a\\n如有疑问请发邮件至 tongji@example.org,或查看 https://example.org/kaohe?a=1,2(3)' \
  "$KAOHE_SOURCE_DIR/templates/mail.md" >"$ds/templates/mail.md"
grep -qF '根据"{{county}}' "$ds/templates/mail.md" || fail "could not edit the mail template"

run() { "$KAOHE" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; fail "kaohe $*"; }; }
run month "$ds" 2013-09 -o "$tmp/m" --date 2013-10-05
run mail "$ds" 2013-09 -o "$tmp/m" --eml
run quarter "$ds" 2013Q3 -o "$tmp/q" --date 2013-10-10
docs=("$tmp"/m/*.pdf "$tmp"/m/*.xlsx "$tmp"/m/乡镇/*.xlsx "$tmp"/m/邮件/*.eml "$tmp"/q/*.pdf "$tmp"/q/*.xlsx)
[ ${#docs[@]} -ge 30 ] || fail "only ${#docs[@]} documents"
/usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/punct_check.py" "${docs[@]}" | sed "s|$tmp/||" ||
  fail "ASCII punctuation next to Chinese text"

pdftotext -raw "$tmp"/q/*.pdf - | tr -d '\n' >"$tmp/q.txt"
for want in "通报表扬，奖励工作经费3,000元（一次性发放）" "取消本季度评先评优资格；通报批评" \
    "根据《某某县人口计生重点工作月考评办法》和“月考评、季奖惩”工作要求"; do
  grep -qF "$want" "$tmp/q.txt" || fail "the report lacks: $want"
done
/usr/bin/python3 - "$tmp"/m/邮件/01_*.eml <<'PY' || fail "the mail's text"
import email, sys
from email import policy
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
plain = msg.get_body(("plain",)).get_content()
assert str(msg["Subject"]).endswith("考评得分：城关镇"), msg["Subject"]
for want in ("根据“某某县人口计生重点工作月考评办法”，某某县人口和计划生育局",
             "tongji@example.org，或查看 https://example.org/kaohe?a=1,2(3)"):
    assert want in plain, f"the mail lacks {want!r}"
PY
grep -qF "\"action\": \"$action\"" "$tmp"/q/*.json || fail "the quarter's JSON changed the action"
"$KAOHE" score "$ds" --quarter 2013Q3 --format csv >"$tmp/q.csv" 2>/dev/null || fail "score --format csv"
grep -qF "$action" "$tmp/q.csv" || fail "the CSV changed the action"
echo "ok: Chinese punctuation in ${#docs[@]} documents; numbers, addresses and the machine outputs untouched"
