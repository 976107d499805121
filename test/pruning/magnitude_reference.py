"""Independent reference for magnitude pruning masks (methods.md §3), written from the semantics of
locuslab/wanda `lib/prune.py` prune_magnitude (no code taken from it): for every linear weight
inside the decoder blocks, the whole matrix is ranked by |W| — ONE threshold per matrix, not per
row. Two rules, both recorded per weight as (zeroed count, sha256 of the keep mask as bytes,
1 = keep, row-major [out, in]):

- "exact": the floor(N * sparsity) smallest |W| zeroed, ties by flat index (Polyglot Lens default);
- "reference": |W| <= sorted(|W|)[floor(N * sparsity)] (0-based), the released code's test, which
  zeroes one weight more and every tie (Polyglot Lens with referenceCompatible).

Usage: /usr/bin/python3 test/pruning/magnitude_reference.py MODEL_DIR SPARSITY OUT.json"""
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from llama_torch import read_safetensors  # noqa: E402

LINEARS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def digest(keep):
    return hashlib.sha256(keep.to(torch.uint8).contiguous().numpy().tobytes()).hexdigest()


def main():
    model_dir, sparsity, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    result = {"sparsity": sparsity, "weights": {}}
    rows_uneven = 0
    for name, w in sorted(weights.items()):
        if not (name.startswith("model.layers.") and name.split(".")[-2] in LINEARS):
            continue
        a = w.abs().flatten()
        n = a.numel()
        k = int(n * sparsity)
        order = torch.sort(a, stable=True).indices  # ascending |W|, ties by flat index
        exact = torch.ones(n, dtype=torch.bool)
        exact[order[:k]] = False
        thresh = torch.sort(a).values[k]
        reference = ~(a <= thresh)
        per_row = (~exact).view(w.shape).sum(1)
        rows_uneven += int(per_row.max() != per_row.min())
        result["weights"][name] = {"shape": list(w.shape), "exactZeroed": int((~exact).sum()), "exactSha256": digest(exact),
                                   "referenceZeroed": int((~reference).sum()), "referenceSha256": digest(reference),
                                   "rowZeroedMin": int(per_row.min()), "rowZeroedMax": int(per_row.max())}
    print(f"{len(result['weights'])} weights; rows unevenly sparse in {rows_uneven}")
    with open(out, "w") as f:
        json.dump(result, f, indent=0)


if __name__ == "__main__":
    main()
