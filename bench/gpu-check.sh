#!/bin/bash
# The GPU check of issue #25, for a machine with an NVIDIA GPU, CUDA 12 and cuDNN 9 (none was
# lent to the session that wrote it: docs/performance.md says so, with no GPU figures).
#  1. onnxruntime-node's CUDA provider: installed into node_modules if absent
#     (ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node; it downloads from NVIDIA/GitHub).
#  2. Numerics: CPU against CUDA on the default model and tiny checkpoints of every family, every
#     hook within 1e-3 (bench/gpu-numerics.ts; exit 1 on a disagreement).
#  3. Timings on the 7B-shaped BF16 checkpoint (bench/llama7b-write.ts; written to /tmp when no
#     folder is given, removed at the end): Analyze 32 tokens, LAPE statistics on 2,048 tokens and an
#     eval (perplexity of 8 UDHR texts), each with --execution-provider cuda and then cpu, one
#     process each (bench/llama7b-job.ts prints seconds, GFLOP/s and peak RSS as JSON).
# Usage: bench/gpu-check.sh [7B_DIR] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-}
THREADS=${2:-$(nproc)}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || { echo "gpu-check: no NVIDIA GPU (nvidia-smi failed)" >&2; exit 2; }
BIN=node_modules/onnxruntime-node/bin/napi-v6/linux/x64
if [ ! -f "$BIN/libonnxruntime_providers_cuda.so" ]; then
  echo "# installing onnxruntime-node's CUDA provider"
  ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node
fi
echo "# numerics: CPU vs CUDA, every hook, tolerance 1e-3"
node --import tsx bench/gpu-numerics.ts
OWN=""
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d /tmp/llama7b-shape.XXXX)
  OWN=$DIR
  trap '[ -n "$OWN" ] && rm -rf "$OWN"' EXIT
  node --import tsx bench/llama7b-write.ts "$DIR"
fi
for ep in cuda cpu; do
  for job in "analyze --repeat 2" "lape --tokens 2048" "eval"; do
    echo "# $(date -u +%H:%M:%S) $ep $job; $(uptime | sed 's/.*load average/load average/')"
    # shellcheck disable=SC2086
    node --import tsx bench/llama7b-job.ts --model "$DIR" --job $job --execution-provider "$ep" --threads "$THREADS"
  done
done
