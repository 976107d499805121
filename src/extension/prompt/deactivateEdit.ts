/**
 * The edit that adds a neuron to `polyglot.deactivate` (the Neuron panel's "Deactivate in
 * prompt"), written in the style the file already uses: a flow list gets `, L3.N127`, a block
 * list a new `- L3.N127` line, a single reference becomes a flow list; a file without the key
 * gets `polyglot.deactivate: [L3.N127]` as the frontmatter's last line (or a new frontmatter).
 * Pure, so every shape is unit-tested.
 */
import { isScalar, isSeq } from 'yaml';
import { splitPrompt } from '../../shared/prompt/frontmatter';
import { readYamlFields } from '../../shared/prompt/yamlFields';
import { neuronKey } from '../../shared/analysis';

export type DeactivateEdit = { start: number; end: number; text: string } | { reason: string };

export function addDeactivateEdit(source: string, layer: number, index: number): DeactivateEdit {
  const ref = neuronKey(layer, index);
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const fm = splitPrompt(source).frontmatter;
  if (!fm) return { start: 0, end: 0, text: `---${eol}polyglot.deactivate: [${ref}]${eol}---${eol}` };
  const read = readYamlFields(source, fm);
  if (read.diagnostics.some((d) => d.severity === 'error')) return { reason: 'the frontmatter has YAML errors; fix them first' };
  const field = read.fields.find((f) => f.key === 'polyglot.deactivate');
  if (!field) {
    // fm.end is where the YAML stops, before the newline of the closing fence.
    const empty = fm.end === fm.start;
    return { start: fm.end, end: fm.end, text: `${empty ? '' : eol}polyglot.deactivate: [${ref}]${empty ? eol : ''}` };
  }
  const v = field.value;
  if (isScalar(v) && v.range) {
    const text = String(v.value);
    if (text === ref) return { reason: `${ref} is already deactivated` };
    if (!/^L\d+\.N\d+$/.test(text)) return { reason: `polyglot.deactivate is the language ${JSON.stringify(text)}; list neurons instead to add ${ref}` };
    return { start: v.range[0], end: v.range[1], text: `[${text}, ${ref}]` };
  }
  if (isSeq(v) && v.range) {
    const items = v.items.filter(isScalar);
    if (items.some((n) => String(n.value) === ref)) return { reason: `${ref} is already deactivated` };
    if (v.flow) {
      const close = source.lastIndexOf(']', v.range[1]);
      return { start: close, end: close, text: items.length ? `, ${ref}` : ref };
    }
    const last = items[items.length - 1];
    if (!last?.range) return { reason: 'polyglot.deactivate is an empty block list; write it as [L3.N127]' };
    // Repeat the last item's line prefix (indentation and "- ").
    const lineStart = source.lastIndexOf('\n', last.range[0] - 1) + 1;
    const lineEnd = last.range[1];
    return { start: lineEnd, end: lineEnd, text: `${eol}${source.slice(lineStart, last.range[0])}${ref}` };
  }
  return { reason: 'polyglot.deactivate has no value; write [L3.N127]' };
}
