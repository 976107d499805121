/**
 * Row labels of the results tables as the pruning paper prints them (Kim et al. 2024): θ for the
 * dense model, θ_Rand, θ_{Fr-En}, θ^{Prog}_{Zh-En}, LRP2. A label is a small markup — text, `_X`
 * or `_{…}` a subscript, `^X` or `^{…}` a superscript, `\_` and `\^` literal — converted here for
 * LaTeX (math mode with \text), Markdown and HTML (<sub>/<sup>), SVG (tspans) and plain text.
 * Auto labels come from the model entries (shared/modelSpec.ts); a user's label replaces them.
 * Pure.
 */
import { parseVariantText, splitModelEntry } from '../modelSpec';

export interface LabelSegment {
  kind: 'text' | 'sub' | 'sup';
  text: string;
}

/** The label's segments; a script without braces runs to the next space, `_` or `^`. */
export function parseLabel(label: string): LabelSegment[] {
  const out: LabelSegment[] = [];
  let text = '';
  const flush = (): void => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < label.length; i++) {
    const c = label[i]!;
    if (c === '\\' && (label[i + 1] === '_' || label[i + 1] === '^')) {
      text += label[++i];
    } else if ((c === '_' || c === '^') && i + 1 < label.length) {
      flush();
      let body = '';
      if (label[i + 1] === '{') {
        const close = label.indexOf('}', i + 2);
        const end = close < 0 ? label.length : close;
        body = label.slice(i + 2, end);
        i = end;
      } else {
        let j = i + 1;
        while (j < label.length && !/[\s_^]/.test(label[j]!)) j++;
        body = label.slice(i + 1, j);
        i = j - 1;
      }
      out.push({ kind: c === '_' ? 'sub' : 'sup', text: body });
    } else text += c;
  }
  flush();
  return out;
}

const GREEK: Readonly<Record<string, string>> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi',
  π: 'pi', ρ: 'rho', σ: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega', Γ: 'Gamma', Δ: 'Delta', Θ: 'Theta', Λ: 'Lambda', Ξ: 'Xi',
  Π: 'Pi', Σ: 'Sigma', Φ: 'Phi', Ψ: 'Psi', Ω: 'Omega',
};

