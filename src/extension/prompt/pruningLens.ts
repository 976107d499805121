/**
 * The `polyglot.pruning` CodeLens and its Toggle action, as pure functions of the file text so
 * their exact output is unit-tested: readable names for methods and calibration sources, the
 * lens title, and the one-range edit that flips `enabled`.
 */
import { isMap, isScalar } from 'yaml';
import { pruneSettingsFromPrompt } from '../../engine/pruning/fromSources';
import { languageName } from '../../shared/languages';
import { splitPrompt } from '../../shared/prompt/frontmatter';
import type { PruningSettings } from '../../shared/prompt/types';
import { readYamlFields } from '../../shared/prompt/yamlFields';

const METHOD_NAMES: Record<string, string> = { wanda: 'Wanda', magnitude: 'Magnitude', random: 'Random', prog: 'Prog' };

export function methodDisplayName(method: string): string {
  return METHOD_NAMES[method] ?? method;
}

const lang = (code: string): string => languageName(code.trim()) ?? code.trim();

/** mt:fr-en → "French→English", mono:ja / udhr:ja → "Japanese", code:GLOB → "code GLOB", a path → its file name. */
export function calibrationDisplayName(spec: string): string {
  const s = spec.trim();
  const mt = /^mt:([^-]+)-(.+)$/.exec(s);
  if (mt) return `${lang(mt[1]!)}→${lang(mt[2]!)}`;
  const mono = /^(?:mono|udhr):(.+)$/.exec(s);
  if (mono) return mono[1]!.split(',').map(lang).join(' + ');
  if (s.startsWith('code:')) return `code ${s.slice(5)}`;
  return s.split(/[\\/]/).pop() || s;
}

/** "30%", "12.5%": sparsity as people say it. */
export function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

/** "Wanda 30% · French→English" (N:M patterns instead of a percentage; no calibration part when none). */
export function pruningSummary(p: Pick<PruningSettings, 'method' | 'sparsity' | 'nm' | 'calibration'>): string {
  const amount = p.nm ? `${p.nm.n}:${p.nm.m}` : percent(p.sparsity);
  return [`${methodDisplayName(p.method)} ${amount}`, p.calibration ? calibrationDisplayName(p.calibration) : undefined].filter(Boolean).join(' · ');
}

/** The first CodeLens's title: what runs now. Toggle and Compare follow as separate lenses. */
export function pruningLensTitle(p: PruningSettings): string {
  return p.enabled ? `Pruned: ${pruningSummary(p)}` : `Dense (pruning off: ${pruningSummary(p)})`;
}

/** Where the `polyglot.pruning` key is written (dotted or nested under `polyglot:`), as a file offset. */
export function pruningKeyOffset(source: string): number | undefined {
  return polyglotKeyOffset(source, 'polyglot.pruning');
}

/** Where a `polyglot.*` key starts (dotted or nested spelling), for a CodeLens above it. */
export function polyglotKeyOffset(source: string, key: string): number | undefined {
  const fm = splitPrompt(source).frontmatter;
  if (!fm) return undefined;
  return readYamlFields(source, fm).fields.find((f) => f.key === key)?.keyStart;
}

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** `enabled` after the edit. */
  enabled: boolean;
}

/**
 * The edit that flips `polyglot.pruning.enabled`: replaces the written value, or, when the key
 * is absent (it defaults to true), inserts `enabled: false` as the mapping's first entry in the
 * mapping's own style. Undefined when there is no pruning mapping to edit.
 */
export function toggleEnabledEdit(source: string): TextEdit | undefined {
  const fm = splitPrompt(source).frontmatter;
  if (!fm) return undefined;
  const field = readYamlFields(source, fm).fields.find((f) => f.key === 'polyglot.pruning');
  const map = field?.value;
  if (!isMap(map) || !map.range) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'enabled');
  if (pair && isScalar(pair.value) && pair.value.range) {
    const enabled = !(pair.value.value === true || pair.value.value === 'true');
    return { start: pair.value.range[0], end: pair.value.range[1], text: String(enabled), enabled };
  }
  if (pair) return undefined; // `enabled:` with no value: a diagnostic already says so
  if (map.flow) {
    const open = map.range[0] + 1;
    return { start: open, end: open, text: map.items.length ? 'enabled: false, ' : 'enabled: false', enabled: false };
  }
  const firstKey = map.items[0]?.key;
  if (!isScalar(firstKey) || !firstKey.range) return undefined;
  const at = firstKey.range[0];
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  return { start: at, end: at, text: `enabled: false\n${source.slice(lineStart, at)}`, enabled: false };
}

/** The engine's prune settings for a prompt's `polyglot.pruning` (one conversion, shared with the CLI's `analyze`). */
export const pruneSettingsOf = pruneSettingsFromPrompt;
