#!/usr/bin/env bash
# Installs, from Debian's packages, everything kaohe needs to build, run
# and test; with --tests also PDF.js from npm into tests/pdfjs (pinned by its
# package-lock.json). Idempotent and quiet when everything is already present.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # libraries
  libglib2.0-dev libcsv-dev libhpdf-dev libxlsxwriter-dev
  libmd4c-dev libmd4c-html0-dev libunistring-dev libfontconfig-dev
  libharfbuzz-dev libjansson-dev libcurl4-openssl-dev libcmocka-dev
  libminizip-dev # the prototype of the zip call src/render/xlsx_parts.c routes
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
  # the PDF readers the text layer is checked with (tests/e2e/text_layer.sh):
  # MuPDF, and PDF.js under Node (Debian's npm, unless Node brings its own)
  packages+=(mupdf-tools nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PDF.js for the tests: pdfjs-dist as tests/pdfjs/package-lock.json pins it,
# without its optional native `canvas` (text extraction needs no rendering);
# again only when the lock file changed since the last install
if [ "${1:-}" = "--tests" ]; then
  pdfjs="$(dirname "$0")/../tests/pdfjs"
  stamp="$pdfjs/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$pdfjs/package-lock.json" -nt "$stamp" ]; then
    echo "installing: pdfjs-dist (npm ci in tests/pdfjs)" >&2
    (cd "$pdfjs" && npm ci --omit=optional --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
