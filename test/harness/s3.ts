// The tests' S3 server: the local S3 server Lifeboat's demo uses (src/main/sandbox/local-s3.ts documents what s3rver
// lacks and what is added there), plus a request log, fast seeding and a view of open multipart uploads.
// s3rver does not verify V4 signatures, so a wrong *secret* key is accepted: tests of SignatureDoesNotMatch use a
// canned S3 response instead.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { S3Client } from "@aws-sdk/client-s3";
import { startLocalS3 } from "../../src/main/sandbox/local-s3.ts";

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
  /** An AWS SDK client for this server, for tests that write or alter objects directly. */
  client(): S3Client;
  stop(): Promise<void>;
}

export async function startS3(opts: { buckets?: string[] } = {}): Promise<S3Harness> {
  const requests: S3Request[] = [];
  const s3 = await startLocalS3({
    ...opts,
    onRequest: (ctx) =>
      requests.push({ method: ctx.method, path: ctx.path, query: { ...ctx.query }, headers: { ...ctx.headers } }),
  });
  return {
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    region: s3.region,
    dir: s3.dir,
    requests,
    async seedObjects(bucket, keys, body = Buffer.from("x")) {
      // Files laid out as s3rver's store lays them out, each write awaited (s3rver's own putObject resolves before
      // its write stream has finished, so a listing right after it can miss objects).
      const md5 = createHash("md5").update(body).digest("hex");
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(
          keys.slice(i, i + 50).map(async (key) => {
            const objectPath = s3.resourcePath(bucket, key, "object");
            await mkdir(dirname(objectPath), { recursive: true });
            await writeFile(objectPath, body);
            await writeFile(`${objectPath}.md5`, md5);
            await writeFile(
              s3.resourcePath(bucket, key, "metadata.json"),
              JSON.stringify({ "content-type": "binary/octet-stream" }),
            );
          }),
        );
      }
    },
    async openUploads(bucket) {
      return readdir(join(s3.dir, bucket, "._S3rver_uploads")).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return [];
        throw e;
      });
    },
    client: () =>
      new S3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      }),
    stop: () => s3.stop(),
  };
}

/**
 * The same server in a child process, for measurements that must see only the client's memory. No request log
 * (it lives in the child).
 */
export async function startS3InChild(
  opts: { buckets?: string[] } = {},
): Promise<Omit<S3Harness, "requests" | "seedObjects" | "openUploads" | "client">> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), JSON.stringify(opts)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`s3rver child exited with ${code} before it was ready`)));
    child.once("error", reject);
  });
  const info = JSON.parse(line) as Omit<S3Harness, "requests" | "seedObjects" | "openUploads" | "client" | "stop">;
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
  process.stdout.write(
    JSON.stringify({
      endpoint: h.endpoint,
      accessKeyId: h.accessKeyId,
      secretAccessKey: h.secretAccessKey,
      region: h.region,
      dir: h.dir,
    }) + "\n",
  );
  process.stdin.resume();
  process.stdin.once("end", () => void h.stop().then(() => process.exit(0)));
}
