// The "X25519" recipient stanza: the file key wrapped to one recipient through an ephemeral key agreement.
import { createCipheriv, createDecipheriv, generateKeyPairSync, hkdfSync, type KeyObject } from "node:crypto";
import { LifeboatError } from "../../shared/errors.ts";
import { decodeBase64Strict, encodeBase64NoPad } from "./age-base64.ts";
import { corruptObject } from "./age-errors.ts";
import { X25519_KEY_BYTES, x25519PublicBytes, x25519SharedSecret } from "./age-x25519.ts";

export const X25519_STANZA_TYPE = "X25519";
const WRAP_INFO = "age-encryption.org/v1/X25519";
const ZERO_NONCE = Buffer.alloc(12);
export const FILE_KEY_BYTES = 16;

export interface Stanza {
  type: string;
  args: string[];
  body: Buffer;
}

function wrapKey(shared: Buffer, share: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.concat([share, recipient]), WRAP_INFO, 32));
}

export function wrapFileKeyX25519(fileKey: Buffer, recipient: Buffer): Stanza {
  const ephemeral = generateKeyPairSync("x25519").privateKey;
  const share = x25519PublicBytes(ephemeral);
  const shared = x25519SharedSecret(ephemeral, recipient);
  // Only a low-order recipient point gets here; it would make the wrapping key public, so refuse it.
  if (!shared) {
    throw new LifeboatError(
      "USAGE",
      "An age recipient is not a usable X25519 public key (it is a low-order point).",
      "Replace it with a recipient printed by age-keygen -y for a real key.",
    );
  }
  const cipher = createCipheriv("chacha20-poly1305", wrapKey(shared, share, recipient), ZERO_NONCE, {
    authTagLength: 16,
  });
  const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
  return { type: X25519_STANZA_TYPE, args: [encodeBase64NoPad(share)], body };
}

/** The share of a well-formed X25519 stanza; a malformed one makes the whole header invalid, whatever the identity. */
export function x25519StanzaShare(stanza: Stanza): Buffer {
  const share = stanza.args.length === 1 ? decodeBase64Strict(stanza.args[0]!) : null;
  if (!share || share.length !== X25519_KEY_BYTES)
    throw corruptObject("an X25519 recipient stanza has a malformed share");
  if (stanza.body.length !== FILE_KEY_BYTES + 16)
    throw corruptObject("an X25519 recipient stanza has a body of the wrong length");
  return share;
}

/** The file key if this stanza was made for this identity, else null. */
export function unwrapFileKeyX25519(
  stanza: Stanza,
  share: Buffer,
  identity: KeyObject,
  identityPoint: Buffer,
): Buffer | null {
  const shared = x25519SharedSecret(identity, share);
  if (!shared) throw corruptObject("an X25519 recipient stanza uses a low-order share");
  const decipher = createDecipheriv("chacha20-poly1305", wrapKey(shared, share, identityPoint), ZERO_NONCE, {
    authTagLength: 16,
  });
  decipher.setAuthTag(stanza.body.subarray(FILE_KEY_BYTES));
  const fileKey = decipher.update(stanza.body.subarray(0, FILE_KEY_BYTES));
  try {
    decipher.final();
  } catch {
    return null;
  }
  return fileKey;
}
