// chrF and BLEU against values computed by hand from the definitions and against the published
// sacreBLEU test vectors (mjpost/sacrebleu test/test_chrf.py, test_bleu.py,
// test_sentence_bleu.py); classification metrics and pooled perplexity by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chrfFromStats, chrfStats, corpusChrf } from '../../src/engine/eval/metrics/chrf';
import { bleuFromStats, bleuStats, corpusBleu, sentenceBleu, tokenize13a } from '../../src/engine/eval/metrics/bleu';
import { accuracyFromStats, classifyStats, macroF1FromStats } from '../../src/engine/eval/metrics/classification';
import { bitsPerCharFromStats, perplexityFromStats } from '../../src/engine/eval/metrics/perplexity';
import { sumStats } from '../../src/engine/eval/metrics/chrf';

const close = (a: number, b: number, eps: number, what: string): void => assert.ok(Math.abs(a - b) < eps, `${what}: ${a} vs ${b}`);

test('chrF by hand: "ab" vs "abc" is 7/11', () => {
  // order 1: hyp 2, ref 3, match 2; order 2: hyp 1, ref 2, match 1; order 3: hyp 0, ref 1; 4-6 empty.
  assert.deepEqual(chrfStats('ab', 'abc'), [2, 3, 2, 1, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  // P = (1 + 1)/2 = 1, R = (2/3 + 1/2)/2 = 7/12, F2 = 5·P·R/(4P + R) = 7/11.
  close(corpusChrf(['ab'], ['abc']), 700 / 11, 1e-9, 'chrF');
  // Whitespace is removed before n-grams; identical strings score 100.
  close(corpusChrf(['a b  c'], ['abc']), 100, 1e-9, 'whitespace');
  assert.equal(corpusChrf([''], ['abc']), 0);
});

test('chrF corpus level sums statistics (not a mean of sentence scores)', () => {
  const hyps = ['ab', 'xyz'];
  const refs = ['abc', 'xyz'];
  const summed = chrfFromStats(sumStats(hyps.map((h, i) => chrfStats(h, refs[i]!))));
  close(corpusChrf(hyps, refs), summed, 1e-12, 'corpus');
  assert.notEqual(Math.round(summed * 1000), Math.round(((700 / 11 + 100) / 2) * 1000));
});

test('chrF: sacreBLEU test vectors', () => {
  // test_cases_effective_order (β = 3, eps_smoothing off: sacreBLEU's default mode).
  const eff: [string[], string[], number][] = [
    [['a'], ['a'], 100], [[''], ['reference'], 0], [['a b c'], ['a b c'], 100], [['a b c'], ['abc'], 100], [[''], ['c'], 0], [['a', 'b'], ['a', 'c'], 50], [['aa'], ['ab'], 25],
  ];
  for (const [h, r, want] of eff) close(corpusChrf(h, r, { beta: 3 }), want, 1e-4, `eff ${h}`);
  // test_cases (β = 3, eps_smoothing on).
  const epsCases: [string[], string[], number][] = [
    [['abcdefg'], ['hijklmnop'], 0], [['a'], ['b'], 0], [[''], ['b'], 0], [['aa'], ['ab'], 8.3333], [['a', 'b'], ['a', 'c'], 8.3333], [['a'], ['a'], 16.6667], [['a b c'], ['a b c'], 50], [['a b c'], ['abc'], 50],
    [[' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'], ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'], 63.36173],
    [[' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '], ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'], 64.1302698],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100],
  ];
  for (const [h, r, want] of epsCases) close(corpusChrf(h, r, { beta: 3, epsSmoothing: true }), want, 1e-4, `eps ${h}`);
  // test_sentence_level_chrf (sentence_chrf, β = 2, eps_smoothing on).
  const sent: [string, string, number][] = [
    ['Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.', 'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.', 39.14078509],
    ['Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.', 'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.', 31.22557079],
    ['Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.', 'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.', 57.15704367],
  ];
  for (const [h, r, want] of sent) close(chrfFromStats(chrfStats(h, r), { epsSmoothing: true }), want, 1e-4, `sentence ${h.slice(0, 10)}`);
});

test('BLEU by hand: brevity penalty, effective order, zero 4-gram total', () => {
  // 3 vs 4 tokens: matches 3,2,1,0 of totals 3,2,1,0.
  assert.deepEqual(bleuStats('the cat sat', 'the cat sat down'), [3, 4, 3, 2, 1, 0, 3, 2, 1, 0]);
  // Corpus BLEU: no 4-grams at all → log 0 → 0. Sentence BLEU (effective order 3): 100·e^(1−4/3).
  assert.equal(corpusBleu(['the cat sat'], ['the cat sat down']), 0);
  close(sentenceBleu('the cat sat', 'the cat sat down'), 100 * Math.exp(1 - 4 / 3), 1e-9, 'sentence');
  // exp smoothing: 4 tokens, one unigram miss, no 3/4-gram match: p = 3/4, 1/3, 1/(2·2), 1/(4·1).
  const s = bleuStats('the cat sat up', 'the cat sat down');
  assert.deepEqual(s, [4, 4, 3, 2, 1, 0, 4, 3, 2, 1]);
  close(bleuFromStats(s), 100 * Math.exp((Math.log(3 / 4) + Math.log(2 / 3) + Math.log(1 / 2) + Math.log(1 / 2)) / 4), 1e-9, 'exp smoothing');
});

test('BLEU: 13a tokenisation', () => {
  assert.equal(tokenize13a('Hello, world. It costs $3.50 (approx.)'), 'Hello , world . It costs $ 3.50 ( approx . )');
  assert.equal(tokenize13a('AT&amp;T 1990-1995'), 'AT & T 1990 - 1995');
});

test('BLEU: sacreBLEU test vectors', () => {
  const refs = [
    ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
    ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
  ];
  const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
  const perSentence = hyps.map((_, i) => refs.map((r) => r[i]!));
  close(corpusBleu(hyps, perSentence), 48.530827, 1e-6, 'corpus 13a exp');
  assert.equal(corpusBleu(['', '', ''], perSentence), 0);
  // test_case_statistics: counts [4,2,1,0], totals [6,5,4,3].
  const st = bleuStats('am I am a character sequence', 'I am a symbol string sequence a a');
  assert.deepEqual(st.slice(2), [4, 2, 1, 0, 6, 5, 4, 3]);
  // test_case_scoring: compute_bleu([9,7,5,3], [10,8,6,4], 11, 11) = 0.8375922397.
  close(bleuFromStats([11, 11, 9, 7, 5, 3, 10, 8, 6, 4]) / 100, 0.8375922397, 1e-8, 'scoring');
  // test_sentence_bleu: exp smoothing, 13a, effective order = 8.493; #141 zero case.
  close(sentenceBleu('Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;', 'producţia de zahăr brut se exprimă în zahăr alb;'), 8.493, 1e-3, 'sentence');
  assert.equal(sentenceBleu('this is a cat', 'okay thanks'), 0);
  // test_effective_order vectors without zero matches: "test" vs "a test" = e^-1; equal = 1.
  close(sentenceBleu('test', 'a test') / 100, 0.3678794411714425, 1e-8, 'effective 1');
  close(sentenceBleu('a test', 'a test') / 100, 1, 1e-12, 'effective 2');
});

test('accuracy and macro-F1 by hand', () => {
  // gold / predicted over labels {0,1,2}: (0,0) (0,1) (1,1) (2,1) (2,2)
  const items = [[0, 0], [0, 1], [1, 1], [2, 1], [2, 2]].map(([g, p]) => classifyStats(g!, p!, 3));
  const s = sumStats(items);
  assert.equal(accuracyFromStats(s), 3 / 5);
  // F1: label 0: tp1 fp0 fn1 → 2/3; label 1: tp1 fp2 fn0 → 2/4; label 2: tp1 fp0 fn1 → 2/3.
  close(macroF1FromStats(s), (2 / 3 + 1 / 2 + 2 / 3) / 3, 1e-12, 'macro-F1');
  // A fourth declared label that never occurs is left out (scikit-learn's default label set).
  const four = sumStats([[0, 0], [0, 1], [1, 1], [2, 1], [2, 2]].map(([g, p]) => classifyStats(g!, p!, 4)));
  close(macroF1FromStats(four), (2 / 3 + 1 / 2 + 2 / 3) / 3, 1e-12, 'macro-F1 with an absent label');
  // One gold label, always predicted: F1 = 1 (not 1/#labels).
  assert.equal(macroF1FromStats(sumStats([classifyStats(1, 1, 6), classifyStats(1, 1, 6)])), 1);
});

test('pooled perplexity is not a mean of per-sequence perplexities', () => {
  const s = sumStats([[2, 1, 4], [6, 3, 8]]); // NLL 8 over 4 tokens, 12 characters
  close(perplexityFromStats(s), Math.exp(2), 1e-12, 'ppl');
  close(bitsPerCharFromStats(s), 8 / Math.LN2 / 12, 1e-12, 'bpc');
});
