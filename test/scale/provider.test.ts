/**
 * The execution-provider setting: cuda without onnxruntime-node's CUDA provider installed (as on
 * this project's machines, where the install skips it) is a note naming the cause and the fix,
 * then the same results on the CPU; an unknown provider is a one-line error. --verbose and info
 * say which weights mode and provider run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../helpers/cli';
import { cudaAvailability } from '../../src/engine/onnx/ort';

const noCuda = cudaAvailability() !== undefined;

test('cuda without the CUDA provider: a note with the fix, then the CPU gives the same tokens', { skip: !noCuda && 'the CUDA provider is installed here' }, () => {
  const cpu = cli(['generate', '--prompt', 'Bonjour', '--max-new-tokens', '5', '--json']);
  const cuda = cli(['generate', '--prompt', 'Bonjour', '--max-new-tokens', '5', '--json', '--execution-provider', 'cuda']);
  assert.equal(cpu.code, 0, cpu.stderr);
  assert.equal(cuda.code, 0, cuda.stderr);
  assert.equal(cuda.stdout, cpu.stdout);
  const lines = cuda.stderr.trim().split('\n');
  assert.equal(lines.length, 1, cuda.stderr);
  assert.match(lines[0]!, /^polyglot-lens: note: execution provider cuda: onnxruntime-node's CUDA provider is not installed \(libonnxruntime_providers_cuda\.so is missing\); running on the CPU instead — install it .*ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node/);
  const info = cli(['info', '--json', '--execution-provider', 'cuda']);
  const rt = (JSON.parse(info.stdout) as { runtime: Record<string, unknown> }).runtime;
  assert.equal(rt.executionProvider, 'cpu');
  assert.equal(rt.requestedExecutionProvider, 'cuda');
  assert.match(String(rt.executionProviderNote), /CUDA provider is not installed/);
});

test('an unknown provider or weights mode is a one-line error; --verbose says how the model runs', () => {
  const bad = cli(['info', '--execution-provider', 'tpu']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'polyglot-lens: --execution-provider: must be one of cpu, cuda, got "tpu"\n');
  const badW = cli(['info', '--weights', 'swap']);
  assert.equal(badW.stderr, 'polyglot-lens: --weights: must be one of auto, resident, streaming, mapped, got "swap"\n');
  const v = cli(['info', '--json', '--verbose', '--weights', 'streaming']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stderr, /^polyglot-lens: weights streaming \(forced \(--weights streaming\)(; up to [\d.]+ [MG]iB of widened weights kept after their first use)?\); execution provider cpu\n$/);
  assert.equal((JSON.parse(v.stdout) as { runtime: { weights: string } }).runtime.weights, 'streaming');
  const auto = JSON.parse(cli(['info', '--json']).stdout) as { runtime: { weights: string; weightsReason: string } };
  assert.equal(auto.runtime.weights, 'resident', 'the 5M-parameter default model fits anywhere');
  assert.match(auto.runtime.weightsReason, /fit in available memory/);
});
