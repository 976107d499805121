"""The project's own plain-PyTorch Llama forward (Hugging Face `LlamaForCausalLM` semantics), used as
the independent side of the benchmark (bench/torch_baseline.py) and of the reference scripts under
test/ and tools/. Written from the Hugging Face modeling code's definitions, nothing else imported:

- RMSNorm in F32: x / sqrt(mean(x²) + eps) · weight;
- rotary embedding as HF's `rotate_half` variant: inv_freq[i] = θ^(−2i/d_head), angles = pos·inv_freq
  repeated twice, q' = q·cos + rotate_half(q)·sin with rotate_half([a, b]) = [−b, a];
- grouped-query attention (each key/value head serves n_heads / n_kv_heads query heads), causal;
- SwiGLU MLP: down(silu(gate(x)) · up(x));
- `hidden_states` as HF's `output_hidden_states`: index 0 = token embeddings, index i = output of
  block i−1, and the last one (index L) after the final norm.

Loads config.json + model.safetensors with a small safetensors reader (Debian's python3-torch has
no `safetensors` package). Needs only torch.
"""
import json
import os
import struct

import torch

_DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}


def read_safetensors(path):
    """{name: F32 tensor} from a .safetensors file (header: u64 length + JSON, then raw data)."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = bytearray(f.read())
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype, width = _DTYPES[entry["dtype"]]
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(data, dtype=dtype, count=(end - start) // width, offset=start)
        tensors[name] = flat.reshape(entry["shape"]).to(torch.float32)
    return tensors


class Llama:
    """forward(ids [B, T]) with optional taps; `tap(layer, name, tensor)` sees, per block,
    "ln1" (q/k/v input), "z" (o input), "ln2" (gate/up input), "pre" (gate pre-activation),
    "up" (up projection), "post" (down input: silu(gate)·up). `deactivate[layer]` = neuron indices whose "post" is zeroed."""

    def __init__(self, model_dir=None, cfg=None, weights=None):
        if model_dir is not None:
            with open(os.path.join(model_dir, "config.json")) as f:
                cfg = json.load(f)
            weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
        self.cfg = cfg
        self.w = weights
        self.L = cfg["num_hidden_layers"]
        self.d = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.kv_heads = cfg.get("num_key_value_heads") or self.heads
        self.d_head = cfg.get("head_dim") or self.d // self.heads
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        self.theta = cfg.get("rope_theta", 10000.0)
        tied = cfg.get("tie_word_embeddings", False) or "lm_head.weight" not in weights
        self.lm_head = weights["model.embed_tokens.weight"] if tied else weights["lm_head.weight"]

    def _norm(self, x, weight):
        x = x.to(torch.float32)
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def _rope(self, T):
        inv = 1.0 / (self.theta ** (torch.arange(0, self.d_head, 2, dtype=torch.int64).float() / self.d_head))
        angles = torch.outer(torch.arange(T, dtype=torch.int64).float(), inv)
        both = torch.cat((angles, angles), dim=-1)
        return both.cos(), both.sin()

    @staticmethod
    def _rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    @torch.no_grad()
    def forward(self, ids, tap=None, deactivate=None, logits=True):
        """Returns (hidden_states list of L+1 [B, T, d], logits [B, T, vocab] or None)."""
        B, T = ids.shape
        cos, sin = self._rope(T)
        causal = torch.full((T, T), float("-inf")).triu(1)
        h = self.w["model.embed_tokens.weight"][ids]
        hidden = [h]
        group = self.heads // self.kv_heads
        for i in range(self.L):
            p = f"model.layers.{i}."
            x = self._norm(h, self.w[p + "input_layernorm.weight"])
            if tap:
                tap(i, "ln1", x)
            q = (x @ self.w[p + "self_attn.q_proj.weight"].T).view(B, T, self.heads, self.d_head).transpose(1, 2)
            k = (x @ self.w[p + "self_attn.k_proj.weight"].T).view(B, T, self.kv_heads, self.d_head).transpose(1, 2)
            v = (x @ self.w[p + "self_attn.v_proj.weight"].T).view(B, T, self.kv_heads, self.d_head).transpose(1, 2)
            q = q * cos + self._rotate_half(q) * sin
            k = k * cos + self._rotate_half(k) * sin
            k = k.repeat_interleave(group, dim=1)
            v = v.repeat_interleave(group, dim=1)
            scores = q @ k.transpose(-1, -2) / (self.d_head ** 0.5) + causal
            z = (torch.softmax(scores.float(), dim=-1) @ v).transpose(1, 2).reshape(B, T, self.heads * self.d_head)
            if tap:
                tap(i, "z", z)
            h = h + z @ self.w[p + "self_attn.o_proj.weight"].T
            x = self._norm(h, self.w[p + "post_attention_layernorm.weight"])
            if tap:
                tap(i, "ln2", x)
            gate = x @ self.w[p + "mlp.gate_proj.weight"].T
            if tap:
                tap(i, "pre", gate)
            up = x @ self.w[p + "mlp.up_proj.weight"].T
            if tap:
                tap(i, "up", up)
            post = torch.nn.functional.silu(gate) * up
            if deactivate and deactivate.get(i):
                post[..., list(deactivate[i])] = 0
            if tap:
                tap(i, "post", post)
            h = h + post @ self.w[p + "mlp.down_proj.weight"].T
            if i < self.L - 1:
                hidden.append(h)
        h = self._norm(h, self.w["model.norm.weight"])
        hidden.append(h)
        return hidden, (h @ self.lm_head.T if logits else None)
