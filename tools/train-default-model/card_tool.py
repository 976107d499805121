"""The model card's sections measured with Polyglot Lens itself (measure.sh → results/tool/):
translation, perplexity, instruction language, numeric scores, LAPE deactivation, pruning.
Each function reads the tool's documented output files and returns (markdown, summary numbers)."""
import csv
import json
import math
import os

from mix import NAMES  # the toy world's languages and the English names its prompts use

SCRIPTS = {"fr": "Latin", "de": "Latin", "ru": "Cyrillic", "ja": "kana + kanji", "zh": "Han", "ar": "Arabic", "hi": "Devanagari"}
CHRF_BAR = 40.0


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def long_csv(path):
    """results.csv (model,task,language,metric,value) → {(model, task, language, metric): float}."""
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out[(r["model"], r["task"], r["language"], r["metric"])] = float(r["value"]) if r["value"] not in ("", "NaN") else math.nan
    return out


def fmt(x, digits=1):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def translation(tool):
    rows_csv = long_csv(os.path.join(tool, "translate.csv"))
    base = {b["pair"]: b for b in json.load(open(os.path.join(tool, "baselines.json"), encoding="utf-8"))}
    model = next(k[0] for k in rows_csv)
    rows, summary = [], {}
    for pair in base:
        chrf = rows_csv[(model, "translate", pair, "chrf")]
        summary[pair] = chrf
        tgt = pair.split("-")[1]
        rows.append((f"{NAMES[pair.split('-')[0]]} → {NAMES[tgt]}", SCRIPTS.get(tgt, SCRIPTS.get(pair.split('-')[0])),
                     f"**{chrf:.1f}**" if chrf >= CHRF_BAR else f"{chrf:.1f}", fmt(rows_csv[(model, "translate", pair, "bleu")]),
                     fmt(rows_csv.get((model, "translate", pair, "off_target_rate")), 2), f"{base[pair]['copy']:.1f}", f"{base[pair]['constant']:.1f}"))
    over = [p for p, c in summary.items() if c >= CHRF_BAR]
    above = [p for p, c in summary.items() if c >= max(base[p]["copy"], base[p]["constant"]) + 10]
    non_en = sorted({p.split("-")[1] if p.startswith("en-") else p.split("-")[0] for p in over})
    both = [l for l in non_en if f"en-{l}" in over and f"{l}-en" in over]
    md = f"""Held-out toy-world clauses (`examples/eval/toyworld/test.jsonl`: 50 clauses whose (subject, verb,
object) combination never occurs in training, in any language or task), 1-shot in the
docs/methods.md §3 format with the demonstration from `dev.jsonl` (training clauses), greedy, scored
by `polyglot-lens eval --task translate` (corpus chrF, sacreBLEU definition; BLEU 13a; off-target
share by franc-min). Baselines on the same items: **copy** (output = the source sentence) and
**constant** (one fixed target sentence for every item: the dev sentence with the best dev chrF).
Bold: chrF ≥ {CHRF_BAR:.0f}. BLEU's 13a tokenisation does not segment Chinese or Japanese, so a
sentence there is one "word" and BLEU is 0 unless the whole sentence is right: read chrF for them.
The off-target share is franc-min's verdict on outputs of ≥ 10 characters; on these short clauses it
often names another language for correct Russian (and some Hindi) outputs, so it is an upper bound.

{table(["direction", "target script", "chrF", "BLEU", "off-target", "copy chrF", "constant chrF"], rows)}

chrF ≥ {CHRF_BAR:.0f} in {len(over)} of {len(summary)} directions; both directions with English for
{len(both)} languages ({", ".join(NAMES[l] for l in both) or "none"}).
"""
    md += f"At least 10 chrF points above both baselines in {len(above)} of {len(summary)} directions.\n"
    return md, {"over": len(over), "total": len(summary), "both": both, "chrf": summary, "above": len(above)}


