/**
 * Writes the toy world's evaluation files into examples/ (issue #15), all from held-out clauses
 * (combinations never trained on in any language), except the translation demonstrations, which
 * come from training clauses as a dev split does:
 * - examples/eval/toyworld/test.jsonl, dev.jsonl: parallel `{"lang","text"}` lines (the nth line
 *   of every language is the same clause), for `eval --task translate`;
 * - examples/studies/animal.prompt (English instruction) and animal.LANG.prompt (the same in
 *   LANG, with LANG's labels), animal.jsonl: the yes/no task for `compare-instructions`;
 * - examples/studies/size.prompt, size.jsonl: the 1–5 size question for `bias`;
 * - examples/studies/mtqe.prompt, mtqe.jsonl: translation quality of English → X toy-world
 *   translations for `bias`, grouped by language pair (`lang: en-fr`): the correct translation
 *   (gold 5), the same clause with its negation flipped (gold 3), another clause (gold 1). The
 *   model was never trained on this question: a demo of the pair grouping and of peaked answers;
 * - examples/studies/animal-fr.prompt and its variants, animal-fr.jsonl: the yes/no question on
 *   40 held-out French clauses with every instruction × label language of Enomoto et al.'s table:
 *   English (`variant: en`), French (`fr`), the crossings (`en_fr`: English instruction asking for
 *   oui/non, `fr_en`: French instruction asking for yes/no) and a word-for-word French rendering
 *   of the English instruction (`mt`). The model was trained on the first two only;
 * - examples/eval/toyworld/animal-fr.jsonl: 24 of these French items as zero-shot label-scoring data
 *   for examples/eval/toyworld/animal.prompt (the first run's zero-shot task).
 * The prompt files render exactly the text the default model's instruction items were trained
 * on (toyworld/tasks.ts), so the studies measure the trained behaviour, not a paraphrase.
 *
 * Usage: node --import tsx tools/train-default-model/write-eval-data.ts [ROOT]   (default: .)
 * test/tools/toyworldEvalData.test.ts checks the committed files equal this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { records, sample, type ToyRecord } from './toyworld/generate';
import { realise } from './toyworld/grammar';
import { languageName } from '../../src/shared/languages';
import { ANIMAL_SIZE, NOUNS, TOY_LANGUAGES, type ToyLanguage } from './toyworld/lexicon';
import { ANIMAL_QUESTION, ANSWER, SENTENCE, SIZE_QUESTION, YES_NO } from './toyworld/tasks';

export const TRANSLATE_TEST = 50;
export const TRANSLATE_DEV = 50;
export const STUDY_ITEMS_PER_LANGUAGE = 12;
export const FRENCH_STUDY_ITEMS = 40;
/** Study 1's zero-shot demo (Kim et al.'s Tables 2–3 on the toy world): items per language and question. */
export const ZERO_SHOT_ITEMS_PER_LANGUAGE = 100;
const SEED = 2024;

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function parallel(rs: readonly ToyRecord[]): string {
  return jsonl(TOY_LANGUAGES.flatMap((lang) => rs.map((r) => ({ lang, text: r.text[lang] }))));
}

/**
 * A Dotprompt file whose body renders the trained item text. `scoreSeparator` for `bias`, whose
 * digits are appended directly to the rendered text: the model was trained on "Answer: 3", and a
 * trailing space in the body would be trimmed as Dotprompt trims bodies, so the space comes
 * from a variable (`input.default.scoreSeparator`).
 */
function promptFile(front: string, question: string, lang: ToyLanguage, scoreSeparator: boolean): string {
  return `---\n${front}---\n${question}\n${SENTENCE[lang]}: {{text}}\n${ANSWER[lang]}:${scoreSeparator ? '{{scoreSeparator}}' : ''}\n`;
}

