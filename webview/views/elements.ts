/**
 * Registers the @vscode-elements components the panels use (button, single-select, option,
 * textfield). Imported first by every entry. Lit adopts component styles as constructable
 * stylesheets (not subject to the CSP's style-src); where a browser lacks them it falls back to
 * <style> elements carrying `window.litNonce`, so that is set from our own script's nonce.
 * (The imports below are hoisted above this assignment; that is fine because Lit reads
 * litNonce only when an element first renders, after this whole bundle has run.)
 */
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce;
if (nonce) (globalThis as { litNonce?: string }).litNonce = nonce;

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
