#!/usr/bin/env bash
# Builds and launches Topica from a fresh clone on Debian/Ubuntu (needs only Rust and Node):
# system packages, npm packages, the front end, then the app, opened on the sample library the
# first time (and on the library used last afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/install-model.sh
[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci
npm run build:ui
cargo build -p topica --features custom-protocol --locked
exec "${CARGO_TARGET_DIR:-target}/debug/topica" "$@"
