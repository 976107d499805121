"""Writes the expected values the engine tests compare against, from the independent plain-PyTorch
Llama forward in ../shared/bench/hf_llama_torch.py. Run once (outputs are committed):

    /usr/bin/python3 test/reference/make_expected.py ../shared

Needs Debian's python3-torch and libopenblas0-pthread. Token ids come from the project's
tokenizer (scripts write them first with `node --import tsx test/reference/ids.ts`), so only the
forward pass is under test here.
"""
import json, os, sys

import torch

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
sys.path.insert(0, os.path.join(shared, "bench"))
from hf_llama_torch import HFLlama  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.path.join(here, "..", "fixtures", "reference")
os.makedirs(out_dir, exist_ok=True)
cases = json.load(open(os.path.join(out_dir, "cases.json")))


def rounded(t, n=6):
    return [round(float(x), n) for x in t.reshape(-1).tolist()]


for case in cases:
    m = HFLlama(os.path.join(shared, "models", case["model"]))
    ids = torch.tensor([case["ids"]])
    seen = {}

    def tap(layer, name, t):
        seen[(layer, name)] = t[0]

    logits = m.forward(ids, tap=tap)
    stop = case.get("stop_ids", [])
    greedy = m.greedy(case["ids"], case["greedy_new_tokens"], stop_ids=tuple(stop))
    layer = case["hook_layer"]
    post = seen[(layer, "mlp.hook_post")]
    result = {
        "model": case["model"],
        "ids": case["ids"],
        "logits_shape": list(logits[0].shape),
        "logits_last": rounded(logits[0, -1]),
        "logits_first": rounded(logits[0, 0]),
        "hook_layer": layer,
        "hook_post_shape": list(post.shape),
        "hook_post": rounded(post),
        "active_counts": [[int(v) for v in (seen[(l, "mlp.hook_pre")] > 0).sum(0).tolist()] for l in range(m.L)],
        "greedy": greedy,
    }
    with open(os.path.join(out_dir, f"{case['name']}.json"), "w") as f:
        json.dump(result, f)
    print(case["name"], "greedy", greedy[:10], "...")
