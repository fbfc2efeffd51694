// The uploader's own bookkeeping, against a stand-in S3 client whose replies the test times: how many parts are in
// flight, which buffer goes where, what is sent on failure. The real server's side is in s3-store.int.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { PartUploader } from "../../../src/main/storage/s3-part-uploader.ts";

interface Sent {
  command: string;
  input: Record<string, unknown>;
  body?: Buffer;
}

/** Records every command; UploadPart replies when the test releases it (or at once with `instant`). */
function fakeClient(opts: { instant?: boolean; failPart?: number } = {}) {
  const sent: Sent[] = [];
  const pending: Array<() => void> = [];
  let inflight = 0;
  let maxInflight = 0;
  const client = {
    async send(cmd: { constructor: { name: string }; input: Record<string, unknown> }) {
      const command = cmd.constructor.name;
      const body = cmd.input.Body instanceof Uint8Array ? Buffer.from(cmd.input.Body) : undefined;
      sent.push({ command, input: cmd.input, ...(body ? { body } : {}) });
      if (command === "CreateMultipartUploadCommand") return { UploadId: "up-1" };
      if (command !== "UploadPartCommand") return {};
      const n = cmd.input.PartNumber as number;
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      if (!opts.instant) await new Promise<void>((r) => pending.push(r));
      inflight--;
      // What the part holds when its reply comes (what a retry would resend): a buffer refilled too early shows here.
      sent.find((s) => s.command === command && s.input.PartNumber === n)!.body = Buffer.from(
        cmd.input.Body as Uint8Array,
      );
      if (n === opts.failPart) throw Object.assign(new Error(`part ${n} refused`), { name: "InternalError" });
      return { ETag: `"etag-${n}"` };
    },
  };
  return {
    client: client as unknown as S3Client,
    sent,
    pending,
    get maxInflight() {
      return maxInflight;
    },
    /** Releases the oldest waiting reply. */
    release: () => pending.shift()?.(),
  };
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function uploader(client: S3Client, partSize: number, queueSize = 2, onProgress?: (n: number) => void) {
  return new PartUploader({
    client,
    bucket: "b",
    key: "k",
    objectParams: { ServerSideEncryption: "AES256" },
    partSize,
    queueSize,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** `data` cut into chunks of `size` (odd sizes, so chunks straddle part boundaries). */
const chunks = (data: Buffer, size: number) =>
  Readable.from(
    Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size)),
  );

test("a body of exactly one part is one PutObject, with the object's headers; no multipart upload", async () => {
  const f = fakeClient({ instant: true });
  const data = randomBytes(1000);
  const u = uploader(f.client, 1000);
  assert.equal(await u.upload(chunks(data, 333)), 1000);
  assert.deepEqual(
    f.sent.map((s) => s.command),
    ["PutObjectCommand"],
  );
  assert.equal(sha(f.sent[0]!.body!), sha(data));
  assert.equal(f.sent[0]!.input.ServerSideEncryption, "AES256");
  assert.equal(u.uploadId, undefined);
});

test("one byte more is a multipart upload of a full part and a one-byte part, completed in part order", async () => {
  const f = fakeClient({ instant: true });
  const data = randomBytes(1001);
  const progress: number[] = [];
  assert.equal(await uploader(f.client, 1000, 2, (n) => progress.push(n)).upload(chunks(data, 77)), 1001);
  assert.deepEqual(
    f.sent.map((s) => s.command),
    ["CreateMultipartUploadCommand", "UploadPartCommand", "UploadPartCommand", "CompleteMultipartUploadCommand"],
  );
  assert.equal(f.sent[0]!.input.ServerSideEncryption, "AES256", "the object's headers go on CreateMultipartUpload");
  assert.equal(sha(Buffer.concat([f.sent[1]!.body!, f.sent[2]!.body!])), sha(data));
  assert.deepEqual([f.sent[1]!.body!.length, f.sent[2]!.body!.length], [1000, 1]);
  assert.deepEqual(f.sent[3]!.input.MultipartUpload, {
    Parts: [
      { PartNumber: 1, ETag: '"etag-1"' },
      { PartNumber: 2, ETag: '"etag-2"' },
    ],
  });
  assert.deepEqual(progress, [1000, 1001]);
});

test("no more than queueSize parts are in flight, buffers are reused only once their part is stored, and replies out of order still complete in order", async () => {
  const f = fakeClient();
  const partSize = 4096;
  const data = randomBytes(partSize * 7 + 100);
  const u = uploader(f.client, partSize, 2);
  const done = u.upload(chunks(data, 1500));
  // Release replies newest-first whenever two are waiting, so parts finish out of order.
  const releaser = setInterval(() => {
    if (f.pending.length >= 2) f.pending.pop()?.();
    else f.release();
  }, 2);
  try {
    assert.equal(await done, data.length);
  } finally {
    clearInterval(releaser);
  }
  assert.equal(f.maxInflight, 2);
  const parts = f.sent.filter((s) => s.command === "UploadPartCommand");
  assert.equal(parts.length, 8);
  // Each part's bytes were captured when its reply came: had a buffer been refilled while its part was in flight,
  // the captured copies would not reassemble the data.
  assert.equal(
    sha(
      Buffer.concat(
        parts.sort((a, b) => (a.input.PartNumber as number) - (b.input.PartNumber as number)).map((p) => p.body!),
      ),
    ),
    sha(data),
  );
  const complete = f.sent.find((s) => s.command === "CompleteMultipartUploadCommand")!;
  assert.deepEqual(
    (complete.input.MultipartUpload as { Parts: Array<{ PartNumber: number }> }).Parts.map((p) => p.PartNumber),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
});

test("a refused part: the upload rejects with that error once no part is in flight, stops reading, and never completes", async () => {
  const f = fakeClient({ failPart: 2 });
  const partSize = 1024;
  let produced = 0;
  const body = new Readable({
    highWaterMark: partSize,
    read() {
      produced += partSize;
      this.push(produced > partSize * 50 ? null : randomBytes(partSize));
    },
  });
  const u = uploader(f.client, partSize, 2);
  const done = u.upload(body);
  const releaser = setInterval(() => f.release(), 2);
  try {
    await assert.rejects(done, /part 2 refused/);
  } finally {
    clearInterval(releaser);
  }
  assert.equal(f.pending.length, 0, "no reply still outstanding when upload() settled");
  assert.equal(u.uploadId, "up-1", "the caller gets the id it must abort");
  assert.equal(f.sent.filter((s) => s.command === "CompleteMultipartUploadCommand").length, 0);
  assert.ok(produced < partSize * 20, `reading stopped early (${produced / partSize} parts produced)`);
  assert.ok(body.destroyed, "the body was released");
});

test("a body that fails: its error, after the parts in flight have settled", async () => {
  const f = fakeClient();
  const body = new Readable({ read() {} });
  const u = uploader(f.client, 100, 2);
  const done = u.upload(body);
  body.push(randomBytes(250));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(f.pending.length, 2, "two parts were sent and wait for replies");
  body.destroy(new Error("pg_dump exited with code 1"));
  let settled = false;
  void done.catch(() => undefined).finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(settled, false, "upload() waits for the parts in flight");
  f.release();
  f.release();
  await assert.rejects(done, /pg_dump exited with code 1/);
});
