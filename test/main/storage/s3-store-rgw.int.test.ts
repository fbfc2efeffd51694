// The S3 store against Ceph RGW, the real S3 server the Object Lock, versioning and lifecycle tests use; and the RGW
// harness itself: it leaves no daemon and no folder behind, even when the test process is killed.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectRetentionCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { S3Store } from "../../../src/main/storage/s3-store.ts";
import { rgwSkipReason, useRgw, type RgwHarness } from "../../harness/rgw.ts";

const skip = rgwSkipReason();
const MIB = 1024 * 1024;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function storeFor(rgw: RgwHarness, bucket: string): S3Store {
  return new S3Store({
    bucket,
    prefix: "nightly",
    region: rgw.region,
    endpoint: rgw.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  });
}

describe("S3Store against Ceph RGW", { skip }, () => {
  const rgw = useRgw();

  test("a wrong secret key is refused (RGW checks signatures, unlike s3rver)", async () => {
    await rgw().createBucket("sig-check");
    const store = new S3Store({
      bucket: "sig-check",
      prefix: "",
      region: "us-east-1",
      endpoint: rgw().endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: rgw().accessKeyId, secretAccessKey: "not-the-secret" },
    });
    await assert.rejects(store.check(), (e: any) => e.code === "STORAGE_AUTH");
    store.close();
  });

  test("a multipart stream round-trips byte for byte, listed and deleted", async () => {
    await rgw().createBucket("roundtrip");
    const store = storeFor(rgw(), "roundtrip");
    const body = randomBytes(19 * MIB); // three 8 MiB parts
    const { bytes } = await store.putStream("clinic/a/db.age", Readable.from([body]), { sizeHint: 19 * MIB });
    assert.equal(bytes, body.length);
    const got = createHash("sha256");
    for await (const c of await store.getStream("clinic/a/db.age")) got.update(c as Buffer);
    assert.equal(got.digest("hex"), createHash("sha256").update(body).digest("hex"));
    assert.deepEqual(
      (await store.list("clinic/")).map((o) => [o.key, o.bytes]),
      [["clinic/a/db.age", body.length]],
    );
    await store.delete("clinic/a/db.age");
    assert.equal(await store.head("clinic/a/db.age"), null);
    store.close();
  });

  test("RGW 16 still ignores Object Lock headers on CreateMultipartUpload (why locks are set after completion)", async () => {
    // If this starts failing, RGW honours the headers and the PutObjectRetention after completion is only a belt.
    await rgw().createBucket("mpu-lock", { objectLock: true });
    const c = rgw().client();
    const until = new Date(Date.now() + 86_400_000);
    const up = await c.send(
      new CreateMultipartUploadCommand({
        Bucket: "mpu-lock",
        Key: "big",
        ObjectLockMode: "COMPLIANCE",
        ObjectLockRetainUntilDate: until,
      }),
    );
    const part = await c.send(
      new UploadPartCommand({
        Bucket: "mpu-lock",
        Key: "big",
        UploadId: up.UploadId,
        PartNumber: 1,
        Body: randomBytes(1024),
      }),
    );
    await c.send(
      new CompleteMultipartUploadCommand({
        Bucket: "mpu-lock",
        Key: "big",
        UploadId: up.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    await assert.rejects(c.send(new GetObjectRetentionCommand({ Bucket: "mpu-lock", Key: "big" })));
  });
});

describe("the RGW harness", { skip }, () => {
  test("a test process killed with SIGKILL leaves no daemon and no folder behind", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", new URL("./rgw-killed-child.fixture.ts", import.meta.url).pathname],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_c, s) => r(s)));
    assert.equal(signal, "SIGKILL");
    const { dir, pids } = JSON.parse(out) as { dir: string; pids: number[] };
    assert.equal(pids.length, 3, "mon, osd and radosgw were recorded");
    const deadline = Date.now() + 5000;
    while ((pids.some(alive) || existsSync(dir)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(pids.filter(alive), [], "every daemon was killed");
    assert.equal(existsSync(dir), false, "the cluster's folder was removed");
  });
});
