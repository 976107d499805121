"""Independent plain-PyTorch logit lens (nostalgebraist 2020; Wendler et al. 2024) on the cases
test/reference/lens-cases.ts lists: every layer's residual stream (from the independent forward
passes in make_arch_expected.py and gpt_family_reference.py) through each family's final norm and
unembedding written here from HF's modeling files (RMSNorm w·x̂ for Llama/Mistral/Qwen2, (1+w)·x̂ and
Gemma 2's final soft-cap cap·tanh(z/cap), LayerNorm ln_f for GPT-2/BLOOM and XGLM's layer_norm),
log-softmax in float64, the top-k tokens and their log-probabilities at every (layer, position), and
the log-probability of each target string: the log of Σ p over every token whose bytes are a
prefix of the word's UTF-8 bytes, or of " " + word (Wendler et al.'s token_prefixes + add_spaces,
byte-fallback tokens included), the token ids worked out here from tokenizer.json.

    node --import tsx test/reference/lens-cases.ts /tmp/pl-lens
    /usr/bin/python3 test/reference/lens_reference.py /tmp/pl-lens

Linear lens (Din et al. 2023): for the fits in fits.json, every layer's residual stream over the
corpus sequences (positions of special tokens left out) is regressed on the last layer's with
numpy's least squares (np.linalg.lstsq on [h_l, 1]); written are R² per layer, a few corpus rows
mapped by each layer's A and b, and the linear lens (mapped rows through the same final norm and
unembedding) on the lens case's prompt.

Writes test/fixtures/lens/<case>.json. Needs Debian's python3-torch and python3-numpy.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_arch_expected as arch  # noqa: E402
import gpt_family_reference as gptref  # noqa: E402

OUT = os.path.join(HERE, "..", "fixtures", "lens")
torch.set_grad_enabled(False)


def residual_streams(cfg, d, ids):
    """[L + 1] tensors [T, D]: the input of block 0, then the output of every block (before the final norm)."""
    mt = cfg["model_type"]
    if mt in gptref.FORWARD:
        W = gptref.read_checkpoint(d)
        seen = {}

        def tap(layer, name, t):
            seen[(layer, name)] = t

        gptref.FORWARD[mt](cfg, W, torch.tensor(ids), tap)
        L = 1 + max(k[0] for k in seen if k[0] is not None)
        return [seen[(i, "hook_resid_pre")] for i in range(L)] + [seen[(L - 1, "hook_resid_post")]], (lambda n: W[n] if n in W else None)
    stored, _, _ = arch.load_checkpoint(d)
    W = arch.Weights(stored)
    _, taps = arch.forward(cfg, W, ids)
    L = cfg["num_hidden_layers"]
    return [taps[(i, "hook_resid_pre")] for i in range(L)] + [taps[(L - 1, "hook_resid_post")]], (lambda n: W(n) if W.has(n) else None)


def first_of(get, *names):
    for n in names:
        t = get(n)
        if t is not None:
            return t.double()
    raise KeyError(names)


def lens_logits(cfg, get, h):
    """The family's own final norm and unembedding, in float64, on residual rows h [T, D]."""
    mt = cfg["model_type"]
    x = h.double()
    if mt in ("llama", "mistral", "qwen2", "gemma", "gemma2"):
        eps = cfg.get("rms_norm_eps", 1e-6)
        w = first_of(get, "model.norm.weight")
        y = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
        y = y * (1.0 + w) if mt.startswith("gemma") else y * w
        head = first_of(get, "lm_head.weight", "model.embed_tokens.weight")
        if cfg.get("tie_word_embeddings", mt.startswith("gemma")):
            head = first_of(get, "model.embed_tokens.weight")
        z = y @ head.T
        cap = cfg.get("final_logit_softcapping", 30.0) if mt == "gemma2" else None
        return torch.tanh(z / cap) * cap if cap is not None else z
    if mt == "xglm":
        ln, emb, eps = ("model.layer_norm", "layer_norm"), ("model.embed_tokens.weight", "embed_tokens.weight"), 1e-5
    elif mt == "gpt2":
        ln, emb, eps = ("transformer.ln_f", "ln_f"), ("transformer.wte.weight", "wte.weight"), cfg.get("layer_norm_epsilon", 1e-5)
    else:  # bloom
        ln, emb, eps = ("transformer.ln_f", "ln_f"), ("transformer.word_embeddings.weight", "word_embeddings.weight"), cfg.get("layer_norm_epsilon", 1e-5)
    w = first_of(get, *(n + ".weight" for n in ln))
    b = first_of(get, *(n + ".bias" for n in ln))
    y = F.layer_norm(x, (x.shape[-1],), w, b, eps)
    tied = cfg.get("tie_word_embeddings", True) or get("lm_head.weight") is None
    head = first_of(get, *emb) if tied else first_of(get, "lm_head.weight")
    return y @ head.T


# ---------------------------------------------------------------- target ids from tokenizer.json

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def has_byte_level(dec):
    if not isinstance(dec, dict):
        return False
    return dec.get("type") == "ByteLevel" or any(has_byte_level(x) for x in dec.get("decoders") or [])


