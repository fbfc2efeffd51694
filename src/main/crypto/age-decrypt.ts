// Streams an age v1 file back to plaintext. Plaintext is released only chunk by authenticated chunk (STREAM makes
// each chunk's position part of its authentication, so every released prefix is genuine), and the object counts as
// whole only once a chunk authenticates as the last one.
//
// How an object that ends early is reported:
// - inside the header, before or inside the payload nonce, with no chunk at all, or right after a chunk that
//   authenticates as non-final: OBJECT_TRUNCATED (the bytes present are intact; more were expected);
// - inside a chunk, with fewer bytes left than a tag: OBJECT_TRUNCATED (no chunk is that short);
// - inside a chunk otherwise: OBJECT_CORRUPT. The bytes left look like a final chunk that fails authentication, and a
//   damaged final chunk looks exactly the same; the object's stored size (in the manifest) is what tells them apart.
// Which plaintext gets released before an error matches the reference implementation (the C2SP testkit checks it).
import { Transform, type TransformCallback } from "node:stream";
import { corruptObject, truncatedObject } from "./age-errors.ts";
import { parseAgeHeader, unwrapFileKey } from "./age-header.ts";
import { identityScalars } from "./age-keys.ts";
import {
  ChunkNonce,
  ENCRYPTED_CHUNK_SIZE,
  PAYLOAD_NONCE_SIZE,
  TAG_SIZE,
  openChunk,
  payloadKey,
} from "./age-payload.ts";

type Phase = "header" | "nonce" | "payload";

class AgeDecryptTransform extends Transform {
  readonly #identities: Buffer[];
  #phase: Phase = "header";
  #headerBuf: Buffer = Buffer.alloc(0);
  #fileKey: Buffer | null = null;
  readonly #payloadNonce = Buffer.alloc(PAYLOAD_NONCE_SIZE);
  #payloadNonceFill = 0;
  #key: Buffer | null = null;
  readonly #nonce = new ChunkNonce();
  readonly #pending = Buffer.allocUnsafe(ENCRYPTED_CHUNK_SIZE);
  #fill = 0;
  #finalSeen = false;

  constructor(identities: Buffer[]) {
    super();
    this.#identities = identities;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#consume(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#finish();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  #consume(input: Buffer): void {
    let data = input;
    if (this.#phase === "header") {
      // Headers are small and almost always arrive in the first write, so re-parsing the joined bytes is cheap.
      this.#headerBuf = this.#headerBuf.length === 0 ? data : Buffer.concat([this.#headerBuf, data]);
      const header = parseAgeHeader(this.#headerBuf);
      if (!header) return;
      this.#fileKey = unwrapFileKey(header, this.#identities);
      data = this.#headerBuf.subarray(header.headerBytes);
      this.#headerBuf = Buffer.alloc(0);
      this.#phase = "nonce";
    }
    if (this.#phase === "nonce") {
      const copied = data.copy(
        this.#payloadNonce,
        this.#payloadNonceFill,
        0,
        PAYLOAD_NONCE_SIZE - this.#payloadNonceFill,
      );
      this.#payloadNonceFill += copied;
      data = data.subarray(copied);
      if (this.#payloadNonceFill < PAYLOAD_NONCE_SIZE) return;
      this.#key = payloadKey(this.#fileKey!, this.#payloadNonce);
      this.#phase = "payload";
    }
    let off = 0;
    while (off < data.length) {
      if (this.#finalSeen) throw corruptObject("there are bytes after the final payload chunk");
      if (this.#fill === 0 && data.length - off >= ENCRYPTED_CHUNK_SIZE) {
        this.#openFull(data.subarray(off, off + ENCRYPTED_CHUNK_SIZE));
        off += ENCRYPTED_CHUNK_SIZE;
        continue;
      }
      const copied = data.copy(
        this.#pending,
        this.#fill,
        off,
        Math.min(data.length, off + ENCRYPTED_CHUNK_SIZE - this.#fill),
      );
      this.#fill += copied;
      off += copied;
      if (this.#fill === ENCRYPTED_CHUNK_SIZE) {
        this.#openFull(this.#pending);
        this.#fill = 0;
      }
    }
  }

  /** A full-size chunk: a middle one, or a final one that happens to be full. */
  #openFull(sealed: Buffer): void {
    let plaintext = openChunk(this.#key!, this.#nonce.withLastFlag(false), sealed);
    if (!plaintext) {
      plaintext = openChunk(this.#key!, this.#nonce.withLastFlag(true), sealed);
      if (!plaintext) throw corruptObject(`payload chunk ${this.#nonce.index + 1} fails authentication`);
      this.#finalSeen = true;
    }
    this.#nonce.next();
    this.push(plaintext);
  }

  #finish(): void {
    if (this.#phase === "header") throw truncatedObject("it ends inside the age header");
    if (this.#phase === "nonce") throw truncatedObject("it ends before the payload starts");
    if (this.#finalSeen) return;
    const n = this.#fill;
    const chunkNo = this.#nonce.index + 1;
    if (n === 0)
      throw truncatedObject(
        this.#nonce.index === 0
          ? "it has no payload chunks"
          : `it ends after payload chunk ${this.#nonce.index}, which is not the final one`,
      );
    if (n < TAG_SIZE) throw truncatedObject(`it ends inside payload chunk ${chunkNo}`);
    const sealed = this.#pending.subarray(0, n);
    const plaintext = openChunk(this.#key!, this.#nonce.withLastFlag(true), sealed);
    if (plaintext) {
      // An empty final chunk is how an empty file is written, and nothing else may end with one.
      if (plaintext.length === 0 && this.#nonce.index > 0) throw corruptObject("the final payload chunk is empty");
      this.#nonce.next();
      this.push(plaintext);
      return;
    }
    throw corruptObject(
      `payload chunk ${chunkNo} fails authentication (it is damaged, or the object was cut inside it)`,
    );
  }
}

/**
 * age v1 decryption with X25519 identities (bare "AGE-SECRET-KEY-1…" strings, identity files' text, or raw 32-byte
 * scalars). Throws IDENTITY_MISSING / USAGE at once for unusable identities; stream errors carry IDENTITY_WRONG,
 * OBJECT_CORRUPT or OBJECT_TRUNCATED.
 */
export function createAgeDecryptStream(identities: string[] | Buffer[]): Transform {
  return new AgeDecryptTransform(identityScalars(identities));
}
