"""Writes test/fixtures/studies/stats.json: scipy's values for the numeric-bias statistics
(methods.md §7) on hand-made and seeded-random score sets, ties included. The tests compare
src/engine/stats/correlation.ts with these values (and rerun this script when Debian's
python3-scipy is present, so the fixture cannot drift from scipy).

Run: /usr/bin/python3 test/studies/make_stats_fixture.py [OUT]  (Debian python3-scipy)."""
import json
import random
import sys

from scipy import stats


def case(name, x, y):
    def num(v):
        v = float(v)
        return None if v != v else v  # NaN -> null

    return {
        "name": name,
        "x": x,
        "y": y,
        "kurtosis_x": num(stats.kurtosis(x, fisher=True, bias=True)),
        "kendall_tau_b": num(stats.kendalltau(x, y, variant="b").statistic),
        "pearson": num(stats.pearsonr(x, y).statistic) if len(set(x)) > 1 and len(set(y)) > 1 else None,
        "spearman": num(stats.spearmanr(x, y).statistic),
    }


rng = random.Random(20261129)
cases = [
    case("hand: no ties", [1, 2, 3, 4, 5], [2, 1, 4, 3, 5]),
    case("hand: ties in both", [1, 1, 2, 3, 3, 3, 5], [2, 2, 2, 4, 3, 5, 5]),
    case("hand: peaky 1-5 scores", [3, 3, 3, 3, 4, 3, 3, 2, 3, 3], [1, 2, 3, 4, 5, 3, 2, 1, 4, 5]),
    case("hand: constant predictions", [3, 3, 3, 3], [1, 2, 3, 4]),
    case("hand: negative", [5, 4, 3, 2, 1], [1, 2, 3, 4, 5]),
    case("random 1-5 vs 1-5 (n=200)", [rng.randint(1, 5) for _ in range(200)], [rng.randint(1, 5) for _ in range(200)]),
    case("random expected scores (n=150)", [round(rng.uniform(1, 5), 3) for _ in range(150)], [rng.randint(1, 5) for _ in range(150)]),
    case("random 1-100 (n=120)", [rng.randint(1, 100) for _ in range(120)], [rng.randint(0, 9) for _ in range(120)]),
]
out = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/studies/stats.json"
with open(out, "w") as f:
    json.dump({"scipy": __import__("scipy").__version__, "cases": cases}, f)
    f.write("\n")
