#!/usr/bin/env bash
# Makes dist/kaohe_VERSION_amd64.deb (docs/decisions.md, Installing): a release build with
# Debian's hardening flags in build-deb/, packaged by CPack
# (cmake/install.cmake: dependencies from dpkg-shlibdeps, fonts recommended),
# then checked by lintian, which must find no error (the warnings left are
# explained in docs/decisions.md). Prints the path of the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-deb
# dpkg-buildflags: -D_FORTIFY_SOURCE, the stack protector, RELRO and BIND_NOW,
# as every Debian package is built (hardening=+all adds BIND_NOW and PIE).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DKAOHE_WERROR=ON -DBUILD_TESTING=OFF \
  -DCMAKE_C_FLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
  -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
rm -rf "$build/_CPack_Packages" "$build"/kaohe_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
mkdir -p dist
rm -f dist/kaohe_*.deb
deb=$(ls "$build"/kaohe_*_amd64.deb)
cp "$deb" dist/
deb="dist/$(basename "$deb")"
lintian --fail-on error "$deb" >&2
echo "$deb"
