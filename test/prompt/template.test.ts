import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parsePrompt } from '../../src/shared/prompt/parse';
import { docOffsetOf, renderedOffsetsOf, renderPrompt, PromptRenderError } from '../../src/shared/prompt/render';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';
import { folderWith, show } from './helpers';

const diags = (src: string, prompt?: string) =>
  parsePrompt(src, prompt ? { host: nodePromptHost(prompt) } : {}).doc.diagnostics.map((d) => `${show(src, d)} ${d.message}`);

test('an unclosed block is reported on its opening tag', () => {
  const src = '---\nmodel: m\n---\nA\n{{#each items}}\n  {{#if this}}x{{/if}}\nB';
  assert.deepEqual(diags(src), ['unclosed-block@5:1-5:16 "{{#each items}}" template: {{#each}} is never closed by {{/each}}']);
});

test('a mismatched close tag is reported on the opening block name, where Handlebars locates it', () => {
  const src = 'A\n{{#if x}}b{{/each}}';
  assert.deepEqual(diags(src), ['template-syntax@2:4-2:6 "if" template: if doesn\'t match each']);
});

test('a malformed mustache is reported at the offending token', () => {
  const src = 'Hello {{name}} and {{> }}';
  assert.deepEqual(diags(src), ['template-syntax@1:24-1:26 "}}" template syntax error: unexpected CLOSE']);
});

test('unknown helpers are errors (Dotprompt compiles with knownHelpersOnly); Dotprompt helpers are fine', () => {
  const src = '---\n---\n{{role "user"}}{{json data indent=2}}{{#ifEquals a b}}y{{/ifEquals}}\n{{shout name}} {{#repeat 3}}z{{/repeat}} {{upper (lower x)}}';
  assert.deepEqual(diags(src).map((d) => d.split(' ')[0]), [
    'unknown-helper@4:1-4:15',
    'unknown-helper@4:16-4:41',
    'unknown-helper@4:42-4:61',
    'unknown-helper@4:50-4:59',
  ]);
  assert.match(diags(src)[0], /unknown helper "shout"/);
});

test('partials resolve from _name.prompt in the same folder, nested ones too; missing ones are errors', () => {
  const dir = folderWith({
    '_header.prompt': 'You translate {{> langs}}.\n',
    '_langs.prompt': '---\ndescription: partial with frontmatter\n---\nFrench to English',
  });
  const prompt = join(dir, 'p.prompt');
  const src = '{{> header}}\nFrench: {{text}}\nEnglish:';
  const { doc, partials } = parsePrompt(src, { host: nodePromptHost(prompt) });
  assert.deepEqual(doc.diagnostics, []);
  assert.deepEqual([...partials.keys()], ['header', 'langs']);
  assert.equal(renderPrompt(doc, partials, { text: 'Bonjour' }).text, 'You translate French to English.\nFrench: Bonjour\nEnglish:');
  assert.deepEqual(diags('A {{> footer}}', prompt), ['missing-partial@1:3-1:15 "{{> footer}}" partial "footer" not found: expected _footer.prompt next to this prompt']);
});

test('render: input.default overlaid with the example, body trimmed like Dotprompt, standalone block lines removed', () => {
  const src = '---\ninput:\n  default: {text: Salut, lang: French}\n---\n\n{{#if text}}\n{{lang}}: {{text}}\n{{/if}}\nEnglish:\n';
  const { doc, partials } = parsePrompt(src);
  const r = renderPrompt(doc, partials, { text: 'Bonjour' });
  assert.equal(r.text, 'French: Bonjour\nEnglish:');
  assert.deepEqual(r.input, { text: 'Bonjour', lang: 'French' });
});

test('segments map literal template text back to exact file offsets, for every loop iteration', () => {
  const src = '---\n---\nWords:{{#each words}} [{{this}}]{{/each}}\nEnd.';
  const { doc, partials } = parsePrompt(src);
  const r = renderPrompt(doc, partials, { words: ['un', 'deux'] });
  assert.equal(r.text, 'Words: [un] [deux]\nEnd.');
  for (const s of r.segments) assert.equal(r.text.slice(s.start, s.start + s.length), src.slice(s.docStart, s.docStart + s.length));
  assert.deepEqual(r.segments.map((s) => r.text.slice(s.start, s.start + s.length)), ['Words:', ' [', ']', ' [', ']', '\nEnd.']);
  // "E" of "End." is at file offset src.indexOf('End') and rendered offset r.text.indexOf('End').
  assert.deepEqual(renderedOffsetsOf(r, src.indexOf('End')), [r.text.indexOf('End')]);
  // " [" is rendered twice.
  assert.deepEqual(renderedOffsetsOf(r, src.indexOf(' [')), [6, 11]);
  // Variable output has no place in the file.
  assert.equal(docOffsetOf(r, r.text.indexOf('deux')), undefined);
  assert.equal(docOffsetOf(r, 0), src.indexOf('Words'));
});

test('whitespace control (~) and escaped mustaches keep the mapping exact or absent, never wrong', () => {
  const src = 'A  \n  {{~name~}}  \n  B \\{{raw}} C';
  const { doc, partials } = parsePrompt(src);
  const r = renderPrompt(doc, partials, { name: 'N' });
  assert.equal(r.text, 'ANB {{raw}} C');
  for (const s of r.segments) assert.equal(r.text.slice(s.start, s.start + s.length), src.slice(s.docStart, s.docStart + s.length));
  assert.equal(docOffsetOf(r, 0), 0);
  assert.equal(docOffsetOf(r, 2), src.indexOf('B'));
});

test('role markers render to nothing and are recorded', () => {
  const { doc, partials } = parsePrompt('{{role "system"}}Be brief.\n{{role "user"}}Hi');
  const r = renderPrompt(doc, partials);
  assert.equal(r.text, 'Be brief.\nHi');
  assert.deepEqual(r.roles, [{ role: 'system', start: 0 }, { role: 'user', start: 10 }]);
});

test('rendering a template with errors throws one line naming the problem', () => {
  const { doc, partials } = parsePrompt('Hi {{shout x}}');
  assert.throws(() => renderPrompt(doc, partials), (e: unknown) => e instanceof PromptRenderError && e.message === 'the template has errors: unknown helper "shout"; Dotprompt knows if, unless, each, with, lookup, log, json, role, history, section, media, ifEquals, unlessEquals');
});
