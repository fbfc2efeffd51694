// The ransomware drill: with the profile's own credentials, try what an attacker holding them would try against the
// newest backup, and pass only when the store refuses. It must never be the attack it rehearses, so it is built to
// leave the backup intact whatever the store does:
//
// 1. Overwrite manifest.json with its own bytes. On a versioned bucket this makes a new, identical version on top of
//    the original; on an unversioned one it replaces the object in place, with identical bytes. Either way nothing
//    changes for a reader, and the result shows whether an overwrite could have replaced the backup.
// 2. Shorten the manifest's retention (with the governance bypass an attacker would send). If the store allows it,
//    the original date is put back at once: extending a lock is always allowed.
// 3. Delete the manifest's original version for good (same bypass). If the store allows it, the identical copy from
//    step 1 is now the manifest, so the backup is whole; without that copy the bytes held in memory are written back.
//    On an unversioned bucket a delete is final, so it is not tried: step 1 has already shown the store cannot refuse.
// 4. Only when the store has refused 2 and 3, and reports the archive locked: delete the archive's version. A store
//    that refused for the manifest and reports the same lock on the archive refuses here too; the archive, unlike the
//    manifest, could not be written back from memory, so it is never tried on a store that has not proven itself.
// Afterwards the manifest's bytes and the archive's size are read back; the drill's identical copy is removed where
// the store allows (or given the original's lock where the bucket's default retention holds it).
import type { RansomwareDrillResult } from "../../shared/api/channels/protection-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { MANIFEST_NAME } from "../../shared/manifest.ts";
import { findBackup } from "../backup/backup-catalog.ts";
import { sha256Hex } from "../backup/backup-layout.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { namedStore, openNamedStore, storeLabel } from "../replicas/profile-stores.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { isRefusal, objectLockFor, refusalText, type S3ObjectLock } from "./s3-object-lock.ts";

type Attempt = RansomwareDrillResult["attempts"][number];

const DAY = 86_400_000;

export async function ransomwareDrill(
  profile: Profile,
  ctx: EngineContext,
  opts: { store?: string; now?: () => Date } = {},
): Promise<RansomwareDrillResult> {
  const target = namedStore(profile, opts.store);
  const started = await ctx.journal.append({
    kind: "protection.drill",
    summary: `Ransomware drill on the newest backup of profile ${profile.name} (${target.name})`,
    profile: profile.name,
    outcome: "started",
    details: { store: target.name },
  });
  const t0 = performance.now();
  try {
    const store = await openNamedStore(target, ctx);
    const r = await drill(profile, store, storeLabel(target, store), opts.now ?? (() => new Date()));
    await ctx.journal.append({
      kind: "protection.drill",
      summary: r.passed
        ? `Ransomware drill PASSED on backup ${r.id}: the store refused every attempt`
        : `Ransomware drill FAILED on backup ${r.id}: ${r.reasons.join("; ")}`,
      profile: profile.name,
      outcome: r.passed ? "ok" : "failed",
      durationMs: Math.round(performance.now() - t0),
      details: { ...r, startSeq: started.seq },
    });
    return r;
  } catch (e) {
    await ctx.journal
      .append({
        kind: "protection.drill",
        summary: `Ransomware drill could not run: ${e instanceof Error ? e.message : String(e)}`,
        profile: profile.name,
        outcome: "failed",
        durationMs: Math.round(performance.now() - t0),
        details: { startSeq: started.seq, error: e instanceof Error ? e.message : String(e) },
      })
      .catch(() => undefined);
    throw e;
  }
}

