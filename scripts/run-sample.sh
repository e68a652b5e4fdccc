#!/usr/bin/env bash
# Installs what is missing, builds kaohe, and runs the monthly job on the
# shipped sample county (README: "Try it").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
sample=samples/county-2013
./build/kaohe check "$sample"
./build/kaohe score "$sample" --month 2013-07
