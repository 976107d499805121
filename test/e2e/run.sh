#!/usr/bin/env bash
# Real VS Code e2e, as a Marketplace user meets the extension: packages the linux-x64 .vsix
# (npm run package), installs it into code-server (VS Code 1.100.3 server + web workbench) with
# --install-extension, opens a temp workspace with workspace trust ON (the driver answers the trust
# prompt; one scenario runs a second workspace in Restricted Mode). The workspace holds copies of
# examples/*.prompt, a few prompts written below (a Genkit one among them) and a tiny 24-layer model.
# drive.mjs drives it with Chromium; the server is stopped and "N passed, N failed" printed.
# Screenshots and the extension's dump go to test-results/e2e/.
# Usage: bash test/e2e/run.sh    (first: bash test/e2e/setup.sh)
# Env: E2E_MODEL=DIR  run analyses on DIR instead of the default model (user setting modelPath)
#      E2E_VSIX=FILE  install this .vsix instead of packaging one
#      E2E_SETTINGS='"key": value'  more user settings
#      E2E_PORT=8080  E2E_KEEP=1 (keep the temp folder)
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$E2E/../.." && pwd)
[ -d "$E2E/node_modules/code-server" ] || { echo "run.sh: code-server missing; run bash test/e2e/setup.sh first" >&2; exit 1; }
PORT=${E2E_PORT:-8080}
OUT="$ROOT/test-results/e2e"; rm -rf "$OUT"; mkdir -p "$OUT"

s=$(date +%s.%N)
VER=$(node -p "require('$ROOT/package.json').version")
VSIX=${E2E_VSIX:-$ROOT/polyglot-lens-$VER-linux-x64.vsix}
[ -n "${E2E_VSIX:-}" ] || (cd "$ROOT" && node scripts/package.mjs linux-x64 > "$OUT/package.log" 2>&1) || { tail -20 "$OUT/package.log" >&2; exit 1; }
echo "TIMING package $(echo "$(date +%s.%N) - $s" | bc)s ($(du -k "$VSIX" | cut -f1) KiB)"