def token_bytes(d):
    """id -> bytes for every non-special token of tokenizer.json."""
    tj = json.load(open(os.path.join(d, "tokenizer.json"), encoding="utf-8"))
    vocab = dict(tj["model"]["vocab"]) if isinstance(tj["model"]["vocab"], dict) else {p[0]: i for i, p in enumerate(tj["model"]["vocab"])}
    special = set()
    for a in tj.get("added_tokens") or []:
        vocab[a["content"]] = a["id"]
        if a.get("special"):
            special.add(a["id"])
    byte_level = has_byte_level(tj.get("decoder"))
    dec = bytes_to_unicode()
    out = {}
    for tok, i in vocab.items():
        if i in special or tok == "":
            continue
        if byte_level and all(c in dec for c in tok):
            out[i] = bytes(dec[c] for c in tok)
        elif not byte_level and len(tok) == 6 and tok.startswith("<0x") and tok.endswith(">"):
            out[i] = bytes([int(tok[3:5], 16)])
        else:
            out[i] = tok.replace("\u2581", " ").encode("utf-8")
    return out


def target_ids(tb, word):
    bare = word.lstrip(" ")
    plain, spaced = bare.encode("utf-8"), (" " + bare).encode("utf-8")
    return sorted(i for i, b in tb.items() if (len(b) > 0 and plain.startswith(b)) or (len(b) > 1 and spaced.startswith(b)))


def r7(rows):
    return [[round(float(v), 7) for v in row] for row in rows]


def fit(root, f, cases):
    case = next(c for c in cases if c["name"] == f["lens"])
    d = f["dir"]
    cfg = json.load(open(os.path.join(d, "config.json")))
    special = set(f["special"])
    xs, ys = None, []
    for seq in f["sequences"]:
        hs, get = residual_streams(cfg, d, seq)
        keep = [t for t, i in enumerate(seq) if i not in special]
        rows = [h[keep].double().numpy() for h in hs]
        xs = [r for r in rows[:-1]] if xs is None else [np.concatenate([a, r]) for a, r in zip(xs, rows[:-1])]
        ys.append(rows[-1])
    Y = np.concatenate(ys)
    n, D = Y.shape
    maps, r2, probes, ranks = [], [], [], []
    sst = ((Y - Y.mean(0)) ** 2).sum()
    for X in xs:
        Xa = np.concatenate([X, np.ones((n, 1))], axis=1)
        W, _, rank, _ = np.linalg.lstsq(Xa, Y, rcond=None)
        ranks.append(int(rank))
        maps.append(W)
        r2.append(1 - ((Xa @ W - Y) ** 2).sum() / sst)
        probes.append({"rows": r7(X[: f["probes"]]), "mapped": r7(X[: f["probes"]] @ W[:D] + W[D])})
    hs, get = residual_streams(cfg, case["dir"], case["ids"])
    k = case["k"]
    logps = []
    for l, h in enumerate(hs):
        x = h.double()
        if l < len(maps):
            W = torch.from_numpy(maps[l])
            x = x @ W[:D] + W[D]
        logps.append(torch.log_softmax(lens_logits(cfg, get, x), dim=-1))
    logp = torch.stack(logps)
    top = torch.topk(logp, k, dim=-1)
    result = {
        "name": f["name"],
        "lens": f["lens"],
        "positions": n,
        "r2": [round(float(v), 7) for v in r2],
        "ranks": ranks,
        "probes": probes,
        "ids": case["ids"],
        "k": k,
        "top_ids": top.indices.tolist(),
        "top_logp": [[[round(float(v), 7) for v in cell] for cell in layer] for layer in top.values.tolist()],
    }
    with open(os.path.join(OUT, f["name"] + ".json"), "w", encoding="utf-8") as fh:
        json.dump(result, fh, separators=(",", ":"))
    print(f["name"], "positions", n, "R2", [round(float(v), 4) for v in r2], "ranks", ranks)


def main(root):
    os.makedirs(OUT, exist_ok=True)
    cases = json.load(open(os.path.join(root, "cases.json"), encoding="utf-8"))
    for f in json.load(open(os.path.join(root, "fits.json"), encoding="utf-8")):
        fit(root, f, cases)
    for case in cases:
        d, ids, k = case["dir"], case["ids"], case["k"]
        cfg = json.load(open(os.path.join(d, "config.json")))
        hs, get = residual_streams(cfg, d, ids)
        logp = torch.stack([torch.log_softmax(lens_logits(cfg, get, h), dim=-1) for h in hs])  # [layers, T, V]
        top = torch.topk(logp, k, dim=-1)
        tb = token_bytes(d)
        targets = []
        for word in case["targets"]:
            tids = target_ids(tb, word)
            targets.append({"text": word, "ids": tids, "logp": [[round(float(v), 7) for v in row] for row in torch.logsumexp(logp[:, :, tids], dim=-1).tolist()]})
        result = {
            "name": case["name"],
            "ids": ids,
            "k": k,
            "layers": logp.shape[0],
            "top_ids": top.indices.tolist(),
            "top_logp": [[[round(float(v), 7) for v in cell] for cell in layer] for layer in top.values.tolist()],
            "targets": targets,
        }
        with open(os.path.join(OUT, case["name"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, separators=(",", ":"))
        print(case["name"], "layers", logp.shape[0], "T", len(ids), "targets", [(t["text"], len(t["ids"])) for t in targets])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pl-lens")
