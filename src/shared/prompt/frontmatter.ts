import type { PromptDiagnostic } from './types';

export interface SplitPrompt {
  frontmatter?: { start: number; end: number };
  body: { start: number; text: string };
  diagnostics: PromptDiagnostic[];
}

const LINE = /[^\r\n]*(\r\n|\r|\n|$)/g;

/**
 * Splits `---\n<yaml>\n---\n<template>` keeping offsets. Follows Dotprompt's
 * FRONTMATTER_AND_BODY_REGEX (fences are `---` plus optional trailing spaces) and trims the body
 * as Dotprompt does, remembering where the trimmed body starts so template errors land on the
 * right characters. One difference: a closing fence on the last line without a newline is
 * accepted (Dotprompt would then treat the whole file as template, which nobody means).
 */
export function splitPrompt(source: string): SplitPrompt {
  const lines = [...source.matchAll(LINE)].filter((m) => m[0] !== '' || m.index === 0);
  const isFence = (text: string) => /^---[ \t]*(\r\n|\r|\n)?$/.test(text);
  if (lines.length === 0 || !isFence(lines[0][0])) return { body: trimmedBody(source, 0), diagnostics: [] };
  const yamlStart = lines[0][0].length;
  for (let i = 1; i < lines.length; i++) {
    if (!isFence(lines[i][0])) continue;
    const fenceStart = lines[i].index ?? 0;
    // The YAML ends before the newline that precedes the closing fence.
    const yamlEnd = Math.max(yamlStart, fenceStart - newlineLengthBefore(source, fenceStart));
    return {
      frontmatter: { start: yamlStart, end: yamlEnd },
      body: trimmedBody(source, fenceStart + lines[i][0].length),
      diagnostics: [],
    };
  }
  return {
    body: trimmedBody(source, source.length),
    diagnostics: [{ start: 0, end: 3, severity: 'error', code: 'frontmatter-unclosed', message: 'frontmatter opened with --- is never closed by a --- line' }],
  };
}

function newlineLengthBefore(source: string, offset: number): number {
  if (source.slice(offset - 2, offset) === '\r\n') return 2;
  return /[\r\n]/.test(source[offset - 1] ?? '') ? 1 : 0;
}

function trimmedBody(source: string, from: number): { start: number; text: string } {
  const rest = source.slice(from);
  const lead = rest.length - rest.trimStart().length;
  return { start: from + lead, text: rest.trim() };
}
