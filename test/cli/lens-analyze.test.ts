/**
 * The latent-language section of `analyze`'s report (issue #24: "the report.html of analyze gains
 * the same section") is the lens `polyglot-lens lens` computes on the same text: read from the
 * analysis's own forward pass, it must give the same top tokens, probabilities and language mass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { fromWire } from '../../src/shared/wire';
import type { LatentLanguageResult } from '../../src/shared/lens';

const TEXT = 'French: Le chat voit le chien.</s>English:';

interface LensJson {
  tokens: { id: number }[];
  languages: string[];
  layers: { layer: number; top: { id: number; p: number }[][]; languageMass: Record<string, number> }[];
}

test('analyze report: the Latent language section is `lens --prompt` on the same text (top-k ids, p, language mass at every layer)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lens-analyze-'));
  try {
    const prompt = join(dir, 'p.prompt');
    writeFileSync(prompt, `---\nconfig:\n  maxOutputTokens: 2\n---\n${TEXT}\n`);
    const a = cli(['analyze', prompt, '--out', join(dir, 'r'), '--threads', '1']);
    assert.equal(a.code, 0, a.stderr);
    const report = fromWire(JSON.parse(readFileSync(join(dir, 'r', 'report.json'), 'utf8')).sections) as { kind: string; title: string; data: unknown }[];
    assert.deepEqual(report.map((s) => [s.kind, s.title]), [['activations', 'Activations'], ['latentLanguage', 'Latent language']]);
    const html = readFileSync(join(dir, 'r', 'report.html'), 'utf8');
    assert.ok(html.includes('"kind":"latentLanguage"'), 'report.html carries the section');
    const s = report[1]!.data as LatentLanguageResult;
    assert.equal(s.text.trim(), TEXT);
    const T = s.tokens.length;
    // The section takes Analyze's tokens (texts and offsets) instead of decoding them again.
    const analyzed = (report[0]!.data as { tokens: { id: number; text: string; start: number | null; end: number | null }[] }).tokens;
    assert.deepEqual(s.tokens, analyzed.map(({ id, text, start, end }) => ({ id, text, start, end })));
    const j = JSON.parse(cli(['lens', '--prompt', s.text, '--top', String(s.k), '--json']).stdout) as LensJson;
    assert.deepEqual(j.tokens.map((t) => t.id), s.tokens.map((t) => t.id));
    assert.deepEqual(j.languages, [...s.languages, 'unknown']);
    assert.equal(j.layers.length, s.layers);
    let worst = 0;
    for (const L of j.layers) {
      for (let t = 0; t < T; t++) {
        L.top[t]!.forEach((x, rank) => {
          const at = (L.layer * T + t) * s.k + rank;
          assert.equal(s.lenses[0]!.topIds[at], x.id, `layer ${L.layer} position ${t} rank ${rank}`);
          worst = Math.max(worst, Math.abs(Math.exp(s.lenses[0]!.topLogp[at]!) - x.p));
        });
      }
      const C = s.languages.length + 1;
      j.languages.forEach((lang, c) => {
        const m = s.lenses[0]!.mass[(L.layer * T + T - 1) * C + c]!;
        assert.ok(Math.abs(m - L.languageMass[lang]!) <= 1e-5, `layer ${L.layer} ${lang}: ${m} vs ${L.languageMass[lang]}`);
      });
    }
    assert.ok(worst <= 1e-5, `top-k p differ by ${worst}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
