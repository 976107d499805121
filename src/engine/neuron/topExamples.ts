/**
 * For every neuron, the K strongest (value, sequence, position) seen so far: fixed-size sorted
 * slots in flat typed arrays (neurons × K), so memory depends on the model and K, never on the
 * corpus. Order: value descending, then corpus order (sequence, then position) ascending — the
 * order a stable sort of the whole corpus's activations would give.
 */

/** a ranks before b. */
export function ranksBefore(va: number, sa: number, pa: number, vb: number, sb: number, pb: number): boolean {
  return va > vb || (va === vb && (sa < sb || (sa === sb && pa < pb)));
}

export class TopExampleStore {
  readonly values: Float32Array; // [neuron, k]
  readonly seqs: Int32Array; // [neuron, k]
  readonly positions: Int32Array; // [neuron, k]
  readonly counts: Uint16Array; // [neuron]

  constructor(
    readonly neurons: number,
    readonly k: number,
    /** Called when a slot's sequence is dropped or taken (reference counts of kept texts). */
    private readonly onRef: (seq: number, delta: 1 | -1) => void = () => undefined,
  ) {
    if (!(Number.isInteger(k) && k >= 1 && k <= 65535)) throw new Error(`top K must be in 1-65535, got ${k}`);
    this.values = new Float32Array(neurons * k);
    this.seqs = new Int32Array(neurons * k);
    this.positions = new Int32Array(neurons * k);
    this.counts = new Uint16Array(neurons);
  }

  /**
   * Offers a candidate to neuron n; returns false when it does not make the top K (then no
   * candidate ranking after it can either, which lets callers stop early on sorted input).
   */
  offer(n: number, value: number, seq: number, pos: number): boolean {
    const k = this.k;
    const base = n * k;
    const c = this.counts[n]!;
    if (c === k) {
      const w = base + k - 1;
      if (!ranksBefore(value, seq, pos, this.values[w]!, this.seqs[w]!, this.positions[w]!)) return false;
      this.onRef(this.seqs[w]!, -1);
    }
    let i = Math.min(c, k - 1);
    while (i > 0) {
      const p = base + i - 1;
      if (!ranksBefore(value, seq, pos, this.values[p]!, this.seqs[p]!, this.positions[p]!)) break;
      this.values[p + 1] = this.values[p]!;
      this.seqs[p + 1] = this.seqs[p]!;
      this.positions[p + 1] = this.positions[p]!;
      i--;
    }
    this.values[base + i] = value;
    this.seqs[base + i] = seq;
    this.positions[base + i] = pos;
    if (c < k) this.counts[n] = c + 1;
    this.onRef(seq, 1);
    return true;
  }

  /** Slots of neuron n, strongest first. */
  entries(n: number): { value: number; seq: number; pos: number }[] {
    const base = n * this.k;
    return Array.from({ length: this.counts[n]! }, (_, r) => ({ value: this.values[base + r]!, seq: this.seqs[base + r]!, pos: this.positions[base + r]! }));
  }
}
