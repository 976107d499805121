"""The trainable model is the project's plain-PyTorch Llama forward itself (bench/llama_torch.py:
HF names, rotate_half RoPE, GQA, SwiGLU), called without its no_grad wrapper on a dict of
trainable tensors. Training and the checks of the shipped checkpoint therefore use one function,
not two that merely should agree; train.py still re-loads the written file with HFLlama and
compares logits. (The shipped weights were trained with an earlier, external forward of the same
definition; bench/llama_torch.py reproduces its logits on the shipped model bit for bit.)"""
import json
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from llama_torch import Llama, read_safetensors  # noqa: E402,F401 (read_safetensors: train.py --init-from)

_forward = Llama.forward.__wrapped__  # the body under @torch.no_grad

_TAP_NAMES = {"pre": "mlp.hook_pre", "post": "mlp.hook_post"}


class HFLlama(Llama):
    """The interface the training tools use: forward(ids) → logits [B, T, vocab] (or the last
    position only), taps named by hook ("mlp.hook_pre", "mlp.hook_post"), greedy decoding."""

    @torch.no_grad()
    def forward(self, ids, last_only=False, compute_logits=True, tap=None):
        inner = (lambda layer, name, t: tap(layer, _TAP_NAMES[name], t) if name in _TAP_NAMES else None) if tap else None
        _, logits = _forward(self, ids, tap=inner, logits=compute_logits)
        if logits is None:
            return None
        return logits[:, -1:] if last_only else logits

    @torch.no_grad()
    def greedy(self, ids, n_new, stop_ids=(1,)):
        seq, out = list(ids), []
        for _ in range(n_new):
            nxt = int(self.forward(torch.tensor([seq]), last_only=True)[0, -1].argmax())
            out.append(nxt)  # the stop token is returned too, then decoding ends
            if nxt in stop_ids:
                break
            seq.append(nxt)
        return out


def config(vocab_size, d_model, n_layers, n_heads, n_kv_heads, d_mlp, max_pos, languages, bos, eos):
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "vocab_size": vocab_size, "hidden_size": d_model, "intermediate_size": d_mlp,
        "num_hidden_layers": n_layers, "num_attention_heads": n_heads, "num_key_value_heads": n_kv_heads,
        "head_dim": d_model // n_heads, "hidden_act": "silu", "max_position_embeddings": max_pos,
        "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "rope_scaling": None, "attention_bias": False,
        "attention_dropout": 0.0, "mlp_bias": False, "pretraining_tp": 1, "initializer_range": 0.02,
        "tie_word_embeddings": True, "bos_token_id": bos, "eos_token_id": eos, "torch_dtype": "float32",
        "use_cache": True, "polyglot_languages": languages,
    }


def init_weights(cfg, gen):
    """GPT-2/Llama-style init: N(0, 0.02) everywhere, residual-output projections (o, down)
    scaled by 1/sqrt(2·layers) so the residual stream's variance does not grow with depth."""
    D, L, hd = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["head_dim"]
    H, KV, M, V = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["intermediate_size"], cfg["vocab_size"]
    std, resid_std = cfg["initializer_range"], cfg["initializer_range"] / math.sqrt(2 * L)

    def normal(shape, s):
        return (torch.randn(*shape, generator=gen) * s).requires_grad_()

    w = {"model.embed_tokens.weight": normal((V, D), std)}
    for i in range(L):
        p = f"model.layers.{i}."
        w[p + "self_attn.q_proj.weight"] = normal((H * hd, D), std)
        w[p + "self_attn.k_proj.weight"] = normal((KV * hd, D), std)
        w[p + "self_attn.v_proj.weight"] = normal((KV * hd, D), std)
        w[p + "self_attn.o_proj.weight"] = normal((D, H * hd), resid_std)
        w[p + "mlp.gate_proj.weight"] = normal((M, D), std)
        w[p + "mlp.up_proj.weight"] = normal((M, D), std)
        w[p + "mlp.down_proj.weight"] = normal((D, M), resid_std)
        w[p + "input_layernorm.weight"] = torch.ones(D, requires_grad=True)
        w[p + "post_attention_layernorm.weight"] = torch.ones(D, requires_grad=True)
    w["model.norm.weight"] = torch.ones(D, requires_grad=True)
    return w


class Trainable:
    """HFLlama over trainable tensors; lm_head is the embedding tensor itself (tied)."""

    def __init__(self, cfg, weights):
        self.params = weights
        self.m = HFLlama(cfg=cfg, weights=dict(weights))

    def logits(self, ids):
        return _forward(self.m, ids)[1]


def param_count(weights):
    return sum(t.numel() for t in weights.values())


def write_safetensors(path, weights, dtype="F32"):
    """Minimal safetensors writer: 8-byte little-endian header length, JSON header (names
    sorted, 8-byte aligned by space padding as the format requires), then raw little-endian
    tensor bytes in header order."""
    tdtype = {"F32": torch.float32, "F16": torch.float16}[dtype]
    header, blobs, offset = {}, [], 0
    for name in sorted(weights):
        data = weights[name].detach().to(tdtype).contiguous().numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(weights[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
