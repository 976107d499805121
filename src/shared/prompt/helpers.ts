import Handlebars from 'handlebars';

/**
 * Dotprompt's Handlebars helpers (dotprompt/src/helpers.ts), re-registered here because
 * dotprompt does not export them. Polyglot Lens analyzes one flat text for a base model, so the
 * markers Dotprompt uses to split messages (`role`, `history`, `section`, `media`) render to
 * nothing; `role` records where each role starts so a chat-aware caller can still split.
 */
export const DOTPROMPT_HELPERS = ['json', 'role', 'history', 'section', 'media', 'ifEquals', 'unlessEquals'] as const;
export const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'] as const;
/**
 * Handlebars' hooks for a missing helper: not callable by name from a template (Handlebars moves
 * them out of its helpers, and `{{#blockHelperMissing}}` fails with "Cannot read properties of
 * undefined (reading 'call')"), so a template naming them is refused when it is checked.
 */
export const HANDLEBARS_HOOKS = ['blockHelperMissing', 'helperMissing'] as const;

export function isKnownHelper(name: string): boolean {
  return (DOTPROMPT_HELPERS as readonly string[]).includes(name) || (BUILTIN_HELPERS as readonly string[]).includes(name);
}

/** Where a `{{role "user"}}` marker was, as an offset in the rendered text (before sentinel removal). */
export const ROLE_MARK = '\uE002';

export function registerDotpromptHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('json', (value: unknown, options: Handlebars.HelperOptions) =>
    new hb.SafeString(JSON.stringify(value, null, (options.hash as { indent?: number }).indent ?? 0)));
  hb.registerHelper('role', (role: string) => new hb.SafeString(`${ROLE_MARK}${role}${ROLE_MARK}`));
  hb.registerHelper('history', () => '');
  hb.registerHelper('section', () => '');
  hb.registerHelper('media', () => '');
  hb.registerHelper('ifEquals', function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
    return a === b ? options.fn(this) : options.inverse(this);
  });
  hb.registerHelper('unlessEquals', function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
    return a !== b ? options.fn(this) : options.inverse(this);
  });
}
