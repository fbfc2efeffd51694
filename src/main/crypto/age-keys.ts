// age's X25519 key strings: recipients are Bech32 "age1…", identities are upper-case Bech32 "AGE-SECRET-KEY-1…".
// Messages here never quote an identity (or any part of one): they end up in logs and on screens.
import { generateKeyPairSync } from "node:crypto";
import { bech32 } from "@scure/base";
import { LifeboatError } from "../../shared/errors.ts";
import { missingIdentity } from "./age-errors.ts";
import { X25519_KEY_BYTES, x25519PrivateKey, x25519PublicBytes } from "./age-x25519.ts";

const RECIPIENT_HRP = "age";
const IDENTITY_HRP = "age-secret-key-";
// BIP-173's 90-character cap is for Bitcoin addresses; age keys are longer.
const BECH32_LIMIT = 1000;

function encodeKey(hrp: string, bytes: Uint8Array): string {
  return bech32.encode(hrp, bech32.toWords(bytes), BECH32_LIMIT);
}

function decodeKey(text: string, hrp: string): Buffer | null {
  try {
    const { prefix, words } = bech32.decode(text as `${string}1${string}`, BECH32_LIMIT);
    if (prefix !== hrp) return null;
    const bytes = bech32.fromWords(words);
    return bytes.length === X25519_KEY_BYTES ? Buffer.from(bytes) : null;
  } catch {
    return null;
  }
}

export function generateIdentity(): { identity: string; recipient: string } {
  const { privateKey, publicKey } = generateKeyPairSync("x25519");
  const scalar = Buffer.from(String(privateKey.export({ format: "jwk" }).d), "base64url");
  const point = Buffer.from(String(publicKey.export({ format: "jwk" }).x), "base64url");
  return { identity: encodeKey(IDENTITY_HRP, scalar).toUpperCase(), recipient: encodeKey(RECIPIENT_HRP, point) };
}

/** 32-byte X25519 public key of an "age1…" recipient. */
export function parseRecipient(recipient: string): Buffer {
  const text = recipient.trim();
  const point = decodeKey(text, RECIPIENT_HRP);
  if (!point) {
    if (/^AGE-SECRET-KEY-/i.test(text)) {
      throw new LifeboatError(
        "USAGE",
        "An age private key was given where a recipient (public key) belongs.",
        "Give the recipient instead: age-keygen -y key.txt prints it (age1…). Keep the private key out of the config.",
      );
    }
    // Only something shaped like a public recipient is quoted back; anything else might be a secret pasted by mistake.
    const shown = /^age1[a-z0-9]{0,80}$/.test(text) ? ` "${text}"` : "";
    throw new LifeboatError(
      "USAGE",
      `The age recipient${shown} is not a valid X25519 recipient.`,
      "A recipient is a public key that starts with age1 (print one with: age-keygen -y key.txt).",
    );
  }
  return point;
}

function parseIdentityLine(line: string, lineNumber: number): Buffer {
  const scalar = decodeKey(line, IDENTITY_HRP);
  if (scalar) return scalar;
  const where = lineNumber > 0 ? ` (line ${lineNumber})` : "";
  const plugin = /^AGE-PLUGIN-/i.test(line);
  throw new LifeboatError(
    "USAGE",
    plugin
      ? `The age identity${where} belongs to an age plugin, which Lifeboat does not support.`
      : `The age identity${where} is not a valid X25519 identity.`,
    "Give the key made by age-keygen: a line starting with AGE-SECRET-KEY-1 (comment lines starting with # are fine).",
  );
}

/** Every identity in an age identity file (or a bare identity); blank lines and lines starting with # are ignored. */
export function parseIdentities(text: string): Buffer[] {
  const out: Buffer[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    out.push(parseIdentityLine(line, lines.length > 1 ? i + 1 : 0));
  });
  return out;
}

/** The one identity in a bare identity string or an identity file's text. */
export function parseIdentity(identity: string): Buffer {
  const all = parseIdentities(identity);
  if (all.length === 0) {
    throw new LifeboatError(
      "IDENTITY_MISSING",
      "No age identity was given (the text holds no AGE-SECRET-KEY-1 line).",
      "Give the key file made by age-keygen.",
    );
  }
  if (all.length > 1) {
    throw new LifeboatError(
      "USAGE",
      `The text holds ${all.length} age identities where one was expected.`,
      "Give a key file with a single AGE-SECRET-KEY-1 line.",
    );
  }
  return all[0]!;
}

export function identityToRecipient(identity: string): string {
  return encodeKey(RECIPIENT_HRP, x25519PublicBytes(x25519PrivateKey(parseIdentity(identity))));
}

/** The scalars behind identities given as strings (bare keys or key files' text) or raw 32-byte buffers. */
export function identityScalars(identities: readonly (string | Buffer)[]): Buffer[] {
  const scalars = identities.flatMap((id) => {
    if (typeof id === "string") return parseIdentities(id);
    if (id.length !== X25519_KEY_BYTES)
      throw new LifeboatError("USAGE", `An age identity must be ${X25519_KEY_BYTES} bytes, got ${id.length}.`);
    return [id];
  });
  if (scalars.length === 0) {
    throw missingIdentity();
  }
  return scalars;
}
