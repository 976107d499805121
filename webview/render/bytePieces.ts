/**
 * Tokens that are pieces of one character (byte-level BPE splits "¿" = C2 BF into two tokens, and
 * each decodes alone to U+FFFD "�"): shown readably as the character they belong to, which byte
 * of it they are, and the bytes — "¿ 1/2 ‹C2›", "¿ 2/2 ‹BF›" — instead of two identical "�" rows.
 * Pure; unit-tested.
 */

/** Length in bytes of the UTF-8 sequence a lead byte starts (1 for a stray continuation byte). */
function seqLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  return 1;
}

const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/**
 * Labels for a run of tokens: `bytes[i]` is token i's bytes when its text alone is not readable
 * (undefined otherwise). A label is returned for each token that has bytes; other entries are undefined.
 */
export function bytePieceLabels(bytes: readonly (readonly number[] | undefined)[]): (string | undefined)[] {
  const out: (string | undefined)[] = bytes.map(() => undefined);
  let i = 0;
  while (i < bytes.length) {
    if (!bytes[i]) { i++; continue; }
    // A maximal run of byte tokens, decoded together: which character each byte belongs to.
    let j = i;
    const all: number[] = [];
    const owner: number[] = [];
    while (j < bytes.length && bytes[j]) {
      for (const b of bytes[j]!) { all.push(b); owner.push(j); }
      j++;
    }
    const charOf: { ch: string; k: number; n: number; id: number }[] = [];
    for (let p = 0; p < all.length;) {
      const n = seqLength(all[p]!);
      const slice = all.slice(p, p + n);
      const complete = slice.length === n && slice.slice(1).every((b) => b >= 0x80 && b < 0xc0);
      const ch = complete ? new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(slice)) : '�';
      const len = complete ? n : 1;
      for (let k = 0; k < len; k++) charOf.push({ ch, k: k + 1, n: len, id: p });
      p += len;
    }
    for (let t = i; t < j; t++) {
      const first = owner.indexOf(t);
      const mine = charOf.slice(first, first + bytes[t]!.length);
      // One part per character the token's bytes belong to (a token may end one and start the next).
      const parts: string[] = [];
      for (let q = 0; q < mine.length;) {
        const c = mine[q]!;
        let r = q;
        while (r < mine.length && mine[r]!.id === c.id) r++;
        const count = r - q;
        const whole = count === c.n;
        parts.push(`${c.ch}${whole ? '' : ` ${c.k}${count > 1 ? `–${c.k + count - 1}` : ''}/${c.n}`}`);
        q = r;
      }
      out[t] = `${parts.join(' + ')} ‹${bytes[t]!.map(hex).join(' ')}›`;
    }
    i = j;
  }
  return out;
}