RUN=$(mktemp -d /tmp/polyglot-e2e.XXXX)
mkdir -p "$RUN/data/User" "$RUN/ext" "$RUN/ws/.vscode" "$RUN/dump"
cp "$ROOT"/examples/*.prompt "$RUN/ws/"
# The study demos (Compare Instructions…, Measure Numeric Bias…): prompts and their JSONL datasets side by side.
cp "$ROOT"/examples/studies/*.prompt "$ROOT"/examples/studies/*.jsonl "$RUN/ws/"
# Evaluate's demo (polyglot.eval): the classification prompt and its labelled items.
cp "$ROOT"/examples/eval/classify.prompt "$ROOT"/examples/eval/langid.jsonl "$RUN/ws/"
# A deliberately broken prompt: its diagnostics are checked at exact ranges.
printf -- '---\npolyglot.languages: [en, xx]\npolyglot.pruning: {sparsity: 1.5}\n---\nHello {{shout name}}\n' > "$RUN/ws/broken.prompt"
# Workspace settings (read once the driver has trusted the workspace).
# Find Language Neurons reads polyglot.corpus from the active prompt.
printf -- '---\npolyglot.corpus: udhr:en,fr\npolyglot.languages: [en, fr]\n---\nAll human beings are born free and equal.\n' > "$RUN/ws/lape-en-fr.prompt"
# The job-confirmation check (issue #25) runs LAPE on a corpus no other check has cached.
printf -- '---\npolyglot.corpus: udhr:en,de\n---\nAll human beings are born free and equal.\n' > "$RUN/ws/lape-en-de.prompt"
printf '{ "polyglotLens.topK": 4, "polyglotLens.maxNewTokens": 4 }\n' > "$RUN/ws/.vscode/settings.json"
# Paint budget (drive.mjs): a tiny random 24-layer Llama with a byte-level tokenizer, and a prompt on it
# whose body is 31 ASCII characters, so BOS + 31 bytes = 32 tokens: a 32-token × 24-layer heatmap.
(cd "$ROOT" && node --import tsx -e "require('./test/helpers/tiny-model.ts').writeTinyModel({ nLayers: 24, seed: 24 }, process.argv[1])" "$RUN/ws/tiny-24-layers")
printf -- '---\nmodel: ./tiny-24-layers\nconfig:\n  maxOutputTokens: 0\n---\nThe quick brown fox jumps over.\n' > "$RUN/ws/paint-32x24.prompt"
# Another tool's prompt (Genkit's documented form): no polyglot.* key, a provider/model name, a role helper.
printf -- '---\nmodel: googleai/gemini-2.0-flash\nconfig:\n  temperature: 0.9\ninput:\n  schema:\n    location: string\n  default:\n    location: a restaurant\n---\n{{role "system"}}\nYou are the most welcoming assistant at {{location}}.\n' > "$RUN/ws/genkit.prompt"
# A second workspace opened in Restricted Mode: its prompt names a model folder next to it.
mkdir -p "$RUN/ws-restricted"
cp -r "$RUN/ws/tiny-24-layers" "$RUN/ws-restricted/"
printf -- '---\nmodel: ./tiny-24-layers\npolyglot.topK: 2\n---\nHello there.\n' > "$RUN/ws-restricted/restricted.prompt"
# Evaluate there: polyglot.eval names that folder as a model, which Restricted Mode must not load.
printf -- '---\npolyglot.eval: {task: perplexity, corpus: "udhr:en", models: [default, tiny-24-layers], limit: 1}\n---\nEvaluate me.\n' > "$RUN/ws-restricted/restricted-eval.prompt"
MODEL_SETTING=""; [ -n "${E2E_MODEL:-}" ] && MODEL_SETTING=", \"polyglotLens.modelPath\": \"$E2E_MODEL\""
# E2E_SETTINGS='"polyglotLens.warmUp": false' adds user settings (e.g. to time the suite without the warm-up).
[ -n "${E2E_SETTINGS:-}" ] && MODEL_SETTING="$MODEL_SETTING, $E2E_SETTINGS"
cat > "$RUN/data/User/settings.json" <<J
{ "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "always", "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "update.mode": "none", "chat.disableAIFeatures": true,
  "workbench.tips.enabled": false, "editor.hover.delay": 200, "window.commandCenter": false,
  "polyglotLens.calibrationSequences": 8, "polyglotLens.lapeMaxTokensPerLanguage": 1500, "polyglotLens.confirmJobsAbove": 86400 $MODEL_SETTING }
J
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"

export XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data" XDG_CACHE_HOME="$RUN/xdg-cache"
s=$(date +%s.%N)
node "$E2E/node_modules/code-server/out/node/entry.js" --user-data-dir "$RUN/data" --extensions-dir "$RUN/ext" --install-extension "$VSIX" > "$OUT/install.log" 2>&1 \
  || { cat "$OUT/install.log" >&2; exit 1; }
ls "$RUN/ext" | grep -q '^polyglot-lens\.polyglot-lens-' || { echo "run.sh: the .vsix did not install: $(cat "$OUT/install.log")" >&2; exit 1; }
echo "TIMING install-extension $(echo "$(date +%s.%N) - $s" | bc)s"
export POLYGLOT_LENS_E2E_DUMP="$RUN/dump"   # the extension host inherits it: see src/extension/e2eDump.ts
s=$(date +%s.%N)
setsid node "$E2E/node_modules/code-server/out/node/entry.js" --config "$RUN/config.yaml" --user-data-dir "$RUN/data" \
  --extensions-dir "$RUN/ext" --disable-telemetry --disable-update-check \
  --disable-getting-started-override "$RUN/ws" > "$RUN/server.log" 2>&1 &
PID=$!
cleanup() {
  kill -- -"$PID" 2>/dev/null || true   # the whole group: the file watcher child outlives a plain kill
  cp "$RUN/server.log" "$OUT/server.log" 2>/dev/null || true
  cp -r "$RUN/dump" "$OUT/dump" 2>/dev/null || true
  find "$RUN/data/logs" -name '*.log' -path '*exthost*' -exec cp {} "$OUT/" \; 2>/dev/null || true
  [ -n "${E2E_KEEP:-}" ] && echo "kept $RUN" || rm -rf "$RUN"
}
trap cleanup EXIT
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
echo "TIMING server ready $(echo "$(date +%s.%N) - $s" | bc)s"
node "$E2E/drive.mjs" "http://127.0.0.1:$PORT/?folder=$RUN/ws" "$RUN/ws" "$RUN/dump" "$OUT" "http://127.0.0.1:$PORT/?folder=$RUN/ws-restricted"
