"""Independent reference for the paired bootstrap of src/engine/eval/metrics/bootstrap.ts.

Written from the definitions (Koehn 2004; the two-sided p-value as sacreBLEU 2.x significance.py
computes it for paired_bs; the one-sided p-values of Kim et al.'s "significantly better than
dense" as docs/methods.md section 5 defines them; percentile intervals with numpy's default
linear quantile; the stratified bootstrap of an average over languages), sharing no code with the
engine. It generates paired per-item statistics for three metrics, runs the bootstrap with the
same seeded index stream (mulberry32, index = floor(u * n), resample by resample), and writes
data + p-values to test/fixtures/eval/bootstrap.json (two-sided) and
test/fixtures/eval/bootstrap-one-sided.json (one-sided, intervals, averages), which
test/eval/bootstrap.test.ts reads.

    /usr/bin/python3 test/eval/bootstrap_reference.py
"""
import json
import math
import os

M32 = 0xFFFFFFFF


def mulberry32(seed):
    state = [seed & M32]

    def draw():
        state[0] = (state[0] + 0x6D2B79F5) & M32
        t = state[0]
        t = ((t ^ (t >> 15)) * (t | 1)) & M32
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M32)) & M32)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0

    return draw


def perplexity(s):
    return math.exp(s[0] / s[1])


def accuracy(s):
    return s[0] / s[1]


def chrf(s, beta=2.0):
    precisions, recalls = [], []
    for i in range(0, len(s), 3):
        hyp, ref, match = s[i], s[i + 1], s[i + 2]
        if hyp > 0 and ref > 0:
            precisions.append(match / hyp)
            recalls.append(match / ref)
    if not precisions:
        return 0.0
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    if p + r == 0:
        return 0.0
    return 100 * (1 + beta ** 2) * p * r / (beta ** 2 * p + r)


def column_sums(rows, picks):
    out = [0.0] * len(rows[0])
    for i in picks:
        for k, v in enumerate(rows[i]):
            out[k] += v
    return out


def p_value(a, b, score, resamples, seed):
    n = len(a)
    real = abs(score(column_sums(a, range(n))) - score(column_sums(b, range(n))))
    if real == 0:
        return 1.0  # identical scores: no difference to test (sacreBLEU's formula would give 1/(R+1))
    rng = mulberry32(seed)
    diffs = []
    for _ in range(resamples):
        picks = [int(math.floor(rng() * n)) for _ in range(n)]
        diffs.append(abs(score(column_sums(a, picks)) - score(column_sums(b, picks))))
    mean = sum(diffs) / len(diffs)
    above = sum(1 for d in diffs if d - mean > real)
    return (above + 1) / (resamples + 1)


def resampled(stats, score, sets):
    return [score(column_sums(stats, picks)) for picks in sets]


def index_sets(n, resamples, seed):
    rng = mulberry32(seed)
    return [[int(math.floor(rng() * n)) for _ in range(n)] for _ in range(resamples)]


def quantile(values, q):
    v = sorted(x for x in values if not math.isnan(x))
    if not v:
        return float("nan")
    h = (len(v) - 1) * q
    lo = int(math.floor(h))
    if lo + 1 < len(v):
        return v[lo] + (h - lo) * (v[lo + 1] - v[lo])
    return v[lo]


def one_sided(real_a, real_b, draws_a, draws_b, higher_is_better):
    """p that B is better than A, p that it is worse, on gains oriented by the metric."""
    sign = 1 if higher_is_better else -1
    g = sign * (real_b - real_a)
    gains = [sign * (b - a) for a, b in zip(draws_a, draws_b)]
    mean = sum(gains) / len(gains)
    r = len(gains)
    if real_b == real_a:
        return 1.0, 1.0
    p_better = (sum(1 for x in gains if x - mean > g) + 1) / (r + 1) if g > 0 else 1.0
    p_worse = (sum(1 for x in gains if x - mean < g) + 1) / (r + 1) if g < 0 else 1.0
    return p_better, p_worse


def interval(values):
    return [quantile(values, 0.025), quantile(values, 0.975)]


def stratified_sets(sizes, resamples, seed):
    rng = mulberry32(seed)
    out = []
    for _ in range(resamples):
        out.append([[int(math.floor(rng() * n)) for _ in range(n)] for n in sizes])
    return out


def mean_over_strata(strata, score, sets):
    real = sum(score(column_sums(st, range(len(st)))) for st in strata) / len(strata)
    draws = [sum(score(column_sums(st, picks[k])) for k, st in enumerate(strata)) / len(strata) for picks in sets]
    return real, draws


