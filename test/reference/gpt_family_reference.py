"""Independent plain-PyTorch forward passes of GPT-2, BLOOM and XGLM, written from Hugging Face's
modeling_gpt2.py, modeling_bloom.py and modeling_xglm.py (no transformers import), run on the tiny
checkpoints that test/reference/gpt-family-cases.ts writes. Writes the expected values the engine
tests compare against to test/fixtures/gpt-family/<case>.json:

    node --import tsx test/reference/gpt-family-cases.ts /tmp/gpt-family
    /usr/bin/python3 test/reference/gpt_family_reference.py /tmp/gpt-family

Needs Debian's python3-torch only. Everything is computed in float32 from the stored values
(F16/BF16 checkpoints are widened first, as the engine does).
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "gpt-family")


# ---------------------------------------------------------------- checkpoint reading

def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = bytearray(blob[base + a : base + b])
        dtype = info["dtype"]
        if dtype == "F32":
            t = torch.frombuffer(raw, dtype=torch.float32).clone()
        elif dtype == "F16":
            t = torch.frombuffer(raw, dtype=torch.float16).to(torch.float32)
        elif dtype == "BF16":
            # bfloat16 is the top half of a float32
            bits = torch.frombuffer(raw, dtype=torch.int16).to(torch.int32) & 0xFFFF
            t = (bits << 16).view(torch.float32).clone()
        elif dtype in ("U8", "BOOL"):
            continue  # GPT-2's saved attn.bias masks: buffers, not weights
        else:
            raise ValueError(f"{path}: dtype {dtype}")
        out[name] = t.reshape(info["shape"])
    return out


def read_checkpoint(d):
    single = os.path.join(d, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    index = json.load(open(os.path.join(d, "model.safetensors.index.json")))
    weights = {}
    for f in sorted(set(index["weight_map"].values())):
        weights.update(read_safetensors(os.path.join(d, f)))
    return weights


def first(cfg, *keys, default=None):
    for k in keys:
        if cfg.get(k) is not None:
            return cfg[k]
    if default is None:
        raise KeyError(keys)
    return default


def causal(T):
    """True where query t may not see key s (s > t)."""
    return torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)


def softmax_attention(scores, v):
    """scores [H, T, S] (already scaled and biased), v [H, S, hd] -> [T, H*hd]."""
    H, T, S = scores.shape
    scores = scores.masked_fill(causal(T)[None], torch.finfo(torch.float32).min)
    probs = torch.softmax(scores, dim=-1)
    ctx = probs @ v  # [H, T, hd]
    return ctx.transpose(0, 1).reshape(T, -1)


def heads(x, H):
    T, D = x.shape
    return x.view(T, H, D // H).transpose(0, 1)  # [H, T, hd]


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def gelu_erf(x):
    return F.gelu(x)


# ---------------------------------------------------------------- GPT-2 (modeling_gpt2.py)

def gpt2_forward(cfg, W, ids, tap):
    p = "transformer." if "transformer.wte.weight" in W else ""
    g = lambda n: W[p + n]
    D, H, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    act = {"gelu_new": gelu_tanh, "gelu_pytorch_tanh": gelu_tanh, "gelu": gelu_erf}[cfg.get("activation_function", "gelu_new")]
    conv1d = lambda x, n: x @ g(n + ".weight") + g(n + ".bias")  # Conv1D: weight [in, out]
    ln = lambda x, n: F.layer_norm(x, (D,), g(n + ".weight"), g(n + ".bias"), eps)
    T = len(ids)
    x = g("wte.weight")[ids] + g("wpe.weight")[torch.arange(T)]
    for i in range(L):
        h = f"h.{i}."
        tap(i, "hook_resid_pre", x)
        a_in = ln(x, h + "ln_1")
        tap(i, "ln1.hook_normalized", a_in)
        q, k, v = conv1d(a_in, h + "attn.c_attn").split(D, dim=-1)
        q, k, v = heads(q, H), heads(k, H), heads(v, H)
        scores = q @ k.transpose(-1, -2)
        if cfg.get("scale_attn_weights", True):
            scores = scores / (v.size(-1) ** 0.5)
        if cfg.get("scale_attn_by_inverse_layer_idx", False):
            scores = scores / float(i + 1)
        z = softmax_attention(scores, v)
        tap(i, "attn.hook_z", z)
        x = x + conv1d(z, h + "attn.c_proj")
        m_in = ln(x, h + "ln_2")
        tap(i, "ln2.hook_normalized", m_in)
        pre = conv1d(m_in, h + "mlp.c_fc")
        post = act(pre)
        tap(i, "mlp.hook_pre", pre)
        tap(i, "mlp.hook_post", post)
        x = x + conv1d(post, h + "mlp.c_proj")
    tap(L - 1, "hook_resid_post", x)
    hf = ln(x, "ln_f")
    tap(None, "ln_final.hook_normalized", hf)
    head = g("wte.weight") if cfg.get("tie_word_embeddings", True) else W["lm_head.weight"]
    return hf @ head.T


# ---------------------------------------------------------------- BLOOM (modeling_bloom.py)

def alibi_slopes(n_head):
    closest = 2 ** math.floor(math.log2(n_head))
    base = torch.tensor(2 ** (-(2 ** -(math.log2(closest) - 3))), dtype=torch.float32)
    slopes = torch.pow(base, torch.arange(1, 1 + closest, dtype=torch.int32))
    if closest != n_head:
        extra_base = torch.tensor(2 ** (-(2 ** -(math.log2(2 * closest) - 3))), dtype=torch.float32)
        remaining = min(closest, n_head - closest)
        extra = torch.pow(extra_base, torch.arange(1, 1 + 2 * remaining, 2, dtype=torch.int32))
        slopes = torch.cat([slopes, extra])
    return slopes


def bloom_gelu(x):
    return x * 0.5 * (1.0 + torch.tanh(0.79788456 * x * (1 + 0.044715 * x * x)))


def bloom_forward(cfg, W, ids, tap):
    p = "transformer." if "transformer.word_embeddings.weight" in W else ""
    g = lambda n: W[p + n]
    D = first(cfg, "hidden_size", "n_embed")
    H = first(cfg, "n_head", "num_attention_heads")
    L = first(cfg, "n_layer", "num_hidden_layers")
    hd = D // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    post_ln_residual = cfg.get("apply_residual_connection_post_layernorm", False)
    lin = lambda x, n: x @ g(n + ".weight").T + g(n + ".bias")
    ln = lambda x, n: F.layer_norm(x, (D,), g(n + ".weight"), g(n + ".bias"), eps)
    T = len(ids)
    attention_mask = torch.ones(1, T)
    positions = ((attention_mask.cumsum(-1) - 1) * attention_mask)[0]  # [T]
    alibi = alibi_slopes(H)[:, None, None] * positions[None, None, :]  # [H, 1, T]
    x = ln(g("word_embeddings.weight")[ids], "word_embeddings_layernorm")
    for i in range(L):
        h = f"h.{i}."
        tap(i, "hook_resid_pre", x)
        a_in = ln(x, h + "input_layernorm")
        tap(i, "ln1.hook_normalized", a_in)
        residual = a_in if post_ln_residual else x
        fused = lin(a_in, h + "self_attention.query_key_value").view(T, H, 3, hd)
        q, k, v = (fused[:, :, j, :].transpose(0, 1) for j in range(3))  # [H, T, hd]
        scores = alibi + (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(hd))  # baddbmm(beta=1, alpha=1/sqrt(hd))
        z = softmax_attention(scores, v)
        tap(i, "attn.hook_z", z)
        attn_out = lin(z, h + "self_attention.dense") + residual
        m_in = ln(attn_out, h + "post_attention_layernorm")
        tap(i, "ln2.hook_normalized", m_in)
        residual = m_in if post_ln_residual else attn_out
        pre = lin(m_in, h + "mlp.dense_h_to_4h")
        post = bloom_gelu(pre)
        tap(i, "mlp.hook_pre", pre)
        tap(i, "mlp.hook_post", post)
        x = lin(post, h + "mlp.dense_4h_to_h") + residual
    tap(L - 1, "hook_resid_post", x)
    hf = ln(x, "ln_f")
    tap(None, "ln_final.hook_normalized", hf)
    head = g("word_embeddings.weight") if cfg.get("tie_word_embeddings", True) else W["lm_head.weight"]
    return hf @ head.T


# ---------------------------------------------------------------- XGLM (modeling_xglm.py)

def sinusoidal_table(num, dim, padding_idx):
    half = dim // 2
    emb = math.log(10000) / (half - 1)
    emb = torch.exp(torch.arange(half, dtype=torch.int64).float() * -emb)
    emb = torch.arange(num, dtype=torch.int64).float().unsqueeze(1) * emb.unsqueeze(0)
    emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=1).view(num, -1)
    if dim % 2 == 1:
        emb = torch.cat([emb, torch.zeros(num, 1)], dim=1)
    if padding_idx is not None:
        emb[padding_idx, :] = 0
    return emb


def xglm_forward(cfg, W, ids, tap):
    p = "model." if "model.embed_tokens.weight" in W else ""
    g = lambda n: W[p + n]
    D, H, L = cfg["d_model"], cfg["attention_heads"], cfg["num_layers"]
    hd = D // H
    act = {"gelu": gelu_erf, "gelu_new": gelu_tanh}[cfg.get("activation_function", "gelu")]
    lin = lambda x, n: x @ g(n + ".weight").T + g(n + ".bias")
    ln = lambda x, n: F.layer_norm(x, (D,), g(n + ".weight"), g(n + ".bias"), 1e-5)
    T = len(ids)
    scale = math.sqrt(D) if cfg.get("scale_embedding", True) else 1.0
    offset = 2
    table = sinusoidal_table(cfg["max_position_embeddings"] + offset, D, cfg.get("pad_token_id", 1))
    x = g("embed_tokens.weight")[ids] * scale + table[torch.arange(T) + offset]
    for i in range(L):
        h = f"layers.{i}."
        tap(i, "hook_resid_pre", x)
        a_in = ln(x, h + "self_attn_layer_norm")
        tap(i, "ln1.hook_normalized", a_in)
        q = lin(a_in, h + "self_attn.q_proj") * hd ** -0.5
        k = lin(a_in, h + "self_attn.k_proj")
        v = lin(a_in, h + "self_attn.v_proj")
        z = softmax_attention(heads(q, H) @ heads(k, H).transpose(-1, -2), heads(v, H))
        tap(i, "attn.hook_z", z)
        x = x + lin(z, h + "self_attn.out_proj")
        m_in = ln(x, h + "final_layer_norm")
        tap(i, "ln2.hook_normalized", m_in)
        pre = lin(m_in, h + "fc1")
        post = act(pre)
        tap(i, "mlp.hook_pre", pre)
        tap(i, "mlp.hook_post", post)
        x = x + lin(post, h + "fc2")
    tap(L - 1, "hook_resid_post", x)
    hf = ln(x, "layer_norm")
    tap(None, "ln_final.hook_normalized", hf)
    head = g("embed_tokens.weight") if cfg.get("tie_word_embeddings", True) else W["lm_head.weight"]
    return hf @ head.T


FORWARD = {"gpt2": gpt2_forward, "bloom": bloom_forward, "xglm": xglm_forward}


def rounded(t, n=6):
    return [round(float(v), n) for v in t.reshape(-1).tolist()]


def main(root):
    cases = json.load(open(os.path.join(FIXTURES, "cases.json")))
    for case in cases:
        d = os.path.join(root, case["name"])
        cfg = json.load(open(os.path.join(d, "config.json")))
        W = read_checkpoint(d)
        fwd = FORWARD[cfg["model_type"]]
        seen = {}

        def tap(layer, name, t):
            seen[name if layer is None else f"blocks.{layer}.{name}"] = t

        with torch.no_grad():
            logits = fwd(cfg, W, torch.tensor(case["ids"]), tap)
            # Greedy decoding by full recomputation (no cache): the engine's KV-cache path must match.
            seq, greedy = list(case["ids"]), []
            limit = first(cfg, "n_positions", "seq_length", "max_position_embeddings", default=2048)
            for _ in range(min(case["greedy_new_tokens"], limit - len(seq))):
                nxt = int(torch.argmax(fwd(cfg, W, torch.tensor(seq), lambda *a: None)[-1]))
                greedy.append(nxt)
                if nxt in case["stop_ids"]:
                    break
                seq.append(nxt)
        L = 1 + max(int(k.split(".")[1]) for k in seen if k.startswith("blocks."))
        hooks = {}
        for layer in range(L):
            for h in ("hook_resid_pre", "mlp.hook_pre", "mlp.hook_post"):
                hooks[f"blocks.{layer}.{h}"] = rounded(seen[f"blocks.{layer}.{h}"])
        for h in ("ln1.hook_normalized", "attn.hook_z", "ln2.hook_normalized"):
            hooks[f"blocks.0.{h}"] = rounded(seen[f"blocks.0.{h}"])
        hooks["ln_final.hook_normalized"] = rounded(seen["ln_final.hook_normalized"])
        result = {
            "name": case["name"],
            "ids": case["ids"],
            "logits_shape": list(logits.shape),
            "logits": rounded(logits),
            "hooks": hooks,
            "greedy": greedy,
        }
        with open(os.path.join(FIXTURES, case["name"] + ".json"), "w") as f:
            json.dump(result, f, separators=(",", ":"))
        print(case["name"], "logits", tuple(logits.shape), "greedy", greedy)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/gpt-family")
