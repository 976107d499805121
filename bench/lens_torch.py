"""The PyTorch side of the lens benchmark (docs/performance.md "Latent-language lens"): a logit lens
as one writes it in a notebook on the project's plain-PyTorch Llama (bench/llama_torch.py): one
forward with every hidden state, then per layer final norm → unembedding → log-softmax → top-k.
Weights stay in their stored precision and are widened to F32 when a layer reads them (a 7B BF16
checkpoint does not fit this machine's memory in F32), as the engine's streaming mode does.
Prints one JSON line: seconds per repeat (forward and lens parts), peak RSS, the top-1 token per
layer at the last position.

    OPENBLAS_CORETYPE=… /usr/bin/python3 bench/lens_torch.py --model DIR --ids 1,2,3 [--k 10] [--repeat 3] [--threads 2]
"""
import argparse
import json
import os
import resource
import struct
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama_torch import Llama  # noqa: E402

_DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}


class Widening(dict):
    """Stored-precision tensors; each read returns an F32 copy (freed when the layer is done with it)."""

    def __getitem__(self, name):
        return dict.__getitem__(self, name).to(torch.float32)


def read_stored(path):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        # Read straight into one buffer: bytearray(f.read()) would hold the file twice (27 GB at 7B).
        data = bytearray(os.path.getsize(path) - 8 - size)
        f.readinto(memoryview(data))
    out = Widening()
    for name, e in header.items():
        if name == "__metadata__":
            continue
        dtype, width = _DTYPES[e["dtype"]]
        a, b = e["data_offsets"]
        dict.__setitem__(out, name, torch.frombuffer(data, dtype=dtype, count=(b - a) // width, offset=a).reshape(e["shape"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids", required=True)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    cfg = json.load(open(os.path.join(a.model, "config.json")))
    model = Llama(cfg=cfg, weights=read_stored(os.path.join(a.model, "model.safetensors")))
    load_s = time.perf_counter() - t0
    ids = torch.tensor([[int(x) for x in a.ids.split(",")]])
    runs = []
    with torch.no_grad():
        for _ in range(a.repeat):
            t = time.perf_counter()
            hidden, _ = model.forward(ids, logits=False)
            t_fwd = time.perf_counter() - t
            norm = model.w["model.norm.weight"]
            head = model.lm_head
            top1 = []
            for layer, h in enumerate(hidden):
                # The last hidden state is already normalised (HF's output_hidden_states).
                x = h if layer == len(hidden) - 1 else model._norm(h, norm)
                logp = torch.log_softmax(x[0] @ head.T, dim=-1)
                top = torch.topk(logp, a.k, dim=-1)
                top1.append(int(top.indices[-1, 0]))
            runs.append({"forward": round(t_fwd, 3), "total": round(time.perf_counter() - t, 3)})
    print(json.dumps({
        "job": "torch-lens", "tokens": ids.shape[1], "loadS": round(load_s, 2), "runs": runs,
        "peakRssGiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2, 2),
        "top1": top1, "openblas": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
    }))


if __name__ == "__main__":
    main()
