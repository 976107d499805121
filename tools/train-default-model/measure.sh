#!/usr/bin/env bash
# Measures a default-model candidate with Polyglot Lens itself (issue #15) and copies the
# tool's own output files (the documented CSV contracts) into results/tool/, from which
# model_card.py writes the card. Run from the repository root after `npm run build`:
#   bash tools/train-default-model/measure.sh [MODEL_DIR]      (default models/default)
set -euo pipefail
M=${1:-models/default}
T=tools/train-default-model
W=${WORK:-/tmp/polyglot-default}/measure
R=$T/results/tool
PL="./bin/polyglot-lens"
TOY=examples/eval/toyworld
# English ↔ the seven other toy-world languages (Latin, Cyrillic, Japanese, Han, Arabic, Devanagari).
PAIRS=en-fr,fr-en,en-de,de-en,en-ru,ru-en,en-ja,ja-en,en-zh,zh-en,en-ar,ar-en,en-hi,hi-en
CONT=en,fr,de,es,ru,ja,zh,ar,hi,tr,vi,sw   # the 12 languages of the continuation bar
UDHR=$(/usr/bin/python3 -c "import json; print(','.join(json.load(open('$M/config.json'))['polyglot_languages']))")
rm -rf "$W" && mkdir -p "$W" "$R"
t0=$(date +%s)
step() { echo "== $1 ($(( $(date +%s) - t0 )) s)"; }

step "translation: held-out toy-world clauses, 1-shot from the dev split"
$PL eval --models "$M" --task translate --corpus $TOY/test.jsonl --dev $TOY/dev.jsonl --pairs $PAIRS --shots 1 --max-new-tokens 48 --out "$W/translate"
cp "$W/translate/results.csv" "$R/translate.csv"
node --import tsx $T/baselines.ts $TOY/test.jsonl $TOY/dev.jsonl $PAIRS "$R/baselines.json"

step "perplexity on held-out UDHR articles"
$PL eval --models "$M" --task perplexity --corpus udhr:$UDHR --out "$W/perplexity"
cp "$W/perplexity/results.csv" "$R/perplexity.csv"

step "instruction language: English vs each language's own instruction"
$PL compare-instructions examples/studies/animal.prompt --model "$M" --dataset examples/studies/animal.jsonl --no-neurons --out "$W/instructions"
cp "$W/instructions/results.csv" "$R/instructions.csv"

step "numeric scores: the size question, ranges 1-5, 0-9, 1-100"
$PL bias examples/studies/size.prompt --models "$M" --dataset examples/studies/size.jsonl --ranges 1-5,0-9,1-100 --out "$W/bias"
cp "$W/bias/results.csv" "$R/bias.csv"

step "LAPE on the UDHR languages"
$PL neurons --model "$M" --corpus udhr:$UDHR --out "$W/lape" > "$R/lape-summary.json"
cp "$W/lape/lape.json" "$R/lape.json"

step "deactivating each language's own neurons: does the continuation switch language?"
$PL intervene --model "$M" --prompts udhr:$CONT --lape "$W/lape/lape.json" --deactivate own > "$R/intervene-udhr.json"
$PL intervene --model "$M" --prompts $TOY/test.jsonl --prompt-tokens 4 --limit 20 --lape "$W/lape/lape.json" --deactivate own > "$R/intervene-toy.json"
# The same with ten times as many neurons (top-rate 0.1) — the default 0.01 keeps 42 in all.
$PL neurons --model "$M" --corpus udhr:$UDHR --top-rate 0.1 --out "$W/lape-0.1" > /dev/null
$PL intervene --model "$M" --prompts udhr:$CONT --lape "$W/lape-0.1/lape.json" --deactivate own > "$R/intervene-udhr-0.1.json"
$PL intervene --model "$M" --prompts $TOY/test.jsonl --prompt-tokens 4 --limit 20 --lape "$W/lape-0.1/lape.json" --deactivate own > "$R/intervene-toy-0.1.json"

step "perplexity impact of each language's neurons (Tang et al.)"
$PL neurons impact --model "$M" --lape "$W/lape/lape.json" --corpus udhr:$CONT --out "$W/impact"
cp "$W/impact/impact.json" "$R/impact.json"

step "translation-calibrated Wanda vs random pruning at 50%"
# Four scripts, both directions (a subset of PAIRS keeps this step a few minutes).
$PL eval --models "$M,$M@wanda:mt:en-fr:0.5,$M@wanda:mt:fr-en+mt:en-de+mt:en-ru+mt:en-zh:0.5,$M@random:0.5,$M@magnitude:0.5" \
  --task translate --corpus $TOY/test.jsonl --dev $TOY/dev.jsonl --pairs en-fr,fr-en,en-ru,ru-en,en-zh,zh-en,en-hi,hi-en --shots 1 --max-new-tokens 48 --out "$W/pruning"
cp "$W/pruning/results.csv" "$R/pruning.csv"
step "latent language: French → Japanese toy-world words through the logit and the linear lens (Wendler et al.; Din et al.)"
# 36 words, 4 demonstrations each, in the §3 format the model was trained on (and Wendler et al.'s, for contrast).
$PL lens build --model "$M" --words examples/lens/toyworld-words.jsonl --task translate --src fr --tgt ja --format polyglot --out "$W/lens-fr-ja.jsonl"
$PL lens build --model "$M" --words examples/lens/toyworld-words.jsonl --task translate --src fr --tgt ja --format wendler --out "$W/lens-fr-ja-wendler.jsonl"
$PL lens fit --model "$M" --corpus $TOY/dev.jsonl --out "$W/lens-fit"
for lens in logit linear; do
  $PL lens --model "$M" --dataset "$W/lens-fr-ja.jsonl" --languages $TOY/dev.jsonl --lens $lens --linear "$W/lens-fit" --out "$W/lens-fr-ja-$lens"
  cp "$W/lens-fr-ja-$lens/lens.json" "$R/lens-fr-ja-$lens.json"
done
$PL lens --model "$M" --dataset "$W/lens-fr-ja-wendler.jsonl" --languages $TOY/dev.jsonl --out "$W/lens-fr-ja-wendler"
cp "$W/lens-fr-ja-wendler/lens.json" "$R/lens-fr-ja-wendler.json"
cp "$W/lens-fit/fit.json" "$R/lens-fit.json"
# The tool's files name inputs by absolute path; the committed copies name them from the repository.
sed -i "s#$(pwd)/##g; s#$W/#WORK/#g" "$R"/*
step "done"
