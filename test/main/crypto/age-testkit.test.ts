// Runs the C2SP CCTV age test vectors (a subset, see test/fixtures/age/README.md) through createAgeDecryptStream.
// The testkit's outcome classes map to Lifeboat's error codes; where one class maps to two codes the vector is named
// below with the reason. For every failure, the plaintext released before the error must hash to `payload:` too.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { createAgeDecryptStream } from "../../../src/main/crypto/age-decrypt.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { isLifeboatError, type ErrorCode } from "../../../src/shared/errors.ts";
import { pieces, runThrough } from "./age-test-helpers.ts";

const DIR = fileURLToPath(new URL("../../fixtures/age/testkit/", import.meta.url));

interface Vector {
  name: string;
  expect: string;
  payload?: string;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  file: Buffer;
}

function load(name: string): Vector {
  const raw = readFileSync(join(DIR, name));
  const split = raw.indexOf("\n\n");
  const fields = raw
    .toString("utf8", 0, split)
    .split("\n")
    .map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)] as const);
  const get = (k: string) => fields.filter(([key]) => key === k).map(([, v]) => v);
  const body = raw.subarray(split + 2);
  const compressed = get("compressed")[0];
  if (compressed !== undefined && compressed !== "zlib") throw new Error(`${name}: unknown compression ${compressed}`);
  return {
    name,
    expect: get("expect")[0] ?? "",
    payload: get("payload")[0],
    identities: get("identity"),
    passphrases: get("passphrase"),
    armored: get("armored")[0] === "yes",
    file: compressed ? inflateSync(body) : body,
  };
}

function skipReason(v: Vector): string | undefined {
  if (v.armored) return "ASCII armor is not supported: Lifeboat stores and reads binary age files only";
  if (v.identities.some((id) => !id.startsWith("AGE-SECRET-KEY-1")))
    return "ML-KEM hybrid (post-quantum) recipients are not supported (nor by the age 1.1 CLI)";
  if (v.identities.length === 0 && v.passphrases.length > 0)
    return "passphrase (scrypt) recipients are not supported: Lifeboat encrypts to X25519 keys only";
  return undefined;
}

// "header failure" vectors whose file simply ends before the header (or the payload nonce) is complete: Lifeboat
// calls that OBJECT_TRUNCATED, the bytes present being fine.
const HEADER_TRUNCATED = new Set(["empty", "stream_no_nonce", "stream_short_nonce"]);
// "payload failure" vectors that end at a chunk boundary without a final chunk, or inside a chunk with no room for a
// tag: OBJECT_TRUNCATED. Every other payload failure is a chunk that fails authentication (or a rule broken by an
// authentic chunk): OBJECT_CORRUPT.
const PAYLOAD_TRUNCATED = new Set([
  "stream_no_chunks",
  "stream_no_final_full",
  "stream_no_final_two_chunks_full",
  "stream_missing_tag",
  "stream_short_chunk",
  "stream_short_second_chunk",
]);

function expectedCode(v: Vector): ErrorCode | null {
  switch (v.expect) {
    case "success":
      return null;
    case "no match":
      return "IDENTITY_WRONG";
    case "HMAC failure":
      return "OBJECT_CORRUPT";
    case "header failure":
      return HEADER_TRUNCATED.has(v.name) ? "OBJECT_TRUNCATED" : "OBJECT_CORRUPT";
    case "payload failure":
      return PAYLOAD_TRUNCATED.has(v.name) ? "OBJECT_TRUNCATED" : "OBJECT_CORRUPT";
    default:
      throw new Error(`${v.name}: unknown expect ${v.expect}`);
  }
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const names = readdirSync(DIR).sort();

describe("C2SP CCTV age testkit", () => {
  test("the fixture set is there", () => {
    assert.ok(names.length >= 70, `only ${names.length} vectors found`);
  });

  for (const name of names) {
    const v = load(name);
    const skip = skipReason(v);
    test(`${name} (${v.expect})`, skip ? { skip } : {}, async () => {
      const want = expectedCode(v);
      // Whole, and in small odd pieces, so incremental header parsing and chunk reassembly are exercised too.
      for (const input of [[v.file], pieces(v.file, 13, 1, 65537)]) {
        // A vector with neither identity nor passphrase fails before any key is tried; any identity will do.
        const identities = v.identities.length ? v.identities : [generateIdentity().identity];
        const { out, error } = await runThrough(createAgeDecryptStream(identities), input);
        if (want === null) {
          assert.equal(error, undefined, `${name}: unexpected ${String(error)}`);
        } else {
          assert.ok(
            isLifeboatError(error),
            `${name}: expected ${want}, got ${error === undefined ? "success" : String(error)}`,
          );
          assert.equal(error.code, want, `${name}: ${error.message}`);
        }
        if (v.payload !== undefined) assert.equal(sha256(out), v.payload, `${name}: released plaintext differs`);
        else assert.equal(out.length, 0, `${name}: released plaintext on a header failure`);
      }
    });
  }
});
