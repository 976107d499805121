/**
 * An independent, deliberately plain reference forward for the Llama family, written from
 * Hugging Face's modeling_llama / modeling_mistral / modeling_qwen2 semantics with scalar loops in
 * double precision. It shares no code with the engine's graph builder. It is itself checked
 * against the PyTorch reference (../shared/bench/hf_llama_torch.py) on the real checkpoints, and
 * then covers what that script lacks: q/k/v biases, sliding windows, rope scaling.
 */
export interface NaiveConfig {
  dModel: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  dMlp: number;
  vocab: number;
  eps: number;
  ropeTheta: number;
  ropeScaling?: { type: 'linear'; factor: number } | { type: 'llama3'; factor: number; low: number; high: number; original: number };
  slidingWindow?: number;
}

export interface NaiveResult {
  logits: number[][]; // [pos][vocab]
  hookPre: number[][][]; // [layer][pos][d_mlp]
  hookPost: number[][][]; // [layer][pos][d_mlp]
  residPost: number[][][]; // [layer][pos][d_model]
}

type W = (name: string) => Float32Array | undefined;

function linear(x: number[], w: Float32Array, out: number, bias?: Float32Array): number[] {
  const inp = x.length;
  const y = new Array<number>(out).fill(0);
  for (let r = 0; r < out; r++) {
    let s = bias ? bias[r]! : 0;
    for (let c = 0; c < inp; c++) s += w[r * inp + c]! * x[c]!;
    y[r] = s;
  }
  return y;
}

function rms(x: number[], w: Float32Array, eps: number): number[] {
  const ms = x.reduce((a, v) => a + v * v, 0) / x.length;
  const inv = 1 / Math.sqrt(ms + eps);
  return x.map((v, i) => v * inv * w[i]!);
}

function invFreq(c: NaiveConfig, hd: number): number[] {
  const inv = Array.from({ length: hd / 2 }, (_, i) => 1 / c.ropeTheta ** ((2 * i) / hd));
  const s = c.ropeScaling;
  if (s?.type === 'linear') return inv.map((f) => f / s.factor);
  if (s?.type === 'llama3') {
    const lowWl = s.original / s.low;
    const highWl = s.original / s.high;
    return inv.map((f) => {
      const wl = (2 * Math.PI) / f;
      if (wl < highWl) return f;
      if (wl > lowWl) return f / s.factor;
      const smooth = (s.original / wl - s.low) / (s.high - s.low);
      return (1 - smooth) * (f / s.factor) + smooth * f;
    });
  }
  return inv;
}

function rotate(v: number[], pos: number, inv: number[]): number[] {
  const half = v.length / 2;
  const out = new Array<number>(v.length);
  for (let i = 0; i < half; i++) {
    const a = pos * inv[i]!;
    const c = Math.cos(a);
    const s = Math.sin(a);
    out[i] = v[i]! * c - v[i + half]! * s;
    out[i + half] = v[i + half]! * c + v[i]! * s;
  }
  return out;
}

/** `shifts[i]` is added to hidden state i at every position (i < nLayers: the input of block i; nLayers: after the final norm). */
export function naiveForward(c: NaiveConfig, w: W, ids: number[], shifts: Record<number, ArrayLike<number>> = {}): NaiveResult {
  const shifted = (rows: number[][], i: number): number[][] => (shifts[i] ? rows.map((r) => r.map((v, d) => v + shifts[i]![d]!)) : rows);
  const get = (n: string): Float32Array => {
    const t = w(n);
    if (!t) throw new Error(`missing ${n}`);
    return t;
  };
  const D = c.dModel;
  const hd = D / c.nHeads;
  const rep = c.nHeads / c.nKvHeads;
  const inv = invFreq(c, hd);
  const emb = get('model.embed_tokens.weight');
  let x = ids.map((id) => Array.from(emb.subarray(id * D, (id + 1) * D)));
  const res: NaiveResult = { logits: [], hookPre: [], hookPost: [], residPost: [] };
  for (let l = 0; l < c.nLayers; l++) {
    const p = `model.layers.${l}.`;
    x = shifted(x, l);
    const h = x.map((r) => rms(r, get(`${p}input_layernorm.weight`), c.eps));
    const q = h.map((r) => linear(r, get(`${p}self_attn.q_proj.weight`), c.nHeads * hd, w(`${p}self_attn.q_proj.bias`)));
    const k = h.map((r) => linear(r, get(`${p}self_attn.k_proj.weight`), c.nKvHeads * hd, w(`${p}self_attn.k_proj.bias`)));
    const v = h.map((r) => linear(r, get(`${p}self_attn.v_proj.weight`), c.nKvHeads * hd, w(`${p}self_attn.v_proj.bias`)));
    const z = ids.map(() => new Array<number>(c.nHeads * hd).fill(0));
    for (let head = 0; head < c.nHeads; head++) {
      const kvh = Math.floor(head / rep);
      for (let t = 0; t < ids.length; t++) {
        const qv = rotate(q[t]!.slice(head * hd, (head + 1) * hd), t, inv);
        const scores: number[] = [];
        const keys: number[] = [];
        for (let s = 0; s <= t; s++) {
          if (c.slidingWindow !== undefined && t - s >= c.slidingWindow) continue;
          const kv = rotate(k[s]!.slice(kvh * hd, (kvh + 1) * hd), s, inv);
          scores.push(qv.reduce((a, qq, i) => a + qq * kv[i]!, 0) / Math.sqrt(hd));
          keys.push(s);
        }
        const m = Math.max(...scores);
        const e = scores.map((sc) => Math.exp(sc - m));
        const sum = e.reduce((a, b) => a + b, 0);
        keys.forEach((s, i) => {
          for (let d = 0; d < hd; d++) z[t]![head * hd + d]! += (e[i]! / sum) * v[s]![kvh * hd + d]!;
        });
      }
    }
    const attn = z.map((r) => linear(r, get(`${p}self_attn.o_proj.weight`), D));
    const mid = x.map((r, t) => r.map((val, i) => val + attn[t]![i]!));
    const h2 = mid.map((r) => rms(r, get(`${p}post_attention_layernorm.weight`), c.eps));
    const gate = h2.map((r) => linear(r, get(`${p}mlp.gate_proj.weight`), c.dMlp));
    const up = h2.map((r) => linear(r, get(`${p}mlp.up_proj.weight`), c.dMlp));
    const post = gate.map((g, t) => g.map((gv, j) => (gv / (1 + Math.exp(-gv))) * up[t]![j]!));
    const down = post.map((r) => linear(r, get(`${p}mlp.down_proj.weight`), D));
    x = mid.map((r, t) => r.map((val, i) => val + down[t]![i]!));
    res.hookPre.push(gate);
    res.hookPost.push(post);
    res.residPost.push(x);
  }
  const head = w('lm_head.weight') ?? emb;
  res.logits = shifted(x.map((r) => rms(r, get('model.norm.weight'), c.eps)), c.nLayers).map((r) => linear(r, head, c.vocab));
  return res;
}
