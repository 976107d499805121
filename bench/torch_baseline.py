"""The PyTorch side of `npm run bench`: how researchers collect MLP neuron statistics today, eager
PyTorch with the activations taken from the forward pass, on the same weights and token ids as the
engine. Uses the project's own plain-PyTorch Llama (bench/llama_torch.py); needs nothing outside
the repository.

Setup (Debian): apt-get install -y python3-torch libopenblas0-pthread, and run it with Debian's
/usr/bin/python3 (another python3 may come first on PATH). Without libopenblas0-pthread Debian's
torch falls back to the reference BLAS, which is far slower. bench/run.mjs sets OPENBLAS_CORETYPE
(docs/performance.md says which) and OMP_WAIT_POLICY=PASSIVE (bench/openblas.mjs says why).

Usage: /usr/bin/python3 bench/torch_baseline.py --model DIR --ids IDS.jsonl --job lape|capture
         [--chunk 64] [--runs 3] [--threads 2]
  --ids      JSON lines {"ids": [...]}, one sequence each (written with the project's tokenizer)
  --job lape     count, per layer and neuron, the positions where the gate pre-activation is > 0
  --job capture  keep every hook point of every layer and the logits (what a hook-based cache holds)
  --chunk    sequences per forward pass; only equal-length sequences share one (no padding)
Prints one JSON line: tokens, load time, min and median seconds over --runs after a warm-up, tokens/s.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama_torch import Llama  # noqa: E402


def lape_job(model, batches):
    counts = torch.zeros(model.L, model.cfg["intermediate_size"], dtype=torch.int64)

    def tap(layer, name, t):
        if name == "pre":
            counts[layer] += (t > 0).reshape(-1, t.shape[-1]).sum(0)

    for ids in batches:
        model.forward(ids, tap=tap, logits=False)
    return counts


def capture_job(model, batches):
    """What the engine's capture job returns, kept as tensors: every hook point of every layer
    (ln1, z, ln2, gate pre-activation, up, post; the residual stream before and after each block
    and after the final norm as hidden states) and the logits."""
    kept = []
    for ids in batches:
        acts = {}
        hidden, logits = model.forward(ids, tap=lambda layer, name, t: acts.__setitem__((layer, name), t), logits=True)
        kept.append((acts, hidden, logits))
    return kept


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids", required=True)
    ap.add_argument("--job", choices=["lape", "capture"], default="lape")
    ap.add_argument("--chunk", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up; 0 = one timed run")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    model = Llama(a.model)
    load_s = time.perf_counter() - t0
    with open(a.ids) as f:
        seqs = [json.loads(line)["ids"] for line in f if line.strip()]
    by_length = {}
    for s in seqs:
        by_length.setdefault(len(s), []).append(s)
    batches = [torch.tensor(g[i:i + a.chunk]) for g in by_length.values() for i in range(0, len(g), a.chunk)]
    tokens = sum(len(s) for s in seqs)
    job = lape_job if a.job == "lape" else capture_job
    times = []
    for r in range(a.runs + 1):
        t0 = time.perf_counter()
        job(model, batches)
        if r or a.runs == 0:
            times.append(time.perf_counter() - t0)
        if a.runs == 0:
            break
    print(json.dumps({"job": a.job, "tokens": tokens, "load_s": round(load_s, 3), "sec_min": round(min(times), 3),
                      "sec_median": round(statistics.median(times), 3), "tok_per_s": round(tokens / min(times), 1),
                      "threads": a.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
