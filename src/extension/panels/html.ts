/**
 * The HTML shell of every panel. Pure (no vscode import) so the CSP can be unit-tested.
 * Strict CSP: nothing loads except our one nonce'd script; styles come as constructable
 * stylesheets from that script (views/styles.ts, and Lit inside @vscode-elements), which
 * style-src does not govern; the nonce in style-src covers Lit's <style nonce> fallback.
 * Canvas PNG export rasterises an SVG through a data: image, hence img-src data:.
 */
export interface PanelHtmlArgs {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(dist/webview/<kind>.js).toString() */
  scriptUri: string;
  nonce: string;
  title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(a: PanelHtmlArgs): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escAttr(contentSecurityPolicy(a.cspSource, a.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escAttr(a.title)}</title>
</head>
<body>
<script nonce="${a.nonce}" src="${escAttr(a.scriptUri)}"></script>
</body>
</html>`;
}

/** 32 random alphanumerics (~190 bits), fresh for every HTML load. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => chars[b % chars.length]).join('');
}

function escAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
