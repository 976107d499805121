"""PyTorch baseline for bench/eval.mjs: the same scoring as `eval --task classify` and the same
greedy decoding as `eval --task translate`, on the same weights and token ids, in plain PyTorch
(a Llama forward written here: RMSNorm, HF rotate_half RoPE, GQA, SwiGLU, tied or untied head,
KV cache). Self-contained: no ../shared, no transformers.

    /usr/bin/python3 bench/eval_torch.py WORKLOAD.json MODEL_DIR THREADS RUNS
Prints one JSON line: items/s of classify (prefix cache), classify (full recomputation) and
translate, plus the predictions and generated ids, so the driver can check both sides agree.
"""
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F

DT = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
SZ = {"F32": 4, "F16": 2, "BF16": 2}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        t = torch.frombuffer(data, dtype=DT[info["dtype"]], count=(b - a) // SZ[info["dtype"]], offset=a)
        out[name.removeprefix("model.")] = t.reshape(info["shape"]).float()
    return out


class Llama:
    def __init__(self, folder):
        c = json.load(open(os.path.join(folder, "config.json")))
        self.w = read_safetensors(os.path.join(folder, "model.safetensors"))
        self.L = c["num_hidden_layers"]
        self.H = c["num_attention_heads"]
        self.KV = c.get("num_key_value_heads") or self.H
        self.hd = c.get("head_dim") or c["hidden_size"] // self.H
        self.eps = c["rms_norm_eps"]
        theta = c.get("rope_theta", 10000.0)
        self.inv = 1.0 / (theta ** (torch.arange(0, self.hd, 2, dtype=torch.float32) / self.hd))
        self.head = self.w.get("lm_head.weight", self.w["embed_tokens.weight"])

    def norm(self, x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * w

    @staticmethod
    def rot(x):
        h = x.shape[-1] // 2
        return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

    def forward(self, ids, past=None):
        """ids [B, T]; past: per layer (k, v) [B, KV, P, hd]. Returns logits [B, T, V], present."""
        B, T = ids.shape
        P = 0 if past is None else past[0][0].shape[2]
        pos = torch.arange(P, P + T, dtype=torch.float32)
        freqs = pos[:, None] * self.inv[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        mask = torch.full((T, P + T), float("-inf")).triu(P + 1)
        x = self.w["embed_tokens.weight"][ids]
        present = []
        for i in range(self.L):
            p = f"layers.{i}."
            h = self.norm(x, self.w[p + "input_layernorm.weight"])
            q = (h @ self.w[p + "self_attn.q_proj.weight"].T).view(B, T, self.H, self.hd).transpose(1, 2)
            k = (h @ self.w[p + "self_attn.k_proj.weight"].T).view(B, T, self.KV, self.hd).transpose(1, 2)
            v = (h @ self.w[p + "self_attn.v_proj.weight"].T).view(B, T, self.KV, self.hd).transpose(1, 2)
            q = q * cos + self.rot(q) * sin
            k = k * cos + self.rot(k) * sin
            if past is not None:
                k = torch.cat((past[i][0], k), dim=2)
                v = torch.cat((past[i][1], v), dim=2)
            present.append((k, v))
            rep = self.H // self.KV
            kk, vv = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
            att = torch.softmax(q @ kk.transpose(-1, -2) / math.sqrt(self.hd) + mask, dim=-1)
            o = (att @ vv).transpose(1, 2).reshape(B, T, self.H * self.hd)
            x = x + o @ self.w[p + "self_attn.o_proj.weight"].T
            h = self.norm(x, self.w[p + "post_attention_layernorm.weight"])
            g = F.silu(h @ self.w[p + "mlp.gate_proj.weight"].T) * (h @ self.w[p + "mlp.up_proj.weight"].T)
            x = x + g @ self.w[p + "mlp.down_proj.weight"].T
        return self.norm(x, self.w["norm.weight"]) @ self.head.T, present


def classify_cached(m, item):
    prefix, conts = item["prefix"], item["continuations"]
    logits, present = m.forward(torch.tensor([prefix]))
    lp = torch.log_softmax(logits[0].double(), -1)
    pre = float(sum(lp[t, prefix[t + 1]] for t in range(len(prefix) - 1)))
    B, T = len(conts), max(len(c) for c in conts)
    past = [(k.expand(B, -1, -1, -1), v.expand(B, -1, -1, -1)) for k, v in present]
    padded = torch.tensor([c + [c[-1]] * (T - len(c)) for c in conts])
    out, _ = m.forward(padded, past)
    lc = torch.log_softmax(out.double(), -1)
    sums = []
    for b, c in enumerate(conts):
        s = float(lp[-1, c[0]]) + sum(float(lc[b, i - 1, c[i]]) for i in range(1, len(c)))
        sums.append(s)
    return pre, sums


def classify_full(m, item):
    prefix, conts = item["prefix"], item["continuations"]
    pre, sums = 0.0, []
    for c in conts:
        full = prefix + c
        lp = torch.log_softmax(m.forward(torch.tensor([full]))[0][0].double(), -1)
        terms = [float(lp[t, full[t + 1]]) for t in range(len(full) - 1)]
        pre = sum(terms[: len(prefix) - 1])
        sums.append(sum(terms[len(prefix) - 1:]))
    return pre, sums


def predict(pre, sums, item):
    n_pre = len(item["prefix"]) - 1
    scores = [(pre + s) / (n_pre + len(c)) for s, c in zip(sums, item["continuations"])]
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


def greedy(m, ids, n):
    logits, past = m.forward(torch.tensor([ids]))
    out = []
    for _ in range(n):
        nxt = int(torch.argmax(logits[0, -1]))
        out.append(nxt)
        logits, past = m.forward(torch.tensor([[nxt]]), past)
    return out


def timed(fn, runs):
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main():
    workload, folder, threads, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    w = json.load(open(workload))
    m = Llama(folder)
    with torch.no_grad():
        tc, preds = timed(lambda: [predict(*classify_cached(m, it), it) for it in w["classify"]], runs)
        tf, preds_full = timed(lambda: [predict(*classify_full(m, it), it) for it in w["classify"]], runs)
        tl, preds_last = timed(lambda: [predict(*classify_cached(m, it), it) for it in w["classifyLast"]], runs)
        tlf, _ = timed(lambda: [predict(*classify_full(m, it), it) for it in w["classifyLast"]], runs)
        one = [{"prefix": it["prefix"], "continuations": it["continuations"][:1]} for it in w["classifyLast"]]
        t1, _ = timed(lambda: [classify_full(m, it) for it in one], runs)
        tt, gen = timed(lambda: [greedy(m, it, w["newTokens"]) for it in w["translate"]], runs)
    n_c, n_t = len(w["classify"]), len(w["translate"])
    print(json.dumps({
        "classify_items_s": n_c / tc, "classify_full_items_s": n_c / tf, "translate_items_s": n_t / tt,
        "classify_last_items_s": n_c / tl, "classify_last_full_items_s": n_c / tlf, "one_label_items_s": n_c / t1, "predictions_last": preds_last,
        "predictions": preds, "predictions_full": preds_full, "generated": gen,
        "torch": torch.__version__, "threads": threads,
    }))


main()
