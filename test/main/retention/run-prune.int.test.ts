// Prune applied to a real versioned store with Object Lock (Ceph RGW): exactly what the plan says goes, every version
// of it; locked and held backups stay; each deletion is journaled with its manifest's digest; a prune cut short is
// finished by the next one; nothing is pruned while backups fail. Histories are written directly (manifests with
// the backup id's time), and the clock is injected: two days ahead, so uploads made now are "older than a day".
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { CreateMultipartUploadCommand } from "@aws-sdk/client-s3";
import { listBackups } from "../../../src/main/backup/backup-catalog.ts";
import { manifestBytes, sha256Hex } from "../../../src/main/backup/backup-layout.ts";
import { objectLockFor } from "../../../src/main/object-lock/s3-object-lock.ts";
import { runPrune } from "../../../src/main/retention/run-prune.ts";
import { openStore } from "../../../src/main/storage/open-store.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { recordVerified } from "../../../src/main/verify/verified-evidence.ts";
import type { BackupStore } from "../../../src/main/storage/backup-store.ts";
import type { Profile } from "../../../src/shared/config.ts";
import type { BackupManifest } from "../../../src/shared/manifest.ts";
import { fakeManifest } from "../../harness/manifest-fixture.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";

const skip = rgwSkipReason();
const DAY = 86_400_000;
const NOW = Date.now() + 2 * DAY;
const now = () => new Date(NOW);
const POLICY = { keepLast: 3, daily: 3, weekly: 2, monthly: 2, yearly: 0 };