def make_data(seed, n):
    rng = mulberry32(seed)
    ppl_a, ppl_b, acc_a, acc_b, chrf_a, chrf_b = [], [], [], [], [], []
    for _ in range(n):
        tokens = 5 + int(rng() * 20)
        chars = tokens * 2 + int(rng() * 10)
        nll = tokens * (3 + rng())
        ppl_a.append([nll, tokens, chars])
        ppl_b.append([nll + tokens * (0.05 + 0.2 * rng()), tokens, chars])
        acc_a.append([1 if rng() < 0.7 else 0, 1])
        acc_b.append([1 if rng() < 0.55 else 0, 1])
        for target in (chrf_a, chrf_b):
            row = []
            for order in range(6):
                ref = max(0, 30 - order)
                hyp = max(0, 28 - order + int(rng() * 5) - 2)
                match = int(min(hyp, ref) * (0.3 + 0.5 * rng()) / (1 + order * 0.3))
                row += [hyp, ref, match]
            target.append(row)
    return {"perplexity": [ppl_a, ppl_b], "accuracy": [acc_a, acc_b], "chrf": [chrf_a, chrf_b]}


def main():
    scores = {"perplexity": perplexity, "accuracy": accuracy, "chrf": chrf}
    cases = []
    for seed, n, resamples in [(7, 40, 1000), (12345, 25, 500)]:
        data = make_data(seed, n)
        for metric, (a, b) in data.items():
            cases.append({
                "metric": metric, "seed": seed, "resamples": resamples, "a": a, "b": b,
                "p": p_value(a, b, scores[metric], resamples, seed),
                # a system against itself: no difference, p = 1
                "p_self": p_value(a, a, scores[metric], resamples, seed),
            })
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "eval", "bootstrap.json")
    with open(out, "w") as f:
        json.dump(cases, f)
    for c in cases:
        print(c["metric"], c["seed"], c["p"], c["p_self"])

    # One-sided tests and intervals, both orders of the systems (B better, B worse).
    higher = {"perplexity": False, "accuracy": True, "chrf": True}
    one = []
    for seed, n, resamples in [(7, 40, 1000), (12345, 25, 500), (99, 120, 1000)]:
        data = make_data(seed, n)
        for metric, (a, b) in data.items():
            sets = index_sets(n, resamples, seed)
            for x, y in ((a, b), (b, a)):
                sc = scores[metric]
                ra, rb = sc(column_sums(x, range(n))), sc(column_sums(y, range(n)))
                da, db = resampled(x, sc, sets), resampled(y, sc, sets)
                pb, pw = one_sided(ra, rb, da, db, higher[metric])
                one.append({
                    "metric": metric, "seed": seed, "resamples": resamples, "a": x, "b": y,
                    "p": p_value(x, y, sc, resamples, seed), "p_better": pb, "p_worse": pw,
                    "ci_a": interval(da), "ci_b": interval(db), "ci_delta": interval([v - u for u, v in zip(da, db)]),
                })
    # The average over three "languages" of different sizes (stratified, one stream).
    averages = []
    for seed, resamples in [(5, 1000), (77, 400)]:
        strata_a, strata_b = [], []
        for k, n in enumerate((30, 45, 20)):
            a, b = make_data(seed + k, n)["accuracy"]
            strata_a.append(a)
            strata_b.append(b)
        sets = stratified_sets([len(s) for s in strata_a], resamples, seed)
        ra, da = mean_over_strata(strata_a, accuracy, sets)
        rb, db = mean_over_strata(strata_b, accuracy, sets)
        pb, pw = one_sided(ra, rb, da, db, True)
        averages.append({"seed": seed, "resamples": resamples, "a": strata_a, "b": strata_b, "value_a": ra, "value_b": rb,
                         "p_better": pb, "p_worse": pw, "ci_a": interval(da), "ci_delta": interval([v - u for u, v in zip(da, db)])})
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "eval", "bootstrap-one-sided.json")
    with open(out, "w") as f:
        json.dump({"tests": one, "averages": averages}, f)
    for c in one:
        print(c["metric"], c["seed"], "p_better", c["p_better"], "p_worse", c["p_worse"])
    for c in averages:
        print("avg", c["seed"], c["value_a"], c["value_b"], c["p_better"], c["p_worse"])


if __name__ == "__main__":  # test/studies/bias_table_reference.py imports mulberry32 from here
    main()
