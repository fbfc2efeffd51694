// Streams plaintext into an age v1 file encrypted to X25519 recipients, with node's native ChaCha20-Poly1305.
// A full chunk is held back until more input arrives, because only the end of input says which chunk is last.
import { randomBytes } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { LifeboatError } from "../../shared/errors.ts";
import { encodeAgeHeader } from "./age-header.ts";
import { parseRecipient } from "./age-keys.ts";
import { CHUNK_SIZE, ChunkNonce, PAYLOAD_NONCE_SIZE, payloadKey, sealChunk } from "./age-payload.ts";
import { FILE_KEY_BYTES, wrapFileKeyX25519 } from "./age-x25519-stanza.ts";

class AgeEncryptTransform extends Transform {
  readonly #key: Buffer;
  readonly #nonce = new ChunkNonce();
  readonly #pending = Buffer.allocUnsafe(CHUNK_SIZE);
  #fill = 0;

  constructor(prefix: Buffer, key: Buffer) {
    super();
    this.#key = key;
    this.push(prefix);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let off = 0;
      while (off < chunk.length) {
        // More input exists, so a full pending chunk is not the last one.
        if (this.#fill === CHUNK_SIZE) {
          this.#seal(this.#pending, false);
          this.#fill = 0;
        }
        if (this.#fill === 0 && chunk.length - off > CHUNK_SIZE) {
          this.#seal(chunk.subarray(off, off + CHUNK_SIZE), false);
          off += CHUNK_SIZE;
          continue;
        }
        const copied = chunk.copy(
          this.#pending,
          this.#fill,
          off,
          Math.min(chunk.length, off + CHUNK_SIZE - this.#fill),
        );
        this.#fill += copied;
        off += copied;
      }
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      // Non-empty unless the whole plaintext was empty, which age encodes as one empty final chunk.
      this.#seal(this.#pending.subarray(0, this.#fill), true);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  #seal(plaintext: Buffer, last: boolean): void {
    const [sealed, tag] = sealChunk(this.#key, this.#nonce.withLastFlag(last), plaintext);
    this.#nonce.next();
    this.push(sealed);
    this.push(tag);
  }
}

/** age v1 encryption to one or more X25519 recipients ("age1…"); each recipient's identity alone can decrypt. */
export function createAgeEncryptStream(recipients: string[]): Transform {
  if (recipients.length === 0) {
    throw new LifeboatError(
      "USAGE",
      "No age recipient was given, so the backup cannot be encrypted.",
      "Add at least one recipient (age1…) to the profile's encryption.recipients.",
    );
  }
  const points = recipients.map(parseRecipient);
  const fileKey = randomBytes(FILE_KEY_BYTES);
  const header = encodeAgeHeader(
    points.map((p) => wrapFileKeyX25519(fileKey, p)),
    fileKey,
  );
  const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
  return new AgeEncryptTransform(Buffer.concat([header, nonce]), payloadKey(fileKey, nonce));
}