def perplexity(tool):
    rows_csv = long_csv(os.path.join(tool, "perplexity.csv"))
    model = next(k[0] for k in rows_csv)
    langs = [k[2] for k in rows_csv if k[3] == "perplexity"]
    rows = [(l, fmt(rows_csv[(model, "perplexity", l, "perplexity")], 1), fmt(rows_csv[(model, "perplexity", l, "bits_per_char")], 2)) for l in langs]
    return f"""`polyglot-lens eval --task perplexity --corpus udhr:…` on the held-out articles (3, 13, 23) of
every training language: perplexity pooled over the language's tokens, and bits per character
(comparable across scripts).

{table(["language", "perplexity", "bits/char"], rows)}
"""


def instructions(tool):
    rows_csv = long_csv(os.path.join(tool, "instructions.csv"))
    model = next(k[0] for k in rows_csv)
    tasks = sorted({k[1] for k in rows_csv})
    en_task = next(t for t in tasks if t.endswith("@base") or t.endswith("@en"))
    # The variant whose instruction is in `lang` (the base file is English).
    variant = {lang: en_task if lang == "en" else next((t for t in tasks if t.endswith(f"@{lang}")), None) for lang in NAMES}
    rows, summary = [], {}
    cross = [(NAMES[lang], *[fmt(rows_csv.get((model, t, c, "accuracy")), 2) for c in NAMES]) for lang, t in variant.items() if t]
    for lang in NAMES:
        own_task = variant[lang]
        acc_en = rows_csv.get((model, en_task, lang, "accuracy"))
        acc_own = rows_csv.get((model, own_task, lang, "accuracy")) if own_task else None
        fail_en = rows_csv.get((model, en_task, lang, "failure_rate"))
        fail_own = rows_csv.get((model, own_task, lang, "failure_rate")) if own_task else None
        summary[lang] = (acc_en, acc_own)
        rows.append((NAMES[lang], fmt(acc_en, 2), fmt(fail_en, 2), "(same)" if lang == "en" else fmt(acc_own, 2), "(same)" if lang == "en" else fmt(fail_own, 2)))
    md = f"""`polyglot-lens compare-instructions examples/studies/animal.prompt --dataset
examples/studies/animal.jsonl` — "is the subject of this sentence an animal? answer yes or no"
on 12 held-out clauses per language (6 yes, 6 no), with the instruction (and labels) in English
(`animal.prompt`) and in the clause's own language (`animal.LANG.prompt`); greedy answer, at most
8 tokens. Accuracy: the answer is the right label; failure: no allowed label at all (methods.md §6).
Chance is 0.5.

{table(["clause language", "accuracy, English instruction", "failure rate", "accuracy, own-language instruction", "failure rate"], rows)}

Every variant on every clause language (accuracy; rows: the instruction's language, columns: the
clause's) — the model was trained on English and same-language instructions only:

{table(["instruction", *NAMES], cross)}
"""
    return md, summary


def bias(tool):
    rows_csv = long_csv(os.path.join(tool, "bias.csv"))
    model = next(k[0] for k in rows_csv)
    tasks = sorted({k[1] for k in rows_csv}, key=lambda t: int(t.rsplit(":", 1)[1].split("-")[1]))
    rows = []
    for t in tasks:
        g = lambda m: rows_csv.get((model, t, "all", m))
        rows.append((t.rsplit(":", 1)[1], fmt(g("kurtosis"), 2), fmt(g("kendall_tau_b"), 2), fmt(g("spearman"), 2), fmt(g("kendall_tau_b_expected"), 2), fmt(g("spearman_expected"), 2)))
    return f"""`polyglot-lens bias examples/studies/size.prompt --dataset examples/studies/size.jsonl --ranges
1-5,0-9,1-100` — "how big is the subject, from 1 to 5?" on 96 held-out clauses (8 languages × 12;
the toy world's sizes: mouse and bird 1, fish and cat 2, dog 3, horse 4, elephant 5). The model was
trained on the 1–5 scale only, with the English question. Over all items:

{table(["range", "kurtosis of argmax", "Kendall τ-b (argmax)", "Spearman (argmax)", "τ-b (expected)", "Spearman (expected)"], rows)}
"""


