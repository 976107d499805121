"""Independent plain-PyTorch forward passes of Llama, Mistral, Qwen2, Gemma and Gemma 2, written
from Hugging Face's modeling_llama.py / modeling_mistral.py / modeling_qwen2.py /
modeling_gemma.py / modeling_gemma2.py (eager attention), without transformers. Writes the
expected logits and hooks of the tiny checkpoints listed by arch-cases.ts to test/fixtures/arch,
and saves the cases marked `bin` as pytorch_model.bin (torch.save, optionally sharded with
pytorch_model.bin.index.json) next to them. Also writes the malicious / legacy pickle fixtures
the .bin reader must refuse (test/fixtures/torchbin).

    node --import tsx test/reference/arch-cases.ts /tmp/pl-arch
    /usr/bin/python3 test/reference/make_arch_expected.py /tmp/pl-arch

Needs Debian's python3-torch (torch 1.13 here); reads safetensors with its own 20-line reader.
"""
import io
import json
import math
import os
import pickle
import struct
import sys
import zipfile
from collections import OrderedDict

import torch

torch.set_grad_enabled(False)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "arch")
BAD = os.path.join(HERE, "..", "fixtures", "torchbin")
DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
TORCH_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def read_safetensors(path):
    """name -> tensor in its stored dtype"""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = OrderedDict()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = bytearray(data[a:b])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.zeros(0, dtype=DTYPES[info["dtype"]])
        out[name] = t.reshape(info["shape"]).clone()
    return out


def load_checkpoint(d):
    files = ["model.safetensors"]
    if not os.path.exists(os.path.join(d, files[0])):
        idx = json.load(open(os.path.join(d, "model.safetensors.index.json")))
        files = sorted(set(idx["weight_map"].values()))
    stored = OrderedDict()
    shard_of = {}
    for f in files:
        part = read_safetensors(os.path.join(d, f))
        for k in part:
            shard_of[k] = f
        stored.update(part)
    return stored, files, shard_of


class Weights:
    """Lookup by HF name with or without the `model.` prefix; computes in float32."""

    def __init__(self, stored):
        self.t = {k: v.float() for k, v in stored.items()}

    def __call__(self, name):
        if name in self.t:
            return self.t[name]
        return self.t[name[len("model."):]] if name.startswith("model.") else self.t["model." + name]

    def has(self, name):
        try:
            self(name)
            return True
        except KeyError:
            return False


def inv_freq(cfg, hd):
    inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    rs = cfg.get("rope_scaling") or {}
    kind = rs.get("rope_type", rs.get("type", "default"))
    if kind == "llama3":
        factor = rs["factor"]
        low, high = rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        low_wl, high_wl = old / low, old / high
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wl, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wl) * ~(wavelen > low_wl)
        inv = torch.where(medium, smoothed, scaled)
    elif kind == "linear":
        inv = inv / rs["factor"]
    return inv


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def mask_for(T, window):
    q = torch.arange(T)[:, None]
    k = torch.arange(T)[None, :]
    ok = k <= q
    if window is not None:
        ok = ok & (q - k < window)
    return torch.where(ok, 0.0, torch.finfo(torch.float32).min)


