// age's STREAM payload: 64 KiB plaintext chunks, each sealed with ChaCha20-Poly1305 under a key derived from the file
// key and a random 16-byte nonce; the chunk nonce is an 11-byte big-endian counter and a last-chunk flag byte.
import { createCipheriv, createDecipheriv, hkdfSync } from "node:crypto";

export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const ENCRYPTED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const PAYLOAD_NONCE_SIZE = 16;

export function payloadKey(fileKey: Buffer, nonce: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", fileKey, nonce, "payload", 32));
}

export class ChunkNonce {
  readonly bytes = Buffer.alloc(12);
  index = 0;

  next(): void {
    for (let i = 10; i >= 0; i--) {
      this.bytes[i] = (this.bytes[i]! + 1) & 0xff;
      if (this.bytes[i] !== 0) break;
      if (i === 0) throw new Error("age STREAM counter overflow");
    }
    this.index++;
  }

  withLastFlag(last: boolean): Buffer {
    this.bytes[11] = last ? 1 : 0;
    return this.bytes;
  }
}

/** Ciphertext and tag as two buffers, so a 64 KiB chunk is never copied just to append 16 bytes. */
export function sealChunk(key: Buffer, nonce: Buffer, plaintext: Buffer): [Buffer, Buffer] {
  const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: TAG_SIZE });
  const out = cipher.update(plaintext);
  cipher.final();
  return [out, cipher.getAuthTag()];
}

/** Plaintext of an authentic chunk (ciphertext followed by its tag), or null when authentication fails. */
export function openChunk(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < TAG_SIZE) return null;
  const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: TAG_SIZE });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const out = decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE));
  try {
    decipher.final();
  } catch {
    return null;
  }
  return out;
}
