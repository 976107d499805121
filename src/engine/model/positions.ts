/**
 * Position inputs computed in JS once per run: rotary cos/sin tables (with linear or llama3
 * frequency scaling, as Hugging Face computes them) and the additive causal mask.
 */
import type { ArchConfig } from '../arch/types';

/** Inverse frequencies, float32 like HF: 1 / theta^(2i/hd), then the configured scaling. */
export function inverseFrequencies(c: ArchConfig): Float64Array {
  const hd = c.dHead;
  const inv = new Float64Array(hd / 2);
  for (let i = 0; i < hd / 2; i++) inv[i] = Math.fround(1 / Math.fround(c.ropeTheta ** Math.fround((2 * i) / hd)));
  const s = c.ropeScaling;
  if (s.type === 'llama3') {
    const lowWavelen = s.originalMaxPositions / s.lowFreqFactor;
    const highWavelen = s.originalMaxPositions / s.highFreqFactor;
    for (let i = 0; i < inv.length; i++) {
      const wavelen = (2 * Math.PI) / inv[i]!;
      if (wavelen > lowWavelen) {
        inv[i] = inv[i]! / s.factor;
      } else if (wavelen >= highWavelen) {
        const smooth = (s.originalMaxPositions / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        inv[i] = (1 - smooth) * (inv[i]! / s.factor) + smooth * inv[i]!;
      }
    }
  }
  return inv;
}

/** cos and sin [T, hd] for positions start..start+T-1 (HF layout: the half table repeated twice). */
export function rotaryTables(c: ArchConfig, start: number, T: number, inv = inverseFrequencies(c)): { cos: Float32Array; sin: Float32Array } {
  const hd = c.dHead;
  const half = hd / 2;
  const cos = new Float32Array(T * hd);
  const sin = new Float32Array(T * hd);
  const scale = c.ropeScaling.type === 'linear' ? 1 / c.ropeScaling.factor : 1;
  for (let t = 0; t < T; t++) {
    const pos = (start + t) * scale;
    for (let i = 0; i < half; i++) {
      const a = Math.fround(pos * inv[i]!);
      const cv = Math.cos(a);
      const sv = Math.sin(a);
      cos[t * hd + i] = cv;
      cos[t * hd + i + half] = cv;
      sin[t * hd + i] = sv;
      sin[t * hd + i + half] = sv;
    }
  }
  return { cos, sin };
}

/**
 * Additive mask [T, S] for T new positions after `past` cached ones (S = past + T): 0 where
 * key s may be seen by query t, a large negative number elsewhere. Finite rather than -Infinity
 * so that a fully masked row (never produced here) could not turn into NaN.
 */
export const MASKED = -1e30;
export function causalMask(T: number, past: number, slidingWindow?: number): Float32Array {
  const S = past + T;
  const m = new Float32Array(T * S);
  for (let t = 0; t < T; t++) {
    const qpos = past + t;
    for (let s = 0; s < S; s++) {
      const visible = s <= qpos && (slidingWindow === undefined || qpos - s < slidingWindow);
      m[t * S + s] = visible ? 0 : MASKED;
    }
  }
  return m;
}
