// Retention planning: a pure function from what the store holds (and the clock) to what may be deleted, and why.
// No I/O here, so it can be tested over years of generated history and benchmarked over ten thousand backups.
import type { PrunePlan } from "../../shared/api/channels/retention-channels.ts";
import type { LockMode, RetentionPolicy } from "../../shared/retention-policy.ts";
import { DAY_MS } from "./periods.ts";
import { generationsOf, keepUntil, lockUntil, type Generation } from "./generations.ts";

export interface LockFact {
  mode?: LockMode;
  /** The latest retain-until over the backup's objects: until then at least one of them cannot be deleted. */
  until?: number;
  /** The earliest retain-until over its objects; null when one of them has none. */
  weakest?: number | null;
  legalHold: boolean;
}

export interface BackupFact {
  id: string;
  time: number;
  manifestSha256: string;
  bytes: number;
  /** A passed verify is on record for this very manifest. */
  verified: boolean;
  /** true, or why the folder cannot be proven to hold only a Lifeboat backup (it is then never deleted). */
  provable: true | string;
  /** Known only where the engine looked (candidates for deletion, kept backups when locks are on). */
  lock?: LockFact;
}

export interface IncompleteFact {
  dir: string;
  /** true, or why the folder may hold something Lifeboat did not write (it is then never deleted). */
  provable?: true | string;
  /** From the folder's name (a backup id), ms. */
  time: number;
  /** The newest object's last-modified time, ms. */
  lastModified: number;
  bytes: number;
  lock?: LockFact;
}

export interface UploadFact {
  key: string;
  uploadId: string;
  initiated: number;
}

export interface PlanInput {
  backups: readonly BackupFact[];
  incomplete: readonly IncompleteFact[];
  uploads: readonly UploadFact[];
  policy: RetentionPolicy | undefined;
  now: number;
  /** The profile's alert threshold: a newest backup older than this means backups are failing. */
  maxBackupAgeMinutes: number;
  /** Set when the profile locks its backups: kept backups whose lock falls short of their tier are extended. */
  lockMode?: LockMode;
}

const iso = (t: number): string => new Date(t).toISOString();
const day = (t: number): string => iso(t).slice(0, 10);

function ageText(ms: number): string {
  const h = ms / 3_600_000;
  return h < 48 ? `${Math.round(h)} hours` : `${Math.round(h / 24)} days`;
}

function genReason(g: Generation): string {
  return `${g.tier} ${g.period} (kept until ${day(g.until)})`;
}

function lockBlock(lock: LockFact | undefined, now: number): string | null {
  if (!lock) return null;
  if (lock.legalHold) return "under legal hold (release it with `lifeboat backups release`)";
  if (lock.until !== undefined && lock.until > now)
    return `locked (${lock.mode ?? "retention"}) until ${iso(lock.until)}`;
  return null;
}

function refusal(input: PlanInput, newestTime: number | undefined, verified: number): PrunePlan["refused"] {
  const { policy, now } = input;
  if (!policy) {
    return {
      code: "NO_POLICY",
      message: "the profile has no retention policy, so nothing is ever deleted",
      hint: 'Add "retention": "clinical" (one backup per month for seven years), "gfs", or a policy of your own.',
    };
  }
  const failedRun = input.incomplete.find((r) => newestTime === undefined || r.time > newestTime);
  if (failedRun) {
    return {
      code: "BACKUPS_FAILING",
      message: `the run ${failedRun.dir} is newer than the newest committed backup and has no manifest: it failed or is still running, and nothing is pruned while backups fail`,
      hint: "Fix the backup (see `lifeboat journal list --kind backup.run --outcome failed`), then prune after a backup commits.",
    };
  }
  if (newestTime !== undefined && now - newestTime > input.maxBackupAgeMinutes * 60_000) {
    return {
      code: "BACKUPS_FAILING",
      message: `the newest backup is ${ageText(now - newestTime)} old, more than alerts.maxBackupAgeMinutes (${input.maxBackupAgeMinutes}): backups are failing or not running, and nothing is pruned until they work again`,
      hint: "Run `lifeboat backup` (and check the scheduler); prune once a fresh backup has committed.",
    };
  }
  if (newestTime !== undefined && verified < policy.keepLast) {
    return {
      code: "TOO_FEW_PROVEN",
      message: `only ${verified} backup(s) are proven restorable (a passed verify on record), fewer than keepLast (${policy.keepLast}): pruning could leave fewer than ${policy.keepLast} backups known to restore`,
      hint: "Verify more backups (`lifeboat verify ID`, or verify after every scheduled backup), then prune.",
    };
  }
  return null;
}

