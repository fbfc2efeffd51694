// s3rver on 127.0.0.1, on a free port, storing into a temporary folder. Tests talk to it through the real AWS SDK.
//
// What s3rver 3.7.1 does and does not do, found in its source (node_modules/s3rver/lib):
// - Credentials: it accepts only access keys in its account registry (by default "S3RVER"/"S3RVER"); any other
//   access key id is refused with S3's real 403 InvalidAccessKeyId. It does NOT verify V4 signatures, so a wrong
//   *secret* key is accepted. Tests of the SignatureDoesNotMatch mapping therefore use a canned S3 response.
// - Multipart: it has no AbortMultipartUpload (DELETE ?uploadId answers 405 MethodNotAllowed) and no
//   ListMultipartUploads (GET ?uploads answers 501). Parts live on disk in <dir>/<bucket>/._S3rver_uploads/<id>/.
//   The harness adds AbortMultipartUpload (delete that folder, 204; NoSuchUpload when absent), behind s3rver's own
//   authentication, so that "the upload was aborted" can be proven by the parts folder being gone.
// - Listing: its ListObjectsV2 makes continuation tokens with DES, which OpenSSL 3 (Node >= 17) no longer has, so
//   any truncated listing (more than max-keys objects) fails with 500 InternalError. The harness answers
//   ListObjectsV2 itself from s3rver's own store, with base64url(last key) as the continuation token.
// - PutObject and UploadPart answer when s3rver's hashing transform finishes, not when its file write does. No
//   read straight after a write has been seen to fail, but that is the first suspect if a round trip ever flakes.
// - Every request is recorded in `requests` (method, path, query, headers) so tests can see what reached the server.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  status: number;
  body: unknown;
  store: {
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    listObjects(
      bucket: string,
      opts: { prefix?: string; delimiter?: string; startAfter?: string; maxKeys: number },
    ): Promise<{ objects: Array<{ key: string; size: number; lastModifiedDate: Date; metadata: Record<string, string> }>; commonPrefixes: string[]; isTruncated: boolean }>;
  };
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  middleware: Middleware[];
  store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;
type S3ErrorCtor = new (code: string, message?: string, detail?: Record<string, unknown>) => Error;

const S3rver = require("s3rver") as S3rverCtor;
const S3Error = require("s3rver/lib/models/error") as S3ErrorCtor;
const authentication = require("s3rver/lib/middleware/authentication") as () => Middleware;
const { bucketExists } = require("s3rver/lib/controllers/bucket") as { bucketExists: (ctx: KoaContext) => Promise<void> };

export interface S3Request {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export interface S3Harness {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** s3rver's storage folder: objects under <dir>/<bucket>/, multipart parts under <dir>/<bucket>/._S3rver_uploads/. */
  dir: string;
  requests: S3Request[];
  /**
   * Writes objects straight into s3rver's store, bypassing HTTP: for tests that need many objects to exist
   * (over a thousand PutObjects through the SDK take several seconds on a small machine).
   */
  seedObjects(bucket: string, keys: string[], body?: Buffer): Promise<void>;
  /** Multipart uploads still open in a bucket (their parts folders on disk). */
  openUploads(bucket: string): Promise<string[]>;
  stop(): Promise<void>;
}

function abortMultipartUpload(): Middleware {
  const auth = authentication();
  return async (ctx, next) => {
    const m = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (ctx.method !== "DELETE" || !("uploadId" in ctx.query) || !m) return next();
    ctx.params = { ...ctx.params, bucket: decodeURIComponent(m[1]!), key: decodeURIComponent(m[2]!) };
    await auth(ctx, async () => {
      const uploadId = ctx.query.uploadId ?? "";
      if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) throw new S3Error("NoSuchUpload", "The specified upload does not exist.", { UploadId: uploadId });
      const uploadDir = join(ctx.store.getResourcePath(ctx.params.bucket!, undefined, "uploads"), uploadId);
      const exists = await stat(uploadDir).then(
        () => true,
        () => false,
      );
      if (!exists) throw new S3Error("NoSuchUpload", "The specified upload does not exist.", { UploadId: uploadId });
      await rm(uploadDir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = "";
    });
  };
}

function listObjectsV2(): Middleware {
  const auth = authentication();
  return async (ctx, next) => {
    const m = /^\/([^/]+)\/?$/.exec(ctx.path);
    if (ctx.method !== "GET" || ctx.query["list-type"] !== "2" || !m) return next();
    ctx.params = { ...ctx.params, bucket: decodeURIComponent(m[1]!) };
    await auth(ctx, async () => {
      const bucket = ctx.params.bucket!;
      await bucketExists(ctx);
      const token = ctx.query["continuation-token"];
      const startAfter = token ? Buffer.from(token, "base64url").toString("utf8") : ctx.query["start-after"];
      const maxKeys = Math.min(1000, Number(ctx.query["max-keys"] ?? 1000));
      const prefix = ctx.query.prefix || undefined;
      const delimiter = ctx.query.delimiter || undefined;
      const result = await ctx.store.listObjects(bucket, { prefix, delimiter, startAfter, maxKeys });
      const last = result.objects.at(-1)?.key;
      ctx.body = {
        ListBucketResult: {
          "@": { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" },
          Name: bucket,
          Prefix: prefix ?? "",
          StartAfter: token ? undefined : ctx.query["start-after"],
          ContinuationToken: token || undefined,
          NextContinuationToken: result.isTruncated && last ? Buffer.from(last, "utf8").toString("base64url") : undefined,
          KeyCount: result.objects.length,
          MaxKeys: maxKeys,
          Delimiter: delimiter,
          IsTruncated: result.isTruncated,
          Contents: result.objects.map((o) => ({ Key: o.key, LastModified: o.lastModifiedDate.toISOString(), ETag: o.metadata.etag, Size: o.size, StorageClass: "STANDARD" })),
          CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: p })),
        },
      };
    });
  };
}

