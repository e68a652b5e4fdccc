#!/usr/bin/env bash
# The .deb on a clean Debian 12 (docs/decisions.md, Installing): mmdebstrap makes a minimal
# bookworm root from the mirror this machine's apt uses, adds man-db (which
# a minimal root lacks), installs the package there with `apt-get install
# ./kaohe_*.deb` (its dependencies and recommended fonts from the mirror,
# recommendations on as on an installed Debian; mmdebstrap turns them off),
# and runs, with no locale set, as a new user would: `kaohe --version`,
# `kaohe init`, `kaohe check`, `kaohe month` on the installed sample, the
# help, and `man kaohe`; then every example of the installed user's guide
# against the installed program and sample (tests/e2e/guide_examples.sh,
# with python3, python3-openpyxl and poppler-utils, which the guide's examples use, added). The downloaded packages are kept in
# build/debian12-debs (KAOHE_ROOT_CACHE), so a second run needs the network
# only for what changed.
#
# usage: clean_root.sh dist/kaohe_VERSION_amd64.deb
# (as root, or as a user where mmdebstrap's unshare mode works)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deb=$(realpath "$1")
version=$(dpkg-deb -f "$deb" Version)
cache=${KAOHE_ROOT_CACHE:-$here/../../build/debian12-debs}
mkdir -p "$cache"
cache=$(realpath "$cache")
mirror=$(awk '$1 == "URIs:" { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/as-a-user.sh" <<SCRIPT
set -euxo pipefail
unset LANG LANGUAGE LC_ALL
cd /root
[ "\$(command -v kaohe)" = /usr/bin/kaohe ]
[ "\$(kaohe --version)" = "kaohe $version" ]
kaohe init 某某县-2014 --year 2014
kaohe check 某某县-2014 2>err; cat err
grep -q 'monthly/ 中还没有任何月份的数据' err
cp -r /usr/share/kaohe/samples/county-2013 .
kaohe check county-2013
kaohe month county-2013 2013-07 --date 2013-08-05
[ -s out/2013-07/督查通报_2013-07.pdf ] && [ -s out/2013-07/考评得分汇总_2013-07.xlsx ]
kaohe quarter county-2013 2013Q3 --date 2013-10-10
(cd archive/2013Q3 && sha256sum -c SHA256SUMS)
kaohe month --help >help
grep -q '^用法：kaohe month' help && ! grep -q 'Usage' help
# man needs a UTF-8 locale to show Chinese at all: C.UTF-8, a fresh Debian's default
LANG=C.UTF-8 man -P cat kaohe >man.txt 2>man.err
! grep -q warning man.err
grep -q '月考评' man.txt && grep -q 'kaohe $version' man.txt
[ -f /usr/share/doc/kaohe/用户手册.md ] && [ -f /usr/share/doc/kaohe/images/notice-page1.png ]
# The guide's examples, as written, on the installed guide and sample.
mkdir -p /tmp/installed
ln -s /usr/share/doc/kaohe /tmp/installed/docs
cp -r /usr/share/kaohe/samples /tmp/installed/samples
mv /tmp/src /tmp/installed/src
KAOHE=/usr/bin/kaohe KAOHE_SOURCE_DIR=/tmp/installed bash /tmp/guide_examples.sh
echo "clean root: all as the guide says"
SCRIPT

mmdebstrap --variant=apt --include=man-db,python3,python3-openpyxl,poppler-utils --skip=download/empty \
  --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
  --setup-hook="sync-in $cache /var/cache/apt/archives/" \
  --customize-hook="copy-in $deb /tmp" \
  --customize-hook="chroot \"\$1\" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o APT::Install-Recommends=true /tmp/$(basename "$deb")" \
  --customize-hook="copy-in $work/as-a-user.sh $here/../e2e/guide_examples.sh $here/../../src /tmp" \
  --customize-hook='chroot "$1" bash /tmp/as-a-user.sh' \
  --customize-hook='rm -f "$1"/var/cache/apt/archives/kaohe_*.deb' \
  --customize-hook="sync-out /var/cache/apt/archives $cache" \
  bookworm /dev/null "$mirror"
echo "PASS: $(basename "$deb") installs and works on a clean Debian 12"
