// A sanity check that an upload streams: a 200 MiB body must not be buffered, and memory must not grow with the
// object's size. Its own file, so that node's test runner gives it a process of its own; s3rver runs in a child
// process so that only the uploading side is measured.
//
// The sampler forces a full GC before each reading. The uploader's part buffers are allocated once, but the stream's
// own chunks and the SDK's request objects are garbage that V8 collects lazily (external memory piles up to about
// 64 MiB before a collection); forced GCs make the test measure what the upload keeps alive: queueSize + 1 parts
// and the HTTP machinery.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { S3Store } from "../../../src/main/storage/s3-store.ts";
import { startS3InChild } from "../../harness/s3.ts";

const MIB = 1024 * 1024;
const BUCKET = "lifeboat-mem";

let s3: Awaited<ReturnType<typeof startS3InChild>>;
let store: S3Store;

before(async () => {
  s3 = await startS3InChild({ buckets: [BUCKET] });
  store = new S3Store({
    bucket: BUCKET,
    prefix: "mem",
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
});
after(async () => {
  store?.close();
  await s3?.stop();
});

/** total bytes in 64 KiB chunks cut from one random MiB: generating the data costs no memory of its own. */
function generated(total: number): Readable {
  const pool = randomBytes(MIB);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(64 * 1024, total - sent);
      const off = sent % MIB;
      this.push(pool.subarray(off, Math.min(off + n, MIB)));
      sent += Math.min(n, MIB - off);
    },
  });
}

test("uploading a 200 MiB stream keeps RSS growth under 64 MiB", async () => {
  // Warm up: the SDK, the HTTP agent and the allocator's arenas grow once, whatever the object's size.
  await store.putStream("warmup.bin", generated(48 * MIB), { sizeHint: 48 * MIB });
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let peakExternal = 0;
  const timer = setInterval(() => {
    gc();
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakExternal = Math.max(peakExternal, m.external);
  }, 20);
  try {
    const { bytes } = await store.putStream("big.bin", generated(200 * MIB), { sizeHint: 2 * 200 * MIB });
    assert.equal(bytes, 200 * MIB);
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const growth = (peak - baseline) / MIB;
  console.log(
    `rss baseline ${(baseline / MIB).toFixed(0)} MiB, peak ${(peak / MIB).toFixed(0)} MiB, growth ${growth.toFixed(1)} MiB; peak external ${(peakExternal / MIB).toFixed(0)} MiB`,
  );
  assert.deepEqual(await store.head("big.bin"), { bytes: 200 * MIB });
  assert.ok(growth < 64, `RSS grew by ${growth.toFixed(1)} MiB while uploading 200 MiB`);
  assert.ok(peakExternal < 64 * MIB, `buffers alive at once reached ${(peakExternal / MIB).toFixed(0)} MiB`);
});
