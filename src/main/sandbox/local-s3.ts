// A local S3-compatible server for the embedded demo and the sandbox console, and the base of the tests' S3 harness:
// s3rver on 127.0.0.1 and a free port, with the gaps that matter to Lifeboat filled in.
//
// What s3rver 3.7.1 does and does not do, found in its source (node_modules/s3rver/lib):
// - Credentials: it accepts only access keys in its account registry (by default "S3RVER"/"S3RVER"); any other
//   access key id is refused with S3's real 403 InvalidAccessKeyId. It does NOT verify V4 signatures.
// - Multipart: it has no AbortMultipartUpload (DELETE ?uploadId answers 405) and no ListMultipartUploads. Parts live
//   on disk in <dir>/<bucket>/._S3rver_uploads/<id>/ (with a "key" file naming the object). Both are added here
//   (abort: delete that folder, 204, NoSuchUpload when absent; list: those folders, one page), behind s3rver's own
//   authentication, so `lifeboat doctor` finds and aborts what a killed backup left.
// - Listing: its ListObjectsV2 makes continuation tokens with DES, which OpenSSL 3 (Node >= 17) no longer has, so any
//   truncated listing fails with 500. ListObjectsV2 is answered here from s3rver's own store, with base64url(last
//   key) as the continuation token.
// Hand-written glue because no maintained S3 server on npm installs without a native or Go binary download.
import { createRequire } from "node:module";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

const require = createRequire(import.meta.url);

export interface KoaContext {
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
    ): Promise<{
      objects: Array<{ key: string; size: number; lastModifiedDate: Date; metadata: Record<string, string> }>;
      commonPrefixes: string[];
      isTruncated: boolean;
    }>;
  };
}
export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
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
const { bucketExists } = require("s3rver/lib/controllers/bucket") as {
  bucketExists: (ctx: KoaContext) => Promise<void>;
};

function abortMultipartUpload(): Middleware {
  const auth = authentication();
  return async (ctx, next) => {
    const m = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (ctx.method !== "DELETE" || !("uploadId" in ctx.query) || !m) return next();
    ctx.params = { ...ctx.params, bucket: decodeURIComponent(m[1]!), key: decodeURIComponent(m[2]!) };
    await auth(ctx, async () => {
      const uploadId = ctx.query.uploadId ?? "";
      if (!/^[A-Za-z0-9_-]+$/.test(uploadId))
        throw new S3Error("NoSuchUpload", "The specified upload does not exist.", { UploadId: uploadId });
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

function listMultipartUploads(): Middleware {
  const auth = authentication();
  return async (ctx, next) => {
    const m = /^\/([^/]+)\/?$/.exec(ctx.path);
    if (ctx.method !== "GET" || !("uploads" in ctx.query) || !m) return next();
    ctx.params = { ...ctx.params, bucket: decodeURIComponent(m[1]!) };
    await auth(ctx, async () => {
      const bucket = ctx.params.bucket!;
      await bucketExists(ctx);
      const dir = ctx.store.getResourcePath(bucket, undefined, "uploads");
      const prefix = ctx.query.prefix ?? "";
      const ids = await readdir(dir).catch(() => [] as string[]);
      const uploads: { Key: string; UploadId: string; Initiated: string }[] = [];
      for (const id of ids) {
        const key = await readFile(join(dir, id, "key"), "utf8").catch(() => undefined);
        if (key === undefined || !key.startsWith(prefix)) continue;
        const started = await stat(join(dir, id)).then(
          (st) => st.mtime,
          () => new Date(0),
        );
        uploads.push({ Key: key, UploadId: id, Initiated: started.toISOString() });
      }
      uploads.sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : a.UploadId < b.UploadId ? -1 : 1));
      ctx.body = {
        ListMultipartUploadsResult: {
          "@": { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" },
          Bucket: bucket,
          Prefix: prefix,
          IsTruncated: false,
          Upload: uploads.map((u) => ({ ...u, StorageClass: "STANDARD" })),
        },
      };
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
          NextContinuationToken:
            result.isTruncated && last ? Buffer.from(last, "utf8").toString("base64url") : undefined,
          KeyCount: result.objects.length,
          MaxKeys: maxKeys,
          Delimiter: delimiter,
          IsTruncated: result.isTruncated,
          Contents: result.objects.map((o) => ({
            Key: o.key,
            LastModified: o.lastModifiedDate.toISOString(),
            ETag: o.metadata.etag,
            Size: o.size,
            StorageClass: "STANDARD",
          })),
          CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: p })),
        },
      };
    });
  };
}

export interface LocalS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The storage folder: objects under <dir>/<bucket>/, multipart parts under <dir>/<bucket>/._S3rver_uploads/. */
  dir: string;
  /** s3rver's on-disk path for a bucket/key resource ("object", "metadata.json", "uploads"). */
  resourcePath(bucket: string, key: string | undefined, resource: string): string;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  buckets?: string[];
  /** Storage folder (kept on stop); default a temporary folder removed on stop. */
  dir?: string;
  port?: number;
  /** Sees every request first (tests record them). */
  onRequest?: (ctx: KoaContext) => void;
}

export async function startLocalS3(opts: LocalS3Options = {}): Promise<LocalS3> {
  const owned = !opts.dir;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "lifeboat-s3-")));
  await mkdir(dir, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: opts.port ?? 0,
    silent: true,
    directory: dir,
    configureBuckets: (opts.buckets ?? []).map((name) => ({ name })),
  });
  if (opts.onRequest) {
    const onRequest = opts.onRequest;
    server.middleware.unshift(async (ctx, next) => {
      onRequest(ctx);
      await next();
    });
  }
  // Just before s3rver's router (the last middleware), after its logging, XML and vhost handling.
  server.middleware.splice(
    server.middleware.length - 1,
    0,
    abortMultipartUpload(),
    listMultipartUploads(),
    listObjectsV2(),
  );

  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (e) {
    if (owned) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    region: "us-east-1",
    dir,
    resourcePath: (bucket, key, resource) => server.store.getResourcePath(bucket, key, resource),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close().catch(() => undefined);
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}
