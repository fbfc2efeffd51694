// The age v1 header: a version line, recipient stanzas, and a MAC over the header text keyed by the file key.
// Parsing is strict on purpose (LF only, canonical unpadded base64, 64-column bodies): the MAC covers the text, so
// any leniency would let a modified header still verify.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { decodeBase64Strict, encodeBase64NoPad } from "./age-base64.ts";
import { corruptObject, truncatedObject, wrongIdentity } from "./age-errors.ts";
import { identityScalars } from "./age-keys.ts";
import { x25519PrivateKey, x25519PublicBytes } from "./age-x25519.ts";
import { X25519_STANZA_TYPE, unwrapFileKeyX25519, x25519StanzaShare, type Stanza } from "./age-x25519-stanza.ts";

export type { Stanza } from "./age-x25519-stanza.ts";

const VERSION_LINE = "age-encryption.org/v1";
const BODY_BYTES_PER_LINE = 48; // 64 base64 columns
const MAC_BYTES = 32;
/** A header this long without its closing line is not a header: stop buffering. */
export const MAX_HEADER_BYTES = 1024 * 1024;

export interface AgeHeader {
  stanzas: Stanza[];
  /** Length of the whole header, closing line included; the payload starts here. */
  headerBytes: number;
  mac: Buffer;
  /** The header text the MAC covers: everything up to and including the closing "---". */
  macInput: Buffer;
}

function isVisibleAscii(arg: string): boolean {
  if (arg.length === 0) return false;
  for (let i = 0; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/**
 * Parses the header at the start of buf. Returns null when buf ends before the header does (feed it more bytes);
 * throws OBJECT_CORRUPT as soon as what is there cannot be an age v1 header.
 */
export function parseAgeHeader(buf: Buffer): AgeHeader | null {
  let pos = 0;
  // Header lines are ASCII; latin1 maps bytes 1:1, so a stray high byte fails the checks below instead of vanishing.
  const nextLine = (): string | null => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) return null;
    const line = buf.toString("latin1", pos, end);
    pos = end + 1;
    return line;
  };

  const version = nextLine();
  if (version === null) {
    const head = buf.toString("latin1", 0, Math.min(buf.length, VERSION_LINE.length));
    if (!VERSION_LINE.startsWith(head)) throw corruptObject("it does not start with an age v1 header");
    return null;
  }
  if (version !== VERSION_LINE) throw corruptObject("it does not start with an age v1 header");

  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = pos;
    const line = nextLine();
    if (line === null) return tooLong(buf);
    if (line.startsWith("---")) {
      const parts = line.split(" ");
      const mac = parts.length === 2 && parts[0] === "---" ? decodeBase64Strict(parts[1]!) : null;
      if (!mac || mac.length !== MAC_BYTES) throw corruptObject("the header's closing line is malformed");
      if (stanzas.length === 0) throw corruptObject("the header has no recipient stanzas");
      return { stanzas, headerBytes: pos, mac, macInput: buf.subarray(0, lineStart + 3) };
    }
    if (!line.startsWith("->")) throw corruptObject("the header has an unexpected line");
    const [prefix, ...args] = line.split(" ");
    if (prefix !== "->" || args.length === 0 || !args.every(isVisibleAscii))
      throw corruptObject("a recipient stanza line is malformed");
    const body: Buffer[] = [];
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine === null) return tooLong(buf);
      const bytes = decodeBase64Strict(bodyLine);
      if (!bytes || bytes.length > BODY_BYTES_PER_LINE) throw corruptObject("a recipient stanza body is malformed");
      body.push(bytes);
      // The short (possibly empty) line is what ends a stanza.
      if (bytes.length < BODY_BYTES_PER_LINE) break;
    }
    stanzas.push({ type: args[0]!, args: args.slice(1), body: Buffer.concat(body) });
  }
}

function tooLong(buf: Buffer): null {
  if (buf.length > MAX_HEADER_BYTES)
    throw corruptObject(`no complete age header in its first ${MAX_HEADER_BYTES} bytes`);
  return null;
}

function headerMacKey(fileKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", fileKey, Buffer.alloc(0), "header", 32));
}

/** The header text for these stanzas, MAC line included. */
export function encodeAgeHeader(stanzas: Stanza[], fileKey: Buffer): Buffer {
  let text = `${VERSION_LINE}\n`;
  for (const s of stanzas) {
    text += `-> ${[s.type, ...s.args].join(" ")}\n`;
    const b64 = encodeBase64NoPad(s.body);
    // Always end with a short line: an empty one when the body fills whole lines.
    for (let i = 0; i <= b64.length; i += 64) text += `${b64.slice(i, i + 64)}\n`;
  }
  text += "---";
  const mac = createHmac("sha256", headerMacKey(fileKey)).update(text, "latin1").digest();
  return Buffer.from(`${text} ${encodeBase64NoPad(mac)}\n`, "latin1");
}

/**
 * The file key, unwrapped with the first identity that opens an X25519 stanza, after checking the header MAC.
 * Throws IDENTITY_MISSING / IDENTITY_WRONG / OBJECT_CORRUPT.
 */
export function unwrapFileKey(header: AgeHeader, identities: readonly (string | Buffer)[]): Buffer {
  const scalars = identityScalars(identities);
  // age allows a passphrase (scrypt) stanza only on its own; a file that mixes one in is malformed.
  if (header.stanzas.some((s) => s.type === "scrypt") && header.stanzas.length > 1) {
    throw corruptObject("a passphrase stanza is mixed with other recipients");
  }
  // A malformed X25519 stanza invalidates the header whichever identity is tried.
  const x25519 = header.stanzas
    .filter((s) => s.type === X25519_STANZA_TYPE)
    .map((s) => ({ stanza: s, share: x25519StanzaShare(s) }));

  let fileKey: Buffer | null = null;
  for (const scalar of scalars) {
    const identity = x25519PrivateKey(scalar);
    const point = x25519PublicBytes(identity);
    for (const { stanza, share } of x25519) {
      fileKey = unwrapFileKeyX25519(stanza, share, identity, point);
      if (fileKey) break;
    }
    if (fileKey) break;
  }
  if (!fileKey) throw wrongIdentity();

  const expected = createHmac("sha256", headerMacKey(fileKey)).update(header.macInput).digest();
  if (!timingSafeEqual(expected, header.mac))
    throw corruptObject("the header MAC does not match (the header was altered)");
  return fileKey;
}

/** Early check before a restore touches anything: reads only the header bytes of a stored object. */
export async function checkIdentityOpens(headerPrefix: Buffer, identities: string[]): Promise<void> {
  const header = parseAgeHeader(headerPrefix);
  if (!header) throw truncatedObject(`its first ${headerPrefix.length} bytes hold no complete age header`);
  unwrapFileKey(header, identities);
}
