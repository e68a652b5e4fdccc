#!/usr/bin/env bash
# Installs what is missing, builds kaohe with warnings as errors, and runs
# every test (README: "Test it"; .ci/run calls exactly this), then makes the
# .deb and tries it on a clean Debian 12 root (tests/package/clean_root.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAOHE_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
bash scripts/sanitize.sh
# docs/decisions.md, Installing: the .deb (lintian finds no error) installs and works on a clean Debian 12
bash tests/package/clean_root.sh "$(bash scripts/package.sh)"
