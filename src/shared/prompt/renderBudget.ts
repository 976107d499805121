/**
 * Counts the characters a template renders while Handlebars renders it, and stops at a cap with a
 * one-line error. Loops and partials multiply a small template: three nested `{{#each}}` over a
 * 200-item list in a 1 KB prompt render 48 million characters (1.4 GB and 14 s before this bound),
 * a chain of partials that each include the next twice doubles per link. Handlebars builds its
 * output by string concatenation with no hook, so every place output is multiplied or produced is
 * wrapped instead:
 * - block helpers (each, with, if, unless, the section hook blockHelperMissing, Dotprompt's
 *   ifEquals/unlessEquals): each call of a block body is charged what it returned, minus what was
 *   already charged inside it, so nested loops count each character once;
 * - partials: registered as compiled functions wrapped the same way;
 * - variables (`{{name}}`) and the value helpers (json, lookup): charged as they are output.
 * Memory stays within the cap plus one iteration's text.
 */
import type Handlebars from 'handlebars';

export class RenderTooLarge extends Error {}

/** Name of the helper variables are routed through (`{{x}}` → `{{__polyglotOut x}}`); no template may call it. */
export const OUT_HELPER = '__polyglotOut';

const BLOCK_HELPERS = ['each', 'with', 'if', 'unless', 'blockHelperMissing', 'ifEquals', 'unlessEquals'];
const VALUE_HELPERS = ['json', 'lookup'];

type Fn = (this: unknown, ...args: unknown[]) => unknown;

export interface RenderBudget {
  /** Wraps a compiled partial (or any template function) so its output is charged. */
  counting<T>(fn: T): T;
}

/** `visible`: the length a rendered string will have once internal markers are removed. */
export function boundRenderOutput(hb: typeof Handlebars, cap: number, visible: (s: string) => number = (s) => s.length): RenderBudget {
  let charged = 0;
  const charge = (n: number): void => {
    charged += n;
    if (charged > cap) throw new RenderTooLarge(`the rendered prompt passes ${cap} characters (loops or partials repeat the template that often); nothing longer is rendered`);
  };
  // What the output gains when Handlebars appends `v` (SafeStrings print their string).
  const lengthOf = (v: unknown): number => (v === null || v === undefined ? 0 : visible(typeof v === 'string' ? v : String(v)));
  /** `fn` charged with what it returns beyond what was charged while it ran. */
  const counting = <T>(fn: T): T => {
    if (typeof fn !== 'function') return fn;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const before = charged;
      const out = (fn as unknown as Fn).apply(this, args);
      charge(Math.max(0, lengthOf(out) - (charged - before)));
      return out;
    };
    // Handlebars reads properties of block programs (program ids, blockParams, partials).
    return Object.assign(wrapped, fn) as T;
  };
  const helpers = hb.helpers as Record<string, Fn>;
  for (const name of BLOCK_HELPERS) {
    const original = helpers[name];
    if (!original) continue;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as Handlebars.HelperOptions;
      const counted = { ...options, fn: counting(options.fn), inverse: counting(options.inverse) };
      return original.apply(this, [...args.slice(0, -1), counted]);
    });
  }
  for (const name of VALUE_HELPERS) {
    const original = helpers[name];
    if (original) hb.registerHelper(name, counting(original));
  }
  hb.registerHelper(OUT_HELPER, (value: unknown) => {
    charge(lengthOf(value));
    return value;
  });
  return { counting };
}

/**
 * Routes every plain variable output (`{{name}}`, `{{a.b}}`, `{{this}}`, `{{@index}}`) through
 * OUT_HELPER so it is charged; helper calls, helpers written without arguments and block
 * statements are left as they are. Mutates `program`.
 */
export function routeVariablesThroughCounter(program: hbs.AST.Program | undefined, isHelper: (name: string) => boolean): void {
  for (const node of program?.body ?? []) {
    if (node.type === 'MustacheStatement') {
      const m = node as hbs.AST.MustacheStatement;
      const path = m.path as hbs.AST.PathExpression;
      if (m.path.type === 'PathExpression' && m.params.length === 0 && !m.hash && !(path.parts.length === 1 && !path.data && isHelper(path.original))) {
        m.params = [m.path];
        m.path = { type: 'PathExpression', data: false, depth: 0, parts: [OUT_HELPER], original: OUT_HELPER, loc: m.path.loc } as hbs.AST.PathExpression;
      }
    } else if (node.type === 'BlockStatement' || node.type === 'PartialBlockStatement' || node.type === 'DecoratorBlock') {
      const b = node as unknown as { program?: hbs.AST.Program; inverse?: hbs.AST.Program };
      routeVariablesThroughCounter(b.program, isHelper);
      routeVariablesThroughCounter(b.inverse, isHelper);
    }
  }
}
