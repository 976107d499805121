// The README the .vsix carries: the repository's README with each relative image embedded as a
// data: URI. VS Code's Extensions view renders a README under `img-src https: data:` with no base
// URL, so a relative image never loads there and an https one needs the network; embedded, the
// screenshot shows offline. Links stay relative paths into files the .vsix carries (packaged with
// vsce --no-rewrite-relative-links).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp' };

/** `markdown` with every `![alt](relative-image)` as `![alt](data:…)`; `read` gives a file's bytes. */
export function embedImages(markdown, read = (p) => readFileSync(p)) {
  return markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, src) => {
    const type = TYPES[extname(src).toLowerCase()];
    if (!type || /^[a-z][\w+.-]*:/i.test(src) || src.startsWith('#')) return whole;
    return `![${alt}](data:${type};base64,${Buffer.from(read(src)).toString('base64')})`;
  });
}