def deactivation(tool):
    out = []
    summary = {}
    for name, what, rate in (("intervene-udhr.json", "held-out UDHR paragraph starts (12 tokens)", "0.01 (default)"),
                             ("intervene-udhr-0.1.json", "held-out UDHR paragraph starts (12 tokens)", "0.1"),
                             ("intervene-toy.json", "held-out toy-world clause starts (4 tokens)", "0.01 (default)"),
                             ("intervene-toy-0.1.json", "held-out toy-world clause starts (4 tokens)", "0.1")):
        path = os.path.join(tool, name)
        if not os.path.exists(path):
            continue
        r = json.load(open(path, encoding="utf-8"))
        rows = [(x["lang"], x["prompts"], x["judged"], x["switched"], fmt(x["share"], 2), fmt(x["ownDense"], 2), fmt(x["ownIntervened"], 2)) for x in r["perLanguage"]]
        switched = sum(x["switched"] for x in r["perLanguage"])
        judged = sum(x["judged"] for x in r["perLanguage"])
        summary[name] = (switched, judged)
        out.append(f"""**{what}, top-rate {rate}**: each prompt's own language's LAPE neurons set to 0
(`polyglot-lens intervene --prompts … --deactivate own`); franc-min judges dense and deactivated
greedy outputs. {switched} of {judged} judged outputs switched language.

{table(["language", "prompts", "judged", "switched", "share", "in own language, dense", "in own language, deactivated"], rows)}
""")
    imp = json.load(open(os.path.join(tool, "impact.json"), encoding="utf-8"))
    rows = [(v["lang"], v["neurons"], f"{v['own']:.3f}", "yes" if v["rowMax"] else "no", f"{v['rowRunnerUp']['lang']} {v['rowRunnerUp']['delta']:.3f}",
             "yes" if v["colMax"] else "no") for v in imp["verdicts"]]
    rm = sum(v["rowMax"] for v in imp["verdicts"])
    summary["impact"] = (rm, len(imp["verdicts"]))
    out.append(f"""Perplexity impact (`polyglot-lens neurons impact`, Tang et al.'s matrix): Δ mean NLL (nats/token) on
each language's held-out UDHR text with a language's neurons off. The own-language Δ is the
largest of its row for **{rm} of {len(imp['verdicts'])}** languages.

{table(["language", "neurons", "own Δ", "own Δ largest in row", "row runner-up", "largest in column"], rows)}
""")
    return "\n".join(out), summary


def pruning(tool):
    rows_csv = long_csv(os.path.join(tool, "pruning.csv"))
    models = []
    for k in rows_csv:
        if k[0] not in models:
            models.append(k[0])
    pairs = []
    for k in rows_csv:
        if k[1] == "translate" and k[3] == "chrf" and k[2] not in pairs:
            pairs.append(k[2])
    short = lambda m: "dense" if "@" not in m else m.split("@", 1)[1]
    rows, means = [], {}
    for m in models:
        vals = [rows_csv[(m, "translate", p, "chrf")] for p in pairs]
        means[short(m)] = sum(vals) / len(vals)
        cells = []
        for p, v in zip(pairs, vals):
            pv = rows_csv.get((m, "translate", p, "p_value"))
            cells.append(f"{v:.1f}{'†' if pv is not None and pv < 0.05 else ''}")
        rows.append((short(m), *cells, f"{means[short(m)]:.1f}"))
    return f"""`polyglot-lens eval --models default,default@wanda:…:0.5,default@random:0.5,default@magnitude:0.5
--task translate` on the same held-out clauses as above: 50% unstructured sparsity in every linear
layer of the blocks (masks over the shipped weights), Wanda calibrated on UDHR translation prompts
(θ_src-tgt: `mt:en-fr`, or four directions mixed), random with seed 0, magnitude with one threshold
per matrix. chrF per direction; † = paired bootstrap p < 0.05 against dense (1,000 resamples).

{table(["model", *pairs, "mean"], rows)}
""", means


