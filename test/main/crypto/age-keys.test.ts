import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  generateIdentity,
  identityScalars,
  identityToRecipient,
  parseIdentities,
  parseIdentity,
  parseRecipient,
} from "../../../src/main/crypto/age-keys.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { tempDir } from "./age-test-helpers.ts";

const tmp = tempDir();
after(() => tmp.cleanup());

function throwsCode(fn: () => unknown, code: string, secret?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof LifeboatError, `not a LifeboatError: ${String(err)}`);
    assert.equal(err.code, code);
    if (secret) assert.ok(!`${err.message} ${err.hint}`.includes(secret.slice(16, 40)), "key material in the error");
    return true;
  });
}

describe("age keys", () => {
  test("generateIdentity makes a pair that age-keygen agrees with", () => {
    const { identity, recipient } = generateIdentity();
    assert.match(identity, /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    assert.match(recipient, /^age1[02-9ac-hj-np-z]{58}$/);
    assert.equal(identityToRecipient(identity), recipient);
    const keyFile = tmp.keyFile("gen.txt", `${identity}\n`);
    assert.equal(execFileSync("age-keygen", ["-y", keyFile]).toString().trim(), recipient);
  });

  test("identities made by age-keygen are read from the key file text, comments and all", () => {
    const keyFile = `${tmp.dir}/keygen.txt`;
    execFileSync("age-keygen", ["-o", keyFile], { stdio: "ignore" });
    const text = execFileSync("cat", [keyFile]).toString();
    assert.match(text, /^# created: /m);
    const recipient = execFileSync("age-keygen", ["-y", keyFile]).toString().trim();
    assert.equal(parseIdentities(text).length, 1);
    assert.equal(parseIdentity(text).length, 32);
    assert.equal(identityToRecipient(text), recipient);
    assert.equal(parseRecipient(recipient).length, 32);
  });

  test("two generated pairs differ", () => {
    assert.notEqual(generateIdentity().identity, generateIdentity().identity);
  });

  test("parseRecipient rejects what is not an X25519 recipient", () => {
    const { identity, recipient } = generateIdentity();
    throwsCode(() => parseRecipient(""), "USAGE");
    throwsCode(() => parseRecipient("age1notreally"), "USAGE");
    throwsCode(() => parseRecipient(recipient.slice(0, -1) + (recipient.endsWith("q") ? "p" : "q")), "USAGE"); // checksum
    throwsCode(() => parseRecipient(identity), "USAGE", identity);
    throwsCode(() => parseRecipient("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsomething"), "USAGE");
    assert.equal(parseRecipient(` ${recipient}\n`).length, 32);
  });

  test("parseIdentities ignores blank and # lines and rejects anything else without echoing it", () => {
    const a = generateIdentity();
    const b = generateIdentity();
    assert.equal(parseIdentities(`# one\n${a.identity}\n\n  # two\n${b.identity}\n`).length, 2);
    assert.deepEqual(parseIdentities(""), []);
    throwsCode(() => parseIdentities(`${a.identity}\n${a.recipient}\n`), "USAGE");
    const mangled = a.identity.slice(0, 30) + a.identity.slice(31) + "Q";
    throwsCode(() => parseIdentities(mangled), "USAGE", mangled);
    throwsCode(() => parseIdentity(a.identity.slice(0, 20) + a.identity.slice(20).toLowerCase()), "USAGE", a.identity); // mixed case
    throwsCode(() => parseIdentity("AGE-PLUGIN-YUBIKEY-1QQQQQ"), "USAGE");
  });

  test("parseIdentity wants exactly one identity", () => {
    const a = generateIdentity();
    const b = generateIdentity();
    throwsCode(() => parseIdentity("# nothing here\n"), "IDENTITY_MISSING");
    throwsCode(() => parseIdentity(`${a.identity}\n${b.identity}\n`), "USAGE");
    assert.deepEqual(parseIdentity(a.identity), parseIdentities(a.identity)[0]);
  });

  test("identityScalars takes strings, key files and raw scalars, and wants at least one", () => {
    const a = generateIdentity();
    const raw = parseIdentity(a.identity);
    assert.equal(identityScalars([a.identity, `# file\n${a.identity}\n`]).length, 2);
    assert.deepEqual(identityScalars([raw]), [raw]);
    throwsCode(() => identityScalars([]), "IDENTITY_MISSING");
    throwsCode(() => identityScalars(["# only a comment"]), "IDENTITY_MISSING");
    throwsCode(() => identityScalars([Buffer.alloc(31)]), "USAGE");
  });
});
