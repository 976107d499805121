import Handlebars from 'handlebars';
import { BUILTIN_HELPERS, DOTPROMPT_HELPERS, HANDLEBARS_HOOKS, isKnownHelper } from './helpers';
import { closest } from './suggest';
import { partialFileName } from './fileName';
import type { PromptDiagnostic, PromptHost, TextFix } from './types';

type Loc = hbs.AST.SourceLocation;

/** Converts Handlebars' 1-based line / 0-based column into an offset of `text` (lines split as Jison does). */
export function locToOffset(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = /\r\n|\r|\n/g;
    nl.lastIndex = offset;
    const m = nl.exec(text);
    if (!m) return text.length;
    offset = m.index + m[0].length;
  }
  return Math.min(offset + column, text.length);
}

export interface TemplateCheck {
  ast?: hbs.AST.Program;
  diagnostics: PromptDiagnostic[];
  /** Partials referenced directly or through other partials, name → body text. */
  partials: Map<string, string>;
}

/**
 * Parses the template body and reports, at exact ranges: syntax errors (an unclosed `{{#if}}`
 * points at its opening tag), helpers Dotprompt does not know (it compiles with
 * knownHelpersOnly, so they would fail at render time) and partials with no `_name.prompt`.
 */
export function checkTemplate(body: string, bodyStart: number, host: PromptHost | undefined): TemplateCheck {
  const partials = new Map<string, string>();
  const diagnostics: PromptDiagnostic[] = [];
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(body);
  } catch (e) {
    diagnostics.push(syntaxError(body, bodyStart, e));
    return { diagnostics, partials };
  }
  const at = (loc: Loc): [number, number] => [bodyStart + locToOffset(body, loc.start.line, loc.start.column), bodyStart + locToOffset(body, loc.end.line, loc.end.column)];
  // `chain`: the partials being visited, outermost first. A partial met again inside its own chain
  // includes itself, which Handlebars would render by recursing until the stack overflows.
  const visitPartials = (program: hbs.AST.Program, report: (loc: Loc, msg: string, fix?: TextFix[]) => void, chain: string[]) => {
    walk(program, {
      helper(name, loc, nameLoc, block) {
        if ((HANDLEBARS_HOOKS as readonly string[]).includes(name)) {
          report(loc, `"${name}" is Handlebars' internal hook for missing helpers, not a helper a template can call`);
          return;
        }
        if (isKnownHelper(name)) return;
        const hint = closest(name, KNOWN_HELPERS);
        // A fix only where the name is written in this file (not inside a partial): the call, and a block's closing tag.
        const fix = hint !== undefined && chain.length === 0 ? helperRename(body, bodyStart, at(nameLoc), block ? at(loc) : undefined, name, hint) : undefined;
        report(loc, hint !== undefined && fix ? `unknown helper "${name}"; did you mean ${hint}?` : `unknown helper "${name}"; Dotprompt knows ${KNOWN_HELPERS.join(', ')}`, fix);
      },
      partial(name, loc) {
        if (chain.includes(name)) {
          report(loc, `partial "${name}" includes itself (${[...chain.slice(chain.indexOf(name)), name].join(' → ')}); rendering it would never end`);
          return;
        }
        if (partials.has(name)) return;
        if (!host) return;
        if (!isLocalPartialName(name)) { report(loc, `partial "${name}" must name a _NAME.prompt file in this prompt's folder (no .., no absolute path)`); return; }
        const path = host.resolve(partialFileName(name));
        const read = host.readPartial ? host.readPartial(path) : ((t) => (t === undefined ? { problem: 'not found' } : { text: t }))(host.readText(path));
        if (!('text' in read)) {
          report(loc, read.problem === 'not found' ? `partial "${name}" not found: expected ${partialFileName(name)} next to this prompt` : `partial "${name}" (${partialFileName(name)}) ${read.problem}`);
          return;
        }
        const text = read.text;
        const partialBody = stripFrontmatter(text);
        partials.set(name, partialBody);
        try { visitPartials(Handlebars.parse(partialBody), (_l, msg) => report(loc, `in partial "${name}": ${msg}`), [...chain, name]); } catch (e) {
          report(loc, `partial "${name}" (${partialFileName(name)}) has a template error: ${oneLine(e)}`);
        }
      },
    });
  };
  visitPartials(ast, (loc, message, fix) => {
    const [start, end] = at(loc);
    const code = message.includes('helper') ? 'unknown-helper' : 'missing-partial';
    diagnostics.push({ start, end, severity: 'error', code, message, ...(fix ? { fix } : {}) });
  }, []);
  return { ast, diagnostics, partials };
}

/**
 * A partial name that resolves inside the prompt's own folder: `/`-separated segments, none of
 * them empty, `.` or `..`, no backslash or drive colon. `{{> ../../secret}}` would otherwise read
 * a file outside the workspace into the rendered prompt (and the report).
 */
