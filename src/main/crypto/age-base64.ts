// age writes base64 without padding and requires readers to reject anything but the one canonical spelling of a
// value: padding, stray whitespace and non-zero spare bits would otherwise let two different headers carry the same
// bytes (and the header MAC covers the text, not the bytes).

const ALPHABET = /^[A-Za-z0-9+/]*$/;

export function encodeBase64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64").replace(/=+$/, "");
}

/** Decodes canonical unpadded base64; returns null for anything else. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, "base64");
  // Buffer's decoder is lenient about the spare low bits of the last character; re-encoding catches that.
  return encodeBase64NoPad(bytes) === text ? bytes : null;
}
