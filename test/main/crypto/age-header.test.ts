import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createAgeEncryptStream } from "../../../src/main/crypto/age-encrypt.ts";
import {
  checkIdentityOpens,
  encodeAgeHeader,
  MAX_HEADER_BYTES,
  parseAgeHeader,
  unwrapFileKey,
} from "../../../src/main/crypto/age-header.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { isLifeboatError, type ErrorCode } from "../../../src/shared/errors.ts";
import { through } from "./age-test-helpers.ts";

const a = generateIdentity();
const b = generateIdentity();

async function encrypted(recipients: string[]): Promise<Buffer> {
  return through(createAgeEncryptStream(recipients), [Buffer.from("hello")]);
}

function isCode(code: ErrorCode) {
  return (e: unknown) => isLifeboatError(e) && e.code === code;
}

describe("age header", () => {
  test("a two-recipient header parses into its stanzas, and every strict prefix asks for more bytes", async () => {
    const file = await encrypted([a.recipient, b.recipient]);
    const header = parseAgeHeader(file)!;
    assert.equal(header.stanzas.length, 2);
    for (const s of header.stanzas) {
      assert.equal(s.type, "X25519");
      assert.equal(s.args.length, 1);
      assert.equal(s.body.length, 32);
    }
    assert.equal(file.toString("latin1", header.headerBytes - 1, header.headerBytes), "\n");
    assert.equal(header.macInput.toString("latin1").slice(-4), "\n---");
    assert.equal(header.mac.length, 32);
    for (let cut = 0; cut < header.headerBytes; cut++)
      assert.equal(parseAgeHeader(file.subarray(0, cut)), null, `prefix of ${cut} bytes`);
  });

  test("encoding wraps bodies at 64 columns and always ends a stanza with a short line", () => {
    const fileKey = randomBytes(16);
    const stanzas = [
      { type: "grease-1", args: ["x", "y!"], body: randomBytes(48) },
      { type: "grease-2", args: [], body: randomBytes(100) },
      { type: "grease-3", args: [], body: Buffer.alloc(0) },
    ];
    const text = encodeAgeHeader(stanzas, fileKey);
    const lines = text.toString("latin1").split("\n");
    assert.deepEqual(
      lines.slice(1, 4).map((l) => l.length),
      ["-> grease-1 x y!".length, 64, 0],
    );
    assert.deepEqual(
      lines.slice(5, 8).map((l) => l.length),
      [64, 64, 6],
    );
    const parsed = parseAgeHeader(text)!;
    assert.deepEqual(parsed.stanzas, stanzas);
    assert.equal(parsed.headerBytes, text.length);
  });

  test("what cannot be an age header is refused at once, not buffered", () => {
    for (const junk of [
      "PK\u0003\u0004",
      "age-encryption.org/v2\n",
      "AGE-ENCRYPTION",
      "-----BEGIN AGE ENCRYPTED FILE-----\n",
    ]) {
      assert.throws(() => parseAgeHeader(Buffer.from(junk)), isCode("OBJECT_CORRUPT"), junk);
    }
    assert.throws(
      () => parseAgeHeader(Buffer.from("age-encryption.org/v1\n-> X25519\n=padding=\n")),
      isCode("OBJECT_CORRUPT"),
    );
    assert.throws(() => parseAgeHeader(Buffer.from("age-encryption.org/v1\n--- AAAA\n")), isCode("OBJECT_CORRUPT"));
    // A header that never closes stops being buffered at the cap.
    const endless = Buffer.concat([
      Buffer.from("age-encryption.org/v1\n-> grease\n"),
      Buffer.alloc(MAX_HEADER_BYTES, "A"),
    ]);
    assert.throws(() => parseAgeHeader(endless), isCode("OBJECT_CORRUPT"));
  });

  test("unwrapFileKey gives the 16-byte file key to either recipient's identity", async () => {
    const header = parseAgeHeader(await encrypted([a.recipient, b.recipient]))!;
    const k1 = unwrapFileKey(header, [a.identity]);
    assert.equal(k1.length, 16);
    assert.deepEqual(unwrapFileKey(header, [b.identity]), k1);
    assert.throws(() => unwrapFileKey(header, [generateIdentity().identity]), isCode("IDENTITY_WRONG"));
    assert.throws(() => unwrapFileKey(header, []), isCode("IDENTITY_MISSING"));
  });

  test("checkIdentityOpens reads only the header bytes", async () => {
    const file = await encrypted([a.recipient]);
    const headerBytes = parseAgeHeader(file)!.headerBytes;
    await checkIdentityOpens(file.subarray(0, headerBytes), [a.identity]);
    await checkIdentityOpens(file.subarray(0, 1024), [`# key file\n${a.identity}\n`]);
    await assert.rejects(checkIdentityOpens(file.subarray(0, headerBytes), [b.identity]), isCode("IDENTITY_WRONG"));
    await assert.rejects(
      checkIdentityOpens(file.subarray(0, headerBytes - 2), [a.identity]),
      isCode("OBJECT_TRUNCATED"),
    );
    await assert.rejects(checkIdentityOpens(file.subarray(0, headerBytes), []), isCode("IDENTITY_MISSING"));
    const badMac = Buffer.from(file.subarray(0, headerBytes));
    badMac[headerBytes - 3] = badMac[headerBytes - 3] === 0x41 ? 0x42 : 0x41;
    await assert.rejects(checkIdentityOpens(badMac, [a.identity]), isCode("OBJECT_CORRUPT"));
  });
});
