/**
 * The toy world (issue #15's synthetic parallel corpus): hand-reviewed renderings in all eight
 * languages, agreement rules checked over every clause, a held-out split that never leaks, and
 * task answers that follow from the lexicon.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allClauses, isHeldOut, records, sample } from '../../tools/train-default-model/toyworld/generate';
import { realise, type Clause } from '../../tools/train-default-model/toyworld/grammar';
import { ANIMAL_SIZE, NOUNS, TOY_LANGUAGES } from '../../tools/train-default-model/toyworld/lexicon';
import { taskItems, YES_NO } from '../../tools/train-default-model/toyworld/tasks';
import { toyWords, toyWordsJsonl } from '../../tools/train-default-model/lens-words';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const all = records();
const noun = (id: string) => NOUNS.find((n) => n.id === id)!;

test('hand-reviewed clauses: word order, case, agreement, elision and negation in eight languages', () => {
  const cases: [Clause, Record<string, string>][] = [
    [{ subject: { noun: 'dog', adj: 'big' }, verb: 'see', object: { noun: 'cat', adj: 'small' }, negated: false }, {
      en: 'The big dog sees the small cat.', fr: 'Le grand chien voit le petit chat.', de: 'Der große Hund sieht die kleine Katze.',
      ru: 'Большая собака видит маленькую кошку.', ja: '大きい犬は小さい猫を見ます。', zh: '大狗看见小猫。',
      ar: 'الكلب الكبير يرى القط الصغير.', hi: 'बड़ा कुत्ता छोटी बिल्ली को देखता है।' }],
    [{ subject: { noun: 'girl', adj: 'happy' }, verb: 'read', object: { noun: 'book', adj: 'old' }, negated: true }, {
      en: 'The happy girl does not read the old book.', fr: 'La fille heureuse ne lit pas le vieux livre.', de: 'Das glückliche Mädchen liest das alte Buch nicht.',
      ru: 'Весёлая девочка не читает старую книгу.', ja: '幸せな女の子は古い本を読みません。', zh: '快乐的女孩不读旧书。',
      ar: 'البنت السعيدة لا تقرأ الكتاب القديم.', hi: 'खुश लड़की पुरानी किताब नहीं पढ़ती।' }],
    [{ subject: { noun: 'boy' }, verb: 'like', object: { noun: 'elephant', adj: 'big' }, negated: false }, {
      en: 'The boy likes the big elephant.', fr: 'Le garçon aime le grand éléphant.', de: 'Der Junge mag den großen Elefanten.',
      ru: 'Мальчик любит большого слона.', ja: '男の子は大きい象が好きです。', zh: '男孩喜欢很大的大象。',
      ar: 'الولد يحب الفيل الكبير.', hi: 'लड़का बड़े हाथी को पसंद करता है।' }],
    [{ subject: { noun: 'teacher' }, verb: 'wash', object: { noun: 'tree', adj: 'old' }, negated: true }, {
      en: 'The teacher does not wash the old tree.', fr: 'Le professeur ne lave pas le vieil arbre.', de: 'Der Lehrer wäscht den alten Baum nicht.',
      ru: 'Учитель не моет старое дерево.', ja: '先生は古い木を洗いません。', zh: '老师不洗旧树。',
      ar: 'المعلم لا يغسل الشجرة القديمة.', hi: 'अध्यापक पुराना पेड़ नहीं धोता।' }],
    [{ subject: { noun: 'horse' }, verb: 'eat', object: { noun: 'apple' }, negated: false }, {
      en: 'The horse eats the apple.', fr: "Le cheval mange la pomme.", de: 'Das Pferd frisst den Apfel.',
      ru: 'Лошадь ест яблоко.', ja: '馬はりんごを食べます。', zh: '马吃苹果。', ar: 'الحصان يأكل التفاحة.', hi: 'घोड़ा सेब खाता है।' }],
    [{ subject: { noun: 'doctor' }, verb: 'find', object: { noun: 'bird', adj: 'white' }, negated: false }, {
      en: 'The doctor finds the white bird.', fr: "Le médecin trouve l'oiseau blanc.", de: 'Der Arzt findet den weißen Vogel.',
      ru: 'Врач находит белую птицу.', ja: '医者は白い鳥を見つけます。', zh: '医生找到白鸟。', ar: 'الطبيب يجد الطائر الأبيض.', hi: 'डॉक्टर सफ़ेद चिड़िया को पाता है।' }],
  ];
  for (const [c, want] of cases) for (const l of TOY_LANGUAGES) assert.equal(realise(c, l), want[l], `${l}: ${JSON.stringify(c)}`);
});

test('agreement rules hold on every clause', () => {
  assert.ok(all.length > 40000);
  for (const r of all) {
    const { subject, object, negated } = r.clause;
    const t = r.text;
    assert.equal(t.en.includes(' does not '), negated);
    assert.equal(/ ne | n'/.test(t.fr), negated, t.fr);
    assert.ok(!/\b(le|la) [aeiouéè]/i.test(t.fr), `elision: ${t.fr}`);
    assert.equal(t.de.endsWith(' nicht.'), negated);
    // German: a masculine object takes den; the subject never does.
    const o = noun(object.noun);
    if (o.forms.de.g === 'm') assert.ok(/ den /.test(t.de), t.de);
    assert.ok(!t.de.startsWith('Den '), t.de);
    // Russian: no accusative-looking subject, negation before the verb.
    assert.equal(t.ru.includes(' не '), negated);
    // Japanese: topic は, object を or が, SOV with the verb last.
    assert.match(t.ja, /^[^は]+は.+[をが].+。$/u);
    // Hindi: animate objects take को, things never; the verb agrees with the subject's gender.
    assert.equal(t.hi.includes(' को '), o.animate, t.hi);
    const s = noun(subject.noun);
    assert.match(t.hi, s.forms.hi.g === 'f' ? /ती( है)?।$/u : /ता( है)?।$/u);
    // Arabic: the verb's prefix agrees with the subject (ت feminine, ي masculine).
    const verb = t.ar.split(' ').find((w) => /^[يت]/u.test(w) && w !== 'لا')!;
    assert.equal(verb.startsWith('ت'), s.forms.ar.g === 'f', t.ar);
  }
});

test('held-out combinations never reach the training split; the split is a property of the combination', () => {
  const trainTriples = new Set(all.filter((r) => r.split === 'train').map((r) => `${r.clause.subject.noun}|${r.clause.verb}|${r.clause.object.noun}`));
  const test = all.filter((r) => r.split === 'test');
  assert.ok(test.length / all.length > 0.1 && test.length / all.length < 0.25, `test share ${test.length / all.length}`);
  for (const r of test) assert.ok(!trainTriples.has(`${r.clause.subject.noun}|${r.clause.verb}|${r.clause.object.noun}`));
  assert.equal(isHeldOut('cat', 'see', 'horse'), true);
  assert.deepEqual(sample(all, 'test', 5, 7).map((r) => r.id), sample(all, 'test', 5, 7).map((r) => r.id));
  assert.notDeepEqual(sample(all, 'test', 5, 7).map((r) => r.id), sample(all, 'test', 5, 8).map((r) => r.id));
  assert.equal(allClauses().length, all.length);
});

test('task answers follow the lexicon; instructions in English and in the clause language', () => {
  const r = all.find((x) => x.id === '.elephant..see..cup')!;
  const items = taskItems(r, 'fr');
  assert.deepEqual(items.map((i) => [i.task, i.instruction, i.answer]), [['animal', 'en', 'yes'], ['size', 'en', '5'], ['animal', 'fr', 'oui'], ['size', 'fr', '5']]);
  assert.ok(items[2]!.prompt.startsWith('Le sujet de cette phrase est-il un animal ?'));
  assert.ok(items[2]!.prompt.includes("Phrase : ") === false && items[2]!.prompt.includes('Phrase: ') && items[2]!.prompt.endsWith('Réponse:'));
  const human = taskItems(all.find((x) => x.clause.subject.noun === 'girl')!, 'ja');
  assert.deepEqual(human.map((i) => i.answer), [YES_NO.en[1], YES_NO.ja[1]]);
  assert.deepEqual(Object.keys(ANIMAL_SIZE).sort(), NOUNS.filter((n) => n.animate && !n.human).map((n) => n.id).sort());
});

test('the committed lens word list (examples/lens/toyworld-words.jsonl) is lens-words.ts\'s output: 36 words in all eight languages', () => {
  const file = readFileSync(join(__dirname, '..', '..', 'examples', 'lens', 'toyworld-words.jsonl'), 'utf8');
  assert.equal(file, toyWordsJsonl());
  const words = toyWords();
  assert.equal(words.length, 36);
  for (const w of words) assert.deepEqual(Object.keys(w), [...TOY_LANGUAGES]);
  assert.deepEqual(words[0], { en: 'cat', fr: 'chat', de: 'Katze', ru: 'кошка', ja: '猫', zh: '猫', ar: 'القط', hi: 'बिल्ली' });
});
