/**
 * The toy world's concepts and their forms in eight languages of six scripts (issue #15: a
 * synthetic parallel corpus whose structure is known). Every form here was written for the
 * project; agreement and case are spelled out per form rather than derived by suffix rules, so
 * each line can be reviewed by a speaker on its own.
 *
 * Scope, kept small on purpose: one clause, definite subject and object, present tense,
 * affirmative or negated, at most one adjective per noun phrase, no plurals.
 */

export const TOY_LANGUAGES = ['en', 'fr', 'de', 'ru', 'ja', 'zh', 'ar', 'hi'] as const;
export type ToyLanguage = (typeof TOY_LANGUAGES)[number];

export type Gender = 'm' | 'f' | 'n';

export interface NounForms {
  en: string;
  /** French: noun, gender, whether it begins with a vowel sound (l'). */
  fr: { w: string; g: 'm' | 'f'; vowel?: boolean };
  /** German: noun nominative and accusative (weak masculines differ), gender. */
  de: { nom: string; acc?: string; g: Gender };
  /** Russian: nominative, accusative, gender (animacy is the concept's). */
  ru: { nom: string; acc: string; g: Gender };
  ja: string;
  zh: string;
  /** Arabic, definite (with al-), gender. */
  ar: { w: string; g: 'm' | 'f' };
  /** Hindi: direct and oblique forms, gender. */
  hi: { dir: string; obl?: string; g: 'm' | 'f' };
}

export interface Noun {
  id: string;
  animate: boolean;
  human: boolean;
  edible?: boolean;
  /** Small enough to be held or carried. */
  small?: boolean;
  forms: NounForms;
}

const N = (id: string, kind: { animate: boolean; human?: boolean; edible?: boolean; small?: boolean }, forms: NounForms): Noun => ({ id, animate: kind.animate, human: kind.human ?? false, edible: kind.edible, small: kind.small, forms });
const A = { animate: true };
const H = { animate: true, human: true };

