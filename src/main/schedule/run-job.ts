// One scheduled job, run through the same engine functions the CLI and the console use (so it journals the same
// records), reduced to the figures a run outcome keeps. A result that is a failure without an exception (a Neon test
// that ran and FAILED) is turned into one, so the runner sees every failure the same way.
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { JobKind } from "../../shared/schedule/schedule-config.ts";
import type { JobResultSummary } from "../../shared/schedule/run-outcome.ts";
import { runBackup } from "../backup/run-backup.ts";
import { runNeonDrill } from "../drills/neon-drill.ts";
import { runRestoreDrill } from "../drills/restore-drill.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { escrowDrill } from "../keys/decrypt-drill.ts";
import { verifyBackup } from "../verify/verify-backup.ts";

export type JobRunner = (profile: Profile, job: JobKind, ctx: EngineContext) => Promise<JobResultSummary>;

export const runJob: JobRunner = async (profile, job, ctx) => {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  switch (job) {
    case "backup": {
      const m = await runBackup(profile, ctx);
      return {
        backupId: m.id,
        bytes: m.object.bytes,
        tables: m.tables.length,
        rows: m.tables.reduce((a, t) => a + t.rows, 0),
        durationMs: ms(),
      };
    }
    case "verify": {
      const v = await verifyBackup(profile, "latest", ctx, { deep: true });
      return {
        backupId: v.id,
        bytes: v.bytes,
        tables: v.tables.length,
        rows: v.tables.reduce((a, t) => a + t.expected, 0),
        pass: true,
        durationMs: ms(),
      };
    }
    case "drill": {
      const d = await runRestoreDrill(profile, ctx);
      return {
        backupId: d.backupId,
        tables: d.tables,
        rows: d.rows,
        pass: d.pass,
        phases: d.phases,
        rtoMs: d.rtoMs,
        durationMs: ms(),
      };
    }
    case "decrypt-drill": {
      const escrow = profile.encryption.escrow.find((e) => e.drillIdentity)!;
      const d = await escrowDrill(profile, await ctx.resolveSecret(escrow.drillIdentity!), ctx);
      if (!d.passed) {
        throw new LifeboatError(
          "DRILL_FAILED",
          `the decrypt drill FAILED: ${
            d.checked
              .filter((c) => !c.ok)
              .map((c) => `${c.id}: ${c.detail}`)
              .join("; ") || "no backup to open"
          }`,
          "Run `lifeboat keys check` and `lifeboat drill decrypt --identity-file …` by hand; the journal's keys.drill record has the details.",
        );
      }
      return { backupId: d.checked[0]!.id, tables: d.checked.length, pass: true, durationMs: ms() };
    }
    case "neon-test": {
      const d = await runNeonDrill(profile, {}, ctx);
      if (!d.pass) {
        if (d.error) throw new LifeboatError(d.error.code, d.error.message, d.error.hint, d.error.details);
        throw new LifeboatError(
          "DRILL_FAILED",
          `the weekly Neon test FAILED: ${d.failures.join("; ")}`,
          "Look at the counts in the journal's drill.neon record; a key table lost rows since the last passing test.",
        );
      }
      return {
        tables: d.counts.length,
        rows: d.counts.reduce((a, c) => a + (c.rows ?? 0), 0),
        pass: true,
        phases: d.phases.map((p) => ({ name: p.name, durationMs: p.durationMs })),
        durationMs: ms(),
      };
    }
  }
};
