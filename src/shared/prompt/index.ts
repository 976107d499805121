/** `.prompt` files (Dotprompt format + polyglot.* keys): parse, validate, render. No Node or VS Code imports. */
export { parsePrompt, formatDiagnostic, MAX_PROMPT_CHARS, type ParseOptions, type ParsedPromptFile } from './parse';
export { renderPrompt, renderedOffsetsOf, docOffsetOf, PromptRenderError, type RenderedPrompt, type RenderedSegment } from './render';
export { parsePromptFileName, partialFileName } from './fileName';
export { POLYGLOT_KEYS, PRUNING_KEYS, DOTPROMPT_KEYS, HOOK_NAMES } from './keys';
export { isModelPath } from './modelRef';
export { pruningVariantName, deactivateMask } from './runSettings';
export type * from './types';
