import Handlebars from 'handlebars';
import { DOTPROMPT_HELPERS, isKnownHelper, registerDotpromptHelpers, ROLE_MARK } from './helpers';
import { MAX_PROMPT_CHARS } from './parse';
import { boundRenderOutput, OUT_HELPER, RenderTooLarge, routeVariablesThroughCounter } from './renderBudget';
import { locToOffset } from './templateCheck';
import type { PromptDocument } from './types';

/** A stretch of rendered text copied verbatim from the template: rendered [start, start+length) = file [docStart, docStart+length). */
export interface RenderedSegment {
  start: number;
  docStart: number;
  length: number;
}

export interface RenderedPrompt {
  text: string;
  /**
   * Only literal template text maps back to the file exactly; text produced by variables,
   * helpers or partials has no segment (it is not written in this file, or not verbatim).
   */
  segments: RenderedSegment[];
  /** `{{role "user"}}` markers, as offsets in `text`. */
  roles: { role: string; start: number }[];
  /** The variables the template saw: input.default overlaid with the example. */
  input: Record<string, unknown>;
}

export class PromptRenderError extends Error {}

const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Renders the template the way Dotprompt does (Handlebars, knownHelpersOnly, noEscape, context
 * = input.default overlaid with `input`) and records which parts of the output are literal
 * template text. To know that, each literal piece of the parsed template is prefixed with a
 * private-use sentinel carrying its id before compiling; the sentinels are removed from the
 * output. The output is counted while it is rendered and stops at MAX_PROMPT_CHARS (renderBudget.ts).
 * Throws PromptRenderError with a one-line reason.
 */
export function renderPrompt(doc: PromptDocument, partials: ReadonlyMap<string, string>, input: Record<string, unknown> = {}, maxChars = MAX_PROMPT_CHARS): RenderedPrompt {
  const blocking = doc.diagnostics.find((d) => d.severity === 'error' && d.start >= doc.body.start);
  if (blocking) throw new PromptRenderError(`the template has errors: ${blocking.message}`);
  const body = doc.body.text;
  const ast = Handlebars.parse(body);
  const pieces: { docStart: number | undefined; length: number }[] = [];
  annotate(ast, (content) => {
    const start = doc.body.start + locToOffset(body, content.loc.start.line, content.loc.start.column);
    // @types/handlebars mistypes `original` as StripFlags; at runtime it is the source text.
    const lead = leadingStrip(content.original as unknown as string, content.value);
    pieces.push({ docStart: lead === undefined ? undefined : start + lead, length: content.value.length });
    return pieces.length - 1;
  });
  const hb = Handlebars.create();
  registerDotpromptHelpers(hb);
  const budget = boundRenderOutput(hb, maxChars, visibleLength);
  const knownHelpers = Object.fromEntries([...DOTPROMPT_HELPERS, OUT_HELPER].map((h) => [h, true]));
  const options = { knownHelpers, knownHelpersOnly: true, noEscape: true };
  /** Parsed with variables routed through the counter; a partial's syntax errors were reported by checkTemplate. */
  const counted = (program: hbs.AST.Program): hbs.AST.Program => (routeVariablesThroughCounter(program, isKnownHelper), program);
  try {
    for (const [name, text] of partials) hb.registerPartial(name, budget.counting(hb.compile(counted(Handlebars.parse(text)), options)));
  } catch (e) {
    throw new PromptRenderError(`a partial cannot be compiled: ${(e instanceof Error ? e.message : String(e)).split('\n').pop()}`);
  }
  const context = { ...(doc.metadata.input.default ?? {}), ...input };
  let out: string;
  try {
    out = hb.compile(counted(ast), options)(context, { data: { metadata: { prompt: doc.metadata } } });
  } catch (e) {
    if (e instanceof RenderTooLarge) throw new PromptRenderError(e.message);
    // A partial that includes itself through a computed name recurses until the stack ends.
    if (e instanceof RangeError) throw new PromptRenderError('partials include each other without end (a partial including itself?)');
    throw new PromptRenderError(`rendering failed: ${(e instanceof Error ? e.message : String(e)).split('\n').pop()}`);
  }

  const decoded = decode(out, pieces);
  if (decoded.text.length > maxChars) throw new PromptRenderError(`the rendered prompt has ${decoded.text.length} characters; more than ${maxChars} are not rendered`);
  return { ...decoded, input: context };
}

const MARKERS = new RegExp(`${OPEN}\\d+${CLOSE}|${ROLE_MARK}[^${ROLE_MARK}]*${ROLE_MARK}`, 'g');

/** Length of rendered text without the literal-piece sentinels and role markers decode() removes. */
function visibleLength(s: string): number {
  return s.includes(OPEN) || s.includes(ROLE_MARK) ? s.replace(MARKERS, '').length : s.length;
}

/** How many leading characters Handlebars' whitespace control removed from `original` to get `value`; undefined if `value` is not a verbatim slice (escapes). */
function leadingStrip(original: string, value: string): number | undefined {
  for (let a = 0; a <= original.length - value.length; a++) {
    if (original.startsWith(value, a)) return a;
    if (!/\s/.test(original[a])) return undefined;
  }
  return undefined;
}

function annotate(program: hbs.AST.Program | undefined, idOf: (c: hbs.AST.ContentStatement) => number): void {
  for (const node of program?.body ?? []) {
    if (node.type === 'ContentStatement') {
      const c = node as hbs.AST.ContentStatement;
      if (c.value !== '') c.value = `${OPEN}${idOf(c)}${CLOSE}${c.value}`;
    } else if (node.type === 'BlockStatement' || node.type === 'PartialBlockStatement' || node.type === 'DecoratorBlock') {
      const b = node as unknown as { program?: hbs.AST.Program; inverse?: hbs.AST.Program };
      annotate(b.program, idOf);
      annotate(b.inverse, idOf);
    }
  }
}

function decode(out: string, pieces: { docStart: number | undefined; length: number }[]): Omit<RenderedPrompt, 'input'> {
  let text = '';
  const segments: RenderedSegment[] = [];
  const roles: { role: string; start: number }[] = [];
  const marker = new RegExp(`${OPEN}(\\d+)${CLOSE}|${ROLE_MARK}([^${ROLE_MARK}]*)${ROLE_MARK}`, 'g');
  let last = 0;
  for (const m of out.matchAll(marker)) {
    text += out.slice(last, m.index);
    last = (m.index ?? 0) + m[0].length;
    if (m[2] !== undefined) { roles.push({ role: m[2], start: text.length }); continue; }
    const piece = pieces[Number(m[1])];
    if (piece.docStart !== undefined) segments.push({ start: text.length, docStart: piece.docStart, length: piece.length });
  }
  text += out.slice(last);
  return { text, segments, roles };
}

/** Rendered-text offset of a file offset, for every place that literal text was rendered (loops render it more than once). */
export function renderedOffsetsOf(rendered: RenderedPrompt, docOffset: number): number[] {
  return rendered.segments
    .filter((s) => docOffset >= s.docStart && docOffset < s.docStart + s.length)
    .map((s) => s.start + (docOffset - s.docStart));
}

/** File offset of a rendered-text offset, or undefined when that character did not come verbatim from this file. */
export function docOffsetOf(rendered: RenderedPrompt, renderedOffset: number): number | undefined {
  const s = rendered.segments.find((seg) => renderedOffset >= seg.start && renderedOffset < seg.start + seg.length);
  return s ? s.docStart + (renderedOffset - s.start) : undefined;
}