export function planPrune(input: PlanInput): PrunePlan {
  const { policy, now } = input;
  const backups = [...input.backups].sort((a, b) => b.time - a.time || b.id.localeCompare(a.id));
  const verified = backups.filter((b) => b.verified);
  const refused = refusal(input, backups[0]?.time, verified.length);
  const plan: PrunePlan = {
    now: iso(now),
    policy: policy ?? null,
    refused,
    keep: [],
    remove: [],
    blocked: [],
    extend: [],
    incomplete: [],
    uploads: [],
  };
  const gens = policy ? generationsOf(backups, policy) : new Map<string, Generation[]>();
  const keepLast = policy?.keepLast ?? Infinity;
  const provenKept = new Set(verified.slice(0, keepLast).map((b) => b.id));

  backups.forEach((b, index) => {
    const g = gens.get(b.id) ?? [];
    const reasons: string[] = [];
    if (index === 0) reasons.push("the newest backup");
    if (b.id === verified[0]?.id) reasons.push("the newest verified backup");
    if (index < keepLast) reasons.push(`one of the last ${keepLast}`);
    if (provenKept.has(b.id)) reasons.push(`one of the ${keepLast} newest proven restorable`);
    const live = g.filter((x) => x.until > now);
    reasons.push(...live.map(genReason));
    if (refused) reasons.push(`nothing is pruned: ${refused.code}`);
    const time = iso(b.time);
    if (reasons.length > 0) {
      plan.keep.push({ id: b.id, time, reasons, generations: live.map((x) => ({ ...x, until: iso(x.until) })) });
      const due = policy ? lockUntil(b.time, g, policy) : -Infinity;
      const weakest = b.lock?.weakest;
      if (input.lockMode && b.lock && weakest !== undefined && (weakest === null || weakest < due) && due > now) {
        const from = weakest === null ? "none" : iso(weakest);
        plan.extend.push({ id: b.id, mode: b.lock.mode ?? input.lockMode, from, to: iso(due) });
      }
      return;
    }
    const blocked = b.provable !== true ? `not provably a Lifeboat backup: ${b.provable}` : lockBlock(b.lock, now);
    if (blocked) {
      plan.blocked.push({ id: b.id, time, why: blocked });
      return;
    }
    const ended = keepUntil(g);
    plan.remove.push({
      id: b.id,
      time,
      manifestSha256: b.manifestSha256,
      bytes: b.bytes,
      why:
        ended === -Infinity
          ? `not the first backup of any kept day, week, month or year, and ${keepLast} newer backups exist`
          : `its last generation ended on ${day(ended)} (${g.map((x) => `${x.tier} ${x.period}`).join(", ")})`,
    });
  });

  for (const r of [...input.incomplete].sort((a, b) => b.time - a.time)) {
    const blocked =
      r.provable !== undefined && r.provable !== true
        ? `not provably Lifeboat's: ${r.provable}`
        : lockBlock(r.lock, now);
    const old = now - r.time > DAY_MS && now - r.lastModified > DAY_MS;
    const action = !refused && old && !blocked ? "delete" : "keep";
    const why = blocked
      ? `never committed, but ${blocked}`
      : old
        ? refused
          ? `never committed; removed once prune may run (${refused.code})`
          : "never committed and older than a day"
        : "never committed; less than a day old, it may still be running";
    plan.incomplete.push({ dir: r.dir, action, why, bytes: r.bytes });
  }
  for (const u of [...input.uploads].sort((a, b) => a.initiated - b.initiated)) {
    const action = !refused && now - u.initiated > DAY_MS ? "abort" : "keep";
    plan.uploads.push({ key: u.key, uploadId: u.uploadId, initiated: iso(u.initiated), action });
  }
  return plan;
}
