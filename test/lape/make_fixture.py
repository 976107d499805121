"""Expected LAPE counts from the PyTorch baseline (torch_baseline.py's lape_counts: positions with
gate pre-activation > 0 per layer and neuron), for the ids make-fixture-ids.ts wrote.
Run once (output committed): /usr/bin/python3 test/lape/make_fixture.py ../shared
Each sequence runs alone (batch of one), so no padding is involved on the reference side."""
import json, os, sys

import torch

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
sys.path.insert(0, os.path.join(shared, "bench"))
from hf_llama_torch import HFLlama  # noqa: E402
from torch_baseline import lape_counts  # noqa: E402

fx = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "lape")
data = json.load(open(os.path.join(fx, "stories260K-ids.json")))
m = HFLlama(os.path.join(shared, "models", data["model"]))
out = {"model": data["model"], "languages": data["languages"], "tokens": {}, "counts": {}}
for lang in data["languages"]:
    seqs = data["ids"][lang]
    out["tokens"][lang] = sum(len(s) for s in seqs)
    out["counts"][lang] = lape_counts(m, [torch.tensor([s]) for s in seqs]).tolist()
with open(os.path.join(fx, "stories260K-counts.json"), "w") as f:
    json.dump(out, f)
print({l: out["tokens"][l] for l in data["languages"]})