export const NOUNS: readonly Noun[] = [
  N('cat', { ...A, small: true }, { en: 'cat', fr: { w: 'chat', g: 'm' }, de: { nom: 'Katze', g: 'f' }, ru: { nom: 'кошка', acc: 'кошку', g: 'f' }, ja: '猫', zh: '猫', ar: { w: 'القط', g: 'm' }, hi: { dir: 'बिल्ली', g: 'f' } }),
  N('dog', A, { en: 'dog', fr: { w: 'chien', g: 'm' }, de: { nom: 'Hund', g: 'm' }, ru: { nom: 'собака', acc: 'собаку', g: 'f' }, ja: '犬', zh: '狗', ar: { w: 'الكلب', g: 'm' }, hi: { dir: 'कुत्ता', obl: 'कुत्ते', g: 'm' } }),
  N('bird', { ...A, small: true }, { en: 'bird', fr: { w: 'oiseau', g: 'm', vowel: true }, de: { nom: 'Vogel', g: 'm' }, ru: { nom: 'птица', acc: 'птицу', g: 'f' }, ja: '鳥', zh: '鸟', ar: { w: 'الطائر', g: 'm' }, hi: { dir: 'चिड़िया', g: 'f' } }),
  N('horse', A, { en: 'horse', fr: { w: 'cheval', g: 'm' }, de: { nom: 'Pferd', g: 'n' }, ru: { nom: 'лошадь', acc: 'лошадь', g: 'f' }, ja: '馬', zh: '马', ar: { w: 'الحصان', g: 'm' }, hi: { dir: 'घोड़ा', obl: 'घोड़े', g: 'm' } }),
  N('fish', { ...A, small: true, edible: true }, { en: 'fish', fr: { w: 'poisson', g: 'm' }, de: { nom: 'Fisch', g: 'm' }, ru: { nom: 'рыба', acc: 'рыбу', g: 'f' }, ja: '魚', zh: '鱼', ar: { w: 'السمكة', g: 'f' }, hi: { dir: 'मछली', g: 'f' } }),
  N('mouse', { ...A, small: true }, { en: 'mouse', fr: { w: 'souris', g: 'f' }, de: { nom: 'Maus', g: 'f' }, ru: { nom: 'мышь', acc: 'мышь', g: 'f' }, ja: 'ネズミ', zh: '老鼠', ar: { w: 'الفأر', g: 'm' }, hi: { dir: 'चूहा', obl: 'चूहे', g: 'm' } }),
  N('elephant', A, { en: 'elephant', fr: { w: 'éléphant', g: 'm', vowel: true }, de: { nom: 'Elefant', acc: 'Elefanten', g: 'm' }, ru: { nom: 'слон', acc: 'слона', g: 'm' }, ja: '象', zh: '大象', ar: { w: 'الفيل', g: 'm' }, hi: { dir: 'हाथी', g: 'm' } }),
  N('girl', H, { en: 'girl', fr: { w: 'fille', g: 'f' }, de: { nom: 'Mädchen', g: 'n' }, ru: { nom: 'девочка', acc: 'девочку', g: 'f' }, ja: '女の子', zh: '女孩', ar: { w: 'البنت', g: 'f' }, hi: { dir: 'लड़की', g: 'f' } }),
  N('boy', H, { en: 'boy', fr: { w: 'garçon', g: 'm' }, de: { nom: 'Junge', acc: 'Jungen', g: 'm' }, ru: { nom: 'мальчик', acc: 'мальчика', g: 'm' }, ja: '男の子', zh: '男孩', ar: { w: 'الولد', g: 'm' }, hi: { dir: 'लड़का', obl: 'लड़के', g: 'm' } }),
  N('teacher', H, { en: 'teacher', fr: { w: 'professeur', g: 'm' }, de: { nom: 'Lehrer', g: 'm' }, ru: { nom: 'учитель', acc: 'учителя', g: 'm' }, ja: '先生', zh: '老师', ar: { w: 'المعلم', g: 'm' }, hi: { dir: 'अध्यापक', g: 'm' } }),
  N('farmer', H, { en: 'farmer', fr: { w: 'fermier', g: 'm' }, de: { nom: 'Bauer', acc: 'Bauern', g: 'm' }, ru: { nom: 'фермер', acc: 'фермера', g: 'm' }, ja: '農夫', zh: '农民', ar: { w: 'المزارع', g: 'm' }, hi: { dir: 'किसान', g: 'm' } }),
  N('doctor', H, { en: 'doctor', fr: { w: 'médecin', g: 'm' }, de: { nom: 'Arzt', g: 'm' }, ru: { nom: 'врач', acc: 'врача', g: 'm' }, ja: '医者', zh: '医生', ar: { w: 'الطبيب', g: 'm' }, hi: { dir: 'डॉक्टर', g: 'm' } }),
  N('apple', { animate: false, edible: true, small: true }, { en: 'apple', fr: { w: 'pomme', g: 'f' }, de: { nom: 'Apfel', g: 'm' }, ru: { nom: 'яблоко', acc: 'яблоко', g: 'n' }, ja: 'りんご', zh: '苹果', ar: { w: 'التفاحة', g: 'f' }, hi: { dir: 'सेब', g: 'm' } }),
  N('book', { animate: false, small: true }, { en: 'book', fr: { w: 'livre', g: 'm' }, de: { nom: 'Buch', g: 'n' }, ru: { nom: 'книга', acc: 'книгу', g: 'f' }, ja: '本', zh: '书', ar: { w: 'الكتاب', g: 'm' }, hi: { dir: 'किताब', g: 'f' } }),
  N('letter', { animate: false, small: true }, { en: 'letter', fr: { w: 'lettre', g: 'f' }, de: { nom: 'Brief', g: 'm' }, ru: { nom: 'письмо', acc: 'письмо', g: 'n' }, ja: '手紙', zh: '信', ar: { w: 'الرسالة', g: 'f' }, hi: { dir: 'चिट्ठी', g: 'f' } }),
  N('house', { animate: false }, { en: 'house', fr: { w: 'maison', g: 'f' }, de: { nom: 'Haus', g: 'n' }, ru: { nom: 'дом', acc: 'дом', g: 'm' }, ja: '家', zh: '房子', ar: { w: 'البيت', g: 'm' }, hi: { dir: 'घर', g: 'm' } }),
  N('tree', { animate: false }, { en: 'tree', fr: { w: 'arbre', g: 'm', vowel: true }, de: { nom: 'Baum', g: 'm' }, ru: { nom: 'дерево', acc: 'дерево', g: 'n' }, ja: '木', zh: '树', ar: { w: 'الشجرة', g: 'f' }, hi: { dir: 'पेड़', g: 'm' } }),
  N('ball', { animate: false, small: true }, { en: 'ball', fr: { w: 'balle', g: 'f' }, de: { nom: 'Ball', g: 'm' }, ru: { nom: 'мяч', acc: 'мяч', g: 'm' }, ja: 'ボール', zh: '球', ar: { w: 'الكرة', g: 'f' }, hi: { dir: 'गेंद', g: 'f' } }),
  N('bread', { animate: false, edible: true, small: true }, { en: 'bread', fr: { w: 'pain', g: 'm' }, de: { nom: 'Brot', g: 'n' }, ru: { nom: 'хлеб', acc: 'хлеб', g: 'm' }, ja: 'パン', zh: '面包', ar: { w: 'الخبز', g: 'm' }, hi: { dir: 'रोटी', g: 'f' } }),
  N('cup', { animate: false, small: true }, { en: 'cup', fr: { w: 'tasse', g: 'f' }, de: { nom: 'Tasse', g: 'f' }, ru: { nom: 'чашка', acc: 'чашку', g: 'f' }, ja: 'カップ', zh: '杯子', ar: { w: 'الفنجان', g: 'm' }, hi: { dir: 'प्याला', obl: 'प्याले', g: 'm' } }),
];

