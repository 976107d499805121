/** Shared test helpers: the real small checkpoints (helpers/shared.ts) and temp corpora. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { sharedModel } from '../helpers/shared';

export function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pl-test-'));
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pl-test-'));
}

/** A small multilingual JSONL corpus with mixed text lengths (short titles next to long paragraphs). */
export const SMALL_CORPUS = [
  { lang: 'en', text: 'Once upon a time there was a little girl named Lily.' },
  { lang: 'fr', text: 'Tous les êtres humains naissent libres et égaux en dignité et en droits.' },
  { lang: 'en', text: 'The cat sat.' },
  { lang: 'de', text: 'Alle Menschen sind frei und gleich an Würde und Rechten geboren.' },
  { lang: 'fr', text: 'Le chat dort.' },
  { lang: 'en', text: 'She liked to play in the park with her big red ball every single day after school.' },
  { lang: 'de', text: 'Die Katze schläft.' },
  { lang: 'fr', text: 'Chacun peut se prévaloir de tous les droits et de toutes les libertés proclamés dans la présente Déclaration.' },
  { lang: 'de', text: 'Jeder hat Anspruch auf die in dieser Erklärung verkündeten Rechte und Freiheiten ohne irgendeinen Unterschied.' },
  { lang: 'en', text: 'Tom was happy.' },
];

export function smallCorpusFile(): string {
  return tempFile('corpus.jsonl', SMALL_CORPUS.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
