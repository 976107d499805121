/**
 * Realises one toy-world clause in each language: word order (SVO; SOV in Japanese and Hindi),
 * articles and elision (French), case (German and Russian accusative, Hindi को on animate
 * objects with oblique forms), adjective position and agreement (gender, case, definiteness in
 * Arabic), verb agreement with the subject's gender (Arabic, Hindi) and each language's negation.
 */
import { ADJECTIVES, NOUNS, VERBS, type Adjective, type Noun, type ToyLanguage, type Verb } from './lexicon';

export interface Phrase {
  noun: string;
  adj?: string;
}

export interface Clause {
  subject: Phrase;
  verb: string;
  object: Phrase;
  negated: boolean;
}

const byId = <T extends { id: string }>(xs: readonly T[], id: string, what: string): T => {
  const x = xs.find((v) => v.id === id);
  if (!x) throw new Error(`unknown ${what} ${id}`);
  return x;
};

interface Resolved {
  s: Noun;
  sa?: Adjective;
  v: Verb;
  o: Noun;
  oa?: Adjective;
  neg: boolean;
}

function resolve(c: Clause): Resolved {
  return {
    s: byId(NOUNS, c.subject.noun, 'noun'),
    sa: c.subject.adj ? byId(ADJECTIVES, c.subject.adj, 'adjective') : undefined,
    v: byId(VERBS, c.verb, 'verb'),
    o: byId(NOUNS, c.object.noun, 'noun'),
    oa: c.object.adj ? byId(ADJECTIVES, c.object.adj, 'adjective') : undefined,
    neg: c.negated,
  };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function en(r: Resolved): string {
  const np = (n: Noun, a?: Adjective): string => `the ${a ? `${a.forms.en} ` : ''}${n.forms.en}`;
  const verb = r.neg ? `does not ${r.v.forms.en.base}` : r.v.forms.en.s3;
  return `${cap(np(r.s, r.sa))} ${verb} ${np(r.o, r.oa)}.`;
}

function fr(r: Resolved): string {
  const np = (n: Noun, a?: Adjective): string => {
    const { w, g, vowel } = n.forms.fr;
    if (!a) return `${vowel ? "l'" : g === 'm' ? 'le ' : 'la '}${w}`;
    const f = a.forms.fr;
    if (f.pre) {
      const adj = g === 'f' ? f.f : vowel && f.mv ? f.mv : f.m;
      const elide = /^[aeiouéèêh]/i.test(adj) && g === 'm';
      return `${elide ? "l'" : g === 'm' ? 'le ' : 'la '}${adj} ${w}`;
    }
    return `${vowel ? "l'" : g === 'm' ? 'le ' : 'la '}${w} ${g === 'f' ? f.f : f.m}`;
  };
  const verb = r.v.forms.fr;
  const v = r.neg ? `${/^[aeiouéèêh]/i.test(verb) ? "n'" : 'ne '}${verb} pas` : verb;
  return `${cap(np(r.s, r.sa))} ${v} ${np(r.o, r.oa)}.`;
}

function de(r: Resolved): string {
  const np = (n: Noun, a: Adjective | undefined, acc: boolean): string => {
    const { nom, acc: accForm, g } = n.forms.de;
    const art = acc ? { m: 'den', f: 'die', n: 'das' }[g] : { m: 'der', f: 'die', n: 'das' }[g];
    // Weak declension after the definite article: -e, but -en in the masculine accusative.
    const adj = a ? `${a.forms.de}${acc && g === 'm' ? 'en' : 'e'} ` : '';
    return `${art} ${adj}${acc ? accForm ?? nom : nom}`;
  };
  // Definite objects: nicht after the object, at the end of the clause.
  const verb = !r.s.human && r.v.forms.deAnimal ? r.v.forms.deAnimal : r.v.forms.de;
  return `${cap(np(r.s, r.sa, false))} ${verb} ${np(r.o, r.oa, true)}${r.neg ? ' nicht' : ''}.`;
}

function ru(r: Resolved): string {
  const np = (n: Noun, a: Adjective | undefined, acc: boolean): string => {
    const f = n.forms.ru;
    let adj = '';
    if (a) {
      const x = a.forms.ru;
      if (!acc) adj = x[f.g];
      else if (f.g === 'f') adj = x.accF;
      else if (f.g === 'm' && n.animate) adj = x.accAnim;
      else adj = x[f.g];
    }
    return `${adj ? `${adj} ` : ''}${acc ? f.acc : f.nom}`;
  };
  return `${cap(np(r.s, r.sa, false))} ${r.neg ? 'не ' : ''}${r.v.forms.ru} ${np(r.o, r.oa, true)}.`;
}

function ja(r: Resolved): string {
  const np = (n: Noun, a?: Adjective): string => `${a ? a.forms.ja : ''}${n.forms.ja}`;
  const v = r.v.forms.ja;
  return `${np(r.s, r.sa)}は${np(r.o, r.oa)}${v.ga ? 'が' : 'を'}${r.neg ? v.neg : v.pos}。`;
}

function zh(r: Resolved): string {
  const np = (n: Noun, a?: Adjective): string => {
    if (!a) return n.forms.zh;
    const { w, de: withDe } = a.forms.zh;
    // 大 + 大象 would read as a stutter: 很大的大象.
    if (n.forms.zh.startsWith(w)) return `很${w}的${n.forms.zh}`;
    return withDe ? `${w}的${n.forms.zh}` : `${w}${n.forms.zh}`;
  };
  const v = r.v.forms.zh;
  return `${np(r.s, r.sa)}${r.neg ? v.neg : v.pos}${np(r.o, r.oa)}。`;
}

function ar(r: Resolved): string {
  const np = (n: Noun, a?: Adjective): string => `${n.forms.ar.w}${a ? ` ${a.forms.ar[n.forms.ar.g]}` : ''}`;
  const v = r.v.forms.ar[r.s.forms.ar.g];
  return `${np(r.s, r.sa)} ${r.neg ? 'لا ' : ''}${v} ${np(r.o, r.oa)}.`;
}

function hi(r: Resolved): string {
  const np = (n: Noun, a: Adjective | undefined, oblique: boolean): string => {
    const f = n.forms.hi;
    const adj = a ? (f.g === 'f' ? a.forms.hi.f : oblique ? a.forms.hi.obl : a.forms.hi.m) : '';
    const noun = oblique ? f.obl ?? f.dir : f.dir;
    return `${adj ? `${adj} ` : ''}${noun}`;
  };
  // Animate (definite) objects take को with oblique forms; things stay in the direct case.
  const obj = r.o.animate ? `${np(r.o, r.oa, true)} को` : np(r.o, r.oa, false);
  const ending = r.s.forms.hi.g === 'f' ? 'ती' : 'ता';
  const verb = r.neg ? `नहीं ${r.v.forms.hi}${ending}` : `${r.v.forms.hi}${ending} है`;
  return `${np(r.s, r.sa, false)} ${obj} ${verb}।`;
}

const REALISE: Record<ToyLanguage, (r: Resolved) => string> = { en, fr, de, ru, ja, zh, ar, hi };

export function realise(c: Clause, lang: ToyLanguage): string {
  return REALISE[lang](resolve(c));
}
