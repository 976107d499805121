/** Export: in VS Code the host saves (save dialog, temp file + rename); in the report, a download. */
import type { ExportFormat } from '../../src/shared/protocol';
import type { Bridge } from './bridge';

const MIME: Record<ExportFormat, string> = { png: 'image/png', svg: 'image/svg+xml', csv: 'text/csv', json: 'application/json', tex: 'application/x-tex', md: 'text/markdown' };

/** `content` is text, or base64 for PNG. */
export function exportFile(bridge: Bridge, format: ExportFormat, suggestedName: string, content: string): void {
  const name = suggestedName.replace(/[^\w\-. ()]/g, '_').replace(/^\.+/, '').slice(0, 120) || `export.${format}`;
  if (bridge.inVsCode) {
    bridge.post({ type: 'panel/export', format, suggestedName: name, content, encoding: format === 'png' ? 'base64' : 'utf8' });
    return;
  }
  const a = document.createElement('a');
  a.download = name;
  a.href = format === 'png' ? `data:${MIME.png};base64,${content}` : URL.createObjectURL(new Blob([content], { type: MIME[format] }));
  a.click();
}

/** Rasterises an SVG string to PNG (base64, no data: prefix) at `scale`× for crisp output. */
export async function svgToPngBase64(svg: string, width: number, height: number, scale = 2): Promise<string> {
  const img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  await img.decode();
  const c = document.createElement('canvas');
  c.width = Math.ceil(width * scale);
  c.height = Math.ceil(height * scale);
  const ctx = c.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  return c.toDataURL('image/png').slice('data:image/png;base64,'.length);
}

/** width/height attributes of an SVG string built by render/svg.ts. */
export function svgSize(svg: string): { width: number; height: number } {
  const w = /width="([\d.]+)"/.exec(svg), hh = /height="([\d.]+)"/.exec(svg);
  return { width: Number(w?.[1] ?? 800), height: Number(hh?.[1] ?? 600) };
}