export function latexEscape(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`));
}

/** Math-mode text: Greek letters as commands, everything else inside \text{}. */
function mathText(s: string): string {
  let out = '';
  let run = '';
  for (const ch of s) {
    const g = GREEK[ch];
    if (g) {
      if (run) out += `\\text{${latexEscape(run)}}`;
      run = '';
      out += `\\${g} `;
    } else run += ch;
  }
  if (run) out += `\\text{${latexEscape(run)}}`;
  return out.trimEnd();
}

/** LaTeX: plain text escaped; a label with scripts or Greek letters in math mode. */
export function labelLatex(label: string): string {
  const segs = parseLabel(label);
  const math = segs.some((s) => s.kind !== 'text' || [...s.text].some((ch) => GREEK[ch]));
  if (!math) return latexEscape(segs.map((s) => s.text).join(''));
  return `$${segs.map((s) => (s.kind === 'text' ? mathText(s.text) : `${s.kind === 'sub' ? '_' : '^'}{${mathText(s.text)}}`)).join('')}$`;
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Markdown (GitHub renders <sub>/<sup>); `|` escaped for table cells. */
export function labelMarkdown(label: string): string {
  return parseLabel(label).map((s) => {
    const t = htmlEscape(s.text).replace(/\|/g, '\\|');
    return s.kind === 'text' ? t : `<${s.kind}>${t}</${s.kind}>`;
  }).join('');
}

/** Plain text: scripts as _X / ^X (braces where the script has more than letters and digits). */
export function labelPlain(label: string): string {
  return parseLabel(label).map((s) => (s.kind === 'text' ? s.text : `${s.kind === 'sub' ? '_' : '^'}${/^[\p{L}\p{N}]+$/u.test(s.text) ? s.text : `{${s.text}}`}`)).join('');
}

/** SVG <text> content: scripts as smaller tspans shifted by dy (resvg and browsers alike). */
export function labelSvg(label: string, fontSize: number): string {
  const shift = Math.round(fontSize * 0.3 * 10) / 10;
  const small = Math.round(fontSize * 0.75 * 10) / 10;
  let y = 0;
  let out = '';
  for (const s of parseLabel(label)) {
    const target = s.kind === 'sub' ? shift : s.kind === 'sup' ? -shift : 0;
    const dy = target - y;
    y = target;
    const t = htmlEscape(s.text);
    out += s.kind === 'text' ? (dy ? `<tspan dy="${dy}">${t}</tspan>` : t) : `<tspan dy="${dy}" font-size="${small}">${t}</tspan>`;
  }
  return y ? `${out}<tspan dy="${-y}"></tspan>` : out;
}

/** Approximate width in px of the label drawn at `fontSize` (scripts at 0.75×). */
export function labelWidth(label: string, fontSize: number): number {
  return parseLabel(label).reduce((w, s) => w + textWidth(s.text, s.kind === 'text' ? fontSize : fontSize * 0.75), 0);
}

/**
 * Approximate advance width of `s` in a sans-serif font at `fontSize` px: DejaVu Sans/Verdana-like
 * metrics per character class, wide for CJK. Generous, so labels sized by it are never cut.
 */
export function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const ch of s) {
    if (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) || ch.codePointAt(0)! > 0xffff) em += 1.0;
    else if (/[ilI.,:;'|!`]/.test(ch)) em += 0.33;
    else if (/[ ()[\]{}\-ftjr/\\"]/.test(ch)) em += 0.42;
    else if (/[mwMW@%]/.test(ch)) em += 0.95;
    else if (/[A-Z&#]/.test(ch)) em += 0.72;
    else em += 0.64;
  }
  return em * fontSize;
}

const capital = (code: string): string => code.charAt(0).toUpperCase() + code.slice(1);

/** `mt:fr-en` → Fr-En, `mono:fr` → Fr, `udhr:fr,de` → Fr,De; other sources as written. */
function calibrationName(source: string): string {
  return source.split('+').map((part) => {
    const m = /^(mt|mono|udhr):(.+)$/.exec(part.trim());
    if (!m) return part.trim();
    return m[2]!.split(',').map((x) => x.split('-').map(capital).join('-')).join(',');
  }).join('+');
}

/**
 * The paper's name of a model entry: θ (a checkpoint, dense), θ_Rand, θ_Mag, θ_{Fr-En} (wanda on
 * mt:fr-en), θ_{Fr} (mono:fr), θ^{Prog}_{Zh-En}, LRP2 (with its language when not the only one).
 * Entries that do not parse keep their text.
 */
export function paperLabel(entry: string): string {
  const { variant } = splitModelEntry(entry);
  if (variant === undefined) return 'θ';
  const r = parseVariantText(variant, (c) => c.trim() || undefined);
  if (!r.ok) return entry.replace(/[_^]/g, '\\$&');
  const v = r.value;
  if (v.kind === 'lrp2') return `LRP2`;
  if (v.method === 'random') return 'θ_Rand';
  if (v.method === 'magnitude') return 'θ_Mag';
  if (v.method === 'prog') return `θ^Prog_{${calibrationName(v.calibration ?? '')}}`;
  return `θ_{${calibrationName(v.calibration ?? '')}}`;
}

/** A short name of a model entry's base checkpoint (the table's model group): the folder's last path segment. */
export function modelGroup(entry: string): string {
  const { base } = splitModelEntry(entry);
  return base.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || base;
}

const sparsityOf = (entry: string): string | undefined => {
  const { variant } = splitModelEntry(entry);
  const m = variant && /:(0?\.\d+)$/.exec(variant);
  return m ? `${Math.round(Number(m[1]) * 1000) / 10}%` : undefined;
};

/**
 * Labels for a list of entries: `given[i]` where set (a user's label), else the paper's name; two
 * entries of one group that would share a name get their sparsity (θ_{Fr-En} 30%), then their
 * entry, appended.
 */
export function modelLabels(entries: readonly string[], given: readonly (string | undefined)[] = []): string[] {
  const labels = entries.map((e, i) => given[i]?.trim() || paperLabel(e));
  const groups = entries.map(modelGroup);
  const clash = (i: number): boolean => labels.some((l, j) => j !== i && l === labels[i] && groups[j] === groups[i]);
  const withSparsity = labels.map((l, i) => (!given[i]?.trim() && clash(i) && sparsityOf(entries[i]!) ? `${l} ${sparsityOf(entries[i]!)}` : l));
  return withSparsity.map((l, i) => (withSparsity.some((x, j) => j !== i && x === l && groups[j] === groups[i]) ? `${l} (${entries[i]!.replace(/[_^]/g, '\\$&')})` : l));
}
