import type { Profile } from "../../../shared/config.ts";
import { copyMissingRows } from "../../forensics/copy-missing-rows.ts";
import { findCorruptionTime } from "../../forensics/corruption-time.ts";
import { diffTable } from "../../forensics/diff-table.ts";
import { rowProgress } from "../../forensics/row-progress.ts";
import { restoreDroppedColumn } from "../../forensics/restore-dropped-column.ts";
import { restoreDroppedTable } from "../../forensics/restore-dropped-table.ts";
import { schemaDiff } from "../../forensics/schema-diff.ts";
import { resolveConn } from "../../engine/profile-runtime.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { repairHandlers, type RepairChannels as RepairChannel } from "./repair-handlers.ts";
import { sourceConn, type SourceRef } from "../neon-engine.ts";

type ForensicsChannels =
  "forensics.audit" | "forensics.diff" | "forensics.copy" | "forensics.schemaDiff" | "forensics.restoreDropped";

const SAMPLE = 100;

/** Production (the profile's database) and the source it is compared with, plus the journal context. */
async function sides(ctx: HandlerContext, profileName: string, source: SourceRef, phase = "compare") {
  const engine = ctx.engine();
  const profile: Profile = await ctx.profile(profileName);
  const [production, branch] = await Promise.all([
    resolveConn(profile.database, engine),
    sourceConn(profile, source, ctx.profile, engine),
  ]);
  return {
    production,
    branch,
    fctx: { journal: engine.journal, profile: profile.name },
    onProgress: rowProgress(engine.onProgress, phase),
  };
}

export const forensicsHandlers: HandlerGroup<ForensicsChannels | RepairChannel> = {
  ...repairHandlers,
  "forensics.audit": async ({ profile, auditTable, since, until, bucketSeconds }, ctx) => {
    const engine = ctx.engine();
    const p = await ctx.profile(profile);
    const r = await findCorruptionTime(
      await resolveConn(p.database, engine),
      {
        ...(auditTable ? { auditTable } : {}),
        ...(since ? { since: new Date(since) } : {}),
        ...(until ? { until: new Date(until) } : {}),
        ...(bucketSeconds ? { bucketSeconds } : {}),
      },
      { journal: engine.journal, profile: p.name },
    );
    return {
      ...r,
      bursts: r.bursts.map((b) => ({ table: b.table, action: b.action, bucketStart: b.bucketStart, count: b.count })),
    };
  },
  "forensics.diff": async ({ profile, source, table, fullRow }, ctx) => {
    const s = await sides(ctx, profile, source);
    const r = await diffTable(
      s.branch,
      s.production,
      table,
      {
        ...(fullRow ? { fullRow: true } : {}),
        sampleLimit: SAMPLE,
        ...(s.onProgress ? { onProgress: s.onProgress } : {}),
      },
      s.fctx,
    );
    return {
      table: r.table,
      primaryKey: r.primaryKey,
      counts: { source: r.counts.branch, production: r.counts.production },
      missing: r.missingInProduction,
      changed: r.changed,
      extra: r.extraInProduction,
      sampleMissing: r.sampleMissing,
      sampleChanged: r.sampleChanged,
    };
  },
  "forensics.copy": async ({ profile, source, table, keys, dryRun, confirm }, ctx) => {
    const s = await sides(ctx, profile, source, dryRun ? "count" : "copy");
    return copyMissingRows(
      s.branch,
      s.production,
      table,
      {
        dryRun,
        ...(confirm !== undefined ? { confirm } : {}),
        ...(keys ? { keys: keys.map((k) => k.map(String)) } : {}),
        ...(s.onProgress ? { onProgress: s.onProgress } : {}),
      },
      s.fctx,
    );
  },
  "forensics.schemaDiff": async ({ profile, source }, ctx) => {
    const s = await sides(ctx, profile, source);
    const r = await schemaDiff(s.branch, s.production, s.fctx);
    return {
      droppedTables: r.droppedTables,
      droppedColumns: r.droppedColumns.map((c) => ({ table: c.table, column: c.column, type: c.type })),
    };
  },
  "forensics.restoreDropped": async ({ profile, source, table, column, dryRun, confirm }, ctx) => {
    const s = await sides(ctx, profile, source);
    const opts = { dryRun, ...(confirm !== undefined ? { confirm } : {}) };
    if (column) {
      const r = await restoreDroppedColumn(s.branch, s.production, table, column, opts, s.fctx);
      return { table: r.table, column: r.column, dryRun: r.dryRun, rows: r.rows };
    }
    const r = await restoreDroppedTable(s.branch, s.production, table, opts, s.fctx);
    return { table: r.table, dryRun: r.dryRun, rows: r.rows };
  },
};
