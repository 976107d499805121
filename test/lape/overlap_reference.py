"""Independent reference for the quadrant overlap maps and large-magnitude features (methods.md §4),
written from the semantics of hwichan0720/pruning_for_multilinguality `hidden_states_analysis.py`
and `overlap_analysis.py` (no code taken from them):

- for each setting, run every sequence alone (batch of one, so no padding) with the project's own
  plain-PyTorch forward (bench/llama_torch.py) and take HF-style hidden states (0 = embeddings,
  i = output of block i-1, last = after the final norm);
- per sequence and hidden state, the L2 norm over positions of each dimension; average over the
  sequences of the setting: M[setting][i][j];
- overlap(A, B) at hidden state i = 100 * |top_n(M_A[i]) & bottom_n(M_B[i])| / n with
  n = round(d_model * k) (k = 0.3 here; the released script hard-codes 0.4);
- large-magnitude features: the 20 dimensions with the largest M per hidden state, strongest first.

Also reports the smallest gap between the n-th and (n+1)-th magnitude, so a flip caused by float
rounding would be visible instead of silent.
Usage: /usr/bin/python3 test/lape/overlap_reference.py MODEL_DIR IDS.json OUT.json
(IDS.json from `node --import tsx test/lape/dump-calibration-ids.ts MODEL_DIR IDS.json`)"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from llama_torch import Llama  # noqa: E402


def magnitudes(model, sequences):
    total = None
    for seq in sequences:
        hidden, _ = model.forward(torch.tensor([seq]), logits=False)
        norms = torch.stack([h[0].double().norm(dim=0) for h in hidden])  # [states, d]
        total = norms if total is None else total + norms
    return total / len(sequences)


def main():
    model_dir, ids_path, out = sys.argv[1:4]
    torch.set_num_threads(1)
    model = Llama(model_dir)
    data = json.load(open(ids_path))
    settings = data["settings"]
    order = [s for s in settings if s["kind"] == "mono"] + [s for s in settings if s["kind"] == "mt"]
    M = {s["id"]: magnitudes(model, s["ids"]) for s in order}
    states, d = M[order[0]["id"]].shape
    n = round(d * data["k"])
    values, gaps = [], []
    for i in range(states):
        rows = []
        for a in order:
            ranked_a = sorted(range(d), key=lambda j: (M[a["id"]][i, j].item(), j))
            top = set(ranked_a[-n:])
            gaps.append(M[a["id"]][i, ranked_a[-n]].item() - M[a["id"]][i, ranked_a[-n - 1]].item())
            row = []
            for b in order:
                ranked_b = sorted(range(d), key=lambda j: (M[b["id"]][i, j].item(), j))
                row.append(100.0 * len(top & set(ranked_b[:n])) / n)
            rows.append(row)
        values.append(rows)
    large = {s["id"]: [sorted(range(d), key=lambda j: (-M[s["id"]][i, j].item(), j))[:20] for i in range(states)] for s in order}
    result = {"k": data["k"], "n": n, "settings": [s["id"] for s in order], "hiddenStates": states,
              "values": values, "largeMagnitude": large, "minBoundaryGap": min(gaps)}
    print(f"{states} hidden states, n = {n} of {d}; smallest gap at the top-n boundary {min(gaps):.3e}")
    for i in (0, states // 2, states - 1):
        print(f"hidden {i}:", [[round(v) for v in r] for r in values[i]])
    with open(out, "w") as f:
        json.dump(result, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