export interface AdjectiveForms {
  en: string;
  /** French masculine, feminine, masculine before a vowel (vieil, nouvel); `pre` = before the noun. */
  fr: { m: string; f: string; mv?: string; pre?: boolean };
  /** German stem; weak endings after the definite article are added by the grammar. */
  de: string;
  /** Russian nominative m/f/n, accusative masculine animate and feminine. */
  ru: { m: string; f: string; n: string; accAnim: string; accF: string };
  ja: string;
  /** Chinese: attached directly (one syllable) or with 的. */
  zh: { w: string; de?: boolean };
  /** Arabic definite masculine and feminine. */
  ar: { m: string; f: string };
  /** Hindi masculine direct, masculine oblique, feminine (the same string for invariant ones). */
  hi: { m: string; obl: string; f: string };
}

export interface Adjective {
  id: string;
  /** Which nouns it may describe. */
  /** Which nouns: size and colour words describe animals and things, not people ("the black girl" reads as another meaning). */
  applies: 'nonhuman' | 'animate' | 'inanimate';
  forms: AdjectiveForms;
}

export const ADJECTIVES: readonly Adjective[] = [
  { id: 'big', applies: 'nonhuman', forms: { en: 'big', fr: { m: 'grand', f: 'grande', pre: true }, de: 'groß', ru: { m: 'большой', f: 'большая', n: 'большое', accAnim: 'большого', accF: 'большую' }, ja: '大きい', zh: { w: '大' }, ar: { m: 'الكبير', f: 'الكبيرة' }, hi: { m: 'बड़ा', obl: 'बड़े', f: 'बड़ी' } } },
  { id: 'small', applies: 'nonhuman', forms: { en: 'small', fr: { m: 'petit', f: 'petite', pre: true }, de: 'klein', ru: { m: 'маленький', f: 'маленькая', n: 'маленькое', accAnim: 'маленького', accF: 'маленькую' }, ja: '小さい', zh: { w: '小' }, ar: { m: 'الصغير', f: 'الصغيرة' }, hi: { m: 'छोटा', obl: 'छोटे', f: 'छोटी' } } },
  { id: 'red', applies: 'inanimate', forms: { en: 'red', fr: { m: 'rouge', f: 'rouge' }, de: 'rot', ru: { m: 'красный', f: 'красная', n: 'красное', accAnim: 'красного', accF: 'красную' }, ja: '赤い', zh: { w: '红' }, ar: { m: 'الأحمر', f: 'الحمراء' }, hi: { m: 'लाल', obl: 'लाल', f: 'लाल' } } },
  { id: 'black', applies: 'nonhuman', forms: { en: 'black', fr: { m: 'noir', f: 'noire' }, de: 'schwarz', ru: { m: 'чёрный', f: 'чёрная', n: 'чёрное', accAnim: 'чёрного', accF: 'чёрную' }, ja: '黒い', zh: { w: '黑' }, ar: { m: 'الأسود', f: 'السوداء' }, hi: { m: 'काला', obl: 'काले', f: 'काली' } } },
  { id: 'white', applies: 'nonhuman', forms: { en: 'white', fr: { m: 'blanc', f: 'blanche' }, de: 'weiß', ru: { m: 'белый', f: 'белая', n: 'белое', accAnim: 'белого', accF: 'белую' }, ja: '白い', zh: { w: '白' }, ar: { m: 'الأبيض', f: 'البيضاء' }, hi: { m: 'सफ़ेद', obl: 'सफ़ेद', f: 'सफ़ेद' } } },
  { id: 'old', applies: 'inanimate', forms: { en: 'old', fr: { m: 'vieux', f: 'vieille', mv: 'vieil', pre: true }, de: 'alt', ru: { m: 'старый', f: 'старая', n: 'старое', accAnim: 'старого', accF: 'старую' }, ja: '古い', zh: { w: '旧' }, ar: { m: 'القديم', f: 'القديمة' }, hi: { m: 'पुराना', obl: 'पुराने', f: 'पुरानी' } } },
  { id: 'new', applies: 'inanimate', forms: { en: 'new', fr: { m: 'nouveau', f: 'nouvelle', mv: 'nouvel', pre: true }, de: 'neu', ru: { m: 'новый', f: 'новая', n: 'новое', accAnim: 'нового', accF: 'новую' }, ja: '新しい', zh: { w: '新' }, ar: { m: 'الجديد', f: 'الجديدة' }, hi: { m: 'नया', obl: 'नए', f: 'नई' } } },
  { id: 'happy', applies: 'animate', forms: { en: 'happy', fr: { m: 'heureux', f: 'heureuse' }, de: 'glücklich', ru: { m: 'весёлый', f: 'весёлая', n: 'весёлое', accAnim: 'весёлого', accF: 'весёлую' }, ja: '幸せな', zh: { w: '快乐', de: true }, ar: { m: 'السعيد', f: 'السعيدة' }, hi: { m: 'खुश', obl: 'खुश', f: 'खुश' } } },
];

