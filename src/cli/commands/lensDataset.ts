/**
 * `lens --dataset items.jsonl --out DIR`: the Wendler et al. experiment (engine/lens/dataset.ts).
 * Writes DIR/lens.json (the summary: per layer mean answer probability and language mass with
 * bootstrap intervals, the layer where the target overtakes English), DIR/lens.csv (the same in
 * long format), DIR/items.jsonl (per item, per layer) and DIR/report.html.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLensItems, runLensDataset } from '../../engine/lens/dataset';
import { normalizeLanguage } from '../../engine/corpus/types';
import { UserError } from '../../engine/errors';
import { writeOutputFolder } from '../../engine/io/outputs';
import type { LensDatasetSummary } from '../../shared/lens';
import type { CliContext } from '../context';
import { lensKind, linearLensArg, profileArg } from './lensOptions';
import { jsonl, writeReport } from './studyOutput';
import { planModelJob } from './plan';

/** lens.csv: layer,series,language,mean,lo,hi with series answer (each language's answer) or mass. */
export function lensCsv(s: LensDatasetSummary): string {
  const rows = ['layer,series,language,mean,lo,hi'];
  for (const [series, byLang] of [['answer', s.answers], ['mass', s.mass]] as const) {
    for (const [lang, iv] of Object.entries(byLang)) {
      for (let l = 0; l < s.layers; l++) rows.push([l, series, lang, iv.mean[l]!.toPrecision(6), iv.lo[l]!.toPrecision(6), iv.hi[l]!.toPrecision(6)].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

export async function runLensDatasetCommand(ctx: CliContext): Promise<void> {
  const a = ctx.args;
  const file = a.required('dataset');
  const kind = lensKind(ctx);
  const targetArg = a.string('target');
  const target = targetArg === undefined ? undefined : normalizeLanguage(targetArg);
  if (targetArg !== undefined && !target) throw new UserError('--target', `${JSON.stringify(targetArg)} is not a language code`);
  const items = readLensItems(file, target);
  const plan = a.flag('plan');
  const out = plan && !a.string('out') ? undefined : ctx.planOut('folder', { inputs: [file], tool: 'polyglot-lens lens --dataset' });
  const model = ctx.loadModel();
  const opts = {
    lens: kind,
    linear: linearLensArg(ctx, model),
    profile: await profileArg(ctx, model),
    resamples: a.int('resamples', 1000, 1),
    seed: a.int('seed', 12345, 0),
    ...ctx.jobOptions(),
  };
  if (plan || !out) return planModelJob(ctx, 'lens --dataset', model, () => runLensDataset(model, items, opts), { shards: false });
  const r = await runLensDataset(model, items, opts);
  const { perItem, ...summary } = r;
  for (const s of r.skipped) ctx.warn(`${file}:${s.line}: left out: ${s.reason}`);
  await writeOutputFolder(out, (tmp) => {
    writeFileSync(join(tmp, 'lens.json'), `${JSON.stringify(summary)}\n`);
    writeFileSync(join(tmp, 'lens.csv'), lensCsv(summary));
    writeFileSync(join(tmp, 'items.jsonl'), jsonl(perItem));
    writeReport(tmp, `${model.name} — latent language over ${r.items} items`, [{ kind: 'lensDataset', title: `${r.lens} lens: ${r.targets.join(', ')} answers by layer`, data: summary }]);
  });
  const last = r.layers - 1;
  ctx.print({
    out: out.arg,
    report: join(out.arg, 'report.html'),
    items: r.items,
    skipped: r.skipped.length,
    targets: r.targets,
    overtakes: r.overtakes,
    englishAbove: r.englishAbove,
    lastLayer: Object.fromEntries(Object.entries(r.answers).map(([l, iv]) => [l, Number(iv.mean[last]!.toPrecision(4))])),
  });
}
