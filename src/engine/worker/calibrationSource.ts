/**
 * Prompt files name calibration sets the way `polyglot.corpus` names corpora (`udhr:de`), while
 * the calibration builder takes `mono:de`: a one-language UDHR spec means that language's
 * monolingual set, which mono: draws from UDHR by default. Anything else passes through.
 */
import { UserError } from '../errors';

export function calibrationSourceOf(spec: string): string {
  const m = /^udhr:(.*)$/.exec(spec.trim());
  if (!m) return spec;
  const codes = m[1]!.split(',').map((c) => c.trim()).filter(Boolean);
  if (codes.length !== 1) throw new UserError('calibration', `${spec}: a calibration set takes one UDHR language (e.g. udhr:de), or mt:SRC-TGT for a translation set`);
  return `mono:${codes[0]}`;
}
