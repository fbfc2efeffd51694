// A store that answers the S3 API as Cloudflare R2 does when its immutability is a bucket rule (R2 bucket locks), as a
// proxy in front of a real S3 server (Ceph RGW, an unversioned bucket, as R2 keeps no versions). What it plays, from
// Cloudflare's documentation (developers.cloudflare.com/r2/api/s3/api/ and /r2/buckets/bucket-locks/):
// - GetBucketVersioning, GetObjectLockConfiguration, PutObjectRetention, PutObjectLegalHold and ListObjectVersions
//   are not implemented: 501 NotImplemented (R2's answer to an S3 call it lacks);
// - lock rules (a prefix and an age, or no age: indefinite) are set outside S3 (Cloudflare's API, wrangler) and are
//   invisible through it; an object a rule covers cannot be deleted or overwritten (PUT, copy onto it, a multipart
//   completion onto it, DeleteObjects) while the rule holds it, and new objects can still be created.
// The documentation does not give the error of a refused delete; this proxy says 403 AccessDenied, and Lifeboat
// treats any refusal (403, 400, 405, 409) alike. Everything else passes unchanged (Host included: SigV4 holds).
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";

export interface BucketLockRule {
  /** Keys under this prefix (bucket-relative; "" is every key). */
  prefix: string;
  /** Held until this many seconds after the object was written; null holds it indefinitely. */
  maxAgeSeconds: number | null;
}

export interface BucketRuleProxy {
  url: string;
  /** The rules per bucket, as `wrangler r2 bucket lock` would set them; change them at any time. */
  rules: Map<string, BucketLockRule[]>;
  /** Requests refused by a rule so far, as "METHOD key". */
  readonly refused: string[];
  stop(): Promise<void>;
}

const NOT_IMPLEMENTED = ["versioning", "object-lock", "retention", "legal-hold", "versions"];

function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** `target` is the real server's endpoint; `client` reads object ages from it (with the test's own keys). */
export async function startBucketRuleProxy(target: string, client: S3Client): Promise<BucketRuleProxy> {
  const refused: string[] = [];
  const rules = new Map<string, BucketLockRule[]>();

  /** Whether a rule holds the existing object at bucket/key now (a key that does not exist yet is not held). */
  const held = async (bucket: string, key: string): Promise<boolean> => {
    const covering = (rules.get(bucket) ?? []).filter((r) => key.startsWith(r.prefix));
    if (!covering.length) return false;
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => null);
    if (!head?.LastModified) return false;
    const age = (Date.now() - head.LastModified.getTime()) / 1000;
    return covering.some((r) => r.maxAgeSeconds === null || age < r.maxAgeSeconds);
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", target);
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const method = req.method ?? "GET";
    const answer = async (status: number, code: string, message: string) => {
      await body(req);
      res.writeHead(status, { "content-type": "application/xml" });
      res.end(xmlError(code, message));
    };
    const unimplemented = NOT_IMPLEMENTED.find((q) => url.searchParams.has(q));
    if (unimplemented) return answer(501, "NotImplemented", `${method} ?${unimplemented} not implemented`);

    let locked = false;
    let forward: Buffer | undefined;
    if (key && method === "DELETE" && !url.searchParams.has("uploadId")) locked = await held(bucket, key);
    else if (key && method === "PUT" && !url.searchParams.has("partNumber")) locked = await held(bucket, key);
    else if (key && method === "POST" && url.searchParams.has("uploadId")) locked = await held(bucket, key);
    else if (!key && method === "POST" && url.searchParams.has("delete")) {
      forward = await body(req);
      const keys = [...forward.toString("utf8").matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
      for (const k of keys) if (await held(bucket, k)) locked = true;
    }
    if (locked) {
      refused.push(`${method} ${key || url.search}`);
      if (forward) {
        res.writeHead(403, { "content-type": "application/xml" });
        return void res.end(xmlError("AccessDenied", "an object in the request is locked by a bucket lock rule"));
      }
      return answer(403, "AccessDenied", "the object is locked by a bucket lock rule");
    }
    const upstream = request(url, { method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.socket?.destroy());
    if (forward) upstream.end(forward);
    else req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rules,
    refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
