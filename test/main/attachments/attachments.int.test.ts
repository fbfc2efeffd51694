// Attachments against Ceph RGW: thousands of application files, a run, changes (added, modified, deleted), a second
// run that copies only the changes, restores as of either run equal object for object, and files that change while
// they are being copied.
import type { LifeboatError } from "../../../src/shared/errors.ts";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { runAttachments } from "../../../src/main/attachments/run-attachments.ts";
import { restoreAttachments } from "../../../src/main/attachments/restore-attachments.ts";
import { objectLockFor } from "../../../src/main/object-lock/s3-object-lock.ts";
import { openStore } from "../../../src/main/storage/open-store.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";
import { startCuttingProxy } from "../../harness/cutting-proxy.ts";

const skip = rgwSkipReason();
const FILES = 2000;
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

async function putAll(c: S3Client, bucket: string, files: Map<string, Buffer>): Promise<void> {
  const entries = [...files];
  for (let i = 0; i < entries.length; i += 32) {
    await Promise.all(
      entries
        .slice(i, i + 32)
        .map(([k, body]) => c.send(new PutObjectCommand({ Bucket: bucket, Key: `uploads/${k}`, Body: body }))),
    );
  }
}

async function folderFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out.set(relative(root, path), sha(await readFile(path)));
    }
  }
  return out;
}

const hashes = (files: Map<string, Buffer>) => new Map([...files].map(([k, b]) => [k, sha(b)]));

