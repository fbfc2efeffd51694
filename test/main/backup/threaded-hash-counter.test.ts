// The off-thread sha256 used by replica copies: the same digest and byte count as hashing in line, whatever the
// chunking; bytes pass through unchanged and in order; a beforeEnd that throws fails the stream; a destroyed stream
// leaves no worker behind.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ThreadedHashCounter } from "../../../src/main/backup/threaded-hash-counter.ts";

function chunked(body: Buffer, sizes: number[]): Readable {
  const parts: Buffer[] = [];
  for (let o = 0, i = 0; o < body.length; i++) {
    const n = sizes[i % sizes.length]!;
    parts.push(body.subarray(o, o + n));
    o += n;
  }
  return Readable.from(parts);
}

async function drain(s: ThreadedHashCounter, body: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    body,
    s,
    new Writable({
      write: (c: Buffer, _e, cb) => {
        out.push(Buffer.from(c));
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

describe("ThreadedHashCounter", () => {
  for (const [name, bytes, sizes] of [
    ["empty", 0, [1]],
    ["one byte", 1, [1]],
    ["exactly one batch", 1 << 20, [65536]],
    ["odd chunks across batches", 5 * (1 << 20) + 7, [1, 16_384, 999_983, 3]],
    ["more than the outstanding bound, in large chunks", 80 << 20, [8 << 20, 5]],
  ] as const) {
    test(`${name}: digest, count and bytes equal the input's`, async () => {
      const body = randomBytes(bytes);
      const s = new ThreadedHashCounter();
      const out = await drain(s, chunked(body, [...sizes]));
      assert.equal(s.bytes, bytes);
      assert.equal(s.sha256(), createHash("sha256").update(body).digest("hex"));
      assert.ok(out.equals(body), "bytes pass through unchanged and in order");
    });
  }

  test("beforeEnd sees the final digest; its error fails the stream", async () => {
    const body = randomBytes(3 << 20);
    let seen = "";
    const s: ThreadedHashCounter = new ThreadedHashCounter({
      beforeEnd: async () => {
        seen = s.sha256();
        throw new Error("not the manifest's digest");
      },
    });
    await assert.rejects(drain(s, chunked(body, [100_000])), /not the manifest's digest/);
    assert.equal(seen, createHash("sha256").update(body).digest("hex"));
  });

  test("the digest is not given before the end; a destroyed stream ends its worker (the process can exit)", async () => {
    const s = new ThreadedHashCounter();
    assert.throws(() => s.sha256(), /before the stream ended/);
    s.write(randomBytes(2 << 20));
    s.destroy();
    const worker = (s as unknown as { worker: { threadId: number } }).worker;
    for (let i = 0; i < 100 && worker.threadId !== -1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(worker.threadId, -1, "the worker has exited");
  });
});
