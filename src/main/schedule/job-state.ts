// The runs of a profile's jobs, kept in two places: in the store beside the backups (shared: any machine, the fleet
// view and `check` read it there) and in a small local mirror (so this machine still knows what it last ran when the
// store is unreachable, which is exactly when a run must still be attempted and alerted on).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isLifeboatError } from "../../shared/errors.ts";
import { JOB_KINDS, type JobKind } from "../../shared/schedule/schedule-config.ts";
import { RunOutcome } from "../../shared/schedule/run-outcome.ts";
import { writeFileAtomic } from "../config/write-file-atomic.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { stateKeys } from "../store-journal/state-keys.ts";

export type JobStates = Partial<Record<JobKind, RunOutcome>>;

function parseOutcome(raw: Buffer | string): RunOutcome | undefined {
  try {
    const r = RunOutcome.safeParse(JSON.parse(raw.toString()));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The latest run of each job, as the store has it. With `jobs` (the ones the profile schedules), one GET each and no
 * listing; a job that never ran is simply not there.
 */
export async function readStoreStates(
  store: BackupStore,
  profile: string,
  jobs?: readonly JobKind[],
): Promise<JobStates> {
  const wanted = jobs
    ? [...jobs]
    : await store.list(stateKeys.stateDir(profile)).then((objects) => {
        const keys = new Set(objects.map((o) => o.key));
        return JOB_KINDS.filter((job) => keys.has(stateKeys.jobState(profile, job)));
      });
  const out: JobStates = {};
  await Promise.all(
    wanted.map(async (job) => {
      const raw = await store.getSmall(stateKeys.jobState(profile, job)).catch((e: unknown) => {
        if (jobs && isLifeboatError(e) && e.code === "BACKUP_NOT_FOUND") return undefined;
        throw e;
      });
      const o = raw ? parseOutcome(raw) : undefined;
      if (o) out[job] = o;
    }),
  );
  return out;
}

const localPath = (dir: string, profile: string, job: string) => join(dir, `${profile}.${job}.json`);

export async function readLocalStates(dir: string, profile: string): Promise<JobStates> {
  const out: JobStates = {};
  await Promise.all(
    JOB_KINDS.map(async (job) => {
      const text = await readFile(localPath(dir, profile, job), "utf8").catch(() => undefined);
      const o = text ? parseOutcome(text) : undefined;
      if (o) out[job] = o;
    }),
  );
  return out;
}

/** Per job, whichever of the two started later. */
export function newerStates(a: JobStates, b: JobStates): JobStates {
  const out: JobStates = {};
  for (const job of JOB_KINDS) {
    const x = a[job];
    const y = b[job];
    const pick = x && y ? (Date.parse(y.startedAt) > Date.parse(x.startedAt) ? y : x) : (x ?? y);
    if (pick) out[job] = pick;
  }
  return out;
}

/** The run's own object and the job's latest-state copy in the store. */
export async function writeStoreOutcome(store: BackupStore, o: RunOutcome): Promise<void> {
  const body = JSON.stringify(o, null, 2) + "\n";
  await store.putSmall(stateKeys.run(o.profile, o.job, o.runId), body, "application/json");
  await store.putSmall(stateKeys.jobState(o.profile, o.job), body, "application/json");
}

export async function writeLocalOutcome(dir: string, o: RunOutcome): Promise<void> {
  await writeFileAtomic(localPath(dir, o.profile, o.job), JSON.stringify(o, null, 2) + "\n");
}
