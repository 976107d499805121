/** Pruning (methods.md §3): the API the CLI `prune` command and the extension call. */
export { createVariant, linearWeights } from './prune';
export { createNeuronVariant } from './neurons';
export { exportPrunedCheckpoint, type ExportOptions, type ExportResult, type PruningRecord } from './export';
export { compareVariants, type CompareArm, type CompareOptions } from './compare';
export { parseNM, checkSparsity, PRUNE_METHODS, PRUNE_MODES, DEFAULT_SEED } from './validate';
export { calibrationHash } from './calibrationRecord';
export * from './types';
export { pruneFromSources, type PruneSettings } from './fromSources';
