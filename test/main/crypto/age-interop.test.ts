// Interoperability with the stock age CLI, the tool a stranger restoring a backup will use. Identities reach age
// only through 0600 key files, never argv; recipients (public) may go on argv.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAgeDecryptStream } from "../../../src/main/crypto/age-decrypt.ts";
import { createAgeEncryptStream } from "../../../src/main/crypto/age-encrypt.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";
import { pieces, runThrough, tempDir, through } from "./age-test-helpers.ts";

const tmp = tempDir();
after(() => tmp.cleanup());

function age(args: string[], input: Buffer): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync("age", args, { input, maxBuffer: 64 * 1024 * 1024 });
  // age that refuses a key exits before reading all its input. Node 24's spawnSync reports the write to the closed
  // pipe as EPIPE beside the exit status (Node 20 does not); the status is the answer either way.
  const epipe = (r.error as NodeJS.ErrnoException | undefined)?.code === "EPIPE" && r.status !== null;
  if (r.error && !epipe) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

const SIZES = [0, 1, 65535, 65536, 65537, 3 * 65536, 1024 * 1024 + 11];

describe("age CLI interop", () => {
  test("the age CLI is installed", () => {
    const r = spawnSync("age", ["--version"]);
    assert.equal(r.status, 0, "age is not on PATH (Debian package: age)");
  });

  test("our encryption -> age -d -i keyfile, for every chunk-boundary size", async () => {
    const key = generateIdentity();
    const keyFile = tmp.keyFile("ours-to-age.txt", `# test key\n${key.identity}\n`);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      const ciphertext = await through(createAgeEncryptStream([key.recipient]), pieces(plaintext, 4093, 70_000));
      const r = age(["-d", "-i", keyFile], ciphertext);
      assert.equal(r.status, 0, `size ${size}: ${r.stderr}`);
      assert.deepEqual(r.stdout, plaintext, `size ${size}`);
    }
  });

  test("age -r recipient -> our decryption, for every chunk-boundary size", async () => {
    const key = generateIdentity();
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      const r = age(["-r", key.recipient], plaintext);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(
        await through(createAgeDecryptStream([key.identity]), pieces(r.stdout, 65552, 3)),
        plaintext,
        `size ${size}`,
      );
    }
  });

  test("several recipients, both directions: each identity alone decrypts", async () => {
    const laptop = generateIdentity();
    const escrow = generateIdentity();
    const plaintext = randomBytes(200_000);
    const ours = await through(createAgeEncryptStream([laptop.recipient, escrow.recipient]), [plaintext]);
    const theirs = age(["-r", laptop.recipient, "-r", escrow.recipient], plaintext).stdout;
    for (const [i, id] of [laptop, escrow].entries()) {
      const keyFile = tmp.keyFile(`multi-${i}.txt`, `${id.identity}\n`);
      const r = age(["-d", "-i", keyFile], ours);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stdout, plaintext);
      assert.deepEqual(await through(createAgeDecryptStream([id.identity]), [theirs]), plaintext);
    }
    // And a key that is neither: age refuses ours, we refuse theirs.
    const stranger = generateIdentity();
    const strangerFile = tmp.keyFile("stranger.txt", `${stranger.identity}\n`);
    assert.notEqual(age(["-d", "-i", strangerFile], ours).status, 0);
    const { error } = await runThrough(createAgeDecryptStream([stranger.identity]), [theirs]);
    assert.ok(isLifeboatError(error) && error.code === "IDENTITY_WRONG");
  });

  test("age refuses our output when it is cut at a chunk boundary, as we do", async () => {
    const key = generateIdentity();
    const keyFile = tmp.keyFile("cut.txt", `${key.identity}\n`);
    const ciphertext = await through(createAgeEncryptStream([key.recipient]), [randomBytes(3 * 65536)]);
    const cut = ciphertext.subarray(0, ciphertext.length - 65552);
    writeFileSync(join(tmp.dir, "cut.age"), cut);
    assert.notEqual(age(["-d", "-i", keyFile, join(tmp.dir, "cut.age")], Buffer.alloc(0)).status, 0);
    const { error } = await runThrough(createAgeDecryptStream([key.identity]), [cut]);
    assert.ok(isLifeboatError(error) && error.code === "OBJECT_TRUNCATED");
  });
});
