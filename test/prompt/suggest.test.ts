/** "Did you mean …?" (issue #26 item 7): edit distance with transpositions, and a fix on every such diagnostic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../../src/shared/prompt/suggest';
import { parsePrompt } from '../../src/shared/prompt';

test('editDistance counts an adjacent swap as one edit (optimal string alignment)', () => {
  assert.equal(editDistance('langauges', 'languages'), 1);
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abc', 'abc'), 0);
  // OSA, not unrestricted Damerau: a swapped pair is not edited again ("ca" → "abc" is 3, not 2).
  assert.equal(editDistance('ca', 'abc'), 3);
  assert.equal(editDistance('topk', 'topK'), 1);
});

test('closest: typos within the length-dependent limit, nothing for a far word or an exact one', () => {
  assert.equal(closest('langauges', ['examples', 'languages', 'labels']), 'languages');
  assert.equal(closest('topk', ['topK', 'hooks']), 'topK');
  assert.equal(closest('xyz', ['topK', 'hooks']), undefined);
  assert.equal(closest('wanda', ['wanda', 'prog']), undefined);
  assert.equal(closest('clasify', ['perplexity', 'translate', 'classify']), 'classify');
});

/** Each diagnostic that says "did you mean X?" carries a fix that writes X where the typo is. */
function fixes(src: string): { written: string; message: string; edits: string[][] }[] {
  const { doc } = parsePrompt(src, { fileName: 'x.prompt' });
  for (const d of doc.diagnostics) assert.equal(/did you mean/.test(d.message), d.fix !== undefined, `fix iff "did you mean": ${d.message}`);
  return doc.diagnostics.filter((d) => d.fix).map((d) => ({ written: src.slice(d.start, d.end), message: d.message, edits: d.fix!.map((f) => [src.slice(f.start, f.end), f.text]) }));
}

test('every "did you mean" diagnostic has a fix: keys (dotted, nested, pruning, eval, plain), values, language names, helpers', () => {
  const src = [
    '---',
    'polyglot.langauges: [en]',
    'polyglot:',
    '  topk: 3',
    '  pruning: {methd: wanda, mode: onesht}',
    'polyglot.deactivate: German',
    'polyglot.eval: {task: clasify, modles: [default], labels: [a, b]}',
    'modle: ./m',
    '---',
    '{{#iff a}}x{{/iff}} {{jsno a}} {{shout b}}',
  ].join('\n');
  assert.deepEqual(fixes(src), [
    { written: 'polyglot.langauges', message: 'unknown key polyglot.langauges; did you mean polyglot.languages?', edits: [['polyglot.langauges', 'polyglot.languages']] },
    { written: 'topk', message: 'unknown key polyglot.topk; did you mean topK?', edits: [['topk', 'topK']] },
    { written: 'methd', message: 'unknown key polyglot.pruning.methd; did you mean method?', edits: [['methd', 'method']] },
    { written: 'onesht', message: 'polyglot.pruning.mode must be one of sequential, oneshot (got "onesht"); did you mean oneshot?', edits: [['onesht', 'oneshot']] },
    { written: 'German', message: 'polyglot.deactivate: unknown language code "German"; did you mean de?', edits: [['German', 'de']] },
    { written: 'clasify', message: 'polyglot.eval.task: unknown task "clasify"; did you mean classify?', edits: [['clasify', 'classify']] },
    { written: 'modles', message: 'unknown key polyglot.eval.modles; did you mean models?', edits: [['modles', 'models']] },
    { written: 'modle', message: 'unknown key modle; did you mean model?', edits: [['modle', 'model']] },
    // A block helper is renamed at both tags.
    { written: '{{#iff a}}x{{/iff}}', message: 'unknown helper "iff"; did you mean if?', edits: [['iff', 'if'], ['iff', 'if']] },
    { written: '{{jsno a}}', message: 'unknown helper "jsno"; did you mean json?', edits: [['jsno', 'json']] },
  ]);
});

test('a fixed file has no diagnostic left where the fixes were applied', () => {
  const src = '---\npolyglot.langauges: [EN, fr]\npolyglot.topk: 3\n---\n{{#iff a}}x{{/iff}}';
  const { doc } = parsePrompt(src, { fileName: 'x.prompt' });
  const edits = doc.diagnostics.flatMap((d) => d.fix ?? []).sort((a, b) => b.start - a.start);
  let fixed = src;
  for (const e of edits) fixed = fixed.slice(0, e.start) + e.text + fixed.slice(e.end);
  assert.equal(fixed, '---\npolyglot.languages: [EN, fr]\npolyglot.topK: 3\n---\n{{#if a}}x{{/if}}');
  // The language code is checked once the key is known: the next round offers en for EN.
  const again = parsePrompt(fixed, { fileName: 'x.prompt' }).doc.diagnostics;
  assert.deepEqual(again.map((d) => [d.message, d.fix?.[0]?.text]), [['polyglot.languages: unknown language code "EN"; did you mean en?', 'en']]);
});
