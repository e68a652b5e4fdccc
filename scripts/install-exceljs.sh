#!/usr/bin/env bash
# Installs exceljs, exactly as tests/data/workbooks/exceljs/package-lock.json
# pins it, into that folder's node_modules/ (ignored by git). Only
# scripts/make-workbook-fixtures.sh needs it: the tests read the workbooks
# it wrote, which are checked in.
set -euo pipefail
cd "$(dirname "$0")/../tests/data/workbooks/exceljs"
command -v npm >/dev/null || { echo "npm is not installed (Debian: apt-get install npm)" >&2; exit 1; }
npm ci --no-audit --no-fund --silent
