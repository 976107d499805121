#!/bin/bash
# Every measurement of docs/performance.md "Models larger than memory", one process each (peak
# RSS is that process's), with the load average before each. Take the lock so that no other heavy
# job overlaps: flock LOCKFILE bench/llama7b-run.sh DIR.
# Usage: bench/llama7b-run.sh MODEL_DIR [LAPE_TOKENS=2048] [STEPS=roof,analyze,lape,lape-mapped]
set -euo pipefail
M=${1:?usage: bench/llama7b-run.sh MODEL_DIR [LAPE_TOKENS] [STEPS]}
T=${2:-2048}
STEPS=${3:-roof,analyze,lape,lape-mapped}
cd "$(dirname "$0")/.."
run() {
  echo "# $(date -u +%H:%M:%S) $(uptime | sed 's/.*load average/load average/')"
  echo "# $*"
  "$@"
}
# How much of the checkpoint the OS page cache holds before each job (mapped mode reads it per run).
job() {
  if command -v fincore > /dev/null; then echo "# page cache: $(fincore -n -o RES "$M/model.safetensors")"; fi
  run node --import tsx bench/llama7b-job.ts --model "$M" "$@"
}
has() { [[ ",$STEPS," == *",$1,"* ]]; }
if has roof; then
  for m in 32 1024 2048; do run node --import tsx bench/gemm-roof.ts "$m" 2; done
fi
if has analyze; then
  for w in auto mapped streaming; do job --job analyze --weights "$w" --repeat 2; done
fi
if has lape; then job --job lape --tokens "$T" --weights auto; fi
if has lape-mapped; then job --job lape --tokens "$T" --weights mapped; fi
if has lape-512; then job --job lape --tokens "$T" --weights auto --batch-tokens 512; fi
if has generate; then job --job analyze --weights auto --new-tokens 4; fi
echo "# $(date -u +%H:%M:%S) $(uptime | sed 's/.*load average/load average/')"
