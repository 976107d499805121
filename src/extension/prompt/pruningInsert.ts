/**
 * Toggle Pruning on a prompt without `polyglot.pruning` (issue #26 item 8): the block that makes
 * the prompt run the variant chosen for its model, as one insertion into the frontmatter (or a new
 * frontmatter). Pure (no vscode import), unit-tested: the inserted block parses back to a
 * `polyglot.pruning` whose variant name is the variant's, so the prompt then runs that very variant.
 */
import type { PruneSettings } from '../../engine/pruning/fromSources';
import { splitPrompt } from '../../shared/prompt/frontmatter';

export interface Insertion {
  at: number;
  text: string;
}

/** A YAML scalar as written in a flow mapping: quoted when it holds YAML syntax (`:`, `*`, `+`, spaces…). */
function scalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z0-9_.-]+$/.test(v) ? v : JSON.stringify(v);
}

/** `{method: wanda, sparsity: 0.5, calibration: "mt:fr-en", mode: sequential, seed: 0}` for a variant's settings; undefined for what a prompt cannot say (prog's two calibrations). */
export function pruningMapping(s: PruneSettings): string | undefined {
  if (s.method === 'prog' || (s.calibration !== undefined && typeof s.calibration !== 'string')) return undefined;
  const nm = typeof s.nm === 'string' ? s.nm : s.nm ? `${s.nm.n}:${s.nm.m}` : undefined;
  const entries: [string, string | number | boolean][] = [['enabled', true], ['method', s.method]];
  if (nm) entries.push(['nm', nm]);
  else if (s.sparsity !== undefined) entries.push(['sparsity', s.sparsity]);
  if (s.calibration !== undefined) entries.push(['calibration', s.calibration]);
  entries.push(['mode', s.mode ?? 'sequential'], ['seed', s.seed ?? 0]);
  if (s.magnitudeScope) entries.push(['scope', s.magnitudeScope]);
  if (s.referenceCompatible) entries.push(['referenceCompatible', true]);
  return `{${entries.map(([k, v]) => `${k}: ${scalar(v)}`).join(', ')}}`;
}

/** Where and what to insert so that `source` declares `polyglot.pruning: mapping`. */
export function pruningInsertion(source: string, mapping: string): Insertion {
  const line = `polyglot.pruning: ${mapping}`;
  const fm = splitPrompt(source).frontmatter;
  if (!fm) return { at: 0, text: `---\n${line}\n---\n` };
  if (fm.end === fm.start) return { at: fm.start, text: `${line}\n` };
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  return { at: fm.end, text: `${eol}${line}` };
}
