/**
 * Per-item scores, the layer between running a task and its metrics. A task's work for one
 * language (or direction) is a *group*: its items in data order, split into *units* that run
 * independently — a perplexity batch, one classification item, one translation — so a process
 * can compute any subset of the units (a shard, `--shard i/N`) and get each item's scores exactly
 * as one run gets them. The metrics are then a pure function of all the items' scores
 * (finishGroup), run once over the whole group: in a single run right after the units, after
 * `merge` on the union of the shards' scores — the same code on the same numbers, so the two
 * results are the same bytes.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { sumStats } from './metrics/chrf';
import { chrfFromStats } from './metrics/chrf';
import { bleuFromStats } from './metrics/bleu';
import { accuracyFromStats, macroF1FromStats } from './metrics/classification';
import { bitsPerCharFromStats, perplexityFromStats } from './metrics/perplexity';
import type { EvalTaskKind, StatFamily, TaskResult } from './types';

/** One item's additive statistics (by family) and its details (output, prediction, scores). */
export interface ItemScore {
  stats: Partial<Record<StatFamily, number[]>>;
  detail: Record<string, unknown>;
}

/**
 * A unit's model work, for job plans (eval/plan.ts): its forward passes as [batch, length, past
 * length] with logits at every position or only the last, and greedy decoding of at most
 * `maxSteps` single-token steps after a prompt of `past` tokens (it stops earlier at a stop token).
 */
export interface UnitWork {
  sequences: number;
  /** Real (unpadded) tokens of the passes. */
  tokens: number;
  passes: [batch: number, length: number, past: number][];
  logits: 'all' | 'last';
  decode?: { maxSteps: number; past: number };
}

/** Which units of a group this process computes (all of them in one run); told each unit's work. */
export type UnitFilter = (unit: number, units: number, work: UnitWork) => boolean;

export const ALL_UNITS: UnitFilter = () => true;

/** The unit filter of each group, by its language or direction. */
export type UnitSelection = (group: string) => UnitFilter;

/** A task's scores for one language or direction: every item in one run, a shard's own items in a shard. */
export interface GroupScores {
  task: EvalTaskKind;
  language: string;
  /** What the items were read from (named in errors found once the group is complete). */
  source: string;
  /** Items in the group, all shards together. */
  itemCount: number;
  /** Work units (batches or items) the group splits into. */
  unitCount: number;
  /** sha256 of the group's inputs (texts, prompts, references, labels): the same in every shard of one job. */
  dataSha256: string;
  /** Scored items by index in data order. */
  scores: Map<number, ItemScore>;
  /** Seconds of model work for the units computed here. */
  seconds: number;
}

/** Incremental hash of a group's inputs, one record at a time (length-prefixed so records cannot run together). */
export class DataHash {
  private readonly h = createHash('sha256');

  add(...fields: unknown[]): void {
    const text = JSON.stringify(fields);
    this.h.update(`${Buffer.byteLength(text)}:${text}`);
  }

  digest(): string {
    return this.h.digest('hex');
  }
}

function column(scores: ItemScore[], family: StatFamily): number[][] {
  return scores.map((s) => s.stats[family]!);
}

/**
 * The group's TaskResult from all its items' scores: per-item statistics in data order, the
 * metrics from their sums, items per second over the model work. Throws when an item is missing.
 */
export function finishGroup(g: GroupScores): TaskResult {
  const scores: ItemScore[] = [];
  for (let i = 0; i < g.itemCount; i++) {
    const s = g.scores.get(i);
    if (!s) throw new Error(`${g.task} ${g.language}: item ${i} of ${g.itemCount} has no score`);
    scores.push(s);
  }
  const items = scores.map((s) => s.detail);
  const itemsPerSecond = g.itemCount / Math.max(g.seconds, 1e-9);
  if (g.task === 'perplexity') {
    const nll = column(scores, 'nll');
    const sum = sumStats(nll);
    if (sum[1] === 0) throw new UserError(g.source, `no predicted tokens for language ${g.language}`);
    return { task: g.task, language: g.language, metrics: { perplexity: perplexityFromStats(sum), bits_per_char: bitsPerCharFromStats(sum) }, stats: { nll }, items, itemsPerSecond };
  }
  if (g.task === 'translate') {
    const chrf = column(scores, 'chrf');
    const bleu = column(scores, 'bleu');
    const offTarget = column(scores, 'offTarget');
    const off = sumStats(offTarget);
    return {
      task: g.task,
      language: g.language,
      metrics: { chrf: chrfFromStats(sumStats(chrf)), bleu: bleuFromStats(sumStats(bleu)), off_target_rate: off[1]! > 0 ? off[0]! / off[1]! : NaN },
      stats: { chrf, bleu, offTarget },
      items,
      itemsPerSecond,
    };
  }
  const classify = column(scores, 'classify');
  const sum = sumStats(classify);
  return { task: g.task, language: g.language, metrics: { accuracy: accuracyFromStats(sum), macro_f1: macroF1FromStats(sum) }, stats: { classify }, items, itemsPerSecond };
}