const yaml = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function evalFiles(): Map<string, string> {
  const all = records();
  const files = new Map<string, string>();
  const test = sample(all, 'test', TRANSLATE_TEST, SEED);
  files.set('examples/eval/toyworld/test.jsonl', parallel(test));
  files.set('examples/eval/toyworld/dev.jsonl', parallel(sample(all, 'train', TRANSLATE_DEV, SEED)));

  // Study items: held-out clauses not used by the translation test, balanced yes/no for `animal`.
  const pool = sample(all, 'test', 4000, SEED + 1).slice(TRANSLATE_TEST);
  const human = (r: ToyRecord) => NOUNS.find((n) => n.id === r.clause.subject.noun)!.human;
  const animalItems = TOY_LANGUAGES.flatMap((lang, li) => {
    const mine = pool.slice(li * 200, (li + 1) * 200);
    const half = STUDY_ITEMS_PER_LANGUAGE / 2;
    return [...mine.filter((r) => !human(r)).slice(0, half), ...mine.filter(human).slice(0, half)]
      .map((r) => ({ lang, text: r.text[lang], label: human(r) ? 1 : 0 }));
  });
  files.set('examples/studies/animal.jsonl', jsonl(animalItems));
  const sizeItems = TOY_LANGUAGES.flatMap((lang, li) =>
    pool.slice(li * 200, (li + 1) * 200).filter((r) => !human(r)).slice(0, STUDY_ITEMS_PER_LANGUAGE)
      .map((r) => ({ lang, text: r.text[lang], gold: ANIMAL_SIZE[r.clause.subject.noun]! })));
  files.set('examples/studies/size.jsonl', jsonl(sizeItems));

  for (const lang of TOY_LANGUAGES) {
    const labels = `polyglot.labels: [${YES_NO[lang].join(', ')}]\nconfig:\n  maxOutputTokens: 8\n`;
    const front = lang === 'en'
      ? `description: ${yaml('Toy-world instruction study (methods.md §6): is the subject an animal? English instruction (variant: en names its language for the tables). Variants beside it ask the same in each toy-world language with that language\'s labels (animal.fr.prompt, …). Items: animal.jsonl (held-out clauses, 8 languages; label 0 = yes, 1 = no).')}\nvariant: en\n${labels}input:\n  default:\n    text: ${yaml(test[0]!.text.fr)}\n`
      : `description: ${yaml(`The animal question with the instruction and labels in ${lang}.`)}\n${labels}`;
    files.set(`examples/studies/animal${lang === 'en' ? '' : `.${lang}`}.prompt`, promptFile(front, ANIMAL_QUESTION[lang], lang, false));
  }
  const sizeFront = `description: ${yaml('Toy-world numeric study (methods.md §7): how big is the subject, from 1 to 5? The default model was trained on this question with the scale 1-5 only. Items: size.jsonl (held-out clauses with animal subjects, gold = the toy world\'s size). bias appends the score\'s digits directly to the rendered text and the model was trained on "Answer: 3", so the body ends with {{scoreSeparator}} (a space; a literal trailing space would be trimmed with the body).')}\npolyglot.scores: {min: 1, max: 5}\ninput:\n  default:\n    text: ${yaml(test.find((r) => ANIMAL_SIZE[r.clause.subject.noun] !== undefined)!.text.en)}\n    scoreSeparator: ' '\n`;
  files.set('examples/studies/size.prompt', promptFile(sizeFront, SIZE_QUESTION.en.replace('1 to 5', '{{scoreMin}} to {{scoreMax}}'), 'en', true));

  // Every instruction × label language on French items (the first run's instruction table).
  const frPool = pool.slice(TOY_LANGUAGES.length * 200 + 7 * 24, TOY_LANGUAGES.length * 200 + 7 * 24 + 400);
  const frItems = [...frPool.filter((r) => !human(r)).slice(0, FRENCH_STUDY_ITEMS / 2), ...frPool.filter(human).slice(0, FRENCH_STUDY_ITEMS / 2)]
    .map((r) => ({ lang: 'fr', text: r.text.fr, label: human(r) ? 1 : 0 }));
  files.set('examples/studies/animal-fr.jsonl', jsonl(frItems));
  // 24 of the same items (12 yes, 12 no) as zero-shot label scoring with Study 1's animal.prompt (English
  // template and labels): small enough for the first run (`overview`), enough for a random-pruning collapse to be significant.
  const zeroShot = [...frItems.slice(0, 12), ...frItems.slice(FRENCH_STUDY_ITEMS / 2, FRENCH_STUDY_ITEMS / 2 + 12)];
  files.set('examples/eval/toyworld/animal-fr.jsonl', jsonl(zeroShot.map((x) => ({ lang: x.lang, text: x.text, label: YES_NO.en[x.label]! }))));
  const crossed: [string, string, ToyLanguage, readonly string[]][] = [
    ['', ANIMAL_QUESTION.en, 'en', YES_NO.en],
    ['en_fr', ANIMAL_QUESTION.en.replace('yes or no', 'oui or non'), 'en', YES_NO.fr],
    ['fr', ANIMAL_QUESTION.fr, 'fr', YES_NO.fr],
    ['fr_en', ANIMAL_QUESTION.fr.replace('oui ou non', 'yes ou no'), 'fr', YES_NO.en],
    // A word-for-word rendering of the English instruction, as a poor machine translation gives it.
    ['mt', 'Est le sujet de cette phrase un animal ? Réponse oui ou non.', 'fr', YES_NO.fr],
  ];
  for (const [name, question, lang, labels] of crossed) {
    const what = name === '' ? 'English instruction, English labels (variant: en)' : name === 'en_fr' ? 'English instruction asking for the French labels' : name === 'fr' ? 'French instruction, French labels' : name === 'fr_en' ? 'French instruction asking for the English labels' : 'a word-for-word (machine-style) French rendering of the English instruction, French labels';
    const front = `description: ${yaml(`The animal question on French items (animal-fr.jsonl), ${what}. Variants beside it cross instruction and label language (methods.md §6).`)}\n${name === '' ? 'variant: en\n' : ''}polyglot.labels: [${labels.join(', ')}]\nconfig:\n  maxOutputTokens: 4\n${name === '' ? `input:\n  default:\n    text: ${yaml(frItems[0]!.text)}\n` : ''}`;
    files.set(`examples/studies/animal-fr${name ? `.${name}` : ''}.prompt`, promptFile(front, question, lang, false));
  }

  // Translation quality by language pair: 4 correct, 4 with the negation flipped, 4 wrong clauses per pair.
  const mtqePool = pool.slice(TOY_LANGUAGES.length * 200);
  const mtqeItems = TOY_LANGUAGES.filter((l) => l !== 'en').flatMap((tgt, ti) => {
    const mine = mtqePool.slice(ti * 24, (ti + 1) * 24);
    return mine.slice(0, STUDY_ITEMS_PER_LANGUAGE).map((r, k) => {
      const kind = k % 3;
      const translation = kind === 0 ? r.text[tgt] : kind === 1 ? realise({ ...r.clause, negated: !r.clause.negated }, tgt) : mine[STUDY_ITEMS_PER_LANGUAGE + k]!.text[tgt];
      return { lang: `en-${tgt}`, target: languageName(tgt), source: r.text.en, translation, gold: kind === 0 ? 5 : kind === 1 ? 3 : 1 };
    });
  });
  files.set('examples/studies/mtqe.jsonl', jsonl(mtqeItems));
  const mtqeFront = `description: ${yaml('Numeric-bias demo by language pair (methods.md §7, Sato et al.\'s MT quality estimation): how good is an English → X translation of a held-out toy-world clause, from 1 to 5? Items: mtqe.jsonl, lang = the pair (en-fr, …), gold 5 = correct, 3 = negation flipped, 1 = another clause. The default model was never trained on this question: expect peaked answers and no correlation; the tables and files are those a real evaluator model is measured with.')}\npolyglot.scores: {min: 1, max: 5}\ninput:\n  default:\n    source: ${yaml(mtqeItems[0]!.source)}\n    target: French\n    translation: ${yaml(mtqeItems[0]!.translation)}\n    scoreSeparator: ' '\n`;
  files.set('examples/studies/mtqe.prompt', `---\n${mtqeFront}---\nHow good is this translation, from {{scoreMin}} (wrong) to {{scoreMax}} (perfect)?\nEnglish: {{source}}\n{{target}}: {{translation}}\nAnswer:{{scoreSeparator}}\n`);
  zeroShotFiles(all, test, files);
  return files;
}

