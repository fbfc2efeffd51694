// Per-block trigram bitmaps over the index's search text, so a text search reads only the blocks that can match.
// Every 512 records form a block with a 32,768-bit map of the byte trigrams in their text; a needle of 3+ bytes can
// only occur in blocks whose map holds all of its trigrams. With ~50 KB of text a block the maps stay sparse, so a rare
// word skips nearly every block; a common word still scans everything, as before.

export const BLOOM_RECORDS = 512;
export const BLOOM_BYTES = 4096;
const SHIFT = 32 - 15; // 2^15 bits = BLOOM_BYTES * 8

function trigram(a: number, b: number, c: number): number {
  return Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1) >>> SHIFT;
}

/** The distinct trigram hashes of a needle (empty when it is shorter than three bytes). */
export function needleTrigrams(bytes: Uint8Array): Uint32Array {
  const set = new Set<number>();
  for (let p = 0; p + 2 < bytes.length; p++)
    set.add(trigram(bytes[p] as number, bytes[p + 1] as number, bytes[p + 2] as number));
  return Uint32Array.from(set);
}

export class TextBlooms {
  bits = new Uint8Array(0);

  blocksFor(count: number): number {
    return Math.ceil(count / BLOOM_RECORDS);
  }

  ensure(blocks: number): void {
    const need = blocks * BLOOM_BYTES;
    if (need <= this.bits.length) return;
    const grown = new Uint8Array(Math.max(need, this.bits.length * 2));
    grown.set(this.bits);
    this.bits = grown;
  }

  clear(): void {
    this.bits = new Uint8Array(0);
  }

  /** Adds record `index`'s search text (`len` bytes of `text`) to its block's map. */
  add(index: number, text: Uint8Array, len: number): void {
    const block = Math.floor(index / BLOOM_RECORDS);
    this.ensure(block + 1);
    const base = block * BLOOM_BYTES;
    const bits = this.bits;
    for (let p = 0; p + 2 < len; p++) {
      const h = trigram(text[p] as number, text[p + 1] as number, text[p + 2] as number);
      bits[base + (h >>> 3)]! |= 1 << (h & 7);
    }
  }

  mayContain(block: number, hashes: Uint32Array): boolean {
    const base = block * BLOOM_BYTES;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i] as number;
      if (((this.bits[base + (h >>> 3)] as number) & (1 << (h & 7))) === 0) return false;
    }
    return true;
  }
}