export async function startS3(opts: { buckets?: string[] } = {}): Promise<S3Harness> {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-s3rver-"));
  const requests: S3Request[] = [];
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: (opts.buckets ?? []).map((name) => ({ name })),
  });
  server.middleware.unshift(async (ctx, next) => {
    requests.push({ method: ctx.method, path: ctx.path, query: { ...ctx.query }, headers: { ...ctx.headers } });
    await next();
  });
  // Just before s3rver's router (the last middleware), after its logging, XML and vhost handling.
  server.middleware.splice(server.middleware.length - 1, 0, abortMultipartUpload(), listObjectsV2());

  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    region: "us-east-1",
    dir,
    requests,
    async seedObjects(bucket, keys, body = Buffer.from("x")) {
      // Files laid out as s3rver's store lays them out, each write awaited (s3rver's own putObject resolves before
      // its write stream has finished, so a listing right after it can miss objects).
      const md5 = createHash("md5").update(body).digest("hex");
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(
          keys.slice(i, i + 50).map(async (key) => {
            const objectPath = server.store.getResourcePath(bucket, key, "object");
            await mkdir(dirname(objectPath), { recursive: true });
            await writeFile(objectPath, body);
            await writeFile(`${objectPath}.md5`, md5);
            await writeFile(server.store.getResourcePath(bucket, key, "metadata.json"), JSON.stringify({ "content-type": "binary/octet-stream" }));
          }),
        );
      }
    },
    async openUploads(bucket) {
      return readdir(join(dir, bucket, "._S3rver_uploads")).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return [];
        throw e;
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same server in a child process, for measurements that must see only the client's memory. No request log
 * (it lives in the child).
 */
export async function startS3InChild(opts: { buckets?: string[] } = {}): Promise<Omit<S3Harness, "requests" | "seedObjects" | "openUploads">> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), JSON.stringify(opts)], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`s3rver child exited with ${code} before it was ready`)));
    child.once("error", reject);
  });
  const info = JSON.parse(line) as Omit<S3Harness, "requests" | "seedObjects" | "openUploads" | "stop">;
  return {
    ...info,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.stdin!.end(); // the child stops its server and removes its folder when stdin closes
      await exited;
    },
  };
}

// Child mode: start, print the connection details as one JSON line, stop when stdin closes.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const h = await startS3(JSON.parse(process.argv[2] ?? "{}") as { buckets?: string[] });
  process.stdout.write(JSON.stringify({ endpoint: h.endpoint, accessKeyId: h.accessKeyId, secretAccessKey: h.secretAccessKey, region: h.region, dir: h.dir }) + "\n");
  process.stdin.resume();
  process.stdin.once("end", () => void h.stop().then(() => process.exit(0)));
}
