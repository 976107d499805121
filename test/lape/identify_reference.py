"""Independent reference for LAPE neuron selection (methods.md §2), written from the semantics of
RUCAIBox/Language-Specific-Neurons `identify.py` (no code taken from it):

- counts: positions where the gate pre-activation is > 0 (SiLU(gate) > 0), each sequence run alone
  (no padding), with the project's own plain-PyTorch forward (bench/llama_torch.py);
- p = counts / positions per language; entropy of p normalised over languages (0·ln 0 = 0);
- bar = kthvalue(round(n·prob_quantile)) over every p value (1-based, Python round);
- neurons whose p exceeds bar in no language get entropy +inf (ranked last);
- keep the round(top_rate · all neurons) lowest-entropy neurons (stable order: ties by flat index);
  a kept neuron belongs to every language where p > bar.

The selection runs twice, in F64 and in F32 (identify.py divides in F32), and the script reports
whether the two agree. Writes a small JSON the TypeScript test compares with.

Usage: /usr/bin/python3 test/lape/identify_reference.py MODEL_DIR IDS.json OUT.json
(IDS.json from `node --import tsx test/lape/dump-udhr-ids.ts MODEL_DIR IDS.json`)"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from llama_torch import Llama  # noqa: E402


def counts_per_language(model, ids):
    langs = ids["languages"]
    L, M = model.L, model.cfg["intermediate_size"]
    over = torch.zeros(len(langs), L, M, dtype=torch.int64)
    positions = []
    for li, lang in enumerate(langs):
        n = 0

        def tap(layer, name, t):
            if name == "pre":
                over[li, layer] += (t[0] > 0).sum(0)

        for seq in ids["ids"][lang]:
            model.forward(torch.tensor([seq]), tap=tap, logits=False)
            n += len(seq)
        positions.append(n)
    return over, positions


def select(over, positions, prob_quantile, top_rate, dtype):
    n_lang, L, M = over.shape
    p = over.to(dtype) / torch.tensor(positions, dtype=dtype).view(-1, 1, 1)  # lang x layer x neuron
    total = p.sum(0, keepdim=True)
    q = torch.where(total > 0, p / torch.where(total > 0, total, torch.ones_like(total)), torch.zeros_like(p))
    ent = -(torch.where(q > 0, q * torch.log(torch.where(q > 0, q, torch.ones_like(q))), torch.zeros_like(q))).sum(0)
    flat = p.flatten()
    bar = torch.sort(flat).values[max(1, min(flat.numel(), round(flat.numel() * prob_quantile))) - 1].item()
    passing = (p > bar).any(0)
    ent = torch.where(passing, ent, torch.full_like(ent, float("inf")))
    order = sorted(range(L * M), key=lambda k: (ent.flatten()[k].item(), k))
    keep = order[: round(L * M * top_rate)]
    neurons = [[[] for _ in range(L)] for _ in range(n_lang)]
    for k in sorted(keep):
        i, j = divmod(k, M)
        for lang in range(n_lang):
            if p[lang, i, j] > bar:
                neurons[lang][i].append(j)
    return {"bar": bar, "passing": int(passing.sum()), "kept": min(len(keep), int(passing.sum())), "neurons": neurons}


def main():
    model_dir, ids_path, out = sys.argv[1:4]
    torch.set_num_threads(1)
    model = Llama(model_dir)
    ids = json.load(open(ids_path))
    over, positions = counts_per_language(model, ids)
    langs = ids["languages"]
    result = {"model": os.path.basename(os.path.normpath(model_dir)), "languages": langs, "positions": dict(zip(langs, positions)), "settings": []}
    for top_rate in (0.01, 0.05):
        s64 = select(over, positions, 0.95, top_rate, torch.float64)
        s32 = select(over, positions, 0.95, top_rate, torch.float32)
        same = s64["neurons"] == s32["neurons"]
        per_lang = {c: sum(len(x) for x in s64["neurons"][i]) for i, c in enumerate(langs)}
        print(f"topRate {top_rate}: bar {s64['bar']:.6f}, {s64['passing']} pass, {s64['kept']} kept, "
              f"{sum(per_lang.values())} assignments; F32 selection identical: {same}; per language {per_lang}")
        result["settings"].append({"probQuantile": 0.95, "topRate": top_rate, "bar": s64["bar"], "passing": s64["passing"],
                                   "kept": s64["kept"], "f32Identical": same,
                                   "neurons": {c: s64["neurons"][i] for i, c in enumerate(langs)}})
    with open(out, "w") as f:
        json.dump(result, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
