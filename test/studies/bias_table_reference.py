"""Independent reference for the numeric-bias table (src/engine/studies/biasTable.ts, methods.md §7).

Written from the definitions, sharing no code with the engine: excess kurtosis with population
moments (m4/m2^2 - 3, undefined when m2 = 0), Kendall's tau-b from concordant/discordant pairs
with ties corrected, the modal share, and a paired bootstrap of post - pre over the items with
the engine's index stream (mulberry32, index = floor(u * n), resample by resample; the generator
is the one test/eval/bootstrap_reference.py writes from its definition). Intervals are the 2.5 %
and 97.5 % percentiles (linear between order statistics, numpy's default) over the resamples
where both sides are defined.

    /usr/bin/python3 test/studies/bias_table_reference.py [OUT.json]

Writes test/fixtures/studies/bias-table.json (or OUT.json); test/studies/biasTable.test.ts reads it
and, when /usr/bin/python3 exists, runs this script again so the two cannot drift apart.
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "eval"))
from bootstrap_reference import mulberry32  # noqa: E402

RESAMPLES = 300
SEED = 777


def kurtosis(x):
    n = len(x)
    if n == 0:
        return None
    m = sum(x) / n
    m2 = sum((v - m) ** 2 for v in x) / n
    m4 = sum((v - m) ** 4 for v in x) / n
    return None if m2 == 0 else m4 / (m2 * m2) - 3


def tau_b(x, y):
    n = len(x)
    if n < 2:
        return None
    c = d = tx = ty = 0
    for i in range(n):
        for j in range(i + 1, n):
            sx = (x[i] > x[j]) - (x[i] < x[j])
            sy = (y[i] > y[j]) - (y[i] < y[j])
            if sx == 0:
                tx += 1
            if sy == 0:
                ty += 1
            if sx and sy:
                if sx == sy:
                    c += 1
                else:
                    d += 1
    n0 = n * (n - 1) / 2
    den = math.sqrt((n0 - tx) * (n0 - ty))
    return None if den == 0 else max(-1.0, min(1.0, (c - d) / den))


def mode_share(x):
    if not x:
        return None
    counts = {}
    for v in x:
        counts[v] = counts.get(v, 0) + 1
    return max(counts.values()) / len(x)


def percentile(values, q):
    v = sorted(values)
    if not v:
        return None
    h = (len(v) - 1) * q
    lo = math.floor(h)
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo]) if lo + 1 < len(v) else v[lo]


def diff(a, b):
    return None if a is None or b is None else b - a


def delta(stat, pre, post, gold, sets):
    value = diff(stat(pre, gold), stat(post, gold))
    draws = []
    for idx in sets:
        d = diff(stat([pre[k] for k in idx], [gold[k] for k in idx]), stat([post[k] for k in idx], [gold[k] for k in idx]))
        if d is not None:
            draws.append(d)
    return {"value": value, "ci": [percentile(draws, 0.025), percentile(draws, 0.975)], "defined": len(draws)}


def items():
    """Three language pairs; en-de's post model always answers 4 (kurtosis undefined), en-zh's gold is constant."""
    rng = mulberry32(20250)
    out = []
    for pair, n in (("en-fr", 14), ("en-de", 11), ("en-zh", 9)):
        for i in range(n):
            gold = 3 if pair == "en-zh" else 1 + math.floor(rng() * 5)
            pre = max(1, min(5, gold + math.floor(rng() * 3) - 1))
            post = 4 if pair == "en-de" else (gold if rng() < 0.6 else 1 + math.floor(rng() * 5))
            out.append({"lang": pair, "gold": gold, "pre": pre, "post": post})
    return out


def main():
    data = items()
    rows = []
    for group in ["en-fr", "en-de", "en-zh", "all"]:
        mine = data if group == "all" else [x for x in data if x["lang"] == group]
        pre = [x["pre"] for x in mine]
        post = [x["post"] for x in mine]
        gold = [x["gold"] for x in mine]
        n = len(mine)
        draw = mulberry32(SEED)
        sets = [[math.floor(draw() * n) for _ in range(n)] for _ in range(RESAMPLES)]
        rows.append({
            "group": group,
            "n": n,
            "kurtosis": [kurtosis(pre), kurtosis(post), kurtosis(gold)],
            "mode_share": [mode_share(pre), mode_share(post), mode_share(gold)],
            "tau": [tau_b(pre, gold), tau_b(post, gold)],
            "delta_tau": delta(tau_b, pre, post, gold, sets),
            "delta_kurtosis": delta(lambda x, _g: kurtosis(x), pre, post, gold, sets),
            "delta_mode_share": delta(lambda x, _g: mode_share(x), pre, post, gold, sets),
        })
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures", "studies", "bias-table.json")
    with open(out, "w") as f:
        json.dump({"resamples": RESAMPLES, "seed": SEED, "items": data, "rows": rows}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
