/**
 * Markdown for the neuron hover: the neuron's hook_post on every token of the analysed prompt
 * (a sparkline and the strongest tokens), its language profile and its top corpus examples, then
 * a link to the Neuron panel. Pure, so the exact text is unit-tested against engine numbers.
 */
import { neuronKey } from '../../shared/analysis';
import { exampleContext, sparkline, strongestTokens, type NeuronReport } from '../../shared/neuron';

/** Tokens listed under the sparkline; examples listed. */
export const HOVER_TOKENS = 5;
export const HOVER_EXAMPLES = 3;

/** Escapes Markdown so corpus text and token text show as written. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const num = (v: number): string => v.toFixed(3);

/** `buildIndexLink`: the Build Neuron Index… command, offered where there are no top examples to show. */
export function neuronReportMarkdown(r: NeuronReport, panelLink?: string, buildIndexLink?: string): string {
  const key = neuronKey(r.layer, r.index);
  const a = r.activations;
  const lines = [`**${key}** in ${r.model.name} · \`hook_post\` on ${a.length} tokens of the analysed prompt`, ''];
  if (r.deactivated) lines.push('_Deactivated in this analysis (`polyglot.deactivate`): 0 on every token._', '');
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  lines.push(`\`${sparkline(a)}\` min ${num(lo)} · max ${num(hi)}`, '', '| pos | token | activation |', '|---:|---|---:|');
  for (const p of strongestTokens(a, HOVER_TOKENS)) lines.push(`| ${p} | \`${JSON.stringify(r.tokens[p]!.text)}\` | ${num(a[p]!)} |`);
  const l = r.languages;
  if (l) {
    lines.push('', `**Language profile** (${l.languages.join(', ')})`, '', `Activation probability: ${l.languages.map((lang) => `${lang} ${l.probability[lang]!.toFixed(2)}`).join(' · ')}`);
    lines.push('', `LAPE ${l.entropy === null ? 'n/a (never active)' : num(l.entropy)} · ${l.selected ? `specific to ${l.selectedFor.join(', ')}` : 'not language-specific'}`);
  }
  if (r.examples && r.examples.length && r.indexState.state === 'ok') {
    lines.push('', `**Top examples** (${escapeMarkdown(r.indexState.corpus)}):`);
    for (const e of r.examples.slice(0, HOVER_EXAMPLES)) {
      const c = exampleContext(e, 30);
      // Spaces stay outside the ** markers, or CommonMark does not bold (` chat` is a common token).
      const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(c.token)!;
      const bold = core ? `**${escapeMarkdown(core)}**` : '';
      lines.push(`- ${num(e.value)} ${escapeMarkdown(c.before + lead!)}${bold}${escapeMarkdown(trail! + c.after)}`);
    }
  } else if (r.indexState.state === 'stale' || r.indexState.state === 'error') {
    lines.push('', `_No examples: ${escapeMarkdown(r.indexState.message)}_`);
    if (buildIndexLink) lines.push('', `[Build Neuron Index…](${buildIndexLink})`);
  } else if (r.indexState.state === 'none' && buildIndexLink) {
    lines.push('', `_No top examples: no neuron index yet._ [Build Neuron Index…](${buildIndexLink})`);
  }
  if (panelLink) lines.push('', `[Open in Neuron panel](${panelLink})`);
  return lines.join('\n');
}