export function isLocalPartialName(name: string): boolean {
  if (name === '' || /[\\:\0]/.test(name) || name.startsWith('/')) return false;
  return name.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** Helpers a template may call, in the order messages list them. */
const KNOWN_HELPERS: readonly string[] = [...BUILTIN_HELPERS.filter((h) => !h.endsWith('Missing')), ...DOTPROMPT_HELPERS];

/** Renames a helper call: its name, and for a block `{{#name}}…{{/name}}` the closing tag's name too. */
function helperRename(body: string, bodyStart: number, name: [number, number], block: [number, number] | undefined, from: string, to: string): TextFix[] | undefined {
  if (body.slice(name[0] - bodyStart, name[1] - bodyStart) !== from) return undefined;
  const edits: TextFix[] = [{ start: name[0], end: name[1], text: to }];
  if (block) {
    const close = new RegExp(`\\{\\{~?\\s*/\\s*(${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})\\s*~?\\}\\}$`).exec(body.slice(0, block[1] - bodyStart));
    if (!close) return undefined;
    const s = bodyStart + close.index + close[0].indexOf(from, close[0].indexOf('/'));
    edits.push({ start: s, end: s + from.length, text: to });
  }
  return edits;
}

interface Visitor {
  /** `nameLoc`: where the helper's name is written; `block`: a `{{#name}}…{{/name}}` block. */
  helper(name: string, loc: Loc, nameLoc: Loc, block: boolean): void;
  partial(name: string, loc: Loc): void;
}

/** Visits every helper call and partial in a program, nested blocks included. */
function walk(program: hbs.AST.Program | undefined, v: Visitor): void {
  for (const s of program?.body ?? []) visit(s, v);
}

function visit(node: hbs.AST.Node, v: Visitor): void {
  switch (node.type) {
    case 'MustacheStatement':
    case 'SubExpression':
    case 'BlockStatement': {
      const call = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      const isCall = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
      const name = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : undefined;
      // Without arguments a name is a variable or a section, except the hooks, which Handlebars always calls.
      if (name !== undefined && (isCall || (HANDLEBARS_HOOKS as readonly string[]).includes(name))) v.helper(name, call.loc, call.path.loc, node.type === 'BlockStatement');
      for (const p of call.params) visit(p, v);
      for (const pair of call.hash?.pairs ?? []) visit(pair.value, v);
      if (node.type === 'BlockStatement') { walk((node as hbs.AST.BlockStatement).program, v); walk((node as hbs.AST.BlockStatement).inverse, v); }
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement': {
      const p = node as hbs.AST.PartialStatement;
      if (p.name.type === 'PathExpression') v.partial((p.name as hbs.AST.PathExpression).original, p.loc);
      if (node.type === 'PartialBlockStatement') walk((node as unknown as { program: hbs.AST.Program }).program, v);
      return;
    }
    default:
  }
}

function syntaxError(body: string, bodyStart: number, e: unknown): PromptDiagnostic {
  const message = oneLine(e);
  const err = e as { lineNumber?: number; column?: number; endLineNumber?: number; endColumn?: number };
  // Mismatched close ("if doesn't match each") carries the node's location.
  if (err.lineNumber !== undefined && err.column !== undefined) {
    const start = locToOffset(body, err.lineNumber, err.column);
    const end = err.endLineNumber !== undefined && err.endColumn !== undefined ? locToOffset(body, err.endLineNumber, err.endColumn) : start + 1;
    return { start: bodyStart + start, end: bodyStart + Math.max(end, start + 1), severity: 'error', code: 'template-syntax', message: `template: ${message.replace(/ - \d+:\d+$/, '')}` };
  }
  if (/got 'EOF'/.test(message)) {
    const open = lastUnclosedBlock(body);
    if (open) return { start: bodyStart + open.start, end: bodyStart + open.end, severity: 'error', code: 'unclosed-block', message: `template: {{#${open.name}}} is never closed by {{/${open.name}}}` };
  }
  // Jison's lexer keeps the location of the token it failed on.
  const yylloc = (Handlebars as unknown as { Parser: { lexer: { yylloc?: { first_line: number; first_column: number; last_line: number; last_column: number } } } }).Parser.lexer.yylloc;
  const start = yylloc ? locToOffset(body, yylloc.first_line, yylloc.first_column) : 0;
  const end = yylloc ? locToOffset(body, yylloc.last_line, yylloc.last_column) : body.length;
  const expecting = /Expecting (.*), got '(\w+)'/.exec(message);
  const text = expecting ? `template syntax error: unexpected ${expecting[2]}` : `template: ${message}`;
  return { start: bodyStart + start, end: bodyStart + Math.max(end, start + 1), severity: 'error', code: 'template-syntax', message: text };
}

/** The innermost `{{#name …}}` (or `{{^name}}`) with no matching `{{/name}}`. */
function lastUnclosedBlock(body: string): { name: string; start: number; end: number } | undefined {
  const stack: { name: string; start: number; end: number }[] = [];
  for (const m of body.matchAll(/\{\{~?\s*([#^/])\s*>?\s*([^\s}~]+)[^}]*\}\}/g)) {
    if (m[1] === '/') { const i = stack.map((s) => s.name).lastIndexOf(m[2]); if (i >= 0) stack.splice(i); }
    else stack.push({ name: m[2], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return stack.pop();
}

/** A partial's text as Dotprompt registers it (the whole file), minus a frontmatter block if it has one. */
export function stripFrontmatter(text: string): string {
  const m = /^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const lines = msg.split('\n');
  return lines.length > 1 ? lines[lines.length - 1] : msg;
}
