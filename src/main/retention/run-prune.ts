// `lifeboat prune`: plan (always) and apply (only when asked). Every deletion is journaled before it starts, with the
// manifest's digest, and after it ends; a prune cut short leaves runs without manifests that the next prune removes.
import type { PruneOutcome } from "../../shared/api/channels/retention-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { resolveRetention } from "../../shared/retention-policy.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { backupObjectKeys } from "../object-lock/backup-lock-state.ts";
import { isRefusal, objectLockFor, refusalText } from "../object-lock/s3-object-lock.ts";
import { namedStore, openNamedStore, storeLabel } from "../replicas/profile-stores.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { addLockFacts, gatherFacts, type StoreFacts } from "./backup-facts.ts";
import { deleteFolder } from "./delete-folder.ts";
import { planPrune } from "./plan-prune.ts";
import { pruneAttachmentSet } from "../attachments/prune-attachments.ts";

export interface PruneOptions {
  apply?: boolean;
  store?: string;
  now?: () => Date;
}

const message = (e: unknown): string =>
  isRefusal(e) ? `the store refused: ${refusalText(e)}` : e instanceof Error ? e.message : String(e);

/** The incomplete runs' lock state: an archive locked before its run failed stays until its lock ends. */
async function addIncompleteLocks(store: BackupStore, facts: StoreFacts, now: number): Promise<void> {
  const tool = objectLockFor(store);
  if (!tool) return;
  for (const run of facts.incomplete) {
    if (now - run.time < 86_400_000) continue;
    for (const o of facts.incompleteFolders.get(run.dir)!.objects) {
      const s = await tool.state(o.key);
      if (!s) continue;
      const until = s.retainUntil ? Date.parse(s.retainUntil) : undefined;
      if (s.legalHold || (until !== undefined && until > now)) {
        run.lock = { ...(s.mode ? { mode: s.mode } : {}), ...(until ? { until } : {}), legalHold: s.legalHold };
        break;
      }
    }
  }
}

