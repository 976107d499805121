/** Smaller engine parts: hook names, chat templates, the graph cache, position tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allHooks, expandHookPatterns, hookRank } from '../../src/engine/hooks';
import { GraphCache } from '../../src/engine/cache';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { causalMask, MASKED } from '../../src/engine/model/positions';
import { UserError } from '../../src/engine/errors';
import { writeTinyModel } from '../helpers/tiny-model';

const facts = { nLayers: 3, dModel: 8, dMlp: 16, nHeads: 2, dHead: 4, vocabSize: 10, gatedMlp: true };

test('hook patterns expand in forward order; unknown names are rejected with what exists', () => {
  assert.deepEqual(expandHookPatterns(['logits', 'blocks.*.mlp.hook_post'], facts), ['blocks.0.mlp.hook_post', 'blocks.1.mlp.hook_post', 'blocks.2.mlp.hook_post', 'logits']);
  assert.equal(allHooks(facts).length, 1 + 3 * 8 + 2);
  assert.equal(allHooks({ ...facts, gatedMlp: false }).length, 1 + 3 * 7 + 2);
  assert.ok(hookRank('blocks.0.mlp.hook_post', 3) < hookRank('blocks.0.hook_resid_post', 3));
  assert.ok(hookRank('blocks.2.hook_resid_post', 3) < hookRank('ln_final.hook_normalized', 3));
  assert.throws(() => expandHookPatterns(['blocks.*.mlp.hook_mid'], facts), (e: Error) => e instanceof UserError && /matches no hook point/.test(e.message));
  assert.throws(() => expandHookPatterns(['resid'], facts), /unknown hook resid/);
});

test('causal mask: sliding window and KV-cache offsets', () => {
  const m = causalMask(2, 3, 2); // 2 new positions after 3 cached, window 2
  // query at position 3 sees keys 2..3; query at 4 sees 3..4
  assert.deepEqual(Array.from(m).map((v) => (v === 0 ? 1 : v === Math.fround(MASKED) ? 0 : NaN)), [0, 0, 1, 1, 0, 0, 0, 0, 1, 1]);
});

test('chat templates render through @huggingface/jinja with the special tokens', () => {
  const tiny = writeTinyModel({ seed: 31 });
  try {
    const cfgFile = join(tiny.dir, 'tokenizer_config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as Record<string, unknown>;
    cfg.chat_template = "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{{ eos_token }}{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}";
    writeFileSync(cfgFile, JSON.stringify(cfg));
    const tok = ModelTokenizer.load(tiny.dir);
    assert.equal(tok.hasChatTemplate(), true);
    assert.equal(tok.applyChatTemplate([{ role: 'user', content: 'Bonjour' }]), '<s><user>Bonjour</s><assistant>');
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
  }
});

test('graph cache: files named by content hash, capped in size oldest first, cleared on request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-cache-'));
  try {
    const cache = new GraphCache(dir, 250);
    const a = cache.remember(new Uint8Array(100).fill(1));
    assert.match(a, /graph-[0-9a-f]{32}\.onnx$/);
    assert.equal(cache.remember(new Uint8Array(100).fill(1)), a, 'same bytes, same file');
    cache.remember(new Uint8Array(100).fill(2));
    cache.remember(new Uint8Array(100).fill(3));
    const files = readdirSync(dir);
    assert.equal(files.length, 2, 'the cap of 250 bytes keeps two 100-byte graphs');
    GraphCache.clear(dir);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
