/**
 * Accuracy and macro-F1 over a fixed label set, from additive statistics so a paired bootstrap
 * can resample items and re-score sums: per item [correct, 1, tp_0, fp_0, fn_0, tp_1, …].
 * Macro-F1 is the unweighted mean of per-label F1 over the labels that occur as a gold label or
 * a prediction in the items scored (scikit-learn's f1_score(average="macro") default label
 * set); a label never predicted and never true is left out rather than counted as 0, so a
 * per-language subset with one gold label is not capped at 1/#labels.
 */

/** Statistics of one item: gold and predicted label indices among `nLabels`. */
export function classifyStats(gold: number, predicted: number, nLabels: number): number[] {
  const s = new Array<number>(2 + 3 * nLabels).fill(0);
  s[0] = gold === predicted ? 1 : 0;
  s[1] = 1;
  if (gold === predicted) s[2 + 3 * gold] = 1;
  else {
    s[2 + 3 * predicted + 1] = 1; // false positive for the predicted label
    s[2 + 3 * gold + 2] = 1; // false negative for the gold label
  }
  return s;
}

export function accuracyFromStats(s: readonly number[]): number {
  return s[1]! > 0 ? s[0]! / s[1]! : 0;
}

export function macroF1FromStats(s: readonly number[]): number {
  const nLabels = (s.length - 2) / 3;
  if (nLabels <= 0) return 0;
  let sum = 0;
  let present = 0;
  for (let c = 0; c < nLabels; c++) {
    const [tp, fp, fn] = [s[2 + 3 * c]!, s[3 + 3 * c]!, s[4 + 3 * c]!];
    const denom = 2 * tp + fp + fn;
    if (denom === 0) continue;
    sum += (2 * tp) / denom;
    present++;
  }
  return present > 0 ? sum / present : 0;
}