async function drill(
  profile: Profile,
  store: BackupStore,
  where: string,
  now: () => Date,
): Promise<RansomwareDrillResult> {
  const m = await findBackup(store, profile.name, "latest");
  const dir = m.object.key.slice(0, m.object.key.lastIndexOf("/"));
  const manifestKey = `${dir}/${MANIFEST_NAME}`;
  const attempts: Attempt[] = [];
  const reasons: string[] = [];
  const tool = objectLockFor(store);
  if (!tool) {
    return {
      id: m.id,
      store: where,
      passed: false,
      attempts: [{ attempt: "any", outcome: "not-attempted", detail: "a folder has no way to refuse a delete" }],
      reasons: [
        `${where} is a folder: anyone who can write to it can delete or overwrite every backup. Keep a replica in a bucket with Object Lock (COMPLIANCE).`,
      ],
      intact: true,
      aftermath: "nothing was attempted",
    };
  }
  const protection = await tool.protection(store.description);
  const versioned = protection.versioning === "enabled";
  const original = await store.getSmall(manifestKey);
  const originalSha = sha256Hex(original);
  const before = await tool.state(manifestKey);
  const archiveBefore = await tool.state(m.object.key);
  const notes: string[] = [];

  // 1. Overwrite (identical bytes).
  let copyVersion: string | null = null;
  try {
    await store.putSmall(manifestKey, original, "application/json");
    const after = await tool.state(manifestKey);
    const survived = before?.versionId ? await tool.state(manifestKey, before.versionId) : null;
    if (versioned && after?.versionId && after.versionId !== before?.versionId && survived) {
      copyVersion = after.versionId;
      attempts.push({
        attempt: "overwrite manifest.json",
        outcome: "harmless",
        detail: `the store made a new version (${after.versionId}) and kept the original (${before!.versionId}) untouched`,
      });
    } else {
      attempts.push({
        attempt: "overwrite manifest.json",
        outcome: "allowed",
        detail: "the store replaced the object in place (the drill wrote the same bytes, so nothing changed)",
      });
      reasons.push(
        `an overwrite replaces a backup for good: the bucket is not versioned. ${protection.notes.join(" ")}`.trim(),
      );
    }
  } catch (e) {
    if (!isRefusal(e)) throw e;
    attempts.push({ attempt: "overwrite manifest.json", outcome: "refused", detail: refusalText(e) });
  }

  // 2. Shorten the retention.
  const bypass = before?.mode === "GOVERNANCE";
  if (before?.retainUntil && Date.parse(before.retainUntil) > now().getTime() + 2 * DAY && before.mode) {
    const shorter = new Date(now().getTime() + DAY);
    try {
      await tool.putRetention(manifestKey, before.versionId, before.mode, shorter, bypass);
      attempts.push({
        attempt: `shorten manifest.json's ${before.mode} retention${bypass ? " (with governance bypass)" : ""}`,
        outcome: "allowed",
        detail: `the store accepted ${shorter.toISOString()} in place of ${before.retainUntil}; the drill put the original date back`,
      });
      reasons.push(
        before.mode === "GOVERNANCE"
          ? "GOVERNANCE mode, and these credentials may bypass it (s3:BypassGovernanceRetention): use COMPLIANCE, or take that permission away from the backup key"
          : "the store let these credentials shorten a COMPLIANCE lock: it does not enforce Object Lock",
      );
      await tool.lock(manifestKey, before.versionId, before.mode, new Date(before.retainUntil));
    } catch (e) {
      if (!isRefusal(e)) throw e;
      attempts.push({
        attempt: `shorten manifest.json's ${before.mode} retention`,
        outcome: "refused",
        detail: refusalText(e),
      });
    }
  } else {
    attempts.push({
      attempt: "shorten manifest.json's retention",
      outcome: "not-attempted",
      detail: before?.retainUntil ? "its lock ends within two days" : "it has no retention to shorten",
    });
  }

  // 3. Delete the manifest's original version for good.
  let manifestDeleted = false;
  const shortenAllowed = attempts.some((a) => a.attempt.startsWith("shorten") && a.outcome === "allowed");
  if (!versioned && !protection.objectLock.startsWith("bucket")) {
    attempts.push({
      attempt: "delete manifest.json",
      outcome: "not-attempted",
      detail: "on an unversioned bucket a delete is final; the overwrite already showed the store cannot refuse",
    });
  } else if (shortenAllowed) {
    attempts.push({
      attempt: "delete manifest.json's original version",
      outcome: "not-attempted",
      detail: "shortening its lock was allowed, so deleting it would be too",
    });
  } else {
    try {
      if (versioned && before?.versionId) {
        await tool.deleteVersion(manifestKey, before.versionId, { bypassGovernance: bypass });
      } else {
        await store.delete(manifestKey);
      }
      manifestDeleted = true;
      attempts.push({
        attempt: `delete manifest.json${before?.versionId ? `'s version ${before.versionId} for good` : ""}`,
        outcome: "allowed",
        detail: copyVersion
          ? `deleted; the drill's identical copy (${copyVersion}) is now the manifest`
          : "deleted; the drill wrote the manifest back from memory",
      });
      reasons.push(
        `the store let these credentials delete the backup's manifest for good: ${
          protection.objectLock === "enabled"
            ? "its objects are not locked (check the profile's objectLock and `lifeboat backups locks`)"
            : protection.notes.join(" ") || "Object Lock is not enabled"
        }`,
      );
      if (!copyVersion) await store.putSmall(manifestKey, original, "application/json");
    } catch (e) {
      if (!isRefusal(e)) throw e;
      attempts.push({
        attempt: `delete manifest.json's version ${before?.versionId ?? ""} for good`.replace("  ", " "),
        outcome: "refused",
        detail: refusalText(e),
      });
    }
  }

  // 4. The archive, only on a store that has proven it refuses.
  const proven = attempts.some((a) => a.attempt.startsWith("delete manifest") && a.outcome === "refused");
  const archiveLocked =
    archiveBefore &&
    (archiveBefore.legalHold || (archiveBefore.retainUntil && Date.parse(archiveBefore.retainUntil) > now().getTime()));
  if (proven && archiveLocked && archiveBefore?.versionId) {
    try {
      await tool.deleteVersion(m.object.key, archiveBefore.versionId, {
        bypassGovernance: archiveBefore.mode === "GOVERNANCE",
      });
      attempts.push({
        attempt: "delete the archive's version for good",
        outcome: "allowed",
        detail: "the archive is gone",
      });
      reasons.push("the store let these credentials delete a locked archive: it does not enforce Object Lock");
    } catch (e) {
      if (!isRefusal(e)) throw e;
      attempts.push({ attempt: "delete the archive's version for good", outcome: "refused", detail: refusalText(e) });
    }
  } else {
    attempts.push({
      attempt: "delete the archive's version for good",
      outcome: "not-attempted",
      detail: !proven
        ? "the store did not refuse for the manifest; the archive could not be written back, so it was not risked"
        : protection.objectLock === "bucket-rule"
          ? "the bucket rule that refused for the manifest covers the archive"
          : "the store reports no lock on the archive",
    });
    if (proven && !archiveLocked && protection.objectLock !== "bucket-rule")
      reasons.push("the archive is not locked: anyone holding the keys can delete it");
  }

  // Clean up the drill's identical copy where it is not the manifest now.
  if (copyVersion && !manifestDeleted) notes.push(await removeCopy(tool, manifestKey, copyVersion, before));

  // Read back: the backup must be whole whatever happened.
  const nowBytes = await store.getSmall(manifestKey).catch(() => null);
  const archiveHead = await store.head(m.object.key);
  const intact = !!nowBytes && sha256Hex(nowBytes) === originalSha && archiveHead?.bytes === m.object.bytes;
  const passed =
    reasons.length === 0 &&
    attempts.every((a) => a.outcome === "refused" || a.outcome === "harmless" || a.outcome === "not-attempted") &&
    proven;
  if (!passed && reasons.length === 0) reasons.push("the store did not refuse the manifest's deletion");
  return {
    id: m.id,
    store: where,
    passed,
    attempts,
    reasons,
    intact,
    aftermath: [
      intact
        ? `backup ${m.id} is intact: manifest.json reads back with sha256 ${originalSha.slice(0, 16)}…, the archive with its ${m.object.bytes} bytes`
        : `backup ${m.id} did NOT read back whole after the drill: verify it now (\`lifeboat verify ${m.id}\`)`,
      ...notes,
    ].join("; "),
  };
}

/** Removes the drill's identical manifest version, or, where a default retention holds it, locks it like the original. */
async function removeCopy(
  tool: S3ObjectLock,
  key: string,
  copyVersion: string,
  original: Awaited<ReturnType<S3ObjectLock["state"]>>,
): Promise<string> {
  try {
    await tool.deleteVersion(key, copyVersion);
    return "the drill's identical copy of manifest.json was removed again";
  } catch (e) {
    if (!isRefusal(e)) throw e;
    if (original?.mode && original.retainUntil) {
      await tool.lock(key, copyVersion, original.mode, new Date(original.retainUntil)).catch(() => undefined);
    }
    return `the drill's identical copy of manifest.json (version ${copyVersion}) stays: the bucket's default retention holds it`;
  }
}
