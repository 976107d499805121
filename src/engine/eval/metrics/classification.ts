/**
 * Accuracy and macro-F1 over a fixed label set, from additive statistics so a paired bootstrap
 * can resample items and re-score sums: per item [correct, 1, tp_0, fp_0, fn_0, tp_1, …].
 * Macro-F1 is the unweighted mean over the label set of per-label F1 (a label never predicted
 * and never true scores F1 = 0, as scikit-learn's zero_division=0 does, but such labels are
 * still counted in the mean because the label set is declared, not inferred).
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
  for (let c = 0; c < nLabels; c++) {
    const [tp, fp, fn] = [s[2 + 3 * c]!, s[3 + 3 * c]!, s[4 + 3 * c]!];
    const denom = 2 * tp + fp + fn;
    sum += denom > 0 ? (2 * tp) / denom : 0;
  }
  return sum / nLabels;
}
