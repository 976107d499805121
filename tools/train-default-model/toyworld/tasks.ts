/**
 * Instruction-following items on toy-world clauses, with the instruction in English or in the
 * clause's own language (the instruction-language study, methods.md §6) and a numeric score
 * (the numeric-bias study, §7). Answers are known from the lexicon, so accuracy and rank
 * correlation are measurable on a model trained with them.
 */
import type { ToyRecord } from './generate';
import { ANIMAL_SIZE, NOUNS, type ToyLanguage } from './lexicon';

export const YES_NO: Readonly<Record<ToyLanguage, [string, string]>> = {
  en: ['yes', 'no'], fr: ['oui', 'non'], de: ['ja', 'nein'], ru: ['да', 'нет'], ja: ['はい', 'いいえ'], zh: ['是', '不是'], ar: ['نعم', 'لا'], hi: ['हाँ', 'नहीं'],
};

/** "Is the subject of this sentence an animal? Answer yes or no." per language. */
export const ANIMAL_QUESTION: Readonly<Record<ToyLanguage, string>> = {
  en: 'Is the subject of this sentence an animal? Answer yes or no.',
  fr: 'Le sujet de cette phrase est-il un animal ? Répondez par oui ou non.',
  de: 'Ist das Subjekt dieses Satzes ein Tier? Antworte mit ja oder nein.',
  ru: 'Является ли подлежащее этого предложения животным? Ответьте да или нет.',
  ja: 'この文の主語は動物ですか。はいかいいえで答えてください。',
  zh: '这个句子的主语是动物吗？请回答是或不是。',
  ar: 'هل فاعل هذه الجملة حيوان؟ أجب بنعم أو لا.',
  hi: 'क्या इस वाक्य का कर्ता कोई जानवर है? हाँ या नहीं में उत्तर दें।',
};

/** "How big is the subject of this sentence, from 1 to 5?" per language. */
export const SIZE_QUESTION: Readonly<Record<ToyLanguage, string>> = {
  en: 'How big is the subject of this sentence, from 1 to 5?',
  fr: 'Quelle est la taille du sujet de cette phrase, de 1 à 5 ?',
  de: 'Wie groß ist das Subjekt dieses Satzes, von 1 bis 5?',
  ru: 'Насколько велико подлежащее этого предложения, от 1 до 5?',
  ja: 'この文の主語の大きさは1から5でいくつですか。',
  zh: '这个句子的主语有多大，从1到5？',
  ar: 'ما حجم فاعل هذه الجملة من 1 إلى 5؟',
  hi: 'इस वाक्य का कर्ता 1 से 5 में कितना बड़ा है?',
};

export const ANSWER: Readonly<Record<ToyLanguage, string>> = { en: 'Answer', fr: 'Réponse', de: 'Antwort', ru: 'Ответ', ja: '答え', zh: '回答', ar: 'الجواب', hi: 'उत्तर' };
export const SENTENCE: Readonly<Record<ToyLanguage, string>> = { en: 'Sentence', fr: 'Phrase', de: 'Satz', ru: 'Предложение', ja: '文', zh: '句子', ar: 'الجملة', hi: 'वाक्य' };

export interface TaskItem {
  task: 'animal' | 'size';
  /** Language of the clause (and of the expected answer). */
  lang: ToyLanguage;
  /** Language of the instruction: English or the clause's own. */
  instruction: ToyLanguage;
  prompt: string;
  answer: string;
}

function humanSubject(r: ToyRecord): boolean {
  return NOUNS.find((n) => n.id === r.clause.subject.noun)!.human;
}

/**
 * The items of one record in `lang`: the yes/no question always, the size question when the
 * subject is an animal; each with the instruction in English and in `lang` (once for English).
 * Labels follow the instruction's language, as the study's target-language variant does.
 */
export function taskItems(r: ToyRecord, lang: ToyLanguage): TaskItem[] {
  const items: TaskItem[] = [];
  for (const instruction of lang === 'en' ? (['en'] as const) : (['en', lang] as const)) {
    const head = `${SENTENCE[instruction]}: ${r.text[lang]}\n`;
    items.push({ task: 'animal', lang, instruction, prompt: `${ANIMAL_QUESTION[instruction]}\n${head}${ANSWER[instruction]}:`, answer: YES_NO[instruction][humanSubject(r) ? 1 : 0] });
    const size = ANIMAL_SIZE[r.clause.subject.noun];
    if (size !== undefined) items.push({ task: 'size', lang, instruction, prompt: `${SIZE_QUESTION[instruction]}\n${head}${ANSWER[instruction]}:`, answer: String(size) });
  }
  return items;
}
