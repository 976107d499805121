/**
 * Text the CLI echoes comes partly from files (tensor names, config values, file names, generated
 * text): a crafted name holding ESC/CSI/OSC sequences could retitle, clear or rewrite the user's
 * terminal. Every line the CLI prints goes through one of these, which show such characters as
 * visible escapes instead: C0 controls, DEL, C1 controls (8-bit CSI/OSC) and the bidirectional
 * overrides that reorder what a line appears to say.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw: DEL, C1 and bidi controls (C0 it escapes itself). */
const JSON_RAW = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string): string => {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** Multi-line text for the terminal: newlines and tabs kept, every other control made visible. */
export function terminalText(s: string): string {
  return s.replace(CONTROL, hex);
}

/** One line for the terminal (an error message): newlines too are shown as \x0a. */
export function terminalLine(s: string): string {
  return s.replace(CONTROL_ONE_LINE, hex);
}

/** JSON for the terminal: still valid JSON, with no raw control character left. */
export function terminalJson(v: unknown): string {
  return JSON.stringify(v).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
