"""Held-out perplexity per language and greedy continuations of held-out sentence starts, from
the shipped folder (read with the reference loader, i.e. what any HF-Llama consumer sees).
Writes JSON for franc-check.mjs (language of each continuation) and for the model card.
Usage: evaluate.py CORPUS.json MODEL_DIR OUT.json"""
import json
import math
import sys

import torch
import torch.nn.functional as F

import bpe
import corpus
import docs
from model import HFLlama

# The 12 languages of the quality bar (issue #3); franc-min can identify all of them.
CONTINUATION_LANGS = ["en", "fr", "de", "es", "ru", "ja", "zh", "ar", "hi", "tr", "vi", "sw"]
# Held-out paragraphs whose starts are real sentence starts, one per held-out article; a language
# stays in language when at least 2 of its 3 continuations do (franc-check.mjs).
PROMPT_IDS = ("article.3.1", "article.13.1", "article.23.1")
PROMPT_TOKENS = 12          # at most; ≈ 5-8 words of context, cut at a word boundary
NEW_TOKENS = 40
TRANSLATION_DEMO = [("fr", "en"), ("en", "de"), ("en", "zh")]


@torch.no_grad()
def perplexities(m, tok, held):
    out = {}
    for c in sorted(held):
        nll, n = 0.0, 0
        for _, text in held[c]:
            ids = torch.tensor([docs.mono_ids(tok, text)])
            nll += float(F.cross_entropy(m.forward(ids)[0, :-1], ids[0, 1:], reduction="sum"))
            n += ids.shape[1] - 1
        out[c] = {"perplexity": math.exp(nll / n), "tokens": n}
    return out


@torch.no_grad()
def greedy(m, ids, n_new):
    """Greedy decoding of exactly n_new tokens with the special tokens masked (what HF generate
    does with min_new_tokens=n_new for EOS): a 40-token continuation is long enough for franc,
    and a paragraph end would otherwise make the check judge an empty string."""
    ids, out = list(ids), []
    for _ in range(n_new):
        logits = m.forward(torch.tensor([ids]), last_only=True)[0, -1]
        logits[: len(bpe.SPECIALS)] = float("-inf")
        out.append(int(logits.argmax()))
        ids.append(out[-1])
    return out


def word_prefix(tok, text, max_tokens):
    """BOS + the longest run of whole pre-tokens (words, or clauses in CJK/Thai) of text that fits
    in max_tokens, so the prompt never ends inside a word or a multi-byte character."""
    ids = [bpe.BOS]
    for word in bpe.pre_tokenize(text):
        w = tok.bpe_word(word)
        if len(ids) - 1 + len(w) > max_tokens:
            break
        ids += w
    return ids


def main(corpus_path, model_dir, out_path):
    torch.set_num_threads(1)
    langs = corpus.load(corpus_path)
    names = {l["code"]: l["name"] for l in langs}
    train, held = corpus.split(langs)
    tok = bpe.Tokenizer.load(model_dir)
    m = HFLlama(model_dir=model_dir)
    result = {"perplexity": perplexities(m, tok, held), "continuations": [], "translations": []}
    for c in CONTINUATION_LANGS:
        for pid in PROMPT_IDS:
            text = dict(held[c])[pid]
            prompt = word_prefix(tok, text, PROMPT_TOKENS)
            new = greedy(m, prompt, NEW_TOKENS)
            # Decode prompt and continuation together so a character split across the boundary
            # is not garbled, then keep only the generated part: franc judges the model's text only.
            full, head = tok.decode(prompt + new), tok.decode(prompt)
            result["continuations"].append({"code": c, "id": pid, "prompt": head, "continuation": full[len(head):]})
    for src, tgt in TRANSLATION_DEMO:  # held-out source: the model never saw this pair
        s, t = corpus.parallel(held[src], held[tgt])[3]
        prompt = tok.encode(f"{names[src]}: {s}") + [bpe.EOS] + tok.encode(f"{names[tgt]}:", bos=False)
        new = m.greedy(prompt, NEW_TOKENS, stop_ids=(bpe.EOS,))
        result["translations"].append({"src": src, "tgt": tgt, "source": s, "reference": t, "output": tok.decode(new)})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    for c, v in result["perplexity"].items():
        print(f"{c}\t{v['perplexity']:.2f}\t{v['tokens']}")
    for r in result["continuations"]:
        print(r["code"], repr(r["prompt"]), "->", repr(r["continuation"]))
    for r in result["translations"]:
        print(r["src"], "->", r["tgt"], repr(r["output"]))


if __name__ == "__main__":
    main(*sys.argv[1:4])
