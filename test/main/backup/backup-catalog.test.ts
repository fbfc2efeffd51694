// What the catalog offers for restore: only committed backups whose manifest describes the object beside it, and
// "latest" never silently passes over a newer backup it cannot read.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBackup, listBackups } from "../../../src/main/backup/backup-catalog.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";
import { LifeboatError, exitCodeFor } from "../../../src/shared/errors.ts";

const root = mkdtempSync(join(tmpdir(), "lifeboat-catalog-"));
after(() => rmSync(root, { recursive: true, force: true }));

function manifest(id: string, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: "lifeboat-backup/1",
    id,
    profile: "clinic",
    database: "clinic",
    server: { version: "15.18", major: 15 },
    pgDump: { version: "15.18", major: 15 },
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: "2026-01-01T00:01:00Z",
    object: { key: `clinic/${id}/clinic.pgdump.zst.age`, bytes: 1, sha256: "a".repeat(64) },
    databaseBytes: 1,
    snapshot: "s",
    tables: [],
    compression: { algorithm: "zstd", level: 1 },
    encryption: { format: "age-v1", recipients: [] },
    restoreCommand: "",
    lifeboatVersion: "0.1.0",
    ...over,
  });
}

async function store(files: Record<string, string>): Promise<FolderStore> {
  const dir = mkdtempSync(join(root, "s-"));
  const s = new FolderStore(dir);
  for (const [key, body] of Object.entries(files)) await s.putSmall(key, body);
  return s;
}

test('"latest" refuses to pass over a newer backup whose manifest is unreadable, and names the newest readable one', async () => {
  const s = await store({
    "clinic/20260101T000000Z-aaaa/manifest.json": manifest("20260101T000000Z-aaaa"),
    "clinic/20260102T000000Z-bbbb/manifest.json": "{ not json",
  });
  await assert.rejects(findBackup(s, "clinic", "latest"), (e: LifeboatError) => {
    assert.equal(e.code, "MANIFEST_INVALID");
    assert.equal(exitCodeFor(e.code), 6);
    assert.match(e.message, /20260102T000000Z-bbbb\/manifest\.json/);
    assert.match(e.message, /the newest readable one is 20260101T000000Z-aaaa/);
    return true;
  });
  assert.equal((await findBackup(s, "clinic", "20260101T000000Z-aaaa")).id, "20260101T000000Z-aaaa");
});

test('an older unreadable manifest does not stop "latest"', async () => {
  const s = await store({
    "clinic/20260101T000000Z-aaaa/manifest.json": "{ not json",
    "clinic/20260102T000000Z-bbbb/manifest.json": manifest("20260102T000000Z-bbbb"),
  });
  assert.equal((await findBackup(s, "clinic", "latest")).id, "20260102T000000Z-bbbb");
});

test("a manifest naming an object outside its own folder is not a manifest: never listed, never restored", async () => {
  const id = "20260103T000000Z-cccc";
  for (const key of [
    "../../../etc/passwd",
    `clinic/20260101T000000Z-aaaa/clinic.pgdump.zst.age`,
    `clinic/${id}/../x`,
  ]) {
    const s = await store({
      [`clinic/${id}/manifest.json`]: manifest(id, { object: { key, bytes: 1, sha256: "a".repeat(64) } }),
    });
    const c = await listBackups(s, "clinic");
    assert.deepEqual(c.backups, [], key);
    assert.match(c.invalid[0]!.error, /does not describe the backup in its own folder/);
    await assert.rejects(findBackup(s, "clinic", id), (e: LifeboatError) => e.code === "MANIFEST_INVALID");
  }
});

test("an id that is a path is a usage error, not a key", async () => {
  const s = await store({});
  for (const id of ["../../etc", "a/b", ""]) {
    await assert.rejects(findBackup(s, "clinic", id), (e: LifeboatError) => {
      assert.equal(e.code, "USAGE", id);
      return true;
    });
  }
});
