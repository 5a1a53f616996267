#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian/Ubuntu machine with Rust and Node.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh

echo "== Rust: topica-core unit, integration and doc tests" >&2
cargo test -p topica-core --locked 2>&1
