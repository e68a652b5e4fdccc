#!/usr/bin/env bash
# Every --help and a set of failures say nothing in English outside
# parentheses, under LANG=C.UTF-8, LANG=en_US.UTF-8 and no locale (docs/decisions.md, Installing;
# messages_chinese.py says what is exempt).
set -u
: "${KAOHE:?path of the kaohe program}" "${KAOHE_SOURCE_DIR:?}"
[ -f "$KAOHE_SOURCE_DIR/samples/county-2013/rules.ini" ] || { echo "no sample county: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$KAOHE_SOURCE_DIR/tests/e2e/messages_chinese.py" "$KAOHE" "$KAOHE_SOURCE_DIR" "$work"
