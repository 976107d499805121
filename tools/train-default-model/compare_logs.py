"""Determinism check: the first N training losses of two train.py logs must be bit-identical.
Usage: compare_logs.py LOG_A LOG_B N"""
import sys


def losses(path, n):
    return [l.split("\t")[1] for l in open(path)][1:n + 1]  # repr strings: exact comparison


a, b, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
la, lb = losses(a, n), losses(b, n)
assert len(la) == len(lb) == n, (len(la), len(lb))
diff = [i for i, (x, y) in enumerate(zip(la, lb)) if x != y]
print(f"{n} steps compared: {'identical' if not diff else f'{len(diff)} differ, first at step {diff[0]}'}; "
      f"step {n - 1} loss {la[-1]} vs {lb[-1]}")
sys.exit(1 if diff else 0)