/**
 * Study 1's zero-shot demo (issue #23): the toy world's two questions as label-scoring
 * classification, the English instruction and English labels for every clause language (the
 * paper's English-template setting), on the same 100 held-out clauses in all eight languages (as
 * XNLI is parallel), none of them in the translation test: `animal.jsonl` (50 yes, 50 no) and
 * `size.jsonl` (animal subjects, gold size 1–5), with `animal.prompt` / `size.prompt`.
 */
function zeroShotFiles(all: readonly ToyRecord[], translationTest: readonly ToyRecord[], files: Map<string, string>): void {
  const taken = new Set(translationTest.map((r) => r.text.en));
  const pool = sample(all, 'test', 8000, SEED + 2).filter((r) => !taken.has(r.text.en));
  const human = (r: ToyRecord) => NOUNS.find((n) => n.id === r.clause.subject.noun)!.human;
  const half = ZERO_SHOT_ITEMS_PER_LANGUAGE / 2;
  const animal = [...pool.filter((r) => !human(r)).slice(0, half), ...pool.filter(human).slice(0, half)];
  const sized = pool.filter((r) => ANIMAL_SIZE[r.clause.subject.noun] !== undefined).slice(half, half + ZERO_SHOT_ITEMS_PER_LANGUAGE);
  files.set('examples/eval/toyworld/animal.jsonl', jsonl(TOY_LANGUAGES.flatMap((lang) => animal.map((r) => ({ lang, text: r.text[lang], label: YES_NO.en[human(r) ? 1 : 0] })))));
  files.set('examples/eval/toyworld/size.jsonl', jsonl(TOY_LANGUAGES.flatMap((lang) => sized.map((r) => ({ lang, text: r.text[lang], label: String(ANIMAL_SIZE[r.clause.subject.noun]!) })))));
  const evalBlock = (data: string, models = ['default', 'default@wanda:mt:fr-en:0.5', 'default@random:0.5']) => `polyglot.scoring: sequence-mean\npolyglot.eval:\n  task: classify\n  dataset: ${data}\n  models: [${models.join(', ')}]\n`;
  // The paper's five rows (docs/studies.md): θ^Prog's code side is the engine's own source, LRP2 each language's own.
  const paperRows = ['default', 'default@wanda:mt:fr-en:0.5', `'default@prog:mt:zh-en+code:../../../src/engine/**/*.ts:0.5'`, 'default@random:0.5', 'default@lrp2'];
  const animalFront = `description: ${yaml('Study 1 zero-shot demo (Kim et al. 2024, the XNLI/MARC tables on the toy world): is the subject an animal? The English instruction and labels for every clause language; each label fills {{label}} and the most probable filled-in sequence wins (sequence-mean, methods.md §5). Items: animal.jsonl, 100 held-out clauses in each of 8 languages (50 yes, 50 no). Evaluate (or polyglot-lens eval --task classify) compares the paper\'s rows: dense θ, θ_{Fr-En}, θ^{Prog}_{Zh-En}, θ_Rand and LRP2.')}\npolyglot.labels: [${YES_NO.en.join(', ')}]\n${evalBlock('animal.jsonl', paperRows)}input:\n  default:\n    text: ${yaml(animal[0]!.text.fr)}\n`;
  files.set('examples/eval/toyworld/animal.prompt', `---\n${animalFront}---\n${ANIMAL_QUESTION.en}\n${SENTENCE.en}: {{text}}\n${ANSWER.en}: {{label}}\n`);
  const sizeFront = `description: ${yaml('Study 1 zero-shot demo, five classes: how big is the subject, from 1 to 5 (the toy world\'s sizes: mouse and bird 1, fish and cat 2, dog 3, horse 4, elephant 5)? English instruction for every clause language; label scoring as animal.prompt. Items: size.jsonl, 100 held-out clauses with animal subjects in each of 8 languages.')}\npolyglot.labels: ['1', '2', '3', '4', '5']\n${evalBlock('size.jsonl')}input:\n  default:\n    text: ${yaml(sized[0]!.text.de)}\n`;
  files.set('examples/eval/toyworld/size.prompt', `---\n${sizeFront}---\n${SIZE_QUESTION.en}\n${SENTENCE.en}: {{text}}\n${ANSWER.en}: {{label}}\n`);
}

if (require.main === module) {
  const root = process.argv[2] ?? '.';
  const files = evalFiles();
  for (const [path, text] of files) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  console.log([...files.keys()].join('\n'));
}
