// The X25519 arithmetic age needs, done by OpenSSL through node:crypto. Raw 32-byte keys go in through fixed DER
// prefixes: a JWK private key would need its public half up front, which is what we are trying to compute.
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";

const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

export const X25519_KEY_BYTES = 32;

export function x25519PrivateKey(scalar: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, scalar]), format: "der", type: "pkcs8" });
}

export function x25519PublicKey(point: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, point]), format: "der", type: "spki" });
}

/** The public point (u-coordinate, 32 bytes) of a private key. */
export function x25519PublicBytes(privateKey: KeyObject): Buffer {
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  return Buffer.from(String(jwk.x), "base64url");
}

/**
 * X25519(scalar, point), or null when the result is all zeros (the point has low order). age forbids using such a
 * secret: it would make the wrapping key public. OpenSSL refuses to derive it, so its refusal means the same thing.
 */
export function x25519SharedSecret(privateKey: KeyObject, point: Uint8Array): Buffer | null {
  let secret: Buffer;
  try {
    secret = diffieHellman({ privateKey, publicKey: x25519PublicKey(point) });
  } catch {
    return null;
  }
  return secret.every((b) => b === 0) ? null : secret;
}
