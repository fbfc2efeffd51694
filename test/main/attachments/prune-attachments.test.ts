// Retention of attachment sets on a generated history (an injected clock, a folder store): the runs the policy keeps,
// every blob a kept run names (also one copied long ago by a pruned run), a run still being written, nothing while
// runs are failing, and nothing at all without --apply. Data loss would happen here, so each survivor is checked.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ATTACHMENT_FORMAT,
  type AttachmentEntry,
  type AttachmentRunManifest,
} from "../../../src/shared/api/channels/attachment-channels.ts";
import type { RetentionPolicy } from "../../../src/shared/retention-policy.ts";
import { blobKey, listRuns, loadRun, runManifestKey } from "../../../src/main/attachments/attachment-catalog.ts";
import { pruneAttachmentSet } from "../../../src/main/attachments/prune-attachments.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse("2026-03-01T03:00:00Z");
const DAYS = 10;
const PROFILE = "clinic";
const SET = "uploads";
const policy: RetentionPolicy = { keepLast: 2, daily: 3, weekly: 0, monthly: 0, yearly: 0 };

function idAt(t: number): string {
  return `${new Date(t)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-00aa`;
}

const runIds = Array.from({ length: DAYS }, (_, d) => idAt(START + d * DAY));
const now = START + (DAYS - 1) * DAY + HOUR;

function entry(key: string, run: string, n: number): AttachmentEntry {
  return {
    key,
    bytes: 10,
    sha256: "b".repeat(64),
    etag: `"${key}-${run}"`,
    lastModified: new Date(START).toISOString(),
    blob: blobKey(PROFILE, SET, run, n),
    blobBytes: 40,
    copiedIn: run,
  };
}

/**
 * Day 0 copies a.pdf and b.pdf; every run reuses a.pdf's day-0 copy; b.pdf is deleted from the source on day 5; each
 * day copies its own new c.pdf. A run started an hour ago has written one blob and no manifest yet.
 */
async function history(store: FolderStore): Promise<{ inProgressBlob: string }> {
  const a = entry("a.pdf", runIds[0]!, 0);
  const b = entry("b.pdf", runIds[0]!, 1);
  for (const [d, id] of runIds.entries()) {
    const c = entry("c.pdf", id, 2);
    const objects = [a, ...(d < 5 ? [b] : []), c];
    for (const o of objects.filter((x) => x.copiedIn === id)) await store.putSmall(o.blob, "age-encrypted bytes");
    const manifest: AttachmentRunManifest = {
      format: ATTACHMENT_FORMAT,
      profile: PROFILE,
      set: SET,
      id,
      source: "s3://app-files/uploads",
      startedAt: new Date(START + d * DAY).toISOString(),
      finishedAt: new Date(START + d * DAY + 60_000).toISOString(),
      recipients: ["age1example"],
      previous: d ? runIds[d - 1]! : null,
      objects,
      deleted: d === 5 ? ["b.pdf"] : [],
      failed: [],
      copied: objects.filter((x) => x.copiedIn === id).length,
      copiedBytes: 10,
      unchanged: objects.filter((x) => x.copiedIn !== id).length,
    };
    await store.putSmall(runManifestKey(PROFILE, SET, id), JSON.stringify(manifest));
  }
  const inProgressBlob = blobKey(PROFILE, SET, idAt(now - HOUR), 0);
  await store.putSmall(inProgressBlob, "age-encrypted bytes");
  return { inProgressBlob };
}

async function exists(store: FolderStore, key: string): Promise<boolean> {
  return (await store.list(key)).some((o) => o.key === key);
}

function journal() {
  const records: { kind: string; outcome?: string; details?: unknown }[] = [];
  return { records, ctx: { journal: { append: async (r: (typeof records)[number]) => records.push(r) } } as never };
}

describe("pruning an attachment set", () => {
  test("runs are failing (the newest run is stale): nothing is pruned, and it says why", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lifeboat-att-prune-"));
    try {
      const store = new FolderStore(dir);
      await history(store);
      const j = journal();
      const r = await pruneAttachmentSet(PROFILE, SET, store, policy, {
        now: now + 3 * DAY,
        apply: true,
        maxAgeMinutes: 24 * 60,
        ctx: j.ctx,
      });
      assert.match(r.refused ?? "", /attachment runs are failing or not running, and nothing is pruned/);
      assert.deepEqual(r.remove, []);
      assert.equal((await listRuns(store, PROFILE, SET)).length, DAYS);
      assert.equal(j.records.length, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("without apply nothing is deleted; the plan names the runs and counts the orphan blobs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lifeboat-att-prune-"));
    try {
      const store = new FolderStore(dir);
      await history(store);
      const before = (await store.list("")).length;
      const r = await pruneAttachmentSet(PROFILE, SET, store, policy, {
        now,
        apply: false,
        maxAgeMinutes: 24 * 60,
        ctx: journal().ctx,
      });
      assert.deepEqual(r.keep, runIds.slice(7).reverse());
      assert.deepEqual(r.remove, runIds.slice(0, 7).reverse());
      // b.pdf's day-0 copy and the c.pdf copies of days 0-6; never a.pdf's day-0 copy, which kept runs still name.
      assert.equal(r.orphanBlobs, 1 + 7);
      assert.equal((await store.list("")).length, before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("with apply: the kept runs restore whole, a file deleted from the source leaves with its last run, a run in progress is left alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lifeboat-att-prune-"));
    try {
      const store = new FolderStore(dir);
      const { inProgressBlob } = await history(store);
      const j = journal();
      const r = await pruneAttachmentSet(PROFILE, SET, store, policy, {
        now,
        apply: true,
        maxAgeMinutes: 24 * 60,
        ctx: j.ctx,
      });
      assert.deepEqual(r.failures, []);
      assert.deepEqual(r.deletedRuns, runIds.slice(0, 7).reverse());
      assert.equal(r.deletedBlobs, 8);
      assert.deepEqual(await listRuns(store, PROFILE, SET), runIds.slice(7).reverse());
      for (const id of runIds.slice(7)) {
        for (const o of (await loadRun(store, PROFILE, SET, id)).objects)
          assert.ok(await exists(store, o.blob), `${o.key} of run ${id} lost its copy ${o.blob}`);
      }
      assert.ok(await exists(store, blobKey(PROFILE, SET, runIds[0]!, 0)), "a.pdf's day-0 copy is still named");
      assert.ok(!(await exists(store, blobKey(PROFILE, SET, runIds[0]!, 1))), "b.pdf left with the last run naming it");
      assert.ok(await exists(store, inProgressBlob), "a run still being written keeps its blobs");
      assert.equal(j.records.length, 1);
      assert.equal(j.records[0]!.kind, "attachments.prune");
      assert.equal(j.records[0]!.outcome, "ok");
      assert.deepEqual((j.records[0]!.details as { deletedRuns: string[] }).deletedRuns, r.deletedRuns);

      // A second prune at the same time finds nothing more to do.
      const again = await pruneAttachmentSet(PROFILE, SET, store, policy, {
        now,
        apply: true,
        maxAgeMinutes: 24 * 60,
        ctx: journal().ctx,
      });
      assert.deepEqual([again.deletedRuns, again.deletedBlobs], [[], 0]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
