import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { S3Store, type S3StoreOptions } from "../../../src/main/storage/s3-store.ts";
import { isLifeboatError, type ErrorCode } from "../../../src/shared/errors.ts";
import { startS3, type S3Harness, type S3Request } from "../../harness/s3.ts";

const MIB = 1024 * 1024;
const BUCKET = "lifeboat-test";

/** `total` random bytes in 256 KiB chunks, hashed as they are produced; optionally fails after `failAfter` bytes. */
function generated(total: number, opts: { failAfter?: number; delayMs?: number } = {}) {
  const hash = createHash("sha256");
  let sent = 0;
  const stream = Readable.from(
    (async function* () {
      while (sent < total) {
        if (opts.failAfter !== undefined && sent >= opts.failAfter) throw new Error("pg_dump exited with code 1");
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        const chunk = randomBytes(Math.min(256 * 1024, total - sent));
        hash.update(chunk);
        sent += chunk.length;
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
  return { stream, digest: () => hash.digest("hex") };
}

async function sha256(stream: Readable): Promise<{ hex: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hex: hash.digest("hex"), bytes };
}

function isCode(code: ErrorCode) {
  return (e: unknown) => {
    assert.ok(isLifeboatError(e), `expected a LifeboatError, got ${String(e)}`);
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    return true;
  };
}

const uploadParts = (reqs: S3Request[], key: string) =>
  reqs.filter((r) => r.method === "PUT" && r.path.endsWith(key) && "partNumber" in r.query && "uploadId" in r.query);
const multipartStarts = (reqs: S3Request[], key: string) =>
  reqs.filter((r) => r.method === "POST" && r.path.endsWith(key) && "uploads" in r.query);
const multipartAborts = (reqs: S3Request[], key: string) =>
  reqs.filter((r) => r.method === "DELETE" && r.path.endsWith(key) && "uploadId" in r.query);

describe("S3Store against s3rver", () => {
  let s3: S3Harness;
  const stores: S3Store[] = [];
  const store = (over: Partial<S3StoreOptions> = {}) => {
    const s = new S3Store({
      bucket: BUCKET,
      prefix: "lifeboat/test",
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      ...over,
    });
    stores.push(s);
    return s;
  };

  before(async () => {
    s3 = await startS3({ buckets: [BUCKET] });
  });
  after(async () => {
    for (const s of stores) s.close();
    await s3?.stop();
  });

  test("check() passes on a good bucket and leaves nothing behind", async () => {
    const s = store();
    await s.check();
    assert.deepEqual(await s.list(""), []);
    assert.ok(
      s3.requests.some((r) => r.method === "PUT" && r.path.includes(".lifeboat-write-check")),
      "the check wrote a probe",
    );
  });

  test("a 20 MiB stream goes up in several 8 MiB parts and comes back identical", async () => {
    const s = store();
    const key = "roundtrip/big.bin";
    const src = generated(20 * MIB);
    const progress: number[] = [];
    const { bytes } = await s.putStream(key, src.stream, {
      sizeHint: 20 * MIB,
      onProgress: (p) => progress.push(p.bytes),
    });
    assert.equal(bytes, 20 * MIB);
    const parts = uploadParts(s3.requests, key);
    assert.equal(parts.length, 3, "8 + 8 + 4 MiB");
    assert.deepEqual(parts.map((r) => Number(r.query.partNumber)).sort(), [1, 2, 3]);
    assert.equal(progress.at(-1), 20 * MIB, "progress reaches the total");
    assert.deepEqual(await s.head(key), { bytes: 20 * MIB });
    const back = await sha256(await s.getStream(key));
    assert.equal(back.bytes, 20 * MIB);
    assert.equal(back.hex, src.digest());
    // The key is under the prefix, normalized.
    assert.ok(
      parts.every((r) => r.path === `/${BUCKET}/lifeboat/test/${key}`),
      parts[0]?.path,
    );
  });

  test("a small stream goes up as one PutObject", async () => {
    const s = store();
    const { bytes } = await s.putStream("small/one.bin", Readable.from([Buffer.from("hello "), Buffer.from("world")]));
    assert.equal(bytes, 11);
    assert.equal(multipartStarts(s3.requests, "small/one.bin").length, 0);
    assert.equal((await s.getSmall("small/one.bin")).toString(), "hello world");
  });

  test("putSmall / getSmall / head / delete", async () => {
    const s = store();
    await s.putSmall("m/manifest.json", JSON.stringify({ a: 1 }), "application/json");
    assert.deepEqual(JSON.parse((await s.getSmall("m/manifest.json")).toString()), { a: 1 });
    assert.deepEqual(await s.head("m/manifest.json"), { bytes: 7 });
    await s.delete("m/manifest.json");
    assert.equal(await s.head("m/manifest.json"), null);
    await assert.rejects(s.getSmall("m/manifest.json"), isCode("BACKUP_NOT_FOUND"));
    await assert.rejects(s.getStream("m/manifest.json"), isCode("BACKUP_NOT_FOUND"));
  });

  test("a source stream that fails mid-upload: the call rejects with its error, the multipart upload is aborted, nothing remains", async () => {
    const s = store();
    const key = "fail/source.bin";
    const src = generated(40 * MIB, { failAfter: 18 * MIB });
    await assert.rejects(s.putStream(key, src.stream, { sizeHint: 40 * MIB }), /pg_dump exited with code 1/);
    assert.ok(
      multipartStarts(s3.requests, key).length === 1 && uploadParts(s3.requests, key).length >= 1,
      "a multipart upload had started",
    );
    assert.equal(multipartAborts(s3.requests, key).length, 1, "AbortMultipartUpload was sent");
    // s3rver has no ListMultipartUploads; its parts live on disk, so the disk is the proof.
    assert.deepEqual(await s3.openUploads(BUCKET), []);
    assert.equal(await s.head(key), null);
    assert.ok(src.stream.destroyed);
  });

  test("an AbortSignal stops the upload: rejects with AbortError, the multipart upload is aborted before the call returns", async () => {
    const s = store();
    const key = "fail/aborted.bin";
    const src = generated(200 * MIB, { delayMs: 2 });
    const ac = new AbortController();
    const put = s.putStream(key, src.stream, { sizeHint: 200 * MIB, signal: ac.signal });
    // Abort once a part has reached the server, so there is a real multipart upload to clean up.
    while (uploadParts(s3.requests, key).length === 0) await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await assert.rejects(put, (e: Error) => e.name === "AbortError");
    // At least one: the SDK sends the abort again when its first attempt fails (a CI run at load 7 saw two, likely
    // s3rver still writing the part whose request was cut off). What counts is that nothing is left, checked next.
    assert.ok(multipartAborts(s3.requests, key).length >= 1, "AbortMultipartUpload was sent");
    assert.deepEqual(await s3.openUploads(BUCKET), [], "no parts left when putStream settles");
    assert.equal(await s.head(key), null);
    assert.ok(src.stream.destroyed, "the producer was stopped");
  });

  test("an already-aborted signal sends nothing", async () => {
    const s = store();
    const before = s3.requests.length;
    await assert.rejects(
      s.putStream("fail/never.bin", generated(MIB).stream, { signal: AbortSignal.abort() }),
      (e: Error) => e.name === "AbortError",
    );
    assert.equal(s3.requests.length, before);
  });

  test("list() pages through more than 1,000 keys and returns keys relative to the store", async () => {
    const s = store({ prefix: "/listing//" });
    const keys = Array.from({ length: 1005 }, (_, i) => `many/k${String(i).padStart(4, "0")}`);
    await s3.seedObjects(BUCKET, [...keys.map((k) => `listing/${k}`), "listing/other/x"]);
    const listsBefore = s3.requests.filter((r) => r.method === "GET" && r.query["list-type"] === "2").length;
    const listed = await s.list("many/");
    const lists = s3.requests.filter((r) => r.method === "GET" && r.query["list-type"] === "2").length - listsBefore;
    assert.equal(lists, 2, "two ListObjectsV2 pages");
    assert.deepEqual(
      listed.map((o) => o.key),
      keys,
    );
    assert.ok(listed.every((o) => o.bytes === 1 && o.lastModified instanceof Date));
    assert.deepEqual(
      (await s.list("other")).map((o) => o.key),
      ["other/x"],
    );
    // A store prefix never matches a sibling prefix.
    const sibling = store({ prefix: "listin" });
    assert.deepEqual(await sibling.list(""), []);
  });

  test("server-side encryption headers go on PutObject and CreateMultipartUpload", async () => {
    const kms = store({ serverSideEncryption: "aws:kms", sseKmsKeyId: "alias/lifeboat" });
    await kms.putSmall("sse/manifest.json", "{}");
    await kms.putStream("sse/big.bin", generated(9 * MIB).stream);
    const put = s3.requests.find((r) => r.method === "PUT" && r.path.endsWith("sse/manifest.json"))!;
    assert.equal(put.headers["x-amz-server-side-encryption"], "aws:kms");
    assert.equal(put.headers["x-amz-server-side-encryption-aws-kms-key-id"], "alias/lifeboat");
    const [create] = multipartStarts(s3.requests, "sse/big.bin");
    assert.equal(create?.headers["x-amz-server-side-encryption"], "aws:kms");
    assert.equal(create?.headers["x-amz-server-side-encryption-aws-kms-key-id"], "alias/lifeboat");

    const aes = store({ serverSideEncryption: "AES256", sseKmsKeyId: "ignored-for-aes" });
    await aes.putSmall("sse/aes.json", "{}");
    const aesPut = s3.requests.find((r) => r.method === "PUT" && r.path.endsWith("sse/aes.json"))!;
    assert.equal(aesPut.headers["x-amz-server-side-encryption"], "AES256");
    assert.equal(aesPut.headers["x-amz-server-side-encryption-aws-kms-key-id"], undefined);

    const plain = store();
    await plain.putSmall("sse/plain.json", "{}");
    assert.equal(
      s3.requests.find((r) => r.path.endsWith("sse/plain.json"))!.headers["x-amz-server-side-encryption"],
      undefined,
    );
  });

  test("a missing bucket is STORAGE_NO_BUCKET, naming the bucket and where it was looked for", async () => {
    const s = store({ bucket: "no-such-bucket" });
    for (const call of [
      () => s.check(),
      () => s.putSmall("a", "x"),
      () => s.putStream("b", generated(MIB).stream),
      () => s.list(""),
    ]) {
      await assert.rejects(call(), (e) => {
        isCode("STORAGE_NO_BUCKET")(e);
        assert.match((e as Error).message, new RegExp(`bucket no-such-bucket does not exist at ${s3.endpoint}`));
        assert.ok((e as { hint?: string }).hint);
        return true;
      });
    }
  });

  test("a wrong access key is STORAGE_AUTH (s3rver really refuses unknown key ids), and the key is never echoed", async () => {
    const keyId = "AKIAWRONGKEY00000000";
    const s = store({ credentials: { accessKeyId: keyId, secretAccessKey: "not-the-secret-value" } });
    for (const call of [
      () => s.check(),
      () => s.putSmall("a", "x"),
      () => s.getSmall("a"),
      () => s.putStream("b", generated(9 * MIB).stream),
    ]) {
      await assert.rejects(call(), (e) => {
        isCode("STORAGE_AUTH")(e);
        const text = JSON.stringify({ m: (e as Error).message, ...(e as { toInfo(): object }).toInfo() });
        assert.ok(!text.includes(keyId) && !text.includes("not-the-secret-value"), text);
        assert.match(text, /access key/);
        return true;
      });
    }
  });

  test("an endpoint nobody listens on is STORAGE_UNREACHABLE", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const s = store({ endpoint: `http://127.0.0.1:${port}` });
    await assert.rejects(
      s.check(),
      (e) => isCode("STORAGE_UNREACHABLE")(e) && /ECONNREFUSED/.test((e as Error).message),
    );
  });
});

// s3rver accepts any *secret* key (it does not verify V4 signatures) and never answers AccessDenied, so these
// mappings are tested against S3's real error documents served by a tiny local server, parsed by the real SDK.
describe("S3 error responses s3rver cannot produce", () => {
  let server: Server;
  let endpoint: string;
  type Reply = { status: number; body: string; headers?: Record<string, string> };
  let reply: Reply | ((method: string, url: URL) => Reply);
  let seen: Array<{ method: string; url: URL }> = [];
  const stores: S3Store[] = [];
  const store = () => {
    const s = new S3Store({
      bucket: "b-canned",
      prefix: "",
      region: "us-east-1",
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIACANNED000000", secretAccessKey: "wrong-secret" },
    });
    stores.push(s);
    return s;
  };
  const s3Error = (code: string, message: string, extra = "") =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId><HostId>host</HostId></Error>`;

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const url = new URL(req.url!, "http://x");
        seen.push({ method: req.method!, url });
        const r = typeof reply === "function" ? reply(req.method!, url) : reply;
        res.writeHead(r.status, {
          "content-type": "application/xml",
          "x-amz-request-id": "4442587FB7D0A2F9",
          ...r.headers,
        });
        res.end(req.method === "HEAD" ? undefined : r.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of stores) s.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test("SignatureDoesNotMatch (wrong secret key) is STORAGE_AUTH", async () => {
    reply = {
      status: 403,
      body: s3Error(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
        "<AWSAccessKeyId>AKIACANNED000000</AWSAccessKeyId>",
      ),
    };
    await assert.rejects(
      store().putSmall("a", "x"),
      (e) => isCode("STORAGE_AUTH")(e) && !JSON.stringify((e as { toInfo(): object }).toInfo()).includes("AKIACANNED"),
    );
  });

  test("AccessDenied is STORAGE_AUTH", async () => {
    reply = { status: 403, body: s3Error("AccessDenied", "Access Denied") };
    await assert.rejects(store().list(""), isCode("STORAGE_AUTH"));
  });

  test("InvalidAccessKeyId is STORAGE_AUTH", async () => {
    reply = {
      status: 403,
      body: s3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."),
    };
    await assert.rejects(store().check(), isCode("STORAGE_AUTH"));
  });

  test("credentials that may list but not write fail check() with a message that says so", async () => {
    reply = (method) =>
      method === "GET"
        ? {
            status: 200,
            body: `<ListBucketResult><Name>b-canned</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>`,
          }
        : { status: 403, body: s3Error("AccessDenied", "Access Denied") };
    await assert.rejects(
      store().check(),
      (e) => isCode("STORAGE_AUTH")(e) && /may read bucket b-canned but not write/.test((e as Error).message),
    );
  });

  test("a 403 HEAD (no body) is STORAGE_AUTH, not 'no such object'", async () => {
    reply = { status: 403, body: "" };
    await assert.rejects(store().head("x"), isCode("STORAGE_AUTH"));
  });

  test("any other S3 error is STORAGE_ERROR with the service's message and request id", async () => {
    reply = { status: 400, body: s3Error("InvalidRequest", "The storage class you specified is not valid") };
    await assert.rejects(store().putSmall("a", "x"), (e) => {
      isCode("STORAGE_ERROR")(e);
      assert.match((e as Error).message, /The storage class you specified is not valid/);
      assert.match((e as Error).message, /4442587FB7D0A2F9/);
      return true;
    });
  });

  /** CreateMultipartUpload works, UploadPart fails with a 500, AbortMultipartUpload answers `abortStatus`. */
  const failingParts =
    (abortStatus: number) =>
    (method: string, url: URL): Reply => {
      if (method === "POST" && url.searchParams.has("uploads")) {
        return {
          status: 200,
          body: `<InitiateMultipartUploadResult><Bucket>b-canned</Bucket><Key>k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>`,
        };
      }
      if (method === "DELETE" && url.searchParams.get("uploadId") === "up-1") {
        return abortStatus === 204
          ? { status: 204, body: "" }
          : { status: abortStatus, body: s3Error("InternalError", "abort failed too") };
      }
      return { status: 500, body: s3Error("InternalError", "We encountered an internal error. Please try again.") };
    };

  test("an S3 failure mid-upload is mapped, and the multipart upload is aborted before the call returns", async () => {
    reply = failingParts(204);
    seen = [];
    const body = Readable.from([randomBytes(9 * MIB)]);
    await assert.rejects(store().putStream("k", body), (e) => {
      isCode("STORAGE_ERROR")(e);
      assert.match((e as Error).message, /internal error/);
      assert.equal((e as { details?: Record<string, unknown> }).details?.multipartAbortFailed, undefined);
      return true;
    });
    assert.equal(seen.filter((r) => r.method === "DELETE" && r.url.searchParams.get("uploadId") === "up-1").length, 1);
  });

  test("when the abort fails too, the original error is kept and the orphaned upload id is reported", async () => {
    reply = failingParts(500);
    await assert.rejects(store().putStream("k", Readable.from([randomBytes(9 * MIB)])), (e) => {
      isCode("STORAGE_ERROR")(e);
      assert.match((e as Error).message, /We encountered an internal error/, "the upload's error, not the abort's");
      const failed = (e as { details?: { multipartAbortFailed?: { uploadId: string } } }).details?.multipartAbortFailed;
      assert.equal(failed?.uploadId, "up-1");
      return true;
    });
  });
});
