/**
 * Lens rows that recur from prompt to prompt, remembered per loaded model so the lens head runs on
 * them once: layer 0 (the embeddings: with rotary or ALiBi positions a function of the token id
 * alone, so every prompt repeats the vocabulary's common tokens) and position 0 (causal attention:
 * the first token sees only itself, so a prompt that starts with BOS has the same column at every
 * layer as every other such prompt). A row is looked up by its exact bits, compared in full, not
 * by token id or a hash alone: a model whose layer-0 rows carry positions (GPT-2, XGLM) or whose
 * first token differs simply misses, and a hit is the very row the head would have been given.
 * What the head makes of a row also depends on the request (top-k, target ids, profile, linear
 * lens), so rows are filed under that spec, and the whole store belongs to one LoadedModel: another
 * model (another head) never sees them.
 */
import type { LoadedModel } from '../model/model';

/** What the lens head gives one row: [k] top ids and log-probabilities, entropy, [C] mass, [ids] log-probabilities. */
export interface LensRowResult {
  topIds: Int32Array;
  topLogp: Float32Array;
  entropy: number;
  mass: Float32Array;
  idLogp: Float32Array;
}

/** The head's results of several rows, row-major (LensRowCache.setRows). */
export interface LensBlockResults {
  topIds: Int32Array;
  topLogp: Float32Array;
  entropy: Float32Array;
  mass: Float32Array;
  idLogp: Float32Array;
}

interface Entry extends LensRowResult {
  bits: Int32Array;
  layerKey: number;
}

/** Bytes of remembered rows per model, all specs together; a full store starts over (simpler than LRU, and rare). */
export const LENS_ROW_CACHE_BYTES = 8 * 1024 * 1024;
/** Specs remembered per model (logit and linear lens of one request, and a few recent requests). */
const MAX_SPECS = 4;

/** FNV-1a over the row's 32-bit words and the layer key. */
function hashBits(bits: Int32Array, layerKey: number): number {
  let h = 0x811c9dc5 ^ layerKey;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i]!, 0x01000193);
  return h >>> 0;
}

function sameBits(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const bitsOf = (row: Float32Array): Int32Array => new Int32Array(row.buffer, row.byteOffset, row.length);

/** Rows filed by hash; each bucket is checked bit for bit. */
export class RowTable<T extends { bits: Int32Array; layerKey: number }> {
  private readonly buckets = new Map<number, T[]>();

  find(row: Float32Array, layerKey: number): T | undefined {
    const bits = bitsOf(row);
    return this.buckets.get(hashBits(bits, layerKey))?.find((e) => e.layerKey === layerKey && sameBits(e.bits, bits));
  }

  add(entry: T): void {
    const h = hashBits(entry.bits, entry.layerKey);
    const b = this.buckets.get(h);
    if (b) b.push(entry);
    else this.buckets.set(h, [entry]);
  }

  clear(): void {
    this.buckets.clear();
  }
}

export class LensRowCache {
  private readonly specs = new Map<string, RowTable<Entry>>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes = LENS_ROW_CACHE_BYTES) {}

  private table(spec: string): RowTable<Entry> {
    let t = this.specs.get(spec);
    if (!t) {
      if (this.specs.size >= MAX_SPECS) this.clear();
      this.specs.set(spec, (t = new RowTable<Entry>()));
    }
    return t;
  }

  /** The remembered result of `row` under `spec` (layerKey: the linear lens's layer, −1 for the logit lens). */
  get(spec: string, row: Float32Array, layerKey: number): LensRowResult | undefined {
    const e = this.table(spec).find(row, layerKey);
    if (e) this.hits++;
    else this.misses++;
    return e;
  }

  /**
   * Files several rows at once: `rows[i]`'s results are row `at` of `results` ([rows, k] top ids and
   * log-probabilities, [rows] entropy, [rows, C] mass, [rows, ids] log-probabilities). The rows' bits
   * and results are copied into one block of typed arrays per call, each entry a view of it (five
   * allocations per call instead of five per row). Rows already filed are skipped.
   */
  setRows(spec: string, rows: readonly { row: Float32Array; layerKey: number; at: number }[], results: LensBlockResults): void {
    if (rows.length === 0) return;
    const rowsOut = results.entropy.length;
    const D = rows[0]!.row.length;
    const [k, C, N] = [results.topIds.length / rowsOut, results.mass.length / rowsOut, results.idLogp.length / rowsOut];
    const size = 4 * (D + 2 * k + 1 + C + N) + 64;
    if (size > this.maxBytes) return;
    const fresh = rows.filter((r) => !this.table(spec).find(r.row, r.layerKey));
    const n = fresh.length;
    const block = { bits: new Int32Array(n * D), topIds: new Int32Array(n * k), topLogp: new Float32Array(n * k), mass: new Float32Array(n * C), idLogp: new Float32Array(n * N) };
    fresh.forEach(({ row, layerKey, at }, j) => {
      if (this.bytes + size > this.maxBytes) this.clear();
      this.bytes += size;
      const view = <A extends Int32Array | Float32Array>(a: A, w: number): A => a.subarray(j * w, (j + 1) * w) as A;
      const bits = view(block.bits, D);
      bits.set(bitsOf(row));
      const copy = <A extends Int32Array | Float32Array>(to: A, from: A, w: number): A => {
        const v = view(to, w);
        v.set(from.subarray(at * w, (at + 1) * w));
        return v;
      };
      this.table(spec).add({ bits, layerKey, topIds: copy(block.topIds, results.topIds, k), topLogp: copy(block.topLogp, results.topLogp, k), entropy: results.entropy[at]!, mass: copy(block.mass, results.mass, C), idLogp: copy(block.idLogp, results.idLogp, N) });
    });
  }

  clear(): void {
    for (const t of this.specs.values()) t.clear();
    this.specs.clear();
    this.bytes = 0;
  }
}

const caches = new WeakMap<LoadedModel, LensRowCache>();

/** The model's own store (created on first use, gone with the model). */
export function lensRowCache(model: LoadedModel): LensRowCache {
  let c = caches.get(model);
  if (!c) caches.set(model, (c = new LensRowCache()));
  return c;
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A number per object, for spec keys: a profile or linear lens read again is another object, so another spec. */
export function identityOf(o: object | undefined): number {
  if (!o) return 0;
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
}
