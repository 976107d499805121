"""Expected per-language perplexity and bits per character for test/eval/perplexity.test.ts.

The forward is the plain-PyTorch HF-Llama of ../shared/bench/hf_llama_torch.py; the scoring is
written here from the definition (issue #11): each text one sequence, NLL = -log_softmax of the
next token at every position, summed over all predicted tokens of a language (pooled);
perplexity = exp(sum NLL / tokens); bits per character = sum NLL / ln 2 / characters.

    node --import tsx test/eval/perplexity-ids.ts ../shared
    /usr/bin/python3 test/eval/perplexity_reference.py ../shared
"""
import json
import math
import os
import sys

import torch

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
sys.path.insert(0, os.path.join(shared, "bench"))
from hf_llama_torch import HFLlama  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "fixtures", "eval")
cases = json.load(open(os.path.join(fixtures, "perplexity-cases.json")))
m = HFLlama(os.path.join(shared, "models", cases["model"]))
per_text = []
totals = {}
with torch.no_grad():
    for t in cases["texts"]:
        ids = torch.tensor([t["ids"]], dtype=torch.float64).long()
        logits = m.forward(ids).double()[0]  # [len, vocab]
        logp = torch.log_softmax(logits, dim=-1)
        targets = ids[0, 1:]
        nll = float(-logp[torch.arange(len(targets)), targets].sum())
        chars = len(t["text"])  # Python str length = code points
        per_text.append({"lang": t["lang"], "nll": nll, "tokens": len(targets), "chars": chars})
        s = totals.setdefault(t["lang"], [0.0, 0, 0])
        s[0] += nll
        s[1] += len(targets)
        s[2] += chars
langs = {lang: {"perplexity": math.exp(s[0] / s[1]), "bits_per_char": s[0] / math.log(2) / s[2], "tokens": s[1]} for lang, s in totals.items()}
json.dump({"model": cases["model"], "texts": per_text, "languages": langs}, open(os.path.join(fixtures, "perplexity-stories260K.json"), "w"), indent=1)
print(json.dumps(langs))
