"""Draws the loss curve for the model card from train.py's log (small PNG, kept in git).
Usage: plot_loss.py OUT.png TRAIN_LOG.tsv [PHASE2_LOG.tsv]: a second log continues the step axis."""
import sys

import matplotlib
matplotlib.use("Agg")  # no display on the build machine
import matplotlib.pyplot as plt  # noqa: E402

SMOOTH = 20  # steps per plotted training point: single-batch losses are noisy


def main(out_path, *log_paths):
    rows, starts = [], []
    for path in log_paths:
        part = [l.rstrip("\n").split("\t") for l in open(path)][1:]
        starts.append(len(rows))
        rows += [[str(int(r[0]) + starts[-1])] + r[1:] for r in part]
    steps = [int(r[0]) for r in rows]
    loss = [float(r[1]) for r in rows]
    sm_x = [steps[i + SMOOTH - 1] + 1 for i in range(0, len(steps) - SMOOTH + 1, SMOOTH)]
    sm_y = [sum(loss[i:i + SMOOTH]) / SMOOTH for i in range(0, len(steps) - SMOOTH + 1, SMOOTH)]
    ho = [(int(r[0]) + 1, float(r[3])) for r in rows if r[3]]
    fig, ax = plt.subplots(figsize=(5, 3), dpi=80)
    ax.plot(sm_x, sm_y, label=f"training (mean of {SMOOTH} steps)")
    ax.plot([h[0] for h in ho], [h[1] for h in ho], "o-", ms=3, label="held-out paragraphs")
    ax.set_xlabel("step (2,048 tokens)")
    ax.set_ylabel("cross-entropy (nats/token)")
    ax.grid(alpha=0.3)
    for start in starts[1:]:  # where phase 2 starts
        ax.axvline(start, color="grey", lw=0.8, ls="--")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(*sys.argv[1:])
