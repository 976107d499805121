/**
 * Merging partial statistics: checks that the partials belong together (one kind, one model,
 * one corpus, the same settings, the same N, every shard exactly once), then sums their tensors
 * and counts. The result is what one run over the whole input would have accumulated: counts
 * exactly, float sums up to summation order.
 */
import { UserError } from '../errors';
import type { Partial, PartialManifest } from './partial';

/** JSON with object keys sorted, so settings compare by content, not key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface Merged {
  manifest: PartialManifest;
  tensors: Map<string, Float64Array>;
}

function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const k = keys.find((x) => canonicalJson(a[x]) !== canonicalJson(b[x]));
  return k === undefined ? '' : `${k} ${canonicalJson(a[k]) ?? 'unset'} vs ${canonicalJson(b[k]) ?? 'unset'}`;
}

export function mergePartials(parts: Partial[]): Merged {
  if (parts.length === 0) throw new UserError('merge', 'give at least one partial folder');
  const first = parts[0]!;
  const m0 = first.manifest;
  for (const p of parts.slice(1)) {
    const m = p.manifest;
    const other = `${p.dir} and ${first.dir}`;
    if (m.kind !== m0.kind) throw new UserError(p.dir, `is a ${m.kind} partial but ${first.dir} is a ${m0.kind} partial`);
    if (m.model.fingerprint !== m0.model.fingerprint) throw new UserError(p.dir, `computed with a different model than ${first.dir} (${m.model.name} vs ${m0.model.name}; fingerprints differ)`);
    if (m.corpus.fingerprint !== m0.corpus.fingerprint) throw new UserError(p.dir, `read a different corpus than ${first.dir} (${m.corpus.name} vs ${m0.corpus.name}; token fingerprints differ)`);
    if (canonicalJson(m.settings) !== canonicalJson(m0.settings)) throw new UserError(p.dir, `settings differ from ${first.dir}: ${firstDifference(m.settings, m0.settings)}`);
    if (canonicalJson(m.info) !== canonicalJson(m0.info)) throw new UserError(p.dir, `describes its statistics differently from ${first.dir}: ${firstDifference(m.info, m0.info)}`);
    if (m.shard.count !== m0.shard.count) throw new UserError(p.dir, `is shard ${m.shard.index}/${m.shard.count} but ${first.dir} is shard ${m0.shard.index}/${m0.shard.count} (different N)`);
    if (canonicalJson(m.tensors) !== canonicalJson(m0.tensors) || canonicalJson(Object.keys(m.scalars).sort()) !== canonicalJson(Object.keys(m0.scalars).sort())) {
      throw new UserError(other, 'hold different statistics (tensor or count names differ)');
    }
  }
  const N = m0.shard.count;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const i = p.manifest.shard.index;
    const prev = seen.get(i);
    if (prev !== undefined) throw new UserError(p.dir, `shard ${i}/${N} is given twice (also ${prev})`);
    seen.set(i, p.dir);
  }
  const missing = Array.from({ length: N }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length) throw new UserError('merge', `incomplete set: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${N}`).join(', ')} missing (got ${parts.length} of ${N})`);

  // Sum in shard order, so a merge gives the same bits whatever order the folders were listed in.
  const ordered = [...parts].sort((a, b) => a.manifest.shard.index - b.manifest.shard.index);
  const tensors = new Map<string, Float64Array>();
  for (const { name, length } of m0.tensors) {
    const acc = new Float64Array(length);
    for (const p of ordered) {
      const t = p.tensors.get(name)!;
      for (let j = 0; j < length; j++) acc[j]! += t[j]!;
    }
    tensors.set(name, acc);
  }
  const scalars: Record<string, number> = {};
  for (const k of Object.keys(m0.scalars)) scalars[k] = ordered.reduce((n, p) => n + p.manifest.scalars[k]!, 0);
  return { manifest: { ...m0, shard: { index: 0, count: 1 }, scalars }, tensors };
}
