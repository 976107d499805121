"""Trains the embedded default model (issues #3, #15) from the UDHR corpus and the toy world
(toyworld/, a synthetic parallel corpus in eight languages) and writes models/default/.

Usage (from the repository root; see README.md here for the whole pipeline):
  /usr/bin/python3 tools/train-default-model/train.py --corpus /tmp/pl/corpus.json \
      --toyworld /tmp/pl/toyworld.json --out models/default --steps 6000 --log /tmp/pl/train.tsv
Seeded, with a fixed thread count: the same command gives the same losses bit for bit on one
machine (build.sh checks the first steps of a second run)."""
import argparse
import json
import math
import os
import random
import time

import torch
import torch.nn.functional as F

import bpe
import corpus
import docs
import mix
import model

# Sizes: the first default model's shapes (5.5M parameters; F32 weights, 22 MB, well inside the
# 50 MB budget), so every consumer of its shapes keeps working; what changed is the data (see
# mix.py) and the length of training. The tokenizer is trained on the UDHR plus a sample of the
# toy world, so the toy world's words and instructions are single tokens or nearly.
VOCAB = 4096
D_MODEL = 256
N_LAYERS = 6
N_HEADS, N_KV_HEADS = 4, 2   # head_dim 64; GQA (2 query heads per KV head) like current Llamas
D_MLP = 704           # ≈ 8/3·d_model (Llama's SwiGLU ratio), rounded up to a multiple of 64
MAX_POS = 512         # the product's context; training rows are this long too
BATCH = 4             # rows of MAX_POS tokens: 2,048 tokens per step
PEAK_LR, MIN_LR_FRAC, WARMUP = 2e-3, 0.1, 200  # small models tolerate a high peak; cosine to 10%
WEIGHT_DECAY, CLIP = 0.1, 1.0
THREADS = 1           # fixed, so reductions keep one order; on a shared 2-core machine one thread
                      # trained faster than two (two BLAS threads stall each other under load)
BPE_TOY_RECORDS, BPE_TOY_TASKS = 3000, 3000  # toy-world texts added to the tokenizer's training text
EVAL_EVERY = 500


def lr_at(step, steps):
    if step < WARMUP:
        return PEAK_LR * (step + 1) / WARMUP
    t = (step - WARMUP) / max(1, steps - WARMUP)
    return PEAK_LR * (MIN_LR_FRAC + (1 - MIN_LR_FRAC) * 0.5 * (1 + math.cos(math.pi * t)))


def lm_loss(m, rows):
    ids = torch.tensor(rows)
    logits = m.logits(ids)
    tgt = ids[:, 1:].clone()
    tgt[tgt == bpe.PAD] = -100
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100)


@torch.no_grad()
def held_out_loss(m, tok, held):
    """Mean token NLL over all held-out paragraphs ("<s>text</s>", one sequence each)."""
    tot, n = 0.0, 0
    for c in sorted(held):
        for _, text in held[c]:
            ids = torch.tensor([docs.mono_ids(tok, text)])
            logits = m.logits(ids)
            tot += float(F.cross_entropy(logits[0, :-1], ids[0, 1:], reduction="sum"))
            n += ids.shape[1] - 1
    return tot / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--toyworld", required=True, help="export-toyworld.ts output")
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--stop-after", type=int, default=None, help="stop early (same schedule); for the determinism check")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    torch.set_num_threads(THREADS)
    torch.manual_seed(args.seed)
    t_start = time.time()

    langs = corpus.load(args.corpus)
    codes = [l["code"] for l in langs]
    names = {l["code"]: l["name"] for l in langs}
    train, held = corpus.split(langs)
    with open(args.toyworld, encoding="utf-8") as f:
        toy = json.load(f)
    bpe_text = [t for c in codes for _, t in train[c]]
    bpe_text += [r["text"][l] for r in toy["train"][:BPE_TOY_RECORDS] for l in toy["languages"]]
    bpe_text += [f"{i['prompt']} {i['answer']}" for i in toy["tasks"][:BPE_TOY_TASKS]]
    tok = bpe.Tokenizer(bpe.train(bpe_text, VOCAB))
    os.makedirs(args.out, exist_ok=True)
    tok.save(args.out, MAX_POS)
    with open(os.path.join(args.out, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": bpe.BOS, "eos_token_id": bpe.EOS, "pad_token_id": bpe.PAD, "do_sample": False}, f, indent=2)

    cfg = model.config(len(tok), D_MODEL, N_LAYERS, N_HEADS, N_KV_HEADS, D_MLP, MAX_POS, codes, bpe.BOS, bpe.EOS)
    weights = model.init_weights(cfg, torch.Generator().manual_seed(args.seed))
    m = model.Trainable(cfg, weights)
    decay = [w for w in weights.values() if w.dim() == 2]  # matrices; norms' gains are not decayed
    no_decay = [w for w in weights.values() if w.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=PEAK_LR, betas=(0.9, 0.95), eps=1e-8)
    print(f"params {model.param_count(weights)}  vocab {len(tok)}  languages {len(codes)}", flush=True)

    stream, queue, kind_tokens = mix.Mixture(tok, train, names, toy, random.Random(args.seed)), [], {}
    log = open(args.log, "w")
    log.write("step\tloss\tlr\theld_out_loss\tseconds\n")
    last = args.stop_after or args.steps
    for step in range(last):
        while len(queue) < BATCH:
            drawn = [stream.doc() for _ in range(256)]
            for k, d in drawn:
                kind_tokens[k] = kind_tokens.get(k, 0) + min(len(d), MAX_POS)
            queue.extend(docs.pack([d for _, d in drawn], MAX_POS))
        rows, queue = queue[:BATCH], queue[BATCH:]
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps)
        loss = lm_loss(m, rows)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(weights.values()), CLIP)
        opt.step()
        ho = held_out_loss(m, tok, held) if (step + 1) % EVAL_EVERY == 0 or step + 1 == last else None
        # repr keeps every bit of the loss, so two runs can be compared exactly.
        log.write(f"{step}\t{float(loss)!r}\t{lr_at(step, args.steps):.6g}\t{'' if ho is None else repr(ho)}\t{time.time() - t_start:.1f}\n")
        log.flush()
        if ho is not None or step % 20 == 0:
            print(f"step {step} loss {float(loss):.4f} held-out {ho if ho is None else round(ho, 4)} {time.time() - t_start:.0f}s", flush=True)

    total = sum(kind_tokens.values())
    print("token shares " + json.dumps({k: round(v / total, 4) for k, v in sorted(kind_tokens.items())}), flush=True)
    if args.stop_after:
        return
    model.write_safetensors(os.path.join(args.out, "model.safetensors"), weights, "F32")
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    # The shipped file, read back by the reference loader, must give the trained function.
    ref = model.HFLlama(model_dir=args.out)
    probe = torch.tensor([docs.mono_ids(tok, held["fr"][0][1])])
    with torch.no_grad():
        diff = float((ref.forward(probe) - m.logits(probe)).abs().max())
    print(f"reload check: max |logits diff| = {diff}", flush=True)
    assert diff == 0.0, diff
    print(f"done in {time.time() - t_start:.0f}s", flush=True)


if __name__ == "__main__":
    main()
