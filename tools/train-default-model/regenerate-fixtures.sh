#!/usr/bin/env bash
# After models/default changes, rewrites the test fixtures computed from it by the independent
# plain-PyTorch references (LAPE selection, overlap maps, magnitude masks), so the engine's
# tests compare against the new model. Run from the repository root:
#   bash tools/train-default-model/regenerate-fixtures.sh [MODEL_DIR] [FIXTURES_DIR]
set -euo pipefail
M=${1:-models/default}
F=${2:-test/fixtures}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
PY=/usr/bin/python3
mkdir -p "$F/lape" "$F/features" "$F/pruning"
node --import tsx test/lape/dump-udhr-ids.ts "$M" "$W/udhr-ids.json"
$PY test/lape/identify_reference.py "$M" "$W/udhr-ids.json" "$F/lape/default-udhr21-identify.json"
node --import tsx test/lape/dump-calibration-ids.ts "$M" "$W/calibration-ids.json"
$PY test/lape/overlap_reference.py "$M" "$W/calibration-ids.json" "$F/features/default-overlap-hidden.json"
$PY test/pruning/magnitude_reference.py "$M" 0.5 "$F/pruning/default-magnitude-0.5.json"
