/**
 * The webview's side of the protocol: posts typed messages, validates what arrives, keeps
 * panel state (vscode.setState) for restore after reload. In the standalone HTML report there
 * is no VS Code API; the bridge then saves exports as downloads and drops other messages.
 */
import { isHostToWebviewMessage, type HostToWebviewMessage, type WebviewToHostMessage } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

export interface Bridge {
  /** False in the standalone report. */
  readonly inVsCode: boolean;
  post(msg: WebviewToHostMessage): void;
  onMessage(cb: (msg: HostToWebviewMessage) => void): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export function createBridge(): Bridge {
  const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
  return {
    inVsCode: api !== null,
    post: (msg) => api?.postMessage(msg),
    onMessage(cb) {
      window.addEventListener('message', (e: MessageEvent) => {
        if (isHostToWebviewMessage(e.data)) cb(e.data);
        else api?.postMessage({ type: 'panel/error', message: `ignored an invalid message: ${describe(e.data)}` } satisfies WebviewToHostMessage);
      });
    },
    getState: () => api?.getState(),
    setState: (s) => api?.setState(s),
  };
}

function describe(x: unknown): string {
  return typeof x === 'object' && x !== null && 'type' in x ? String((x as { type: unknown }).type) : typeof x;
}
