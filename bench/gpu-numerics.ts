/**
 * CPU against CUDA (issue #25): every hook of a fixed 24-token input, on the shipped default model
 * and on tiny checkpoints of every family the engine runs (Llama, Gemma 2, GPT-2, BLOOM, XGLM),
 * captured once with `--execution-provider cpu` and once with `cuda`; each value must agree within
 * 1e-3 · (1 + |cpu value|). Prints one JSON line per model and exits 1 when one disagrees, 2 when
 * CUDA is not available (onnxruntime fell back to the CPU).
 * Usage: node --import tsx bench/gpu-numerics.ts
 */
import { LoadedModel } from '../src/engine/model/model';
import { captureHooks } from '../src/engine/capture';
import { allHooks } from '../src/engine/hooks';
import { defaultModelDir } from '../src/engine/paths';
import { writeTinyModel } from '../test/helpers/tiny-model';
import { writeTinyGemma } from '../test/helpers/tiny-gemma';
import { writeTinyGpt } from '../test/helpers/tiny-gpt';

const TOLERANCE = 1e-3;

async function main(): Promise<void> {
  const models: [string, string][] = [
    ['default', defaultModelDir()],
    ['llama', writeTinyModel({ nLayers: 3, seed: 3 }).dir],
    ['gemma2', writeTinyGemma({ modelType: 'gemma2', nLayers: 2 }).dir],
    ...(['gpt2', 'bloom', 'xglm'] as const).map((f): [string, string] => [f, writeTinyGpt({ family: f, nLayers: 2 }).dir]),
  ];
  let bad = 0;
  for (const [name, dir] of models) {
    const cpu = LoadedModel.load(dir, { threads: 2, executionProvider: 'cpu' });
    const gpu = LoadedModel.load(dir, { threads: 2, executionProvider: 'cuda' });
    if (gpu.info.runtime.executionProvider !== 'cuda') {
      console.log(JSON.stringify({ model: name, error: gpu.info.runtime.executionProviderNote ?? 'CUDA is not available' }));
      process.exit(2);
    }
    const ids = Array.from({ length: 24 }, (_, i) => (i * 37 + 5) % Math.min(cpu.cfg.vocabSize, 250));
    const hooks = allHooks(cpu.cfg);
    const a = await captureHooks(cpu, { ids, hooks });
    const b = await captureHooks(gpu, { ids, hooks });
    let worst = 0;
    let where = '';
    for (const h of hooks) {
      const x = a[h]!.data;
      const y = b[h]!.data;
      for (let i = 0; i < x.length; i++) {
        const d = Math.abs(x[i]! - y[i]!) / (1 + Math.abs(x[i]!));
        if (!(d <= worst)) [worst, where] = [Number.isNaN(d) ? Infinity : d, h];
      }
    }
    const ok = worst <= TOLERANCE;
    if (!ok) bad++;
    console.log(JSON.stringify({ model: name, hooks: hooks.length, maxRelativeDifference: worst, at: where, ok }));
    await cpu.dispose();
    await gpu.dispose();
  }
  process.exit(bad ? 1 : 0);
}
void main();