def forward(cfg, W, ids):
    """Returns logits [T, V] and the taps {(layer, hook): [T, width]}."""
    mt = cfg["model_type"]
    gemma = mt in ("gemma", "gemma2")
    D = cfg["hidden_size"]
    H = cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads", H)
    hd = cfg.get("head_dim", 256 if gemma else D // H)
    L = cfg["num_hidden_layers"]
    eps = cfg.get("rms_norm_eps", 1e-6)
    T = len(ids)
    taps = {}

    def norm(x, name):
        w = W(name)
        y = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
        return y * (1.0 + w) if gemma else w * y

    def linear(x, name, bias=None):
        y = x @ W(name).T
        if bias is not None and W.has(bias):
            y = y + W(bias)
        return y

    pos = torch.arange(T).float()
    freqs = torch.outer(pos, inv_freq(cfg, hd))
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()

    x = W("model.embed_tokens.weight")[torch.tensor(ids)]
    if gemma:
        normalizer = torch.tensor(D ** 0.5, dtype=TORCH_DTYPES[cfg.get("torch_dtype", "float32")])
        x = x * normalizer.float()
    if mt == "gemma2":
        scaling = cfg["query_pre_attn_scalar"] ** -0.5
    else:
        scaling = hd ** -0.5
    for i in range(L):
        p = f"model.layers.{i}."
        taps[(i, "hook_resid_pre")] = x
        h = norm(x, p + "input_layernorm.weight")
        q = linear(h, p + "self_attn.q_proj.weight", p + "self_attn.q_proj.bias").view(T, H, hd).transpose(0, 1)
        k = linear(h, p + "self_attn.k_proj.weight", p + "self_attn.k_proj.bias").view(T, KV, hd).transpose(0, 1)
        v = linear(h, p + "self_attn.v_proj.weight", p + "self_attn.v_proj.bias").view(T, KV, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // KV, dim=0)
        v = v.repeat_interleave(H // KV, dim=0)
        s = (q @ k.transpose(1, 2)) * scaling
        window = None
        if mt == "gemma2":
            cap = cfg.get("attn_logit_softcapping")
            if cap is not None:
                s = torch.tanh(s / cap) * cap
            if i % 2 == 0:
                window = cfg.get("sliding_window")
        elif mt == "mistral":
            window = cfg.get("sliding_window")
        s = s + mask_for(T, window)
        a = torch.softmax(s, dim=-1, dtype=torch.float32) @ v
        a = a.transpose(0, 1).reshape(T, H * hd)
        o = linear(a, p + "self_attn.o_proj.weight", p + "self_attn.o_proj.bias")
        if mt == "gemma2":
            o = norm(o, p + "post_attention_layernorm.weight")
        x = x + o
        if mt == "gemma2":
            h = norm(x, p + "pre_feedforward_layernorm.weight")
        else:
            h = norm(x, p + "post_attention_layernorm.weight")
        gate = linear(h, p + "mlp.gate_proj.weight", p + "mlp.gate_proj.bias")
        up = linear(h, p + "mlp.up_proj.weight", p + "mlp.up_proj.bias")
        if gemma:
            exact = (cfg.get("hidden_activation") or "gelu_pytorch_tanh") == "gelu"
            act = torch.nn.functional.gelu(gate, approximate="none" if exact else "tanh")
        else:
            act = torch.nn.functional.silu(gate)
        post = act * up
        taps[(i, "mlp.hook_pre")] = gate
        taps[(i, "mlp.hook_post")] = post
        m = linear(post, p + "mlp.down_proj.weight", p + "mlp.down_proj.bias")
        if mt == "gemma2":
            m = norm(m, p + "post_feedforward_layernorm.weight")
        x = x + m
    taps[(L - 1, "hook_resid_post")] = x
    x = norm(x, "model.norm.weight")
    tied = cfg.get("tie_word_embeddings", gemma) or not W.has("lm_head.weight")
    head = W("model.embed_tokens.weight") if tied else W("lm_head.weight")
    logits = x @ head.T
    if mt == "gemma2" and cfg.get("final_logit_softcapping") is not None:
        c = cfg["final_logit_softcapping"]
        logits = torch.tanh(logits / c) * c
    return logits, taps


def rounded(t):
    return [round(float(v), 6) for v in t.reshape(-1).tolist()]


def save_bin(stored, shard_of, files, dest, shards):
    """torch.save of the same tensors (same names and dtypes); an unknown float tensor and an
    int64 buffer are added so the loader's warn-and-ignore path is exercised too."""
    os.makedirs(dest, exist_ok=True)
    sd = OrderedDict((k, v.clone()) for k, v in stored.items())
    first = next(iter(sd))
    prefix = "model." if first.startswith("model.") else ""
    sd[prefix + "extra_unknown.weight"] = torch.ones(3, dtype=torch.float32)
    sd[prefix + "position_ids"] = torch.arange(8, dtype=torch.int64)
    if shards <= 1:
        torch.save(sd, os.path.join(dest, "pytorch_model.bin"))
        return
    names = list(sd)
    per = math.ceil(len(names) / shards)
    weight_map = {}
    for s in range(shards):
        fname = f"pytorch_model-{s + 1:05d}-of-{shards:05d}.bin"
        part = OrderedDict((k, sd[k]) for k in names[s * per:(s + 1) * per])
        for k in part:
            weight_map[k] = fname
        torch.save(part, os.path.join(dest, fname))
    json.dump({"metadata": {}, "weight_map": weight_map}, open(os.path.join(dest, "pytorch_model.bin.index.json"), "w"))


class RunsShell:
    """Pickles as a call of os.system: the payload the .bin reader must refuse."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/polyglot-lens-pickle-pwned",))


class RunsExec:
    def __reduce__(self):
        return (exec, ("open('/tmp/polyglot-lens-pickle-pwned', 'w').write('x')",))


class _Marker:
    pass


class _WrongStoragePickler(pickle.Pickler):
    """Refers to a storage whose type is torch.Tensor (allowed as a global, but not a storage)."""

    def persistent_id(self, obj):
        return ("storage", torch.Tensor, "0", "cpu", 4) if isinstance(obj, _Marker) else None


def wrong_storage_type(path):
    buf = io.BytesIO()
    _WrongStoragePickler(buf, protocol=2).dump(OrderedDict([("w", _Marker())]))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        # Fixed timestamps, so regenerating gives the same bytes.
        z.writestr(zipfile.ZipInfo("archive/data.pkl", date_time=(2024, 1, 1, 0, 0, 0)), buf.getvalue())
        z.writestr(zipfile.ZipInfo("archive/data/0", date_time=(2024, 1, 1, 0, 0, 0)), bytes(16))


def bad_fixtures():
    os.makedirs(BAD, exist_ok=True)
    t = {"model.norm.weight": torch.ones(4)}
    torch.save(OrderedDict([("model.norm.weight", torch.ones(4)), ("evil", RunsShell())]), os.path.join(BAD, "os-system.bin"))
    torch.save(OrderedDict([("evil", RunsExec()), ("model.norm.weight", torch.ones(4))]), os.path.join(BAD, "builtins-exec.bin"))
    torch.save(t, os.path.join(BAD, "legacy-format.bin"), _use_new_zipfile_serialization=False)
    base = torch.arange(10, dtype=torch.float32)
    views = OrderedDict()
    views["slice"] = base[2:5]  # a view: storage offset 2 into a 10-element storage
    views["whole"] = base.view(2, 5)  # shares that storage
    views["half"] = torch.tensor([1.5, -2.0, 65504.0], dtype=torch.float16)
    views["bf16"] = torch.tensor([[1.0, -0.5], [3.140625, 0.0]], dtype=torch.bfloat16)
    views["param"] = torch.nn.Parameter(torch.tensor([0.25, 4.0]))
    views["steps"] = torch.tensor([7], dtype=torch.int64)
    torch.save(views, os.path.join(BAD, "views-dtypes.bin"))
    torch.save({"w": torch.arange(12, dtype=torch.float32).view(3, 4).t()}, os.path.join(BAD, "transposed.bin"))
    wrong_storage_type(os.path.join(BAD, "wrong-storage-type.bin"))


def main():
    src = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    cases = json.load(open(os.path.join(src, "cases.json")))
    for case in cases:
        d = os.path.join(src, case["name"])
        cfg = json.load(open(os.path.join(d, "config.json")))
        stored, files, shard_of = load_checkpoint(d)
        W = Weights(stored)
        ids = case["ids"]
        logits, taps = forward(cfg, W, ids)
        L = cfg["num_hidden_layers"]
        layers = sorted({0, L - 1})
        greedy = []
        seq = list(ids)
        for _ in range(case["greedy"]):
            nxt = int(forward(cfg, W, seq)[0][-1].argmax())
            greedy.append(nxt)
            seq.append(nxt)
        result = {
            "name": case["name"],
            "ids": ids,
            "logits_shape": list(logits.shape),
            "logits": rounded(logits),
            "hooks": {f"blocks.{l}.{h}": rounded(taps[(l, h)]) for l in layers for h in ("hook_resid_pre", "mlp.hook_pre", "mlp.hook_post")},
            "greedy": greedy,
        }
        with open(os.path.join(OUT, case["name"] + ".json"), "w") as f:
            json.dump(result, f)
        if case["bin"]:
            save_bin(stored, shard_of, files, os.path.join(OUT, case["name"]), case["bin"]["shards"])
        print(case["name"], "logits", list(logits.shape), "greedy", greedy)
    bad_fixtures()


if __name__ == "__main__":
    main()