export async function runPrune(profile: Profile, ctx: EngineContext, opts: PruneOptions = {}): Promise<PruneOutcome> {
  const target = namedStore(profile, opts.store);
  const store = await openNamedStore(target, ctx);
  const where = storeLabel(target, store);
  const now = (opts.now ?? (() => new Date()))().getTime();
  const policy = target.retention ? resolveRetention(target.retention) : undefined;
  const lockMode = target.objectLock?.mode;

  const facts = await gatherFacts(store, profile.name);
  const input = {
    backups: facts.backups,
    incomplete: facts.incomplete,
    uploads: facts.uploads,
    policy,
    now,
    maxBackupAgeMinutes: profile.alerts.maxBackupAgeMinutes,
    ...(lockMode ? { lockMode } : {}),
  };
  const first = planPrune(input);
  // Locks are read only where they change the plan: the backups it would delete, and (when the profile locks) the
  // ones it keeps, whose locks may need extending to their tier.
  await addLockFacts(
    store,
    facts,
    [...first.remove.map((r) => r.id), ...(lockMode ? first.keep.map((k) => k.id) : [])],
    now,
  );
  await addIncompleteLocks(store, facts, now);
  const plan = planPrune(input);
  const outcome: PruneOutcome = {
    store: where,
    applied: false,
    plan,
    deleted: [],
    extended: [],
    cleaned: [],
    aborted: [],
    failures: [],
  };
  if (policy && target.name === "primary" && profile.attachments.length) {
    outcome.attachments = [];
    for (const set of profile.attachments) {
      outcome.attachments.push(
        await pruneAttachmentSet(profile.name, set.name, store, policy, {
          now,
          apply: !!opts.apply && !plan.refused,
          maxAgeMinutes: profile.alerts.maxBackupAgeMinutes,
          ctx,
        }),
      );
    }
  }
  if (!opts.apply || plan.refused) {
    if (opts.apply && plan.refused) {
      await ctx.journal.append({
        kind: "prune.run",
        summary: `Prune refused for profile ${profile.name} (${target.name}): ${plan.refused.message}`,
        profile: profile.name,
        outcome: "refused",
        details: { store: target.name, refused: plan.refused },
      });
    }
    return outcome;
  }

  outcome.applied = true;
  const started = await ctx.journal.append({
    kind: "prune.run",
    summary: `Prune of profile ${profile.name} (${target.name}): ${plan.remove.length} backup(s) to delete, ${plan.keep.length} kept`,
    profile: profile.name,
    outcome: "started",
    details: { store: target.name, remove: plan.remove.map((r) => r.id), policy },
  });
  const interrupted = (): boolean => {
    if (!ctx.signal?.aborted) return false;
    outcome.failures.push({ id: "-", error: "the prune was interrupted; run it again to finish" });
    return true;
  };

  for (const r of plan.remove) {
    if (interrupted()) break;
    const { folder, manifest } = facts.byId.get(r.id)!;
    const begun = await ctx.journal.append({
      kind: "prune.delete",
      summary: `Deleting backup ${r.id} (profile ${profile.name}, ${target.name}): ${r.why}`,
      profile: profile.name,
      outcome: "started",
      details: { id: r.id, store: target.name, manifestSha256: r.manifestSha256, bytes: r.bytes, why: r.why },
    });
    try {
      const objects = await deleteFolder(store, folder.dir, folder.objects);
      const done = await ctx.journal.append({
        kind: "prune.delete",
        summary: `Deleted backup ${r.id} (profile ${profile.name}, ${target.name})`,
        profile: profile.name,
        outcome: "ok",
        details: { id: r.id, store: target.name, manifestSha256: r.manifestSha256, objects, startSeq: begun.seq },
      });
      outcome.deleted.push({ id: r.id, manifestSha256: r.manifestSha256, objects, journalSeq: done.seq });
    } catch (e) {
      outcome.failures.push({ id: r.id, error: message(e) });
      await ctx.journal.append({
        kind: "prune.delete",
        summary: `Deleting backup ${r.id} failed: ${message(e)}`,
        profile: profile.name,
        outcome: "failed",
        details: {
          id: r.id,
          store: target.name,
          manifestSha256: r.manifestSha256,
          startSeq: begun.seq,
          keys: backupObjectKeys(manifest),
        },
      });
    }
  }

  const tool = objectLockFor(store);
  for (const x of plan.extend) {
    if (interrupted() || !tool) break;
    try {
      for (const key of backupObjectKeys(facts.byId.get(x.id)!.manifest)) {
        const s = await tool.state(key);
        if (s) await tool.lock(key, s.versionId, x.mode, new Date(x.to));
      }
      outcome.extended.push({ id: x.id, to: x.to });
      await ctx.journal.append({
        kind: "prune.extend-lock",
        summary: `Lock of backup ${x.id} extended to ${x.to} (its retention tier)`,
        profile: profile.name,
        outcome: "ok",
        details: { id: x.id, store: target.name, mode: x.mode, from: x.from, to: x.to },
      });
    } catch (e) {
      outcome.failures.push({ id: x.id, error: `extending its lock: ${message(e)}` });
    }
  }

  for (const run of plan.incomplete.filter((i) => i.action === "delete")) {
    if (interrupted()) break;
    try {
      const objects = await deleteFolder(store, run.dir, facts.incompleteFolders.get(run.dir)!.objects);
      outcome.cleaned.push({ dir: run.dir, objects });
    } catch (e) {
      outcome.failures.push({ id: run.dir, error: message(e) });
    }
  }
  for (const u of plan.uploads.filter((x) => x.action === "abort")) {
    if (interrupted() || !tool) break;
    try {
      await tool.abortUpload(u.key, u.uploadId);
      outcome.aborted.push({ key: u.key, uploadId: u.uploadId });
    } catch (e) {
      outcome.failures.push({ id: u.key, error: message(e) });
    }
  }

  await ctx.journal.append({
    kind: "prune.run",
    summary: `Prune of profile ${profile.name} (${target.name}): ${outcome.deleted.length} deleted, ${outcome.extended.length} lock(s) extended, ${outcome.cleaned.length} incomplete run(s) removed${outcome.failures.length ? `, ${outcome.failures.length} failure(s)` : ""}`,
    profile: profile.name,
    outcome: outcome.failures.length ? "failed" : "ok",
    details: {
      store: target.name,
      startSeq: started.seq,
      deleted: outcome.deleted,
      extended: outcome.extended,
      cleaned: outcome.cleaned,
      aborted: outcome.aborted.length,
      failures: outcome.failures,
    },
  });
  return outcome;
}
