import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { bech32 } from "@scure/base";
import { pipeline } from "node:stream/promises";
import { createAgeDecryptStream } from "../../../src/main/crypto/age-decrypt.ts";
import { createAgeEncryptStream } from "../../../src/main/crypto/age-encrypt.ts";
import { parseAgeHeader } from "../../../src/main/crypto/age-header.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { pieces, through } from "./age-test-helpers.ts";

const KiB64 = 64 * 1024;
const key = generateIdentity();

/** Bytes of payload after the header: nonce, then each chunk's plaintext plus its 16-byte tag. */
function expectedPayloadLength(n: number): number {
  const chunks = Math.max(1, Math.ceil(n / KiB64));
  return 16 + n + 16 * chunks;
}

describe("age encrypt", () => {
  for (const size of [0, 1, KiB64 - 1, KiB64, KiB64 + 1, 3 * KiB64]) {
    test(`round trip of ${size} bytes, with the chunk layout age requires`, async () => {
      const plaintext = randomBytes(size);
      const ciphertext = await through(createAgeEncryptStream([key.recipient]), size ? [plaintext] : []);
      const header = parseAgeHeader(ciphertext);
      assert.ok(header);
      // A plaintext of whole chunks ends with a full final chunk, never an extra empty one.
      assert.equal(ciphertext.length - header.headerBytes, expectedPayloadLength(size));
      assert.deepEqual(await through(createAgeDecryptStream([key.identity]), [ciphertext]), plaintext);
    });
  }

  test("about 1 MiB written in odd-sized pieces, decrypted from other odd-sized pieces", async () => {
    const plaintext = randomBytes(1024 * 1024 + 4093);
    const ciphertext = await through(
      createAgeEncryptStream([key.recipient]),
      pieces(plaintext, 1, 7, 65535, 65537, 3 * KiB64 + 5, 4096),
    );
    assert.equal(ciphertext.length - parseAgeHeader(ciphertext)!.headerBytes, expectedPayloadLength(plaintext.length));
    assert.deepEqual(
      await through(createAgeDecryptStream([key.identity]), pieces(ciphertext, 3, 65552, 1, 100_000)),
      plaintext,
    );
  });

  test("every encryption uses a fresh file key and nonce", async () => {
    const plaintext = Buffer.from("same input");
    const a = await through(createAgeEncryptStream([key.recipient]), [plaintext]);
    const b = await through(createAgeEncryptStream([key.recipient]), [plaintext]);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a.subarray(-30), b.subarray(-30));
  });

  test("one X25519 stanza per recipient, and each identity alone decrypts", async () => {
    const escrow = generateIdentity();
    const third = generateIdentity();
    const plaintext = randomBytes(70_000);
    const ciphertext = await through(createAgeEncryptStream([key.recipient, escrow.recipient, third.recipient]), [
      plaintext,
    ]);
    const header = parseAgeHeader(ciphertext)!;
    assert.deepEqual(
      header.stanzas.map((s) => s.type),
      ["X25519", "X25519", "X25519"],
    );
    for (const id of [key, escrow, third])
      assert.deepEqual(await through(createAgeDecryptStream([id.identity]), [ciphertext]), plaintext);
  });

  test("refuses to start without a usable recipient", () => {
    assert.throws(
      () => createAgeEncryptStream([]),
      (e: unknown) => e instanceof LifeboatError && e.code === "USAGE",
    );
    assert.throws(
      () => createAgeEncryptStream([key.recipient, "age1bogus"]),
      (e: unknown) => e instanceof LifeboatError && e.code === "USAGE",
    );
    // A well-formed recipient whose point has low order would make the wrapping key public.
    const lowOrder = bech32.encode("age", bech32.toWords(new Uint8Array(32)), 1000);
    assert.throws(
      () => createAgeEncryptStream([key.recipient, lowOrder]),
      (e: unknown) => e instanceof LifeboatError && e.code === "USAGE",
    );
  });

  test("memory stays flat: backpressure holds the buffered bytes to a few chunks on 48 MiB", async () => {
    const block = randomBytes(1024 * 1024);
    const encrypt = createAgeEncryptStream([key.recipient]);
    const decrypt = createAgeDecryptStream([key.identity]);
    let maxBuffered = 0;
    let total = 0;
    const slowSink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        total += chunk.length;
        const buffered =
          encrypt.writableLength + encrypt.readableLength + decrypt.writableLength + decrypt.readableLength;
        maxBuffered = Math.max(maxBuffered, buffered);
        setImmediate(cb);
      },
    });
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 48; i++) yield block;
        })(),
      ),
      encrypt,
      decrypt,
      slowSink,
    );
    assert.equal(total, 48 * 1024 * 1024);
    assert.ok(maxBuffered < 4 * 1024 * 1024, `buffered up to ${maxBuffered} bytes`);
  });
});