export interface VerbForms {
  /** English base and third person singular. */
  en: { base: string; s3: string };
  /** French 3sg; the negation wraps it (ne … pas, n' before a vowel). */
  fr: string;
  /** German 3sg; `deAnimal` where animals take another verb (fressen, not essen). */
  de: string;
  deAnimal?: string;
  ru: string;
  /** Japanese polite affirmative and negative; `ga` = the object takes が (好き). */
  ja: { pos: string; neg: string; ga?: boolean };
  /** Chinese affirmative and negated (不 or 没). */
  zh: { pos: string; neg: string };
  ar: { m: string; f: string };
  /** Hindi stem (…ता/ती है). */
  hi: string;
}

export interface Verb {
  id: string;
  /** Who can do it, and to what. */
  subject: 'any' | 'animate' | 'human';
  object: 'any' | 'edible' | 'small' | 'readable';
  forms: VerbForms;
}

export const VERBS: readonly Verb[] = [
  { id: 'see', subject: 'animate', object: 'any', forms: { en: { base: 'see', s3: 'sees' }, fr: 'voit', de: 'sieht', ru: 'видит', ja: { pos: '見ます', neg: '見ません' }, zh: { pos: '看见', neg: '没看见' }, ar: { m: 'يرى', f: 'ترى' }, hi: 'देख' } },
  { id: 'like', subject: 'animate', object: 'any', forms: { en: { base: 'like', s3: 'likes' }, fr: 'aime', de: 'mag', ru: 'любит', ja: { pos: '好きです', neg: '好きではありません', ga: true }, zh: { pos: '喜欢', neg: '不喜欢' }, ar: { m: 'يحب', f: 'تحب' }, hi: 'पसंद कर' } },
  { id: 'eat', subject: 'animate', object: 'edible', forms: { en: { base: 'eat', s3: 'eats' }, fr: 'mange', de: 'isst', deAnimal: 'frisst', ru: 'ест', ja: { pos: '食べます', neg: '食べません' }, zh: { pos: '吃', neg: '不吃' }, ar: { m: 'يأكل', f: 'تأكل' }, hi: 'खा' } },
  { id: 'hold', subject: 'human', object: 'small', forms: { en: { base: 'hold', s3: 'holds' }, fr: 'tient', de: 'hält', ru: 'держит', ja: { pos: '持っています', neg: '持っていません' }, zh: { pos: '拿着', neg: '没拿着' }, ar: { m: 'يمسك', f: 'تمسك' }, hi: 'पकड़' } },
  { id: 'carry', subject: 'human', object: 'small', forms: { en: { base: 'carry', s3: 'carries' }, fr: 'porte', de: 'trägt', ru: 'несёт', ja: { pos: '運びます', neg: '運びません' }, zh: { pos: '带着', neg: '没带着' }, ar: { m: 'يحمل', f: 'تحمل' }, hi: 'ले जा' } },
  { id: 'wash', subject: 'human', object: 'any', forms: { en: { base: 'wash', s3: 'washes' }, fr: 'lave', de: 'wäscht', ru: 'моет', ja: { pos: '洗います', neg: '洗いません' }, zh: { pos: '洗', neg: '不洗' }, ar: { m: 'يغسل', f: 'تغسل' }, hi: 'धो' } },
  { id: 'find', subject: 'animate', object: 'any', forms: { en: { base: 'find', s3: 'finds' }, fr: 'trouve', de: 'findet', ru: 'находит', ja: { pos: '見つけます', neg: '見つけません' }, zh: { pos: '找到', neg: '没找到' }, ar: { m: 'يجد', f: 'تجد' }, hi: 'पा' } },
  { id: 'read', subject: 'human', object: 'readable', forms: { en: { base: 'read', s3: 'reads' }, fr: 'lit', de: 'liest', ru: 'читает', ja: { pos: '読みます', neg: '読みません' }, zh: { pos: '读', neg: '不读' }, ar: { m: 'يقرأ', f: 'تقرأ' }, hi: 'पढ़' } },
];

export function canDo(v: Verb, subject: Noun, object: Noun): boolean {
  if (subject.id === object.id) return false;
  if (v.subject === 'animate' && !subject.animate) return false;
  if (v.subject === 'human' && !subject.human) return false;
  if (v.object === 'edible' && !object.edible) return false;
  if (v.object === 'small' && !object.small) return false;
  if (v.object === 'readable' && !(object.id === 'book' || object.id === 'letter')) return false;
  return true;
}

export function canDescribe(a: Adjective, n: Noun): boolean {
  if (a.applies === 'nonhuman') return !n.human;
  return (a.applies === 'animate') === n.animate;
}

/** Sizes in the toy world (the `size` task's gold scores, 1–5). */
export const ANIMAL_SIZE: Readonly<Record<string, number>> = { mouse: 1, bird: 1, fish: 2, cat: 2, dog: 3, horse: 4, elephant: 5 };
