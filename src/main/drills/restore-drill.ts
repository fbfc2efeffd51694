// The quarterly DR test: the latest committed backup restored from the store into a scratch database, exactly as an
// outage would need it (streamed download, decryption, pg_restore, every table's count proven), with the time of each
// phase. It passes only when every count matches the manifest. Journaled as drill.restore, a backup test like the
// weekly Neon test and deep verify.
import type { Profile } from "../../shared/config.ts";
import type { RestoreDrillResult } from "../../shared/schedule/run-outcome.ts";
import { findBackup } from "../backup/backup-catalog.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore, resolveIdentities } from "../engine/profile-runtime.ts";
import { restoreInto } from "../restore/restore-into.ts";
import { withScratchServer } from "../verify/scratch-server.ts";

export const RESTORE_DRILL_KIND = "drill.restore";

/** Phase timings from the progress phases an operation reports, plus the ones timed around it. */
class PhaseClock {
  readonly phases: { name: string; durationMs: number }[] = [];
  private current: { name: string; t0: number } | undefined;

  enter(name: string): void {
    if (this.current?.name === name) return;
    this.leave();
    this.current = { name, t0: performance.now() };
  }

  leave(): void {
    if (!this.current) return;
    const durationMs = Math.round(performance.now() - this.current.t0);
    const same = this.phases.find((p) => p.name === this.current!.name);
    if (same) same.durationMs += durationMs;
    else this.phases.push({ name: this.current.name, durationMs });
    this.current = undefined;
  }
}

export async function runRestoreDrill(profile: Profile, ctx: EngineContext): Promise<RestoreDrillResult> {
  return ctx.journal.step(
    {
      kind: RESTORE_DRILL_KIND,
      summary: `DR drill: full restore of the latest backup of ${profile.name} into a scratch database`,
      profile: profile.name,
    },
    () => drill(profile, ctx),
    (r) => ({
      pass: r.pass,
      backupId: r.backupId,
      scratch: r.scratch,
      tables: r.tables,
      rows: r.rows,
      phases: r.phases,
      rtoMs: r.rtoMs,
    }),
  );
}

async function drill(profile: Profile, ctx: EngineContext): Promise<RestoreDrillResult> {
  const t0 = performance.now();
  const clock = new PhaseClock();
  clock.enter("locate");
  const store = await profileStore(profile, ctx);
  const m = await findBackup(store, profile.name, "latest");
  const identities = await resolveIdentities(profile, ctx);
  clock.enter("scratch");
  const database = `lifeboat_drill_${m.id.replace(/[^0-9a-z]/gi, "_").toLowerCase()}`;
  let rtoStart = 0;
  let rtoMs = 0;
  const result = await withScratchServer(profile, m.server.major, database, ctx, async (server, scratch) => {
    rtoStart = performance.now();
    clock.enter("download");
    const r = await restoreInto(
      profile,
      m,
      store,
      identities,
      server,
      { database, noOwner: true, noAcl: true },
      {
        ...ctx,
        onProgress: (p) => {
          if (p.phase !== "done") clock.enter(p.phase);
          ctx.onProgress?.(p);
        },
      },
    );
    rtoMs = Math.round(performance.now() - rtoStart);
    clock.enter("cleanup");
    return { scratch, tables: r.tables };
  });
  clock.leave();
  return {
    pass: result.tables.every((t) => t.ok),
    backupId: m.id,
    backupFinishedAt: m.finishedAt,
    scratch: result.scratch,
    database,
    tables: result.tables.length,
    rows: result.tables.reduce((a, t) => a + t.expected, 0),
    phases: clock.phases,
    rtoMs,
    durationMs: Math.round(performance.now() - t0),
  };
}
