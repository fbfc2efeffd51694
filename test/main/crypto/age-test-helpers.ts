// Small helpers shared by the age tests: feed bytes through a Transform in chosen pieces and keep what came out,
// even when the stream fails (the tests check exactly which plaintext was released before an error).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export function pieces(buf: Buffer, ...sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  for (let i = 0; off < buf.length; i++) {
    const n = sizes.length ? sizes[i % sizes.length]! : buf.length;
    out.push(buf.subarray(off, off + n));
    off += n;
  }
  return out;
}

export async function runThrough(transform: Transform, input: Buffer[]): Promise<{ out: Buffer; error: unknown }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  let error: unknown = undefined;
  try {
    await pipeline(Readable.from(input, { objectMode: false }), transform, sink);
  } catch (err) {
    error = err;
  }
  return { out: Buffer.concat(chunks), error };
}

export async function through(transform: Transform, input: Buffer[]): Promise<Buffer> {
  const { out, error } = await runThrough(transform, input);
  if (error) throw error;
  return out;
}

/** A temp dir for key files and ciphertexts; identities go in 0600 files, never on argv. */
export function tempDir(): { dir: string; keyFile: (name: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "lifeboat-age-"));
  return {
    dir,
    keyFile(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