def lens(tool):
    """Latent language (Wendler et al.): the French → Japanese word experiment under the logit and the
    linear lens, from `polyglot-lens lens --dataset` (measure.sh → lens-fr-ja-*.json)."""
    runs = {k: json.load(open(os.path.join(tool, f"lens-fr-ja-{k}.json"), encoding="utf-8")) for k in ("logit", "linear", "wendler")}
    fit = json.load(open(os.path.join(tool, "lens-fit.json"), encoding="utf-8"))
    logit, linear, wendler = runs["logit"], runs["linear"], runs["wendler"]
    layers = logit["layers"]
    p = lambda iv, l: f"{iv['mean'][l]:.4f} [{iv['lo'][l]:.4f}, {iv['hi'][l]:.4f}]"
    rows = [(l, *[p(r["answers"][lang], l) for r in (logit, linear) for lang in ("ja", "en", "fr")], f"{logit['mass']['ja']['mean'][l]:.2f}") for l in range(layers)]
    header = ["layer", *[f"{lang}, {k}" for k in ("logit", "linear") for lang in ("ja", "en", "fr")], "ja mass, logit"]
    peak = max(max(iv["mean"]) for r in (logit, linear) for iv in r["answers"].values())

    def verdict(name, r):
        above, ja, en, fr = r["englishAbove"], r["answers"]["ja"]["mean"], r["answers"]["en"]["mean"], r["answers"]["fr"]["mean"]
        if not above:
            return f"under the {name} lens the English answer is above the Japanese one at no layer with the intervals apart: no English phase"
        src = sum(fr[l] >= en[l] for l in above)
        both = " — and so is the French source word" + (" (at least as high as English's at every one of those layers)" if src == len(above) else f" (above English's at {src} of them)")
        return (f"under the {name} lens the English answer is above the Japanese one with the intervals apart at layer"
                f"{'s' if len(above) > 1 else ''} {', '.join(map(str, above))} (peak {max(en[l] for l in above):.4f}){both}: early layers favour the"
                f" prompt's Latin-script words rather than English in particular; Japanese overtakes English for good at layer {r['overtakes']}"
                if r["overtakes"] is not None else f"under the {name} lens the English answer is above the Japanese one at layers {', '.join(map(str, above))} and Japanese never overtakes it")
    md = f"""`polyglot-lens lens build --words examples/lens/toyworld-words.jsonl --task translate --src fr --tgt ja
--format polyglot` turns the toy world's 36 words into 36 prompts of 4 demonstrations in the §3 format the
model was trained on (`French: chien</s>Japanese: 犬</s>…French: chat</s>Japanese: `, ending after the space
so the next token starts the word); `polyglot-lens lens --dataset … --languages examples/eval/toyworld/dev.jsonl`
reads every layer at the last position through the logit lens and through the linear lens fitted on the
toy world's dev clauses (`lens fit`: {fit['positions']:,} positions, R² {" ".join(f"{x:.2f}" for x in fit['r2'])} for layers 0–{layers - 2}).
Mean probability of each answer (the tokens that start the word, methods.md §8) over the {logit['items']} items,
95 % bootstrap intervals ({logit['bootstrap']['resamples']:,} resamples); layer 0 = embeddings, {layers - 1} = the output:

{table(header, rows)}

What it shows: {verdict('logit', logit)}; {verdict('linear', linear)}.
The model, trained on sentences, translates isolated words poorly — the Japanese answer gets
{logit['answers']['ja']['mean'][-1]:.3f} at the last layer and no answer's mean exceeds {peak:.4f} at any layer — so this small model
is no evidence for or against an English pivot; the experiment is here to be run on real models. In
Wendler et al.'s own format (`French: "chat" - Japanese: "`), which the model never saw, it continues with
Latin-script words: the English and French answers end above the Japanese one (last layer ja
{wendler['answers']['ja']['mean'][-1]:.4f}, en {wendler['answers']['en']['mean'][-1]:.4f}, fr {wendler['answers']['fr']['mean'][-1]:.4f}).
"""
    summary = {"logit": (logit["overtakes"], logit["englishAbove"]), "linear": (linear["overtakes"], linear["englishAbove"]), "last_ja": logit["answers"]["ja"]["mean"][-1], "peak": peak}
    return md, summary
