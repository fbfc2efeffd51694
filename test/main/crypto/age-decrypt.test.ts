// What an operator sees when a backup object cannot be decrypted, and which plaintext got out before that.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createAgeDecryptStream } from "../../../src/main/crypto/age-decrypt.ts";
import { createAgeEncryptStream } from "../../../src/main/crypto/age-encrypt.ts";
import { parseAgeHeader } from "../../../src/main/crypto/age-header.ts";
import { generateIdentity, parseIdentity } from "../../../src/main/crypto/age-keys.ts";
import { isLifeboatError, type ErrorCode } from "../../../src/shared/errors.ts";
import { pieces, runThrough, through } from "./age-test-helpers.ts";

const KiB64 = 64 * 1024;
const SEALED = KiB64 + 16;
const key = generateIdentity();
// Three full chunks and a short final one.
const plaintext = randomBytes(3 * KiB64 + 1000);
let ciphertext: Buffer;
let payloadStart: number; // first byte of chunk 1, after header and nonce

before(async () => {
  ciphertext = await through(createAgeEncryptStream([key.recipient]), [plaintext]);
  payloadStart = parseAgeHeader(ciphertext)!.headerBytes + 16;
});

async function decryptFails(
  input: Buffer,
  code: ErrorCode,
  identities: string[] = [key.identity],
): Promise<{ out: Buffer; message: string; hint: string }> {
  // Whole, and in odd pieces: the outcome must not depend on how the bytes arrive.
  let first: { out: Buffer; message: string; hint: string } | undefined;
  for (const input2 of [[input], pieces(input, 4099, 1, 65552)]) {
    const { out, error } = await runThrough(createAgeDecryptStream(identities), input2);
    assert.ok(isLifeboatError(error), `expected ${code}, got ${error === undefined ? "success" : String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const id of identities)
      assert.ok(!`${error.message} ${error.hint}`.includes(id.slice(16)), "key material in the error");
    first ??= { out, message: error.message, hint: error.hint ?? "" };
    assert.deepEqual(out, first.out);
  }
  return first!;
}

function flip(buf: Buffer, at: number): Buffer {
  const copy = Buffer.from(buf);
  copy[at]! ^= 0x01;
  return copy;
}

describe("age decrypt failures", () => {
  test("the right identity decrypts (the baseline the failures below depart from)", async () => {
    assert.deepEqual(await through(createAgeDecryptStream([key.identity]), [ciphertext]), plaintext);
    assert.deepEqual(await through(createAgeDecryptStream([parseIdentity(key.identity)]), [ciphertext]), plaintext);
    assert.deepEqual(
      await through(createAgeDecryptStream([generateIdentity().identity, key.identity]), [ciphertext]),
      plaintext,
    );
  });

  test("a wrong identity: IDENTITY_WRONG, pointing at the manifest's recipients, nothing released", async () => {
    const other = generateIdentity();
    const { out, hint } = await decryptFails(ciphertext, "IDENTITY_WRONG", [other.identity]);
    assert.equal(out.length, 0);
    assert.match(hint, /not encrypted to the key you gave/);
    assert.match(hint, /manifest/);
  });

  test("no identity: IDENTITY_MISSING before any byte is read", () => {
    assert.throws(
      () => createAgeDecryptStream([]),
      (e: unknown) => isLifeboatError(e) && e.code === "IDENTITY_MISSING",
    );
    assert.throws(
      () => createAgeDecryptStream(["# an empty key file\n"]),
      (e: unknown) => isLifeboatError(e) && e.code === "IDENTITY_MISSING",
    );
  });

  test("a flipped byte in the header MAC: OBJECT_CORRUPT", async () => {
    const macAt = ciphertext.indexOf("\n--- ") + 6;
    const { out } = await decryptFails(flip(ciphertext, macAt), "OBJECT_CORRUPT");
    assert.equal(out.length, 0);
  });

  test("a changed header line under an intact MAC: OBJECT_CORRUPT", async () => {
    // Add a grease stanza: the header still parses and the key still unwraps, but the MAC no longer matches.
    const at = ciphertext.indexOf("\n--- ") + 1;
    const tampered = Buffer.concat([ciphertext.subarray(0, at), Buffer.from("-> grease\n\n"), ciphertext.subarray(at)]);
    await decryptFails(tampered, "OBJECT_CORRUPT");
  });

  test("a flipped byte in the X25519 stanza body reads as a key that does not match (age cannot tell these apart)", async () => {
    const bodyAt = ciphertext.indexOf("\n-> X25519 ") + 1;
    const bodyLine = ciphertext.indexOf("\n", bodyAt) + 1;
    // Swap one base64 character for another valid one, so the header still parses.
    const tampered = Buffer.from(ciphertext);
    tampered[bodyLine + 5] = tampered[bodyLine + 5] === 0x41 ? 0x42 : 0x41;
    await decryptFails(tampered, "IDENTITY_WRONG");
  });

  test("a flipped byte in a payload chunk: OBJECT_CORRUPT, and only the chunks before it are released", async () => {
    const { out, message } = await decryptFails(flip(ciphertext, payloadStart + SEALED + 100), "OBJECT_CORRUPT");
    assert.match(message, /chunk 2/);
    assert.deepEqual(out, plaintext.subarray(0, KiB64));
    const last = await decryptFails(flip(ciphertext, ciphertext.length - 1), "OBJECT_CORRUPT");
    assert.deepEqual(last.out, plaintext.subarray(0, 3 * KiB64));
  });

  test("a flipped payload nonce: OBJECT_CORRUPT on the first chunk", async () => {
    const { out } = await decryptFails(flip(ciphertext, payloadStart - 3), "OBJECT_CORRUPT");
    assert.equal(out.length, 0);
  });

  test("bytes after the final chunk: OBJECT_CORRUPT", async () => {
    await decryptFails(Buffer.concat([ciphertext, Buffer.from([0])]), "OBJECT_CORRUPT");
    // A full-size final chunk followed by junk: the final chunk is authentic and released, then the junk is refused.
    const exact = randomBytes(2 * KiB64);
    const ct = await through(createAgeEncryptStream([key.recipient]), [exact]);
    const { out } = await decryptFails(Buffer.concat([ct, randomBytes(20)]), "OBJECT_CORRUPT");
    assert.deepEqual(out, exact);
  });

  describe("truncation", () => {
    test("inside the header: OBJECT_TRUNCATED", async () => {
      for (const cut of [0, 5, 30, ciphertext.indexOf("\n--- ") + 3])
        await decryptFails(ciphertext.subarray(0, cut), "OBJECT_TRUNCATED");
    });

    test("header only, with or without part of the payload nonce: OBJECT_TRUNCATED", async () => {
      const headerEnd = payloadStart - 16;
      for (const cut of [headerEnd, headerEnd + 7, payloadStart]) {
        const { out } = await decryptFails(ciphertext.subarray(0, cut), "OBJECT_TRUNCATED");
        assert.equal(out.length, 0);
      }
    });

    test("at a chunk boundary: OBJECT_TRUNCATED, after releasing the chunks that are there", async () => {
      for (const chunks of [1, 2, 3]) {
        const { out, message } = await decryptFails(
          ciphertext.subarray(0, payloadStart + chunks * SEALED),
          "OBJECT_TRUNCATED",
        );
        assert.deepEqual(out, plaintext.subarray(0, chunks * KiB64));
        assert.match(message, /not the final one/);
      }
    });

    test("inside a chunk, too short to hold a tag: OBJECT_TRUNCATED", async () => {
      await decryptFails(ciphertext.subarray(0, payloadStart + SEALED + 15), "OBJECT_TRUNCATED");
    });

    test("inside a chunk past its tag length: OBJECT_CORRUPT (indistinguishable from a damaged final chunk)", async () => {
      // The bytes left are tried as a final chunk and fail authentication, exactly like a damaged final chunk would.
      for (const cut of [payloadStart + 17, payloadStart + SEALED + 1000, ciphertext.length - 1]) {
        const { out, message } = await decryptFails(ciphertext.subarray(0, cut), "OBJECT_CORRUPT");
        assert.equal(out.length % KiB64, 0);
        assert.match(message, /cut inside it/);
      }
    });
  });
});