function idAt(t: number, n: number): string {
  const stamp = new Date(t)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${n.toString(16).padStart(4, "0")}`;
}

/** A committed backup as Lifeboat writes one (archive, then manifest), made at `time`; verified when asked. */
async function writeBackup(store: BackupStore, time: number, n: number, verified = true): Promise<BackupManifest> {
  const id = idAt(time, n);
  const body = randomBytes(64 + n);
  const key = `clinic/${id}/clinic.pgdump.zst.age`;
  await store.putSmall(key, body);
  const m = fakeManifest({ id, profile: "clinic", key, body, startedAt: new Date(time).toISOString(), rows: n });
  await store.putSmall(`clinic/${id}/manifest.json`, manifestBytes(m));
  if (verified) await recordVerified(store, m, { deep: false, at: new Date(time + 120_000), tables: 1, rows: n });
  return m;
}

/** Daily backups at 02:00 UTC for `days` days up to the day before NOW. */
async function writeHistory(store: BackupStore, days: number): Promise<BackupManifest[]> {
  const last = Date.parse(new Date(NOW - DAY).toISOString().slice(0, 10) + "T02:00:00Z");
  const out: BackupManifest[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(await writeBackup(store, last - i * DAY, days - i));
  // And one made an hour before NOW: backups are not failing.
  out.push(await writeBackup(store, NOW - 3_600_000, 999));
  return out;
}

describe("prune on Ceph RGW", { skip }, () => {
  const env = useProtectionEnv();
  const setup = async (bucket: string, extra: Partial<Profile> = {}) => {
    await env().rgw.createBucket(bucket, { objectLock: true });
    const profile = env().profile(env().s3(bucket), { retention: POLICY, ...extra });
    const store = await openStore(profile.storage, (r) => resolveSecret(r, env().env));
    return { profile, store, tool: objectLockFor(store)! };
  };
  const ids = async (store: BackupStore) => (await listBackups(store, "clinic")).backups.map((b) => b.id).sort();

  test("a dry run deletes nothing; --apply deletes exactly the plan, every version, journaled with the digest", async () => {
    const { profile, store, tool } = await setup("prune-apply");
    const history = await writeHistory(store, 30);
    const dry = await runPrune(profile, env().ctx(), { now });
    assert.equal(dry.applied, false);
    assert.equal(dry.plan.refused, null);
    assert.ok(dry.plan.remove.length > 15, `${dry.plan.remove.length} to remove`);
    assert.equal((await ids(store)).length, history.length, "a dry run touches nothing");

    // A locked and a held backup among the ones the policy lets go.
    const [lockedId, heldId] = dry.plan.remove.map((r) => r.id);
    const locked = history.find((m) => m.id === lockedId)!;
    for (const key of [locked.object.key, `clinic/${lockedId}/manifest.json`]) {
      const s = (await tool.state(key))!;
      await tool.lock(key, s.versionId, "COMPLIANCE", new Date(NOW + 30 * DAY));
    }
    const held = history.find((m) => m.id === heldId)!;
    await tool.legalHold(held.object.key, (await tool.state(held.object.key))!.versionId, true);
    // An overwrite of a doomed backup's archive: the old version must go too.
    const doomed = history.find((m) => m.id === dry.plan.remove[2]!.id)!;
    await store.putSmall(doomed.object.key, "overwritten");

    const applied = await runPrune(profile, env().ctx(), { now, apply: true });
    assert.equal(applied.applied, true);
    assert.deepEqual(applied.failures, []);
    assert.deepEqual(
      applied.plan.blocked.map((b) => [b.id, b.why.split(" ")[0]]),
      [
        [lockedId, "locked"],
        [heldId, "under"],
      ],
    );
    const left = await ids(store);
    assert.deepEqual(left, [...applied.plan.keep.map((k) => k.id), lockedId!, heldId!].sort());
    assert.deepEqual(applied.deleted.map((d) => d.id).sort(), applied.plan.remove.map((r) => r.id).sort());
    assert.deepEqual(await tool.versions(`clinic/${doomed.id}/`), [], "no version and no delete marker is left");
    assert.equal(
      applied.deleted.find((d) => d.id === doomed.id)!.objects,
      4,
      "two archive versions, manifest, evidence",
    );

    const journaled = (await env().journal.query({ kind: "prune.delete", outcome: "ok", limit: 1000 })).records;
    assert.equal(journaled.length, applied.deleted.length);
    for (const r of journaled) {
      const m = history.find((h) => h.id === r.details.id)!;
      assert.equal(r.details.manifestSha256, sha256Hex(manifestBytes(m)), "the digest of the manifest as stored");
    }
    const second = await runPrune(profile, env().ctx(), { now, apply: true });
    assert.deepEqual(second.deleted, [], "a second prune finds nothing more to delete");
  });

  test("a prune cut short (interrupted, or killed between a manifest and its archive) is finished by the next one", async () => {
    const { profile, store } = await setup("prune-interrupted");
    await writeHistory(store, 20);
    const plan = (await runPrune(profile, env().ctx(), { now })).plan;
    const keep = plan.keep.map((k) => k.id).sort();

    // Killed mid-folder: the manifest is gone, its archive not yet.
    const victim = plan.remove[0]!.id;
    await store.delete(`clinic/${victim}/manifest.json`);
    // Interrupted after the second deletion.
    const abort = new AbortController();
    let deletions = 0;
    const journal = env().journal;
    const ctx = env().ctx({
      signal: abort.signal,
      journal: {
        ...journal,
        append: async (e) => {
          const r = await journal.append(e);
          if (e.kind === "prune.delete" && e.outcome === "ok" && ++deletions === 2) abort.abort();
          return r;
        },
      },
    });
    const cut = await runPrune(profile, ctx, { now, apply: true });
    assert.equal(cut.deleted.length, 2);
    assert.match(cut.failures.map((f) => f.error).join(), /interrupted; run it again/);
    const catalog = await listBackups(store, "clinic");
    assert.ok(
      catalog.incomplete.some((i) => i.dir === `clinic/${victim}`),
      "the half-deleted one is never restorable",
    );

    const finish = await runPrune(profile, env().ctx(), { now, apply: true });
    assert.deepEqual(finish.failures, []);
    assert.ok(
      finish.cleaned.some((c) => c.dir === `clinic/${victim}`),
      "the next prune removes what was left",
    );
    assert.deepEqual(await ids(store), keep, "everything retained is still there, nothing else");
    assert.deepEqual((await listBackups(store, "clinic")).incomplete, []);
  });

  test("incomplete runs and multipart uploads older than a day are removed; nothing while backups fail", async () => {
    const { profile, store, tool } = await setup("prune-housekeeping");
    await writeHistory(store, 10);
    const oldRun = idAt(NOW - 3 * DAY, 7);
    await store.putSmall(`clinic/${oldRun}/clinic.pgdump.zst.age`, randomBytes(10));
    const rgw = env().rgw.client();
    await rgw.send(
      new CreateMultipartUploadCommand({ Bucket: "prune-housekeeping", Key: `nightly/clinic/${oldRun}/big.age` }),
    );
    const done = await runPrune(profile, env().ctx(), { now, apply: true });
    assert.deepEqual(
      done.cleaned.map((c) => c.dir),
      [`clinic/${oldRun}`],
    );
    assert.equal(done.aborted.length, 1);
    assert.deepEqual(await tool.uploads("clinic/"), []);

    // The newest backup three days old: backups are failing, so nothing is deleted, and the refusal is journaled.
    const later = () => new Date(NOW + 3 * DAY);
    const before = await ids(store);
    const refused = await runPrune(profile, env().ctx(), { now: later, apply: true });
    assert.equal(refused.plan.refused?.code, "BACKUPS_FAILING");
    assert.equal(refused.applied, false);
    assert.deepEqual(await ids(store), before);
    const r = (await env().journal.query({ kind: "prune.run", outcome: "refused", newest: true, limit: 1 })).records[0];
    assert.match(r!.summary, /Prune refused .*newest backup is 3 days old/);
  });
});
