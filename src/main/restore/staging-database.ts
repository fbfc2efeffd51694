// A restore whose result takes a database name as a whole (a new database, or the overwrite of a whole one) goes
// into "lifeboat_restoring_<random>" first. Only when pg_restore succeeded, the object proved whole and every count
// matched does it take the target's name: a rename for a new database, a swap in one transaction for an overwrite
// (which keeps what it replaced as "lifeboat_replaced_<random>" until the operator drops it). Until then the target is
// untouched; a failure, a cancel or a frozen server drops the staging database again, and a kill -9 leaves it under
// its staging name, which every later restore onto that server names (leftoverWarning).
import { randomBytes } from "node:crypto";
import { isLifeboatError, LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { withDatabase, type ConnInfo } from "../postgres/conn-info.ts";
import type { RestoreProof } from "./prove-restore.ts";
import {
  createDatabase,
  dropDatabase,
  renameDatabase,
  REPLACED_PREFIX,
  STAGING_PREFIX,
  swapDatabases,
  type TargetPlan,
} from "./restore-target.ts";
import type { RestoreOptions } from "./restore-steps.ts";

export function stagingName(prefix = STAGING_PREFIX): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

export interface StagingInput {
  server: ConnInfo;
  m: BackupManifest;
  opts: RestoreOptions;
  plan: TargetPlan;
  signal: AbortSignal;
  /** What a cancel leaves; kept current here. */
  state: { text: string };
  /** Restores into the database that `prepare` creates (it is called once the object is known to open). */
  fill: (prepare: () => Promise<string>) => Promise<void>;
  /** Proves the restored data; `kept` says where it stays when the proof fails. */
  prove: (conn: ConnInfo, kept: string) => Promise<RestoreProof>;
}

/** Proof failures keep the data for inspection under the staging name (never the target's). */
const KEPT_ON = new Set(["ROWCOUNT_MISMATCH", "LARGE_OBJECTS_MISSING"]);

export async function intoStaging(i: StagingInput): Promise<{ proof: RestoreProof; warnings: string[] }> {
  const { server, opts, plan } = i;
  const target = `"${opts.database}"`;
  const staging = stagingName();
  let created = false;
  let keep = false;
  try {
    await i.fill(async () => {
      await createDatabase(server, staging, plan.overwrite ? opts.database : undefined);
      created = true;
      i.state.text = `nothing was restored: ${target} ${plan.exists ? "is as it was" : "was never created"}, and the staging database "${staging}" was dropped`;
      return staging;
    });
    const kept = `The restored data was kept for inspection in database "${staging}" (${target} was not touched); drop it when done.`;
    const proof = await i.prove(withDatabase(server, staging), kept).catch((e: unknown) => {
      if (isLifeboatError(e) && KEPT_ON.has(e.code)) keep = true;
      throw e;
    });
    keep = true; // proven: from here on it is never dropped, only named
    i.state.text = `backup ${i.m.id} was restored and proven in database "${staging}"; whether it already took the name ${target} when stopped: see \`SELECT datname FROM pg_database\``;
    if (!plan.exists) {
      await renameDatabase(server, staging, opts.database).catch((e: unknown) => {
        throw notPlaced(i.m, staging, opts.database, e, `ALTER DATABASE "${staging}" RENAME TO "${opts.database}"`);
      });
      return { proof, warnings: [] };
    }
    const replaced = stagingName(REPLACED_PREFIX);
    const missed = await swapDatabases(
      server,
      staging,
      opts.database,
      replaced,
      `"${opts.database}" before the restore of backup ${i.m.id} at ${new Date().toISOString()}`,
    ).catch((e: unknown) => {
      throw notPlaced(
        i.m,
        staging,
        opts.database,
        e,
        `BEGIN; ALTER DATABASE "${opts.database}" RENAME TO "${replaced}"; ALTER DATABASE "${staging}" RENAME TO "${opts.database}"; COMMIT;`,
      );
    });
    return {
      proof,
      warnings: [
        `${target} was replaced as a whole; what it held before is kept as database "${replaced}" until you drop it: DROP DATABASE "${replaced}";`,
        ...missed.map((x) => `not carried over to the new ${target}: ${x}`),
      ],
    };
  } catch (e) {
    if (!created || keep) throw e;
    try {
      await dropDatabase(server, staging);
      throw e;
    } catch (dropError) {
      if (dropError === e) throw e;
      const why = dropError instanceof Error ? dropError.message : String(dropError);
      i.state.text = `nothing was restored under ${target}, but the staging database "${staging}" could not be dropped (${why}): drop it once the server answers (DROP DATABASE "${staging}";)`;
      if (!isLifeboatError(e)) throw e;
      throw new LifeboatError(
        e.code,
        e.message,
        `${e.hint ?? ""} The staging database "${staging}" could not be dropped (${why}): DROP DATABASE "${staging}"; once the server answers.`.trim(),
        e.details,
      );
    }
  }
}

function notPlaced(m: BackupManifest, staging: string, target: string, e: unknown, sql: string): LifeboatError {
  return new LifeboatError(
    "RESTORE_FAILED",
    `backup ${m.id} was restored and proven (every count matches) in database "${staging}", but it could not take the name "${target}": ${e instanceof Error ? e.message : String(e)}`,
    `The data is complete in "${staging}". Give it the name yourself once nothing else holds or uses "${target}" (${sql}), or use it as it is.`,
    { staging },
  );
}
