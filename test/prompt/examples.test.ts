import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrompt } from '../../src/shared/prompt/parse';
import { renderPrompt } from '../../src/shared/prompt/render';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';

test('every example prompt is valid and renders to the expected text', () => {
  const expected: Record<string, string> = {
    'hello.en.prompt': 'All human beings are born free and equal',
    'hello.prompt': 'Tous les êtres humains naissent libres et égaux',
    'prune-de.prompt': 'Alle Menschen sind frei und gleich an Würde und Rechten geboren.',
    'translate-fr-en.prompt': 'Universal Declaration of Human Rights, Article 1.\nFrench: Tous les êtres humains naissent libres et égaux en dignité et en droits.\nEnglish:',
    'udhr-ja.prompt': 'すべての人間は、生れながらにして自由であり、かつ、尊厳と権利とについて平等である。',
  };
  const files = readdirSync('examples').filter((f) => f.endsWith('.prompt') && !f.startsWith('_')).sort();
  assert.deepEqual(files, Object.keys(expected).sort());
  for (const f of files) {
    const path = join('examples', f);
    const { doc, partials } = parsePrompt(readFileSync(path, 'utf8'), { host: nodePromptHost(path), fileName: path, defaultModelDir: 'models/default' });
    assert.deepEqual(doc.diagnostics, [], f);
    assert.equal(renderPrompt(doc, partials, doc.metadata.polyglot.examples?.[0]).text, expected[f], f);
  }
});
