#!/usr/bin/env bash
# Installs, from Debian's packages only, everything kaohe needs to build, run
# and test. Idempotent and quiet when everything is already present.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # libraries
  libglib2.0-dev libcsv-dev libhpdf-dev libxlsxwriter-dev
  libmd4c-dev libmd4c-html0-dev libunistring-dev libfontconfig-dev
  libharfbuzz-dev libjansson-dev libcurl4-openssl-dev libcmocka-dev
  libminizip-dev # xlsx_parts.c's zip call; reading .xlsx (src/load/xlsx_reader.c)
  libxml2-dev libfreexl-dev libgsf-1-dev # reading .xlsx and .xls (src/load/)
  libcurl4 # opened by `kaohe mail --smtp` (src/deliver/curl_loader.c), not linked
  # fonts: the free stand-ins for the official faces (docs/fonts)
  fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei
  fonts-dejavu-core # composite glyphs for tests/unit/test_sparse_face.c
  # ICC profile for the PDF/A OutputIntent
  icc-profiles-free
  # what the tests use
  qpdf poppler-utils python3 python3-openpyxl valgrind
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(libreoffice-calc-nogui python3-aiosmtpd openssl time strace clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
