"""Determinism check: the first N steps of two train.py logs must have bit-identical training
losses and held-out losses (the second run may use --stop-after N with the same --steps, so the
learning-rate schedule is the same); held-out losses are compared where both logs have one (a
--stop-after run also measures at its last step). Usage: compare_logs.py LOG_A LOG_B N"""
import sys


def columns(path, n):
    rows = [l.rstrip("\n").split("\t") for l in open(path)][1:n + 1]
    return [(r[1], r[3]) for r in rows]  # repr strings: exact comparison


a, b, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
la, lb = columns(a, n), columns(b, n)
assert len(la) == len(lb) == n, (len(la), len(lb))
diff = [i for i, (x, y) in enumerate(zip(la, lb)) if x[0] != y[0] or (x[1] and y[1] and x[1] != y[1])]
held = [x[1] for x, y in zip(la, lb) if x[1] and y[1]]
print(f"first {n} steps run twice in separate processes: training losses and held-out losses "
      f"{'bit-identical' if not diff else f'differ at {len(diff)} steps, first {diff[0]}'} "
      f"(step {n - 1} loss {la[-1][0]}; held-out {', '.join(held) or 'not measured in both'})")
sys.exit(1 if diff else 0)
