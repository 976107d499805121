/**
 * ISO 639-3 (and ISO 639-2/T) codes → ISO 639-1, for the two places where three-letter codes
 * arrive: FLORES-200 file names (`fra_Latn`) and franc's language detection (`fra`, `cmn`).
 * Individual codes of macrolanguages map to the macrolanguage's two-letter code where that is
 * what FLORES and franc use for the standard variety (arb → ar, cmn → zh, pes → fa, swh → sw,
 * npi → ne, zsm → ms, ekk → et, lvs → lv, khk → mn, uzn → uz, azj → az, plt → mg, gaz → om,
 * als → sq, pbt → ps, ckb/kmr → ku, ydd → yi, ayr → ay, quy → qu, fuv → ff). Codes with no
 * two-letter code (ceb, ast, …) are absent on purpose: the project's language codes are 639-1.
 */
const PAIRS =
  'aar aa|abk ab|afr af|aka ak|twi tw|amh am|arg an|arb ar|ara ar|asm as|ava av|aym ay|ayr ay|aze az|azj az|' +
  'bak ba|bel be|bul bg|bis bi|bam bm|ben bn|bod bo|bre br|bos bs|cat ca|che ce|cha ch|cos co|ces cs|chv cv|' +
  'cym cy|dan da|deu de|div dv|dzo dz|ewe ee|ell el|eng en|epo eo|spa es|est et|ekk et|eus eu|fas fa|pes fa|' +
  'prs fa|ful ff|fuv ff|fin fi|fij fj|fao fo|fra fr|fry fy|gle ga|gla gd|glg gl|grn gn|gug gn|guj gu|glv gv|' +
  'hau ha|heb he|hin hi|hrv hr|hat ht|hun hu|hye hy|her hz|ina ia|ind id|ibo ig|isl is|ita it|iku iu|jpn ja|' +
  'jav jv|kat ka|kon kg|kik ki|kaz kk|kal kl|khm km|kan kn|kor ko|kau kr|kas ks|kur ku|ckb ku|kmr ku|kom kv|' +
  'cor kw|kir ky|lat la|ltz lb|lug lg|lim li|lin ln|lao lo|lit lt|lub lu|lav lv|lvs lv|mlg mg|plt mg|mah mh|' +
  'mri mi|mkd mk|mal ml|mon mn|khk mn|mar mr|msa ms|zsm ms|zlm ms|mlt mt|mya my|nau na|nob nb|nde nd|nep ne|' +
  'npi ne|ndo ng|nld nl|nno nn|nor no|nbl nr|nav nv|nya ny|oci oc|oji oj|orm om|gaz om|ori or|ory or|oss os|' +
  'pan pa|pli pi|pol pl|pus ps|pbt ps|pbu ps|por pt|que qu|quy qu|roh rm|run rn|ron ro|rus ru|kin rw|san sa|' +
  'srd sc|snd sd|sme se|sag sg|sin si|slk sk|slv sl|smo sm|sna sn|som so|sqi sq|als sq|srp sr|ssw ss|sot st|' +
  'sun su|swe sv|swa sw|swh sw|tam ta|tel te|tgk tg|tha th|tir ti|tuk tk|tgl tl|tsn tn|ton to|tur tr|tso ts|' +
  'tat tt|tah ty|uig ug|ukr uk|urd ur|uzb uz|uzn uz|ven ve|vie vi|vol vo|wln wa|wol wo|xho xh|yid yi|ydd yi|' +
  'yor yo|zha za|zho zh|cmn zh|zul zu';

const TO_639_1: ReadonlyMap<string, string> = new Map(PAIRS.split('|').map((p) => p.split(' ') as [string, string]));

/** `fra` or `fra_Latn` → `fr`; undefined when the language has no ISO 639-1 code. */
export function iso639_1(code: string): string | undefined {
  return TO_639_1.get(code.split('_')[0]!.toLowerCase());
}
