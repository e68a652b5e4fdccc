#!/usr/bin/env bash
# libcurl, and the ~25 libraries it pulls in, are loaded only when mail is
# sent (src/deliver/curl_loader.c says why):
#   * kaohe is not linked with them (ldd);
#   * check, score and month run without loading them, as the dynamic
#     loader's own trace (LD_DEBUG=files) shows, dlopen() included. So that
#     a trace that stopped working cannot pass, it must show GLib for every
#     command, and libcurl for `kaohe mail --smtp` (to a malformed URL, which
#     fails at once without a server);
#   * with a libcurl that cannot be loaded (an empty file of its SONAME first
#     in LD_LIBRARY_PATH) score still runs, and mail fails with exit 1 and a
#     message naming the library.
source "$(dirname "$0")/lib/common.bash"
[ -f "$sample/rules.ini" ] || skip "the sample county $sample is absent"
"$KAOHE" mail --help >/dev/null 2>&1 || fail "'kaohe mail --help' does not run: the program does not start"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
own_sample "$tmp" # month registers its documents in the dataset
# and libmicrohttpd, opened only by `kaohe serve` (src/serve/mhd_loader.c)
mail_only='^lib(curl|gnutls|krb5|gssapi_krb5|ldap|lber|ssh2|nghttp2|rtmp|psl|microhttpd)'
bad_url='smtp://[::1' # rejected by libcurl before it connects anywhere
from=jsj@example.gov.cn

ldd "$KAOHE" >"$tmp/ldd" || fail "ldd $KAOHE failed"
if awk '{print $1}' "$tmp/ldd" | grep -E "$mail_only"; then
  fail "kaohe is linked with libcurl or the libraries it pulls in"
fi

# traced NAME ARGS...: kaohe ARGS, its output in $tmp/NAME.out and the file
# names of the libraries it loaded, one a line, in $tmp/NAME.libs; returns
# kaohe's exit status.
traced() {
  local name=$1 status=0
  shift
  LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/$name.trace" "$KAOHE" "$@" >"$tmp/$name.out" 2>&1 ||
    status=$?
  cat "$tmp/$name.trace".* | sed -n 's/^.*file=\([^ ]*\) .*$/\1/p' | sort -u >"$tmp/$name.libs"
  grep -q '^libglib-2\.0\.so' "$tmp/$name.libs" ||
    fail "the loader's trace of kaohe $1 does not show GLib: LD_DEBUG=files is not working"
  return "$status"
}

expect_status() { # expect_status WANT NAME ARGS...
  local want=$1 got=0
  shift
  traced "$@" || got=$?
  [ "$got" -eq "$want" ] || { cat "$tmp/$1.out"; fail "kaohe ${*:2} exited $got, expected $want"; }
}

expect_status 0 check check "$sample"
expect_status 0 score score "$sample" --month 2013-07
expect_status 0 month month "$sample" 2013-07 -o "$tmp/out"
for name in check score month; do
  if grep -E "$mail_only" "$tmp/$name.libs"; then
    fail "kaohe $name loaded libcurl or a library it pulls in"
  fi
  echo "ok: kaohe $name loads $(wc -l <"$tmp/$name.libs") libraries, none of them for mail"
done

expect_status 1 mail mail "$sample" 2013-07 -o "$tmp/out" --smtp "$bad_url" --from "$from"
soname=$(grep -m1 '^libcurl' "$tmp/mail.libs") ||
  fail "kaohe mail --smtp did not load libcurl (or the trace does not show dlopen)"
echo "ok: kaohe mail --smtp loads $soname and $(wc -l <"$tmp/mail.libs") libraries in all"

mkdir "$tmp/broken"
: >"$tmp/broken/$soname"
export LD_LIBRARY_PATH="$tmp/broken${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
expect_status 0 score-broken score "$sample" --month 2013-07
expect_status 1 mail-broken mail "$sample" 2013-07 -o "$tmp/out" --smtp "$bad_url" --from "$from"
grep -qF "无法加载发送邮件所需的 $soname：$tmp/broken/$soname" "$tmp/mail-broken.out" || {
  cat "$tmp/mail-broken.out"
  fail "with a broken $soname, kaohe mail does not say it cannot load it"
}
echo "ok: with a broken $soname, score runs and mail fails saying why"
