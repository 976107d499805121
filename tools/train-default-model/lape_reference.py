"""Independent Python reference for language-specific neurons (LAPE, methods.md §2), to check
the product's implementation against and to report per-language neuron counts for the card.

Exact choices (methods.md leaves them to the implementation):
- sequences: every UDHR paragraph (training and held-out) of each language, tokenized with BOS
  and nothing else; every position counts, BOS included; no padding (one sequence per forward).
- active: gate pre-activation (`mlp.hook_pre`) > 0.
- bar: the k-th smallest of all p values (all languages, layers, neurons), k = round(n·0.95),
  1-based, as RUCAIBox/Language-Specific-Neurons identify.py (`kthvalue`).
- kept: every neuron ranked by entropy, those with max_L p ≤ bar last; the first
  round(top_rate · ALL neurons) kept (all passing ones when fewer pass), ties broken by
  (layer, index); a kept neuron belongs to every L with p > bar.
Usage: lape_reference.py CORPUS.json MODEL_DIR OUT.json [--entropy-quantile 0.01 ...]
(--entropy-quantile is top_rate, named as the product's older option.)"""
import argparse
import json

import numpy as np
import torch

import bpe
import corpus
from model import HFLlama


@torch.no_grad()
def activation_probs(m, tok, langs):
    """p[L, layer, neuron] and the position count per language."""
    L, M = m.L, m.cfg["intermediate_size"]
    p = np.zeros((len(langs), L, M))
    positions = []
    for li, lang in enumerate(langs):
        active = torch.zeros(L, M, dtype=torch.float64)
        n = 0

        def tap(layer, name, t):
            if name == "mlp.hook_pre":
                active[layer] += (t[0] > 0).sum(0).double()

        for para in lang["paragraphs"]:
            ids = torch.tensor([tok.encode(para["text"])])
            m.forward(ids, compute_logits=False, tap=tap)
            n += ids.shape[1]
        p[li] = (active / n).numpy()
        positions.append(n)
    return p, positions


def select(p, prob_quantile=0.95, entropy_quantile=0.01):
    """Returns (neurons {lang_index: [[idx of layer 0], ...]}, bar, number passing the filter)."""
    n_lang, L, M = p.shape
    flat = np.sort(p, axis=None)
    bar = float(flat[min(flat.size, max(1, round(flat.size * prob_quantile))) - 1])
    total = p.sum(0)
    q = np.divide(p, total, out=np.zeros_like(p), where=total > 0)
    ent = -(np.where(q > 0, q * np.log(np.where(q > 0, q, 1)), 0)).sum(0)  # [L, M]
    passing = [(ent[i, j], i, j) for i in range(L) for j in range(M) if total[i, j] > 0 and p[:, i, j].max() > bar]
    passing.sort()
    keep = passing[: round(entropy_quantile * L * M)]
    out = {k: [[] for _ in range(L)] for k in range(n_lang)}
    for _, i, j in sorted(keep, key=lambda t: (t[1], t[2])):
        for k in range(n_lang):
            if p[k, i, j] > bar:
                out[k][i].append(j)
    return out, bar, len(passing)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("model_dir")
    ap.add_argument("out")
    ap.add_argument("--prob-quantile", type=float, default=0.95)
    ap.add_argument("--entropy-quantile", type=float, nargs="+", default=[0.01])
    args = ap.parse_args()
    torch.set_num_threads(1)
    langs = corpus.load(args.corpus)
    codes = [l["code"] for l in langs]
    m = HFLlama(model_dir=args.model_dir)
    p, positions = activation_probs(m, bpe.Tokenizer.load(args.model_dir), langs)
    result = {"positions": dict(zip(codes, positions)), "settings": []}
    for eq in args.entropy_quantile:
        sel, bar, n_pass = select(p, args.prob_quantile, eq)
        neurons = {codes[k]: v for k, v in sel.items()}
        result["settings"].append({"prob_quantile": args.prob_quantile, "entropy_quantile": eq, "bar": bar,
                                   "passing": n_pass, "neurons": neurons})
        print(f"probQuantile {args.prob_quantile} entropyQuantile {eq}: bar {bar:.4f}, {n_pass} neurons pass, "
              f"{min(n_pass, round(eq * m.L * m.cfg['intermediate_size']))} kept")
        print("lang\t" + "\t".join(f"L{i}" for i in range(m.L)) + "\ttotal")
        for c in codes:
            counts = [len(x) for x in neurons[c]]
            print(f"{c}\t" + "\t".join(map(str, counts)) + f"\t{sum(counts)}")
        missing = [c for c in codes if not any(neurons[c])]
        print("languages without neurons: " + (", ".join(missing) if missing else "none"))
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
