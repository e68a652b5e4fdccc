#!/usr/bin/env bash
# Installs what is missing, builds kaohe, and runs the monthly job on the
# shipped sample county (README: "Try it"): check the data, print the July
# scores, and write July's notice, workbooks and scores into out/2013-07/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
sample=samples/county-2013
./build/kaohe check "$sample"
./build/kaohe score "$sample" --month 2013-07
./build/kaohe month "$sample" 2013-07 -o out/2013-07
ls -R out/2013-07
