/** The demo tasks shipped with the project (examples/eval/, UDHR held-out articles), so every task runs on models/default with no data. */
import { join } from 'node:path';
import { packageRoot } from '../paths';

export const DEMO_CORPUS = 'udhr:en,fr,de,es,ru,zh';
export const DEMO_PAIRS = 'fr-en,en-fr,de-en,en-de';
export const demoFile = (name: string): string => join(packageRoot(), 'examples', 'eval', name);
