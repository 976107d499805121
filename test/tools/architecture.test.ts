/**
 * The house rules of the source tree, checked on every run: no import cycles, and no upward
 * imports. The layers, bottom up: src/shared (types, validators, pure formatting both sides of
 * every boundary use) ← src/engine (never `vscode`) ← src/cli and src/extension; webview/ (the
 * panels) sees only src/shared, and its pure renderers (webview/render) are the one thing the CLI
 * borrows from it, for the same figures in report.html. Relative imports are read from the text
 * (static `import`/`export … from`, `import type`, dynamic `import()`), so the test needs no
 * bundler and fails with the offending file named.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const TREES = ['src', 'webview'];

type Layer = 'shared' | 'engine' | 'cli' | 'extension' | 'webview' | 'webview/render';

/** What each layer may import (besides itself). */
const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
  shared: [],
  engine: ['shared'],
  cli: ['engine', 'shared', 'webview/render'],
  extension: ['engine', 'shared'],
  'webview/render': ['shared'],
  webview: ['webview/render', 'shared'],
};

function layerOf(file: string): Layer {
  const [top, second] = file.split('/');
  if (top === 'webview') return second === 'render' ? 'webview/render' : 'webview';
  if (second === 'shared' || second === 'engine' || second === 'cli' || second === 'extension') return second;
  throw new Error(`${file}: not in a known layer (src/shared, src/engine, src/cli, src/extension, webview/)`);
}

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(relative(ROOT, p).split(sep).join('/'));
    }
  };
  for (const t of TREES) walk(join(ROOT, t));
  return out.sort();
}

const IMPORT = /(?:^|[;\n])\s*(?:import|export)\s[^;]*?\bfrom\s*['"](\.{1,2}\/[^'"]*)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/g;

/** file → the project files it imports (relative specifiers only; packages are not layers). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      const base = normalize(join(dirname(f), spec)).split(sep).join('/');
      const hit = [`${base}.ts`, `${base}/index.ts`, base].find((c) => known.has(c));
      if (hit === undefined) {
        if (/\.(css|json|js)$/.test(spec)) continue;
        throw new Error(`${f}: imports ${spec}, which is not a file under ${TREES.join(' or ')}`);
      }
      deps.push(hit);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  // Iterative Tarjan: the tree is deep enough that recursion depth is not worth trusting.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i === 0) { index.set(v, next); low.set(v, next); next++; stack.push(v); onStack.add(v); }
      const deps = graph.get(v) ?? [];
      if (i < deps.length) {
        frame[1]++;
        const w = deps[i]!;
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) { const parent = work[work.length - 1]![0]; low.set(parent, Math.min(low.get(parent)!, low.get(v)!)); }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
        if (component.length > 1 || deps.includes(v)) found.push(component.sort());
      }
    }
  }
  return found;
}

test('the import graph of src/ and webview/ has no cycles', () => {
  const graph = importGraph(sources());
  assert.ok(graph.size > 300, `read ${graph.size} files`);
  assert.deepEqual(cycles(graph), []);
});

test('no upward imports: each layer imports only the layers below it', () => {
  const graph = importGraph(sources());
  const upward: string[] = [];
  for (const [f, deps] of graph) {
    const from = layerOf(f);
    for (const d of deps) {
      const to = layerOf(d);
      if (to !== from && !MAY_IMPORT[from].includes(to)) upward.push(`${f} (${from}) imports ${d} (${to})`);
    }
  }
  assert.deepEqual(upward, []);
});

test('the checker itself: a two-file cycle and a self-import are found, a chain is not', () => {
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['a']], ['c', ['a']]])), [['a', 'b']]);
  assert.deepEqual(cycles(new Map([['a', ['a']]])), [['a']]);
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
  assert.equal(layerOf('webview/render/results.ts'), 'webview/render');
  assert.equal(layerOf('src/engine/lens/run.ts'), 'engine');
});
