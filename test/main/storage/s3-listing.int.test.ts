// Lifeboat's own listing never depends on a server's paging quirks. Plain s3rver (as `npx s3rver` runs it, without
// the glue in src/main/sandbox/local-s3.ts) answers 500 to every truncated ListObjectsV2 on OpenSSL 3; it used to
// fail `profile test` and every backup after the first. A server whose listing never advances is an error, not a loop.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { S3Store } from "../../../src/main/storage/s3-store.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { runCli } from "../../harness/cli.ts";
import { startLifeboatEnv, BUCKET, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

const require = createRequire(import.meta.url);
const S3rver = require("s3rver") as new (o: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

let dir: string;
let plain: { close(): Promise<void> } | undefined;
let endpoint: string;
let env: LifeboatEnv | undefined;
let skip: string | undefined;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-plain-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET }],
  });
  endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  plain = server;
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) skip = e.skip;
  else env = e;
});
after(async () => {
  await plain?.close();
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

const store = (opts: { listPageSize?: number } = {}) =>
  new S3Store({
    bucket: BUCKET,
    prefix: "p",
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    ...opts,
  });

test("plain s3rver: the storage check and a paged listing of many keys work", async () => {
  const s = store({ listPageSize: 2 });
  for (let i = 0; i < 7; i++) await s.putSmall(`clinic/2026010${i}T000000Z-aaaa/manifest.json`, "{}");
  await s.check();
  const keys = (await s.list("clinic/")).map((o) => o.key);
  assert.equal(keys.length, 7);
  assert.equal(new Set(keys).size, 7, "no key twice");
});

test("plain s3rver: `profile test` and a second and third backup succeed", async (t) => {
  if (skip) return t.skip(skip);
  const profile = { ...env!.profile, storage: { ...env!.profile.storage, endpoint } };
  const config = join(env!.dir, "plain-s3.json");
  await writeFile(config, JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
  const cli = (args: string[]) => runCli(["--config", config, ...args, "--json"], { env: env!.env });
  for (let i = 0; i < 3; i++) {
    const b = await cli(["backup"]);
    assert.equal(b.code, 0, `backup ${i + 1}: ${b.stdout}`);
  }
  const check = await cli(["profile", "test"]);
  assert.equal(check.code, 0, check.stdout);
  const list = await cli(["backups"]);
  assert.equal(list.json!.value.backups.length, 3);
});

test("a listing that claims more keys but never advances fails with an error instead of looping", async () => {
  const page = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><IsTruncated>true</IsTruncated><Contents><Key>p/a</Key><Size>1</Size></Contents></ListBucketResult>`;
  const stuck: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(page);
  });
  await new Promise<void>((r) => stuck.listen(0, "127.0.0.1", r));
  try {
    const s = new S3Store({
      bucket: BUCKET,
      prefix: "p",
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${(stuck.address() as AddressInfo).port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    await assert.rejects(s.list(""), (e: LifeboatError) => {
      assert.equal(e.code, "STORAGE_ERROR");
      assert.match(e.message, /claims more keys but does not advance/);
      return true;
    });
  } finally {
    stuck.close();
  }
});