describe("attachments on Ceph RGW", { skip }, () => {
  const env = useProtectionEnv();
  let profile: Profile;
  const atRun1 = new Map<string, Buffer>();
  let run1 = "";

  test("a first run copies every file, encrypted, with a manifest of sizes and sha256", async () => {
    await env().rgw.createBucket("app-files");
    await env().rgw.createBucket("att-backups", { versioning: true });
    for (let i = 0; i < FILES; i++) {
      atRun1.set(`patients/${i % 97}/note-${i}.pdf`, randomBytes(100 + (i % 300)));
    }
    await putAll(env().rgw.client(), "app-files", atRun1);
    profile = env().profile(env().s3("att-backups"), {
      attachments: [{ name: "uploads", source: env().s3("app-files", "uploads") }],
    });
    const [r] = await runAttachments(profile, env().ctx());
    run1 = r!.id;
    assert.equal(r!.objects, FILES);
    assert.equal(r!.copied, FILES);
    assert.equal(r!.unchanged, 0);
    assert.deepEqual(r!.failed, []);
    // Stored encrypted: no blob holds a source file's bytes.
    const store = await openStore(profile.storage, (x) => resolveSecret(x, env().env));
    const manifest = JSON.parse((await store.getSmall(r!.manifestKey)).toString());
    const first = manifest.objects[0];
    assert.equal(first.sha256, sha(atRun1.get(first.key)!));
    const blob = await store.getSmall(first.blob);
    assert.match(blob.subarray(0, 22).toString(), /^age-encryption\.org\/v1/);
    assert.ok(!blob.includes(atRun1.get(first.key)!.subarray(0, 64)));
  });

  test("after adding, modifying and deleting files, the second run copies only the changes", async () => {
    const c = env().rgw.client();
    const now = new Map(atRun1);
    const added = new Map([...Array(10).keys()].map((i) => [`patients/new/scan-${i}.png`, randomBytes(500)] as const));
    const modified = [...atRun1.keys()].slice(0, 5);
    const deleted = [...atRun1.keys()].slice(100, 107);
    for (const [k, b] of added) now.set(k, b);
    for (const k of modified) now.set(k, randomBytes(77));
    await putAll(c, "app-files", new Map([...added, ...modified.map((k) => [k, now.get(k)!] as const)]));
    for (const k of deleted) {
      now.delete(k);
      await c.send(new DeleteObjectCommand({ Bucket: "app-files", Key: `uploads/${k}` }));
    }
    const [r] = await runAttachments(profile, env().ctx());
    assert.equal(r!.copied, 15);
    assert.equal(r!.unchanged, FILES - 5 - 7);
    assert.deepEqual(r!.deleted, [...deleted].sort());
    assert.equal(r!.objects, now.size);

    // As of the second run, into another bucket's prefix: exactly the source as it is now.
    await env().rgw.createBucket("att-restored");
    const restored = await restoreAttachments(
      profile,
      { set: "uploads", run: "latest", target: env().s3("att-restored", "as-of-run-2") },
      env().ctx(),
    );
    assert.equal(restored.objects, now.size);
    const target = await openStore(env().s3("att-restored", "as-of-run-2"), (x) => resolveSecret(x, env().env));
    const listed = await target.list("");
    assert.equal(listed.length, now.size);
    for (const k of [...modified, ...added.keys()]) assert.equal(sha(await target.getSmall(k)), sha(now.get(k)!));
  });

  test("a restore that does not say where the files go is refused before anything is read", async () => {
    await assert.rejects(
      restoreAttachments(profile, { set: "uploads", run: "latest" }, env().ctx()),
      (e: LifeboatError) => e.code === "USAGE" && /say where the files go/.test(e.message),
    );
    await assert.rejects(
      restoreAttachments(profile, { set: "nope", run: "latest", target: { kind: "source" } }, env().ctx()),
      (e: LifeboatError) => e.code === "USAGE" && /no attachment set "nope"/.test(e.message),
    );
  });

  test("a restore as of the first run equals it object for object, deleted files included", async () => {
    const folder = join(env().dir, "restored-run-1");
    await mkdir(folder);
    const r = await restoreAttachments(
      profile,
      { set: "uploads", run: run1, target: { kind: "folder", path: folder } },
      env().ctx(),
    );
    assert.equal(r.run, run1);
    assert.equal(r.verified, true);
    assert.deepEqual(await folderFiles(folder), hashes(atRun1));
  });

  test("a file that changes while it is copied is copied as it ended up; one that never settles keeps its last copy", async () => {
    const c = env().rgw.client();
    const proxy = await startCuttingProxy();
    proxy.target = env().rgw.endpoint;
    try {
      const p = env().profile(env().s3("att-backups"), {
        attachments: [{ name: "uploads", source: { ...env().s3("app-files", "uploads"), endpoint: proxy.url } }],
      });
      const settles = "patients/60/note-60.pdf";
      const churns = "patients/61/note-61.pdf";
      await putAll(
        c,
        "app-files",
        new Map([
          [settles, Buffer.from("edited once")],
          [churns, Buffer.from("edit 0")],
        ]),
      );
      let edits = 0;
      let settled = false;
      proxy.before = async (req) => {
        if (req.method !== "GET" || req.path.includes("list-type")) return;
        if (req.path.includes(settles) && !settled) {
          settled = true;
          await c.send(new PutObjectCommand({ Bucket: "app-files", Key: `uploads/${settles}`, Body: "edited twice" }));
        }
        if (req.path.includes(churns)) {
          await c.send(
            new PutObjectCommand({ Bucket: "app-files", Key: `uploads/${churns}`, Body: `edit ${++edits}` }),
          );
        }
      };
      const [r] = await runAttachments(p, env().ctx());
      proxy.before = undefined;
      assert.deepEqual(
        r!.failed.map((f) => [f.key, f.keptPrevious]),
        [[churns, true]],
      );
      assert.match(r!.failed[0]!.error, /changed while being copied, 3 time\(s\)/);
      const store = await openStore(p.storage, (x) => resolveSecret(x, env().env));
      const m = JSON.parse((await store.getSmall(r!.manifestKey)).toString());
      const entry = (k: string) => m.objects.find((o: any) => o.key === k);
      assert.equal(entry(settles).sha256, sha("edited twice"), "copied as it ended up");
      assert.equal(entry(churns).copiedIn, run1, "the churning file keeps its copy from the first run");
      const again = await runAttachments(p, env().ctx());
      assert.equal(again[0]!.failed.length, 0, "the next run copies it once it holds still");
    } finally {
      await proxy.stop();
    }
  });

  test("with Object Lock, every blob and the run's manifest are locked for the run's tier, read back", async () => {
    const c = env().rgw.client();
    await env().rgw.createBucket("att-locked", { objectLock: true });
    await env().rgw.createBucket("app-locked");
    await putAll(c, "app-locked", new Map([...Array(5).keys()].map((i) => [`f${i}.txt`, Buffer.from(`file ${i}`)])));
    const p = env().profile(env().s3("att-locked"), {
      retention: "clinical",
      objectLock: { mode: "COMPLIANCE" },
      attachments: [{ name: "docs", source: env().s3("app-locked", "uploads") }],
    });
    const [first] = await runAttachments(p, env().ctx());
    const store = await openStore(p.storage, (x) => resolveSecret(x, env().env));
    const m = JSON.parse((await store.getSmall(first!.manifestKey)).toString());
    const sevenYears = Date.now() + 2555 * 86_400_000;
    const tool = objectLockFor(store)!;
    for (const key of [m.objects[0].blob, first!.manifestKey]) {
      const s = (await tool.state(key))!;
      assert.equal(s.mode, "COMPLIANCE");
      assert.ok(Math.abs(Date.parse(s.retainUntil!) - sevenYears) < 3_600_000, `${key} locked seven years`);
      await assert.rejects(tool.deleteVersion(key, s.versionId!));
    }
    // A second run the same day adds a file: its blob gets a daily's lock, the unchanged ones keep their monthly's.
    await putAll(c, "app-locked", new Map([["f9.txt", Buffer.from("new")]]));
    const [second] = await runAttachments(p, env().ctx());
    const m2 = JSON.parse((await store.getSmall(second!.manifestKey)).toString());
    const added = m2.objects.find((o: any) => o.key === "f9.txt");
    assert.ok(Date.parse(added.lockUntil) < Date.now() + 8 * 86_400_000, "the new file's blob: a daily's lock");
    assert.equal(m2.objects.find((o: any) => o.key === "f0.txt").lockUntil, m.objects[0].lockUntil);
  });
});
