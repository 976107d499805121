import { MODEL_OPTION, type Command } from './types';

export const infoCommand: Command = {
  name: 'info',
  usage: 'info [--model DIR] [--json]',
  summary: 'architecture, sizes, dtype, parameter count, tokenizer facts and declared languages',
  options: { ...MODEL_OPTION, json: { kind: 'flag', help: 'print JSON' } },
  async run(ctx) {
    const info = ctx.loadModel().info;
    if (ctx.args.flag('json')) {
      ctx.print(info);
      return;
    }
    const lines = [
      `${info.dir}`,
      `  ${info.architecture} (${info.modelType}), ${info.parameterCount.toLocaleString('en')} parameters, ${info.dtype}`,
      `  d_model ${info.dModel}, ${info.nLayers} layers, ${info.nHeads} heads / ${info.nKvHeads} KV heads, d_mlp ${info.dMlp}, vocab ${info.vocabSize}`,
      `  max positions ${info.maxPositions}, ${info.positions === 'rotary' ? `rope theta ${info.ropeTheta} (${info.ropeScaling})` : `${info.positions} positions`}, tied embeddings: ${info.tiedEmbeddings}`,
      `  tokenizer: ${info.tokenizer.vocabSize} tokens, BOS ${info.tokenizer.bosId}, EOS ${info.tokenizer.eosId}, adds BOS: ${info.tokenizer.addsBos}`,
      `  languages: ${info.languages.length ? info.languages.join(', ') : 'not declared'}`,
      `  weights: ${info.weightFormat === 'pytorch' ? 'pytorch_model.bin' : 'model.safetensors'}`,
      `  runs with weights ${info.runtime.weights} (${info.runtime.weightsReason}), ${(info.runtime.heldWeightBytes / 1024 ** 2).toFixed(0)} MiB held; execution provider ${info.runtime.executionProvider}`,
      ...(info.runtime.executionProviderNote ? [`  note: ${info.runtime.executionProviderNote}`] : []),
    ];
    ctx.write(`${lines.join('\n')}\n`);
  },
};
