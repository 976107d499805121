/** Ranges and short descriptions of YAML nodes for diagnostics (the validator and its helpers share them). */
import { isMap, isScalar, isSeq, type Node } from 'yaml';

export type Range = [number, number];

/** The node's own range (already in file offsets, see parsePrompt), else the given fallback. */
export function range(node: Node | null | undefined, fallback: Range): Range {
  const r = node?.range;
  return r && r[1] > r[0] ? [r[0], r[1]] : fallback;
}

export function describe(node: Node | null): string {
  if (node === null || (isScalar(node) && node.value === null)) return 'nothing';
  if (isScalar(node)) return typeof node.value === 'string' ? `"${node.value}"` : String(node.value);
  return isSeq(node) ? 'a list' : isMap(node) ? 'a mapping' : 'an unsupported value';
}

