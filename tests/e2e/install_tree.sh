#!/usr/bin/env bash
# `cmake --install` (docs/decisions.md, Installing; cmake/install.cmake) into a scratch prefix:
# the program, the man page where man finds it (man1, gzipped), the guide
# with its images, the copyright and changelog, the sample county; and one
# version everywhere: `kaohe --version`, the man page, the changelog.
set -u
: "${KAOHE:?}" "${KAOHE_BUILD_DIR:?}" "${KAOHE_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$KAOHE_BUILD_DIR" --prefix "$work/usr" >"$work/log" 2>&1 || { cat "$work/log"; fail "cmake --install"; }
for f in bin/kaohe share/man/man1/kaohe.1.gz share/doc/kaohe/用户手册.md share/doc/kaohe/copyright \
  share/doc/kaohe/changelog.gz share/doc/kaohe/images/notice-page1.png \
  share/kaohe/samples/county-2013/rules.ini share/kaohe/samples/county-2013/monthly/2013-07.csv; do
  [ -f "$work/usr/$f" ] || fail "not installed: $f"
done
for img in $(grep -o '](images/[^)]*)' "$KAOHE_SOURCE_DIR/docs/用户手册.md" | sed 's/^](//; s/)$//'); do
  [ -f "$work/usr/share/doc/kaohe/$img" ] || fail "the guide shows $img, which is not installed"
done

version=$("$work/usr/bin/kaohe" --version) || fail "the installed kaohe does not run"
[ "$version" = "$("$KAOHE" --version)" ] || fail "installed '$version' is not the build's"
zcat "$work/usr/share/man/man1/kaohe.1.gz" | grep -q "^\.TH KAOHE 1 \"\" \"$version\"" ||
  fail "the man page does not say $version: $(zcat "$work/usr/share/man/man1/kaohe.1.gz" | grep '^\.TH')"
zcat "$work/usr/share/doc/kaohe/changelog.gz" | head -1 | grep -q "^kaohe (${version#kaohe }) " ||
  fail "the changelog's latest entry is not $version"
MANPATH="$work/usr/share/man" LANG=C.UTF-8 man -P cat kaohe 2>"$work/man.err" | grep -q '月考评' ||
  fail "man kaohe does not find the installed page"
[ ! -s "$work/man.err" ] || fail "man kaohe warns: $(cat "$work/man.err")"
"$work/usr/bin/kaohe" check "$work/usr/share/kaohe/samples/county-2013" >/dev/null 2>&1 ||
  fail "the installed sample does not pass check"
echo "PASS: installed tree complete, one version ($version)"
