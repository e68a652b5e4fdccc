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
  libharfbuzz-dev libjansson-dev libcurl4-openssl-dev libcmocka-dev zlib1g-dev
  libminizip-dev libxml2-dev libfreexl-dev libgsf-1-dev # reading .xlsx and .xls (src/load/)
  libcurl4 # opened by `kaohe mail --smtp` (src/deliver/curl_loader.c), not linked
  libmicrohttpd-dev libmicrohttpd12 # opened by `kaohe serve` (src/serve/mhd_loader.c), not linked
  # fonts: the free stand-ins for the official faces (docs/fonts)
  fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei
  fonts-dejavu-core # composite glyphs for tests/unit/test_sparse_face.c
  # ICC profile for the PDF/A OutputIntent
  icc-profiles-free
  # what the tests use
  qpdf poppler-utils python3 python3-openpyxl valgrind
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(libreoffice-calc-nogui python3-aiosmtpd openssl time strace clang-14 libclang-rt-14-dev
    curl chromium # the web console's tests: curl, and a real browser
    locales) # de_DE and fr_FR for tests/e2e/locale_bytes.sh
  command -v npm >/dev/null || packages+=(nodejs npm)
  # the .deb (scripts/package.sh) and its clean Debian 12 root (tests/package/)
  packages+=(dpkg-dev lintian mmdebstrap)
  # the PDF readers the text layer is checked with (tests/e2e/text_layer.sh):
  # MuPDF, and PDF.js under Node
  packages+=(mupdf-tools)
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

# npm packages the tests drive real clients with, exactly as their lockfiles
# say; installed again only when a lockfile changed since the last install.
if [ "${1:-}" = "--tests" ]; then
  npm_install() { # DIR [npm ci options]
    local dir=$1
    shift
    if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
      [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      echo "installing npm packages in ${dir#*/../}" >&2
      (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci "$@" --no-audit --no-fund --loglevel=error >/dev/null)
    fi
  }
  # puppeteer-core, which drives Debian's chromium (the web console)
  npm_install "$(dirname "$0")/../tests/browser"
  # pdfjs-dist, without its optional native `canvas` (text extraction needs no rendering)
  npm_install "$(dirname "$0")/../tests/pdfjs" --omit=optional
fi
